"""Bulk import of initiatives from a questionnaire export, CSV or XLSX (columns: docs/importing-initiatives.md).

Every row is read, parsed column by column, then checked by the models' own validation. The whole file is imported
in one transaction: when any row has an error, or on a dry run, nothing is written. A row's `reference` makes the
import idempotent: a known reference updates its initiative (facts, and texts in the row's language), a new one
creates an initiative awaiting moderation.
"""

import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from participation.core import models as vocabularies
from participation.initiatives import schema
from participation.initiatives.models import REGION_BOUNDS, Initiative, InitiativeTranslation
from participation.initiatives.services import map_cells_batched
from participation.toolbox.models import ToolboxSheetPage

SEPARATOR = "|"
# The columns are the initiative's field names (participation.initiatives.schema), except these.
FIELD_COLUMNS = {"original_language": "language", "import_reference": "reference", "is_demo": "demo"}
IMPORTED_FIELDS = [
    column for column in schema.FIELDS if column.kind is not schema.Kind.STEPS and column.name != "last_verified"
]
# Every accepted column, in the order of the documentation and the sample file.
COLUMNS = [
    "reference",
    "language",
    *(FIELD_COLUMNS.get(column.name, column.name) for column in IMPORTED_FIELDS if column.name != "original_language"),
]
COLUMN_FIELDS = {FIELD_COLUMNS.get(column.name, column.name): column for column in IMPORTED_FIELDS}
REQUIRED_COLUMNS = ["reference", "language", "title", "summary", "communes", "organisers", "organiser_scope"]
TRUE_WORDS = {"yes", "oui", "ja", "true", "y", "1"}
FALSE_WORDS = {"no", "non", "nee", "false", "n", "0"}
COORDINATE_STEP = Decimal("0.000001")
SUMMARY_MAX_LENGTH = InitiativeTranslation._meta.get_field("summary").max_length


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, empty, wrong columns): no row was looked at."""


class CellError(Exception):
    """One cell's value cannot be used."""


@dataclass(frozen=True)
class RowIssue:
    """An error or a warning, located by row (as a spreadsheet numbers it: the header is row 1) and column."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column is None:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _('row %(row)s, column "%(column)s": %(message)s') % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class RowOutcome:
    row: int
    reference: str
    title: str
    action: str  # "created", "updated" or "unchanged"


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    blank_rows: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)

    def count(self, action):
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def rows_with_errors(self):
        return len({issue.row for issue in self.errors})

    @property
    def written(self):
        return not self.dry_run and not self.errors


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]
    warnings: list[RowIssue] = field(default_factory=list)


def initiatives_import(*, path, dry_run=False, publish=False, progress=None):
    """Import the initiatives of a CSV or XLSX file; return what was (or, on a dry run, would be) done.

    Raises ImportFileError when the file cannot be read at all. Row errors are in the report, and then nothing is
    written. `progress` wraps the iterable of rows (a progress bar). `publish` publishes the initiatives directly
    instead of leaving them for moderation.
    """
    table = table_read(Path(path))
    columns = header_check(table.header)
    report = ImportReport(dry_run=dry_run, warnings=list(table.warnings))
    importer = _RowImporter(columns=columns, publish=publish, report=report)
    rows = table.rows if progress is None else progress(table.rows)
    with transaction.atomic(), map_cells_batched():
        for number, cells in rows:
            if not any(cells):
                report.blank_rows += 1
                continue
            report.rows += 1
            importer.row_import(number=number, cells=cells)
        if dry_run or report.errors:
            transaction.set_rollback(True)
    if not report.rows:
        raise ImportFileError(_("The file has a header but no rows to import."))
    if report.blank_rows:
        report.warnings.append(
            RowIssue(
                ngettext("%(count)s empty row was skipped.", "%(count)s empty rows were skipped.", report.blank_rows)
                % {"count": report.blank_rows}
            )
        )
    return report


# Reading the file ---------------------------------------------------------------------------------------------------


def table_read(path):
    """The header and the rows of a CSV or XLSX file, every cell as text."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(
            _('"%(name)s" is neither a CSV file (.csv) nor an Excel workbook (.xlsx).') % {"name": path.name}
        )
    if not path.is_file():
        raise ImportFileError(_('There is no file at "%(path)s".') % {"path": path})
    if path.stat().st_size == 0:
        raise ImportFileError(_('The file "%(name)s" is empty.') % {"name": path.name})
    table = _csv_read(path) if suffix == ".csv" else _xlsx_read(path)
    if not table.rows and not any(table.header):
        raise ImportFileError(_('The file "%(name)s" is empty.') % {"name": path.name})
    if not any(table.header):
        raise ImportFileError(_("The first row is empty: it must hold the column names."))
    return table


