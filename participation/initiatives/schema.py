"""The one field mapping of an initiative: every way of writing or reading one goes through it.

The steps of "share an initiative", the update proposed through a signed link, the bulk importer, the demo content
and the open exports name an initiative's fields alike (the names below) and give their values in the same form:

- a fact is a plain value (text, number, date, choice value, boolean, list of language codes);
- a term is a vocabulary record (a commune, a theme…), a list of them for `communes`, `themes` and `audiences`;
  in files and exports it is written by its stable key (a purchasing-centre lot by its number);
- `methods` is a list of method sheets (the French ones: content links to the default language), written by slug;
- texts (`title`, `summary` and the narrative sections) belong to one language;
- `links` is a list of (address, label) pairs, `steps` a list of (date, {language: label}).

`initiative_write` sets values on an initiative in memory (facts, relations, texts in one language, links, steps);
the caller then saves it (a new record) or saves a revision (a change that moderators review first).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from django.conf import settings
from django.db import models

from participation.core import models as vocabularies
from participation.initiatives.models.records import (
    Evaluation,
    Initiative,
    InitiativeLink,
    InitiativeStep,
    InitiativeTranslation,
    OrganiserScope,
    Status,
)


class Kind(Enum):
    FACT = "fact"
    TERM = "term"
    TERMS = "terms"
    METHODS = "methods"
    TEXT = "text"
    LINKS = "links"
    STEPS = "steps"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    vocabulary: type[models.Model] | None = None
    choices: type[models.TextChoices] | None = None
    # How a term is written in files and exports: its key, or another stable field (a lot's number).
    term_key: str = "key"
    # Public: shown on the page and in the open exports. Private fields (the contact) stay in the admin.
    public: bool = True

    @property
    def many(self) -> bool:
        return self.kind in (Kind.TERMS, Kind.METHODS, Kind.LINKS, Kind.STEPS)


SECTIONS = InitiativeTranslation.SECTION_FIELDS

FIELDS = [
    Field("title", Kind.TEXT),
    Field("summary", Kind.TEXT),
    Field("original_language", Kind.FACT),
    Field("communes", Kind.TERMS, vocabulary=vocabularies.Commune),
    Field("latitude", Kind.FACT),
    Field("longitude", Kind.FACT),
    Field("geographic_scope", Kind.TERM, vocabulary=vocabularies.GeographicScope),
    Field("organisers", Kind.FACT),
    Field("organiser_type", Kind.TERM, vocabulary=vocabularies.OrganiserType),
    Field("organiser_scope", Kind.FACT, choices=OrganiserScope),
    Field("partners", Kind.FACT),
    Field("themes", Kind.TERMS, vocabulary=vocabularies.Theme),
    Field("participation_level", Kind.TERM, vocabulary=vocabularies.ParticipationLevel),
    Field("methods", Kind.METHODS),
    Field("audiences", Kind.TERMS, vocabulary=vocabularies.Audience),
    Field("recruitment", Kind.TERM, vocabulary=vocabularies.RecruitmentMethod),
    Field("participants_count", Kind.FACT),
    Field("format", Kind.TERM, vocabulary=vocabularies.Format),
    Field("process_languages", Kind.FACT),
    Field("start_date", Kind.FACT),
    Field("end_date", Kind.FACT),
    Field("status", Kind.FACT, choices=Status),
    Field("budget_band", Kind.TERM, vocabulary=vocabularies.BudgetBand),
    Field("providers", Kind.FACT),
    Field("purchasing_lot", Kind.TERM, vocabulary=vocabularies.PurchasingLot, term_key="number"),
    Field("evaluation", Kind.FACT, choices=Evaluation),
    Field("impact_evidence", Kind.FACT),
    *(Field(name, Kind.TEXT) for name in SECTIONS),
    Field("links", Kind.LINKS),
    Field("steps", Kind.STEPS),
    Field("last_verified", Kind.FACT),
    Field("contact_name", Kind.FACT, public=False),
    Field("contact_email", Kind.FACT, public=False),
    Field("contact_organisation", Kind.FACT, public=False),
    Field("is_demo", Kind.FACT),
]
BY_NAME = {field.name: field for field in FIELDS}
TEXT_FIELDS = [field.name for field in FIELDS if field.kind is Kind.TEXT]


def fields_of(kind: Kind) -> list[Field]:
    return [field for field in FIELDS if field.kind is kind]


def terms_by_key(vocabulary: Any, key_field: str = "key") -> dict[Any, models.Model]:
    """Key → record of one vocabulary, in the default language (the records content links to)."""
    records = vocabulary.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    return {getattr(record, key_field): record for record in records}


def method_sheets_by_slug() -> dict[str, models.Model]:
    """French slug → method sheet (the methods' stable keys)."""
    from participation.toolbox.models import ToolboxSheetPage

    sheets = ToolboxSheetPage.objects.filter(kind="method", locale__language_code=settings.LANGUAGE_CODE)
    return {sheet.slug: sheet for sheet in sheets}


def position_of_communes(communes: Iterable[vocabularies.Commune]) -> tuple[Decimal, Decimal] | None:
    """The centre of the first commune: where an initiative given without coordinates is placed."""
    first = next(iter(communes), None)
    if first is None:
        return None
    step = Decimal("0.000001")
    return Decimal(first.latitude).quantize(step), Decimal(first.longitude).quantize(step)


def initiative_write(initiative: Initiative, values: dict[str, Any], *, language: str) -> InitiativeTranslation:
    """Set `values` (names and forms above; absent names are left as they are) on the initiative, in memory: facts,
    terms, methods, links and steps, and the texts in `language`. Returns the text in that language."""
    for name, value in values.items():
        field = BY_NAME[name]
        if field.kind in (Kind.FACT, Kind.TERM):
            model_field = Initiative._meta.get_field(name)
            if value is None and not model_field.null:
                value = model_field.get_default()
            setattr(initiative, name, value)
        elif field.kind in (Kind.TERMS, Kind.METHODS):
            getattr(initiative, name).set(list(value or []))
        elif field.kind is Kind.LINKS:
            current = [(link.url, link.label) for link in initiative.links.all()]
            if list(value or []) != current:
                initiative.links = [InitiativeLink(url=url, label=label) for url, label in value or []]
        elif field.kind is Kind.STEPS:
            initiative.steps = [InitiativeStep(date=day, labels=labels) for day, labels in value or []]
    texts = list(initiative.translations.all())
    text = next((text for text in texts if text.language == language), None)
    if text is None:
        text = InitiativeTranslation(language=language)
        texts.append(text)
    for name in TEXT_FIELDS:
        if name in values:
            setattr(text, name, values[name] or "")
    initiative.translations = texts
    return text


def initiative_values(initiative: Initiative, *, language: str, names: Iterable[str] | None = None) -> dict[str, Any]:
    """The initiative's values under their names (the texts in `language`, or in its original language)."""
    text = initiative.text(language)
    values = {}
    for name in names or BY_NAME:
        field = BY_NAME[name]
        if field.kind in (Kind.FACT, Kind.TERM):
            values[name] = getattr(initiative, name)
        elif field.kind in (Kind.TERMS, Kind.METHODS):
            values[name] = list(getattr(initiative, name).all())
        elif field.kind is Kind.LINKS:
            values[name] = [(link.url, link.label) for link in initiative.links.all()]
        elif field.kind is Kind.STEPS:
            values[name] = [(step.date, step.labels) for step in initiative.steps.all()]
        else:
            values[name] = getattr(text, name) if text else ""
    return values


def exported(field: Field, value: Any) -> Any:
    """A value as the open exports write it: JSON types, dates in ISO 8601, an unanswered choice as null."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if field.choices is not None and value == "":
        return None
    return value


# The open exports (GeoJSON, CSV): the public facts and terms, with the title and summary in one language.
EXPORTED = [field for field in FIELDS if field.public and field.kind not in (Kind.TEXT, Kind.LINKS, Kind.STEPS)]
# The provenance of the exported title and summary (decision 0019): original, human, machine or machine_checked, and
# the date of that text.
EXPORT_COLUMNS = [
    "id",
    "url",
    "title",
    "summary",
    "text_language",
    "text_provenance",
    "text_provenance_date",
    *(field.name for field in EXPORTED),
]
