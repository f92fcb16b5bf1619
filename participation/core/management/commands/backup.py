from pathlib import Path

from django.core.management.base import BaseCommand

from participation.core.backups import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump) and the uploaded media into a new folder under "
        "DESTINATION (default var/backups), while the platform runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", nargs="?", default="var/backups")

    def handle(self, *args, destination, **options):
        folder = backup_create(destination=Path(destination))
        self.stdout.write(f"Backup written to {folder}")
