from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "participation.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from . import signals  # noqa: F401

        # Every domain's `home.py` registers the section it shows on the home page (core.selectors.HOME_SECTIONS).
        autodiscover_modules("home", "translations")
