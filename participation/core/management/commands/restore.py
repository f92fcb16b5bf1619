from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from participation.core.backups import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder (written by `manage.py backup`) into the configured database and media folder, "
        "replacing what they hold. Stop the app servers and workers first; rebuild nothing afterwards (the search "
        "index is in the database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, yes, **options):
        source = Path(folder)
        if not (source / "manifest.json").exists():
            raise CommandError(f"{source} is not a backup folder (no manifest.json).")
        if (
            not yes
            and input(f"Replace the database {settings.DATABASES['default']['NAME']} and the media? [y/N] ") != "y"
        ):
            raise CommandError("Nothing restored.")
        connection.close()
        backup_restore(source=source, database=settings.DATABASES["default"], media_root=Path(settings.MEDIA_ROOT))
        self.stdout.write(f"Restored {source}")
