"""Members' sign-in, sign-out and password reset, inside the language prefixes (included by config/urls.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from participation.network import views

urlpatterns = [
    path(_("account/sign-in/"), views.SignInView.as_view(), name="network_sign_in"),
    path(_("account/sign-out/"), views.SignOutView.as_view(), name="network_sign_out"),
    path(_("account/"), views.members_home, name="network_members_home"),
    path(_("account/password/"), views.PasswordResetView.as_view(), name="network_password_reset"),
    path(_("account/password/sent/"), views.PasswordResetDoneView.as_view(), name="network_password_reset_done"),
    path(
        _("account/password/<uidb64>/<token>/"),
        views.PasswordResetConfirmView.as_view(),
        name="network_password_reset_confirm",
    ),
    path(
        _("account/password/done/"), views.PasswordResetCompleteView.as_view(), name="network_password_reset_complete"
    ),
]