def _csv_read(path):
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _('"%(name)s" is encoded in UTF-16: save it as "CSV UTF-8" and import it again.') % {"name": path.name}
        )
    if b"\x00" in data:
        raise ImportFileError(
            _('"%(name)s" is not a text file, so not a CSV file: export the data as CSV (UTF-8) or XLSX.')
            % {"name": path.name}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _('"%(name)s" is not UTF-8 text (unreadable byte at position %(position)s): save it as "CSV UTF-8".')
            % {"name": path.name, "position": error.start}
        ) from None
    if not text.strip():
        raise ImportFileError(_('The file "%(name)s" is empty.') % {"name": path.name})
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read near line %(line)s: %(error)s") % {"line": reader.line_num, "error": error}
        ) from None
    return Table(header=rows[0], rows=list(enumerate(rows[1:], start=2)))


def _xlsx_read(path):
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(
            _('"%(name)s" cannot be read as an Excel workbook (.xlsx).') % {"name": path.name}
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        warnings = []
        if len(workbook.worksheets) > 1:
            warnings.append(
                RowIssue(
                    _('The workbook has %(count)s sheets: only the first one, "%(sheet)s", is read.')
                    % {"count": len(workbook.worksheets), "sheet": sheet.title}
                )
            )
    finally:
        workbook.close()
    if not rows:
        raise ImportFileError(_('The file "%(name)s" is empty.') % {"name": path.name})
    return Table(header=rows[0], rows=list(enumerate(rows[1:], start=2)), warnings=warnings)


def _cell_text(value):
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_name(text):
    """A header cell as a column name: 'Start date' and 'start-date' are `start_date`."""
    return "_".join(text.strip().casefold().replace("-", " ").split())


def header_check(header):
    """The column names of the header, in order ("" for a nameless column); ImportFileError when they are wrong."""
    names = [column_name(cell) for cell in header]
    seen = set()
    for name in names:
        if name and name in seen:
            raise ImportFileError(_('The column "%(column)s" appears twice in the header.') % {"column": name})
        seen.add(name)
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(unknown)s. The accepted columns are: %(accepted)s.")
            % {"unknown": ", ".join(f'"{name}"' for name in unknown), "accepted": ", ".join(COLUMNS)}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(missing)s.") % {"missing": ", ".join(f'"{name}"' for name in missing)}
        )
    return names


# Reading values -----------------------------------------------------------------------------------------------------


def _normalised(text):
    """Case-, accent- and spacing-insensitive form of a value, to compare it with keys and labels."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _multiple(text):
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


class _Lookup:
    """Every accepted way of writing a value (normalised) → the value; `accepted` lists the canonical spellings."""

    def __init__(self, accepted):
        self.accepted = accepted
        self.index = {}

    def add(self, text, value):
        self.index.setdefault(_normalised(str(text)), value)

    def find(self, text):
        value = self.index.get(_normalised(text))
        if value is None and not self.accepted:
            raise CellError(_('Unknown value "%(value)s": there is nothing to choose from yet.') % {"value": text})
        if value is None:
            raise CellError(
                _('Unknown value "%(value)s". Accepted: %(accepted)s.')
                % {"value": text, "accepted": ", ".join(self.accepted)}
            )
        return value


def _vocabulary_lookup(field):
    """A vocabulary term by its key (a lot also by its number) or its label in any language; a commune also by its
    postcode."""
    model = field.vocabulary
    terms = schema.terms_by_key(model)
    lookup = _Lookup([str(getattr(term, field.term_key)) for term in terms.values()])
    for key, term in terms.items():
        lookup.add(key, term)
        lookup.add(getattr(term, field.term_key), term)
    for key, label in model.objects.values_list("key", "label"):
        if key in terms:
            lookup.add(label, terms[key])
    if model is vocabularies.Commune:
        for term in terms.values():
            for postcode in term.postcodes.split(","):
                lookup.add(postcode.strip(), term)
    return lookup


def _choice_lookup(choices):
    """A choice by its value or its label in any platform language."""
    lookup = _Lookup(list(choices.values))
    for value, label in choices.choices:
        lookup.add(value, value)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                lookup.add(str(label), value)
    return lookup


def _language_lookup():
    """A platform language by its code or its name (in English, in itself, in any platform language)."""
    lookup = _Lookup([code for code, _name in settings.LANGUAGES])
    for code, name in settings.LANGUAGES:
        info = get_language_info(code)
        for text in (code, name, info["name"], info["name_local"]):
            lookup.add(text, code)
        for other, _other_name in settings.LANGUAGES:
            with translation.override(other):
                lookup.add(str(get_language_info(code)["name_translated"]), code)
    return lookup


def _method_lookup():
    """A published French method sheet by its slug (the method's stable key) or its title."""
    sheets = ToolboxSheetPage.objects.filter(kind="method", locale__language_code=settings.LANGUAGE_CODE).live()
    lookup = _Lookup(sorted(sheets.values_list("slug", flat=True)))
    for sheet in sheets:
        lookup.add(sheet.slug, sheet)
        lookup.add(sheet.title, sheet)
    return lookup


def _date(text):
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_('"%(value)s" is not a date: write YYYY-MM-DD (or DD/MM/YYYY).') % {"value": text})


