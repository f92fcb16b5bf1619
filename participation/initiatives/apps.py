from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "participation.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from participation.initiatives import signals  # noqa: F401
