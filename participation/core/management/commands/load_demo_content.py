from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_module, module_has_submodule

from participation.core.services import indexes_rebuilt_after


class Command(BaseCommand):
    help = (
        "Load the demo content of every domain (each app's demo.load), in INSTALLED_APPS order. "
        "Idempotent: existing content is kept."
    )

    def handle(self, *args, **options):
        with indexes_rebuilt_after():
            for app_config in apps.get_app_configs():
                if app_config.name.startswith("participation.") and module_has_submodule(app_config.module, "demo"):
                    with transaction.atomic():
                        import_module(f"{app_config.name}.demo").load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