def _count(text):
    try:
        number = int("".join(text.split()))
    except ValueError:
        raise CellError(_('"%(value)s" is not a whole number.') % {"value": text}) from None
    if number < 0:
        raise CellError(_("The number cannot be negative."))
    return number


def _boolean(text):
    word = _normalised(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_('"%(value)s" is neither yes nor no.') % {"value": text})


def _coordinate(text, axis):
    try:
        value = Decimal(text.replace(",", "."))
        if not value.is_finite():
            raise InvalidOperation
        value = value.quantize(COORDINATE_STEP)
    except InvalidOperation:
        raise CellError(_('"%(value)s" is not a number.') % {"value": text}) from None
    low, high = REGION_BOUNDS[axis]
    if not low <= value <= high:
        raise CellError(
            _("%(value)s is outside the Brussels-Capital Region (between %(low)s and %(high)s).")
            % {"value": text, "low": low, "high": high}
        )
    return value


def _links(text):
    """Links as `https://…` or `Label https://…`, separated by |; the label is the address when there is none."""
    links = []
    validate = URLValidator(schemes=["http", "https"])
    for item in _multiple(text):
        *label_words, url = item.split()
        try:
            validate(url)
        except ValidationError:
            raise CellError(
                _('"%(value)s" is not a web address (it must start with https:// or http://).') % {"value": url}
            ) from None
        links.append((url, " ".join(label_words) or url))
    return links


# Importing rows -----------------------------------------------------------------------------------------------------


