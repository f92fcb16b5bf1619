"""Demo content of the toolbox: its index page and the sheets in content/sheets/*.yaml, in FR, NL and EN.

Idempotent: an existing sheet (same French slug) is left as editors made it.
"""

import json
from pathlib import Path

from django.conf import settings

from participation.core import models as vocabularies
from participation.core.content import content_read
from participation.core.models import HomePage
from participation.core.services import page_publish, page_release, section_page_ensure
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
    "audiences": ("audiences", vocabularies.Audience, True),
}


def sheet_contents():
    return [content_read(path) for path in sorted((CONTENT_DIR / "sheets").glob("*.yaml"))]


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
    if "language_handling" in content:
        page.language_handling = content["language_handling"]
    if "objectives" in content:
        page.objectives = content["objectives"]


def _profile_complete(source, content):
    """A method sheet loaded before its audiences, languages and objectives were recorded gets them, in every
    language."""
    if content["kind"] != "method" or (source.language_handling and source.objectives):
        return
    keys = [key for key in ("audiences", "language_handling", "phases", "objectives") if key in content]
    for page in [source, *(t.specific for t in source.get_translations())]:
        _set_profile(page, {key: content[key] for key in keys})
        page_publish(page)


def index_ensure(homes):
    content = content_read(CONTENT_DIR / "index.yaml")["translations"]
    fields = {
        code: {**{key: value[key] for key in ("title", "slug", "lead", "menu_title")}, "intro": value["intro"].strip()}
        for code, value in content.items()
    }
    return section_page_ensure(homes=homes, model=ToolboxIndexPage, fields_by_language=fields, position=0)


def load(stdout):
    """Load the sheets."""
    default = settings.LANGUAGE_CODE
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    indexes = index_ensure(homes)
    sources, new = {}, []
    for content in sheet_contents():
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
            # In the tree first, published once every sheet exists: a sheet names the sheets related to it.
            indexes[default].add_child(instance=source)
            new.append(source)
        sources[content["key"]] = (source, content)
    for source, content in sources.values():
        related = [sources[key][0] for key in content.get("related", []) if key in sources]
        if source in new:
            source.related_sheets.set(related)
            translated = {code: _sheet_fields(content["translations"][code]) for code in homes if code != default}
            page_release(page=source, translations=translated)
        else:
            _profile_complete(source, content)
        if source not in new and related and not source.related_sheets.exists():
            for page in [source, *(t.specific for t in source.get_translations())]:
                page.related_sheets.set(related)
                page_publish(page)
    stdout.write(f"Toolbox: {len(sources)} sheets ({len(new)} new) in {len(indexes)} languages.")
