from django.core.management.base import BaseCommand
from tqdm import tqdm

from participation.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Build the site search's documents again from every domain and index them (with a progress bar)."

    def handle(self, *args, **options):
        show = options["verbosity"] > 0

        def progress(items, total):
            return tqdm(items, total=total or None, disable=not show, file=self.stderr, unit="item")

        total = search_index_rebuild(progress=progress)
        if show:
            self.stdout.write(self.style.SUCCESS(f"{total} search documents indexed."))