class _RowImporter:
    def __init__(self, *, columns, publish, report):
        self.columns = columns
        self.publish = publish
        self.report = report
        self.seen = {}  # (reference, language) → row number
        self.lookups = {}
        for column, schema_field in COLUMN_FIELDS.items():
            if schema_field.vocabulary is not None:
                self.lookups[column] = _vocabulary_lookup(schema_field)
            elif schema_field.choices is not None:
                self.lookups[column] = _choice_lookup(schema_field.choices)
        self.lookups["methods"] = _method_lookup()
        self.languages = _language_lookup()
        self.lookups["language"] = self.languages

    def row_import(self, *, number, cells):
        errors = {}
        values = {}
        for position, text in enumerate(cells):
            if text and (position >= len(self.columns) or not self.columns[position]):
                errors[None] = [
                    _("column %(position)s holds a value but has no name in the header.") % {"position": position + 1}
                ]
        for position, name in enumerate(self.columns):
            if not name:
                continue
            text = cells[position] if position < len(cells) else ""
            try:
                values[name] = self._value(name, text)
            except CellError as error:
                errors[name] = [str(error)]
        self._duplicate_check(number=number, values=values, errors=errors)
        if "reference" in errors or "language" in errors:
            self._errors_add(number, errors)
            return
        initiative = Initiative.objects.filter(import_reference=values["reference"]).first()
        created = initiative is None
        if created:
            initiative = Initiative(import_reference=values["reference"], original_language=values["language"])
            before = None
        else:
            before = _snapshot(initiative, values["language"])
        text = self._apply(number=number, initiative=initiative, values=values, errors=errors, created=created)
        self._validate(initiative=initiative, text=text, errors=errors)
        if errors:
            self._errors_add(number, errors)
            return
        if not created and _snapshot(initiative, values["language"]) == before and not self._publishes(initiative):
            action = "unchanged"
        else:
            self._save(initiative=initiative, created=created)
            action = "created" if created else "updated"
        self.report.outcomes.append(
            RowOutcome(row=number, reference=values["reference"], title=values["title"], action=action)
        )

    def _publishes(self, initiative):
        return self.publish and not initiative.live

    def _save(self, *, initiative, created):
        """A new initiative awaits moderation as a draft (unless the import publishes); a change to a published one
        is published, as a change to a draft stays a draft; every change is a revision."""
        if created:
            initiative.live = False
        initiative.save()
        revision = initiative.save_revision(log_action="wagtail.create" if created else True)
        if initiative.live or self.publish:
            revision.publish()

    def _value(self, name, text):
        if not text:
            if name in REQUIRED_COLUMNS:
                raise CellError(_("A value is required."))
            column = COLUMN_FIELDS.get(name)
            return [] if (column and column.many) or name == "process_languages" else None
        if name in ("communes", "themes", "audiences", "methods"):
            return list(dict.fromkeys(self.lookups[name].find(part) for part in _multiple(text)))
        if name in self.lookups:
            return self.lookups[name].find(text)
        if name == "process_languages":
            return list(dict.fromkeys(self.languages.find(part) for part in _multiple(text)))
        if name in ("latitude", "longitude"):
            return _coordinate(text, "lat" if name == "latitude" else "lon")
        if name in ("start_date", "end_date"):
            return _date(text)
        if name == "participants_count":
            return _count(text)
        if name in ("impact_evidence", "demo"):
            return _boolean(text)
        if name == "links":
            return _links(text)
        if name == "summary" and len(text) > SUMMARY_MAX_LENGTH:
            raise CellError(
                _("The summary has %(length)s characters; at most %(maximum)s are allowed.")
                % {"length": len(text), "maximum": SUMMARY_MAX_LENGTH}
            )
        return text

    def _duplicate_check(self, *, number, values, errors):
        key = (values.get("reference"), values.get("language"))
        if None in key:
            return
        if key in self.seen:
            errors.setdefault("reference", []).append(
                _("row %(row)s already has this reference in this language: one row per initiative and language.")
                % {"row": self.seen[key]}
            )
        else:
            self.seen[key] = number

    def _apply(self, *, number, initiative, values, errors, created):
        """Set the row's values that could be read on the initiative; return its text in the row's language."""
        usable = {
            COLUMN_FIELDS[name].name: value
            for name, value in values.items()
            if name not in errors and name in COLUMN_FIELDS and name not in ("language", "latitude", "longitude")
        }
        if "is_demo" in usable:
            usable["is_demo"] = bool(usable["is_demo"])
        text = schema.initiative_write(initiative, usable, language=values["language"])
        self._coordinates_apply(number=number, initiative=initiative, values=values, errors=errors, created=created)
        return text

    def _coordinates_apply(self, *, number, initiative, values, errors, created):
        if "latitude" in errors or "longitude" in errors:
            return
        latitude, longitude = values.get("latitude"), values.get("longitude")
        if latitude is not None and longitude is not None:
            initiative.latitude, initiative.longitude = latitude, longitude
        elif latitude is not None or longitude is not None:
            missing = "longitude" if latitude is not None else "latitude"
            errors.setdefault(missing, []).append(_("Give both the latitude and the longitude, or neither."))
        elif created and values.get("communes") and "communes" not in errors:
            initiative.latitude, initiative.longitude = schema.position_of_communes(values["communes"])
            self.report.warnings.append(
                RowIssue(
                    _("no coordinates: the centre of %(commune)s is used; move the point in the admin if needed.")
                    % {"commune": values["communes"][0].display_label},
                    row=number,
                    column="latitude",
                )
            )

    def _validate(self, *, initiative, text, errors):
        """The models' own validation, for the columns that could be read."""
        fields = {column: name for name, column in FIELD_COLUMNS.items()}
        excluded = [fields.get(column, column) for column in errors if column]
        if initiative.latitude is None and {"communes", "latitude", "longitude"} & set(errors):
            excluded += ["latitude", "longitude"]  # already reported, or they would have come from the commune
        checks = [(initiative, {}, excluded), (text, {}, ["initiative", *excluded])]
        checks += [(link, {"url": "links", "label": "links"}, ["initiative"]) for link in initiative.links.all()]
        for instance, columns, exclude in checks:
            try:
                instance.full_clean(exclude=exclude)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    column = None if name == NON_FIELD_ERRORS else columns.get(name, FIELD_COLUMNS.get(name, name))
                    if column not in errors:
                        errors.setdefault(column, []).extend(messages)

    def _errors_add(self, number, errors):
        for column, messages in errors.items():
            for message in messages:
                self.report.errors.append(RowIssue(message, row=number, column=column))


def _snapshot(initiative, language):
    """Everything an import may change on an initiative, to tell an update from a row that changes nothing."""
    facts = {f.attname: getattr(initiative, f.attname) for f in Initiative._meta.concrete_fields}
    for name in ("updated_at", "latest_revision_id", "has_unpublished_changes"):
        facts.pop(name)
    values = schema.initiative_values(initiative, language=language, names=[f.name for f in IMPORTED_FIELDS])
    relations = {
        name: sorted(item.pk for item in value) if name in ("communes", "themes", "audiences", "methods") else value
        for name, value in values.items()
        if schema.BY_NAME[name].many
    }
    text = next((text for text in initiative.translations.all() if text.language == language), None)
    texts = {name: getattr(text, name) for name in schema.TEXT_FIELDS} if text else None
    return facts, relations, texts
