"""Importing initiatives in the Wagtail admin: an editor uploads a CSV or XLSX file, reads what the import would do
(every error by row and column; nothing is written), then confirms. The same importer as `manage.py
import_initiatives` (participation.initiatives.importer), so importing needs no shell."""

import shutil
import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.initiatives.importer import ImportFileError, ImportReport, initiatives_import
from participation.initiatives.models import InitiativeImport

PERMISSION = "initiatives.add_initiative"
TEMPLATE = "initiatives/admin/import.html"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A CSV file (UTF-8, commas or semicolons) or an Excel workbook (.xlsx); columns as documented."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    publish = forms.BooleanField(
        label=_("Publish the initiatives directly (a trusted source)"),
        required=False,
        help_text=_("Otherwise new initiatives are drafts that moderators publish."),
    )


def _check_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _run(upload: InitiativeImport, *, dry_run: bool) -> tuple[ImportReport | None, str]:
    """The importer on a local copy of the uploaded file (storage may be remote); (report, file error)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / Path(upload.name).name
        with upload.file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        try:
            return initiatives_import(path=path, dry_run=dry_run, publish=upload.publish), ""
        except ImportFileError as error:
            return None, str(error)


def _context(**context):
    report = context.get("report")
    counts = {action: report.count(action) for action in ("created", "updated", "unchanged")} if report else {}
    return {"form": ImportForm(), **context, "counts": counts}


def import_upload(request):
    _check_permission(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        upload = InitiativeImport.objects.create(
            file=uploaded, name=uploaded.name[:255], publish=form.cleaned_data["publish"], created_by=request.user
        )
        report, file_error = _run(upload, dry_run=True)
        if report is None or report.errors:
            upload.file.delete(save=False)
            upload.delete()
        context.update(upload=upload, report=report, file_error=file_error)
    return TemplateResponse(request, TEMPLATE, _context(**context))


def import_confirm(request, pk):
    _check_permission(request)
    upload = get_object_or_404(InitiativeImport, pk=pk, imported_at=None)
    if request.method != "POST":
        return TemplateResponse(request, TEMPLATE, _context(upload=upload))
    report, file_error = _run(upload, dry_run=False)
    if report is not None and report.written:
        upload.imported_at = timezone.now()
        upload.counts = _context(report=report)["counts"]
        upload.save(update_fields=["imported_at", "counts"])
        upload.file.delete(save=False)
    return TemplateResponse(request, TEMPLATE, _context(upload=upload, report=report, file_error=file_error))
