import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from participation.initiatives.importer import ImportFileError, initiatives_import


class Command(BaseCommand):
    help = (
        "Import initiatives from a questionnaire export (CSV or XLSX). Every row is validated; when any row has an "
        "error nothing is written. Rows are matched on their reference: importing again updates, never duplicates. "
        "Columns and formats: docs/importing-initiatives.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .csv (UTF-8, comma or semicolon) or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, write nothing.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the imported initiatives directly (trusted sources) instead of leaving them for moderation.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the messages (default: %(default)s).",
        )

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            self._import(options)

    def _import(self, options):
        def progress(rows):
            disable = options["no_progress"] or not sys.stderr.isatty()
            return tqdm(rows, desc=_("Importing"), unit=_("row"), file=sys.stderr, disable=disable)

        try:
            report = initiatives_import(
                path=options["file"], dry_run=options["dry_run"], publish=options["publish"], progress=progress
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(_("Warning: %(warning)s") % {"warning": warning}))
        if report.errors:
            raise CommandError(
                "\n".join(
                    [
                        *(str(error) for error in report.errors),
                        ngettext(
                            "%(count)s row has errors: nothing was imported.",
                            "%(count)s rows have errors: nothing was imported.",
                            report.rows_with_errors,
                        )
                        % {"count": report.rows_with_errors},
                    ]
                )
            )
        if options["dry_run"] or options["verbosity"] > 1:
            for outcome in report.outcomes:
                self.stdout.write(self._outcome_line(outcome, dry_run=options["dry_run"]))
        counts = {
            "rows": report.rows,
            "created": report.count("created"),
            "updated": report.count("updated"),
            "unchanged": report.count("unchanged"),
            "errors": report.rows_with_errors,
        }
        if options["dry_run"]:
            summary = _(
                "Dry run, nothing was written. Rows: %(rows)s. Would be created: %(created)s, updated: %(updated)s, "
                "unchanged: %(unchanged)s. Errors: %(errors)s."
            )
        else:
            summary = _(
                "Rows: %(rows)s. Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s. "
                "Errors: %(errors)s."
            )
        self.stdout.write(self.style.SUCCESS(summary % counts))

    def _outcome_line(self, outcome, *, dry_run):
        values = {"row": outcome.row, "title": outcome.title, "reference": outcome.reference}
        if outcome.action == "unchanged":
            return _('row %(row)s: "%(title)s" (reference %(reference)s) is unchanged.') % values
        if dry_run:
            if outcome.action == "created":
                return _('row %(row)s: would create "%(title)s" (reference %(reference)s).') % values
            return _('row %(row)s: would update "%(title)s" (reference %(reference)s).') % values
        if outcome.action == "created":
            return _('row %(row)s: created "%(title)s" (reference %(reference)s).') % values
        return _('row %(row)s: updated "%(title)s" (reference %(reference)s).') % values
