from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "participation.submissions"
    label = "submissions"
    verbose_name = _("Shared initiatives")

    def ready(self):
        from participation.submissions import signals  # noqa: F401
