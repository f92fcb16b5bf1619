"""Demo content of the toolbox: its index page and the sheets in content/sheets/*.yaml, in FR, NL and EN.

Idempotent: an existing sheet (same French slug) is left as editors made it.
"""

import json
from pathlib import Path

import yaml
from django.conf import settings
from wagtail.models import Locale

from participation.core import models as vocabularies
from participation.core.models import HomePage
from participation.core.services import page_create, page_publish, page_translation_save, section_page_ensure
from participation.toolbox.blocks import SECTION_LABELS
from participation.toolbox.models import ToolboxIndexPage, ToolboxSheetPage

CONTENT_DIR = Path(__file__).parent / "content"

# YAML attribute → (page field, vocabulary model, many?)
PROFILE_FIELDS = {
    "levels": ("levels", vocabularies.ParticipationLevel, True),
    "level": ("levels", vocabularies.ParticipationLevel, True),
    "phases": ("phases", vocabularies.Phase, True),
    "phase": ("phases", vocabularies.Phase, True),
    "group_sizes": ("group_sizes", vocabularies.GroupSize, True),
    "time_needed": ("time_needed", vocabularies.TimeNeeded, False),
    "budget_bands": ("budget_bands", vocabularies.BudgetBand, True),
    "facilitation": ("facilitation", vocabularies.FacilitationLevel, False),
    "formats": ("formats", vocabularies.Format, True),
    "complexity": ("complexity", vocabularies.IssueComplexity, True),
    "polarisation": ("polarisation", vocabularies.PolarisationLevel, True),
}


def sheet_contents():
    return [
        yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((CONTENT_DIR / "sheets").glob("*.yaml"))
    ]


def _term(model, key):
    return model.objects.get(key=key, locale__language_code=settings.LANGUAGE_CODE)


def _sheet_fields(translation):
    sections = [
        {
            "type": "section",
            "value": {
                "kind": section["key"] if section["key"] in SECTION_LABELS else "other",
                "heading": section["heading"],
                "body": section["body"].strip(),
            },
        }
        for section in translation["sections"]
    ]
    return {
        "title": translation["title"],
        "slug": translation["slug"],
        "lead": translation["lead"].strip(),
        "body": json.dumps(sections),
    }


def _set_profile(page, content):
    for attribute, (field, model, many) in PROFILE_FIELDS.items():
        if attribute not in content:
            continue
        value = content[attribute]
        if many:
            keys = value if isinstance(value, list) else [value]
            getattr(page, field).set([_term(model, key) for key in keys])
        else:
            setattr(page, field, _term(model, value))


def index_ensure(homes):
    content = yaml.safe_load((CONTENT_DIR / "index.yaml").read_text(encoding="utf-8"))["translations"]
    fields = {
        code: {**{key: value[key] for key in ("title", "slug", "lead", "menu_title")}, "intro": value["intro"].strip()}
        for code, value in content.items()
    }
    return section_page_ensure(homes=homes, model=ToolboxIndexPage, fields_by_language=fields, position=0)


def load(stdout):
    default = settings.LANGUAGE_CODE
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    indexes = index_ensure(homes)
    created = 0
    sources = {}
    contents = sheet_contents()
    for content in contents:
        translations = content["translations"]
        source = ToolboxSheetPage.objects.child_of(indexes[default]).filter(slug=translations[default]["slug"]).first()
        if source is None:
            source = ToolboxSheetPage(
                **_sheet_fields(translations[default]),
                kind=content["kind"],
                category=_term(vocabularies.SheetCategory, content["category"]),
                date=content["date"],
            )
            _set_profile(source, content)
            page_create(parent=indexes[default], page=source)
            created += 1
            for code, locale in ((c, Locale.objects.get(language_code=c)) for c in homes if c != default):
                page_translation_save(source=source, locale=locale, fields=_sheet_fields(translations[code]))
        sources[content["key"]] = (source, content)
    for source, content in sources.values():
        if source.related_sheets.exists() or not content.get("related"):
            continue
        related = [sources[key][0] for key in content["related"] if key in sources]
        for page in [source, *(t.specific for t in source.get_translations())]:
            page.related_sheets.set(related)
            page_publish(page)
    stdout.write(f"Toolbox: {len(contents)} sheets ({created} new) in {len(indexes)} languages.")
