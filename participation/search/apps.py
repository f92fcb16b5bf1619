from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "participation.search"
    label = "search"
    verbose_name = _("Site search")

    def ready(self):
        # Every domain's `search.py` registers its source and connects the signals that keep it current.
        autodiscover_modules("search")
