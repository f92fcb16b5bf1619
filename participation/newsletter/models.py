"""The newsletter's subscribers. Private: never shown publicly; editors export the confirmed ones as CSV."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.core.models import CANONICAL_TERMS, Theme


class Subscriber(models.Model):
    """A newsletter subscriber (double opt-in: confirmed once the link sent by e-mail is opened)."""

    email = models.EmailField(_("email"), unique=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("topics"), blank=True, limit_choices_to=CANONICAL_TERMS, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        permissions = [("export_subscribers", _("Can export the newsletter subscribers"))]

    def __str__(self) -> str:
        return self.email
