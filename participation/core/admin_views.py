"""Admin screens of the site shell: the dashboard panel of dated announcements past their day; translation."""

import csv

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import Locale, Page

from participation.core import selectors, translation_selectors, translation_services
from participation.core.machine_translation import MachineTranslationError, machine_translator
from participation.core.text import language_name_in_text


class ExpiredAnnouncementsPanel(Component):
    """On the admin's dashboard: the pages whose dated announcement has passed (the public page leaves it out), so
    that editors update or remove it."""

    name = "expired_announcements"
    order = 90
    template_name = "core/admin/expired_announcements.html"

    def get_context_data(self, parent_context=None):
        return {"items": selectors.announcements_expired(), "heading": _("Announcements past their date")}


# Translation (decision 0117): the side-by-side view of a page's source and translation, and the overview.


def _page_for_editor(request, pk: int) -> Page:
    page = get_object_or_404(Page, pk=pk).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def _language_or_404(language: str) -> str:
    if language not in translation_selectors.LANGUAGE_CODES:
        raise Http404
    return language


def page_translate(request, pk: int, language: str):
    """The source and its `language` version side by side, field by field and block by block, with what changed in
    the source since the last translation; actions: start (or open) the draft, pre-fill it by machine, mark the
    machine translation checked, confirm that a translation still matches the source."""
    page = _page_for_editor(request, pk)
    language = _language_or_404(language)
    source = translation_services.page_source(page=page)
    if source.locale.language_code == language:
        messages.info(request, _("This is the original version: there is nothing to translate."))
        return redirect("wagtailadmin_pages:edit", source.pk)
    target = source.get_translation_or_none(Locale.objects.get(language_code=language))
    record = translation_selectors.page_record(page=target) if target else None
    translator = machine_translator()
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("start", "prefill"):
            target = translation_services.page_translation_start(source=source, language=language, user=request.user)
            if action == "prefill" and translator is not None:
                try:
                    translation_services.page_translation_prefill(
                        source=source, target=target, translator=translator, user=request.user
                    )
                except MachineTranslationError:
                    messages.error(request, _("The machine translation service did not answer: try again later."))
                    return redirect("translations:page", source.pk, language)
                messages.success(
                    request,
                    _(
                        "The draft is pre-filled by machine translation. "
                        "Read and correct every field before publishing."
                    ),
                )
            return redirect("wagtailadmin_pages:edit", target.pk)
        if record is not None and action == "checked":
            translation_services.translation_machine_checked(record=record)
            messages.success(request, _("The machine translation is marked as checked by a person."))
        elif record is not None and action == "confirm":
            translation_services.translation_confirm(
                record=record, source_digests=translation_selectors.field_digests(source)
            )
            messages.success(request, _("The translation is confirmed as up to date with its source."))
        return redirect("translations:page", source.pk, language)
    comparison = translation_selectors.page_comparison(source=source, target=target, record=record)
    return TemplateResponse(
        request,
        "core/translations/page_translate.html",
        {
            "source": source,
            "target": target,
            "record": record,
            "language": language,
            "language_name": language_name_in_text(language),
            "source_language_name": language_name_in_text(source.locale.language_code),
            "comparison": comparison,
            "machine_translation": translator is not None,
            "is_alias": bool(target and target.alias_of_id),
        },
    )


class TranslationFilterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All languages"))] + list(settings.LANGUAGES), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status"))] + list(translation_selectors.Status.choices),
        required=False,
    )
    kind = forms.ChoiceField(label=_("Type of content"), choices=[("", _("All types"))], required=False)


def translation_overview(request):
    """For every item and language: original, translated, outdated, draft or missing; filters, counts, CSV."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    everything = translation_selectors.translation_overview()
    form = TranslationFilterForm(request.GET or None)
    kinds = sorted({item.kind for item in everything.items})
    form.fields["kind"].choices = [("", _("All types"))] + [(kind, kind) for kind in kinds]
    filters = form.cleaned_data if form.is_valid() else {}
    overview = translation_selectors.translation_overview(
        language=filters.get("language", ""), status=filters.get("status", ""), kind=filters.get("kind", "")
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="translations.csv"'
        writer = csv.writer(response, lineterminator="\n")
        writer.writerow(["type", "title", "source_language"] + translation_selectors.LANGUAGE_CODES)
        for item in overview.items:
            writer.writerow(
                [item.kind, item.title, item.source_language]
                + [item.versions[code].status for code in translation_selectors.LANGUAGE_CODES]
            )
        return response
    return TemplateResponse(
        request,
        "core/translations/overview.html",
        {
            "form": form,
            "overview": overview,
            "languages": settings.LANGUAGES,
            "statuses": translation_selectors.Status.choices,
            "query": request.GET.urlencode(),
        },
    )
