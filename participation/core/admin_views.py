"""Admin screens of the site shell: the dashboard panel of dated announcements past their day, the failed background
jobs, the second factor of admin accounts."""

import base64

import django_otp
import qrcode
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from participation.core import selectors, tasks


class ExpiredAnnouncementsPanel(Component):
    """On the admin's dashboard: the pages whose dated announcement has passed (the public page leaves it out), so
    that editors update or remove it."""

    name = "expired_announcements"
    order = 90
    template_name = "core/admin/expired_announcements.html"

    def get_context_data(self, parent_context=None):
        return {"items": selectors.announcements_expired(), "heading": _("Announcements past their date")}


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
