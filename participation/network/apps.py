from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "participation.network"
    label = "network"
    verbose_name = _("Network of participation officers")

    def ready(self):
        from participation.network import signals  # noqa: F401
