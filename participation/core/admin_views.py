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
from django.shortcuts import get_object_or_404, redirect
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
from wagtail.models import Locale, Page

from participation.core import selectors, tasks, translation_selectors, translation_services
from participation.core.csv_files import csv_response
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


# Translation (decision 0019): the side-by-side view of a page's source and translation, and the overview.


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
