"""The members' sign-in, sign-out and password reset (Django's views, throttled, in the site's look), and where a
member lands after signing in. The routes of the network's pages are in `models/pages.py`."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from participation.core.selectors import home_page_for_language
from participation.core.views import sign_in_username_key
from participation.network import selectors
from participation.network.forms import MemberPasswordResetForm, MemberSetPasswordForm, SignInForm
from participation.network.models import NetworkPage


def _network_page():
    home = home_page_for_language()
    return NetworkPage.objects.child_of(home).live().first() if home else None


class SignInView(auth_views.LoginView):
    template_name = "network/account/sign_in.html"
    authentication_form = SignInForm

    @method_decorator(ratelimit(key="ip", rate=settings.NETWORK_SIGN_IN_RATE_PER_ADDRESS, method="POST", block=True))
    @method_decorator(
        ratelimit(key=sign_in_username_key, rate=settings.NETWORK_SIGN_IN_RATE_PER_USERNAME, method="POST", block=True)
    )
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return str(reverse_lazy("network_members_home"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = _network_page()
        context["network"] = network
        context["join_url"] = network.route_url("join") if network else None
        context["not_member"] = self.request.user.is_authenticated and not selectors.is_network_member(
            self.request.user
        )
        return context


class SignOutView(auth_views.LogoutView):
    template_name = "network/account/signed_out.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "network": _network_page()}


@method_decorator(ratelimit(key="ip", rate=settings.NETWORK_PASSWORD_RESET_RATE, method="POST", block=True), "dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "network/account/password_reset.html"
    form_class = MemberPasswordResetForm
    email_template_name = "network/email/password_reset_body.txt"
    subject_template_name = "network/email/password_reset_subject.txt"
    success_url = reverse_lazy("network_password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "network/account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "network/account/password_reset_confirm.html"
    form_class = MemberSetPasswordForm
    success_url = reverse_lazy("network_password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "network/account/password_reset_complete.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "login_url": reverse_lazy("network_sign_in")}


def members_home(request):
    """Where a member lands after signing in: the members' area in the current language."""
    network = _network_page()
    area = selectors.members_area(network=network) if network else None
    return HttpResponseRedirect(area.url if area else (network.url if network else "/"))
