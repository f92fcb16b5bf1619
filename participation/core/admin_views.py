"""Admin screens of the site shell: the dashboard panel of dated announcements past their day, translation, the
failed background jobs, the second factor of admin accounts."""

import base64

import django_otp
import qrcode
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from participation.core import selectors, tasks, translation_selectors, translation_services
from participation.core.csv_files import csv_response
from participation.core.machine_translation import MachineTranslationError, machine_translator
from participation.core.models import Provenance
from participation.core.text import language_name_in_text
from participation.core.translation_subjects import TRANSLATION_SUBJECTS


class ExpiredAnnouncementsPanel(Component):
    """On the admin's dashboard: the pages whose dated announcement has passed (the public page leaves it out), so
    that editors update or remove it."""

    name = "expired_announcements"
    order = 90
    template_name = "core/admin/expired_announcements.html"

    def get_context_data(self, parent_context=None):
        return {"items": selectors.announcements_expired(), "heading": _("Announcements past their date")}


# Translation (decision 0019): the side-by-side screen of an item's source and translation, and the overview.


def _language_or_404(language: str) -> str:
    if language not in translation_selectors.LANGUAGE_CODES:
        raise Http404
    return language


def _provenance_written(request, *, machine: bool) -> str:
    """A person wrote the translation, or read and corrected the machine's suggestion (they say so), or left it."""
    if not machine:
        return Provenance.HUMAN
    return Provenance.MACHINE_CHECKED if request.POST.get("checked") else Provenance.MACHINE


def translate(request, kind: str, pk: int, language: str):
    """The source and its `language` version side by side, field by field (block by block for a StreamField),
    with what changed in the source since the last translation. Pages: start (or open) the draft, pre-filled by
    machine on request, written in Wagtail's editor. Other items: the translation is written here, beside the
    source, with the machine's suggestion on request; saved as a draft revision (initiatives) or at once.
    Every item: mark the machine translation checked, confirm that a translation still matches its source."""
    subject_class = TRANSLATION_SUBJECTS.get(kind)
    if subject_class is None:
        raise Http404
    subject = subject_class(item=subject_class.item_or_404(pk), language=_language_or_404(language))
    if not subject.can_edit(request.user):
        raise PermissionDenied
    if subject.source_language == language:
        messages.info(request, _("This is the original version: there is nothing to translate."))
        return redirect(subject.editor_url())
    record = subject.record()
    translator = machine_translator()
    form, machine = None, False
    if request.method == "POST":
        action = request.POST.get("action")
        if not subject.written_here and action in ("start", "prefill"):
            try:
                subject.start(user=request.user, translator=translator if action == "prefill" else None)
            except MachineTranslationError:
                messages.error(request, _("The machine translation service did not answer: try again later."))
                return redirect(subject.url())
            if action == "prefill" and translator is not None:
                messages.success(request, PREFILLED)
            return redirect(subject.editor_url())
        if subject.written_here and action == "prefill" and translator is not None:
            try:
                form, machine = subject.form(initial=subject.suggestion(translator=translator)), True
                messages.warning(request, SUGGESTED)
            except MachineTranslationError:
                messages.error(request, _("The machine translation service did not answer: try again later."))
        elif subject.written_here and action == "save":
            machine = request.POST.get("machine") == "1"
            form = subject.form(data=request.POST)
            if form.is_valid():
                subject.write(
                    values=form.cleaned_data,
                    provenance=_provenance_written(request, machine=machine),
                    user=request.user,
                )
                messages.success(request, DRAFT_SAVED if subject.keeps_drafts else SAVED)
                return redirect(subject.url())
            messages.error(request, _("The translation could not be saved: correct the fields marked below."))
            for name in form.errors:
                form.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{form[name].auto_id}-error"}
                )
        elif record is not None and action == "checked":
            translation_services.translation_machine_checked(record=record)
            messages.success(request, _("The machine translation is marked as checked by a person."))
            return redirect(subject.url())
        elif record is not None and action == "confirm":
            translation_services.translation_confirm(record=record, source_digests=subject.source_digests())
            messages.success(request, _("The translation is confirmed as up to date with its source."))
            return redirect(subject.url())
    if subject.written_here and form is None:
        form = subject.form()
    comparison = subject.comparison(record=record)
    return TemplateResponse(
        request,
        "core/translations/translate.html",
        {
            "subject": subject,
            "record": record,
            "language": language,
            "language_name": language_name_in_text(language),
            "source_language": subject.source_language,
            "source_language_name": language_name_in_text(subject.source_language),
            "rows": _rows(comparison, form),
            "form": form,
            "machine": machine,
            "machine_translation": translator is not None,
        },
    )


def _rows(comparison, form):
    """Each compared field with its form field (the translation written on the screen), if any."""
    return [(item, form[item.name] if form is not None and item.name in form.fields else None) for item in comparison]


PREFILLED = _("The draft is pre-filled by machine translation. Read and correct every field before publishing.")
SUGGESTED = _(
    "The fields are filled with the machine's suggestion, not saved yet. Read and correct every field, then save."
)
DRAFT_SAVED = _("The translation is saved as a draft. It is published when the whole item is published in its editor.")
SAVED = _("The translation is saved and published.")


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
        return csv_response(
            filename="translations.csv",
            header=["type", "title", "source_language"] + translation_selectors.LANGUAGE_CODES,
            rows=(
                [item.kind, item.title, item.source_language]
                + [item.versions[code].status for code in translation_selectors.LANGUAGE_CODES]
                for item in overview.items
            ),
        )
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


class BackgroundJobsView(WagtailAdminTemplateMixin, TemplateView):
    """For administrators: the background jobs that failed their last attempt (an email that could not be sent…), with
    their error, and a button to queue each again once the cause is fixed (core.tasks)."""

    page_title = _("Background jobs")
    header_icon = "cogs"
    template_name = "core/admin/background_jobs.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "counts": tasks.job_counts(), "failed": tasks.failed_jobs()[:100]}

    def post(self, request):
        if tasks.job_retry(job_id=request.POST.get("job", "")):
            messages.success(request, _("The job is queued again."))
        else:
            messages.error(request, _("This job is no longer a failed job."))
        return redirect("core_background_jobs")


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorView(WagtailAdminTemplateMixin, FormView):
    """The admin's second factor (core.middleware.AdminSecondFactorMiddleware): set up an authenticator app (TOTP) the
    first time, then type its code at each sign-in. Wrong codes are throttled by django-otp."""

    page_title = _("Two-step verification")
    header_icon = "key"
    template_name = "core/admin/second_factor.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        self.setting_up = self.device is None
        if self.device is None:
            self.device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
                user=user, name=_("Authenticator app"), confirmed=False
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.setting_up:
            url = self.device.config_url
            context["secret"] = base64.b32encode(self.device.bin_key).decode()
            context["qr_code"] = mark_safe(  # an SVG that qrcode draws from our own address
                qrcode.make(url, image_factory=SvgPathImage).to_string(encoding="unicode")
            )
        return {**context, "setting_up": self.setting_up, "next": self.request.GET.get("next", "")}

    def form_valid(self, form):
        if not self.device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            form.add_error("code", _("This code is not right or has expired: type the code your app shows now."))
            return self.form_invalid(form)
        if self.setting_up:
            self.device.confirmed = True
            self.device.save(update_fields=["confirmed"])
        django_otp.login(self.request, self.device)
        next_url = self.request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            next_url = reverse("wagtailadmin_home")
        return HttpResponseRedirect(next_url)
