"""Demo content of the map: its page and the initiatives in content/*.yaml (real ones with their known facts only,
invented ones marked as demo). Idempotent: initiatives are matched on their first-language title."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from participation.core.content import content_read
from participation.core.models import HomePage
from participation.core.services import section_page_ensure
from participation.initiatives import schema
from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation
from participation.initiatives.services import map_cells_batched

CONTENT_DIR = Path(__file__).parent / "content"


def initiative_contents():
    items = []
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        if path.name != "index.yaml":
            items += content_read(path)
    return items


def initiative_values(item, terms, methods):
    """A content item (its keys are the initiative's field names, docs/demo-content-initiatives.md) as the values
    of participation.initiatives.schema, for the item's original language."""
    values = {}
    for name, value in item.items():
        field = schema.BY_NAME.get(name)
        if field is None or field.kind is schema.Kind.TEXT:
            continue
        if field.kind is schema.Kind.TERM:
            value = terms[name].get(value)
        elif field.kind is schema.Kind.TERMS:
            value = [terms[name][key] for key in value or []]
        elif field.kind is schema.Kind.METHODS:
            value = [methods[key] for key in value or [] if key in methods]
        elif field.kind is schema.Kind.LINKS:
            value = [(link["url"], link["label"]) for link in value or []]
        elif field.kind is schema.Kind.STEPS:
            value = [
                (step["date"], {code: step[code] for code in ("fr", "nl", "en") if step.get(code)})
                for step in value or []
            ]
        elif name in ("latitude", "longitude"):
            value = Decimal(str(round(value, 6)))
        values[name] = value
    if item.get("source") and not item.get("links"):
        values["links"] = [(item["source"], item["source"])]
    # A real initiative's status is a known fact only when its dates are.
    if not (item["is_demo"] or item.get("start_date") or item.get("end_date")):
        values["status"] = ""
    values.setdefault("last_verified", datetime.date(2025, 6, 15))
    return values


def initiative_create(item, terms, methods):
    """One published initiative with its texts in every language of the content item."""
    initiative = Initiative(original_language=item["original_language"])
    schema.initiative_write(initiative, initiative_values(item, terms, methods), language=item["original_language"])
    for code, text in item["translations"].items():
        sections = {name: value.strip() for name, value in (text.get("sections") or {}).items() if value}
        texts = {"title": text["title"].strip(), "summary": text["summary"].strip(), **sections}
        schema.initiative_write(initiative, texts, language=code)
    initiative.save()
    initiative.save_revision(log_action=True).publish()
    return initiative


def load(stdout):
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    content = content_read(CONTENT_DIR / "index.yaml")["translations"]
    section_page_ensure(homes=homes, model=InitiativeIndexPage, fields_by_language=content, position=1)
    terms = {
        field.name: schema.terms_by_key(field.vocabulary, field.term_key)
        for field in schema.FIELDS
        if field.vocabulary is not None
    }
    sheets = schema.method_sheets_by_slug()
    methods = {key: sheets[slug] for key, slug in _method_slugs().items() if slug in sheets}
    existing = set(InitiativeTranslation.objects.values_list("title", flat=True))
    created = 0
    items = initiative_contents()
    with map_cells_batched():
        for item in items:
            first_title = item["translations"][item["original_language"]]["title"].strip()
            if first_title in existing:
                continue
            initiative_create(item, terms, methods)
            created += 1
    stdout.write(f"Initiatives: {len(items)} in the demo content ({created} new).")


def _method_slugs():
    """Method key of the toolbox content → French slug of its sheet."""
    from participation.toolbox.demo import sheet_contents

    return {
        content["key"]: content["translations"][settings.LANGUAGE_CODE]["slug"]
        for content in sheet_contents()
        if content["kind"] == "method"
    }
