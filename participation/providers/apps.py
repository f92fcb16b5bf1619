from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "participation.providers"
    label = "providers"
    verbose_name = _("Purchasing centre")

    def ready(self):
        from participation.providers import signals  # noqa: F401
