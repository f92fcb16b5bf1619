"""Demo content of the map: its page and the initiatives in content/*.yaml (real ones with their known facts only,
invented ones marked as demo). Idempotent: initiatives are matched on their first-language title."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings

from participation.core import models as vocabularies
from participation.core.content import content_read
from participation.core.models import HomePage
from participation.core.services import section_page_ensure
from participation.initiatives.models import (
    Initiative,
    InitiativeIndexPage,
    InitiativeLink,
    InitiativeStep,
    InitiativeTranslation,
)
from participation.toolbox.models import ToolboxSheetPage

CONTENT_DIR = Path(__file__).parent / "content"
SECTION_FIELDS = {
    "problems-objectives": "problems_objectives",
    "history-context": "history_context",
    "organisers-funding": "organisers_funding",
    "recruitment": "recruitment_selection",
    "methods": "methods_used",
    "how-it-went": "how_it_went",
    "outcomes": "outcomes_effects",
    "lessons": "lessons_learned",
    "evaluation": "evaluation_text",
    "feedback": "feedback_text",
}


def initiative_contents():
    items = []
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        if path.name != "index.yaml":
            items += content_read(path)
    return items


def canonical_terms(model):
    """Key → term of one vocabulary, in the default language (the records content links to)."""
    return {term.key: term for term in model.objects.filter(locale__language_code=settings.LANGUAGE_CODE)}


def initiative_create(item, terms, methods):
    """One initiative with its texts, steps and links from a content item (schema: docs/demo-content-initiatives.md)."""
    initiative = Initiative(
        original_language=item["original_language"],
        is_demo=item["demo"],
        latitude=Decimal(str(round(item["lat"], 6))),
        longitude=Decimal(str(round(item["lon"], 6))),
        geographic_scope=terms["scope"].get(item.get("scope")),
        organisers=item.get("organisers") or "",
        organiser_type=terms["organiser_type"].get(item.get("organiser_type")),
        organiser_scope=item["organiser_scope"],
        partners=item.get("partners") or "",
        participation_level=terms["level"].get(item.get("level")),
        recruitment=terms["recruitment"].get(item.get("recruitment")),
        participants_count=item.get("participants"),
        format=terms["format"].get(item.get("format")),
        process_languages=item.get("languages") or [],
        start_date=item.get("start"),
        end_date=item.get("end"),
        # A real initiative's status is a known fact only when its dates are.
        status=(item.get("status") or "") if item["demo"] or item.get("start") or item.get("end") else "",
        budget_band=terms["budget"].get(item.get("budget_band")),
        providers=item.get("providers") or "",
        purchasing_lot=terms["lot"].get(item.get("lot")),
        evaluation=item.get("evaluation") or "",
        impact_evidence=item.get("impact"),
        last_verified=item.get("verified") or "2025-06-15",
    )
    initiative.communes.set([terms["commune"][key] for key in item["communes"]])
    initiative.themes.set([terms["theme"][key] for key in item.get("themes", [])])
    initiative.audiences.set([terms["audience"][key] for key in item.get("audiences", [])])
    initiative.methods.set([methods[key] for key in item.get("methods", []) if key in methods])
    initiative.translations = [
        InitiativeTranslation(
            language=code,
            title=text["title"].strip(),
            summary=text["summary"].strip(),
            **{SECTION_FIELDS[key]: value.strip() for key, value in (text.get("sections") or {}).items() if value},
        )
        for code, text in item["translations"].items()
    ]
    initiative.steps = [
        InitiativeStep(date=step["date"], labels={code: step[code] for code in ("fr", "nl", "en") if step.get(code)})
        for step in item.get("timeline") or []
    ]
    initiative.links = [InitiativeLink(url=link["url"], label=link["label"]) for link in item.get("links") or []]
    if item.get("source") and not item.get("links"):
        initiative.links = [InitiativeLink(url=item["source"], label=item["source"])]
    initiative.save()
    initiative.save_revision(log_action=True)
    return initiative


def load(stdout):
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    content = content_read(CONTENT_DIR / "index.yaml")["translations"]
    section_page_ensure(homes=homes, model=InitiativeIndexPage, fields_by_language=content, position=1)
    terms = {
        "commune": canonical_terms(vocabularies.Commune),
        "theme": canonical_terms(vocabularies.Theme),
        "audience": canonical_terms(vocabularies.Audience),
        "level": canonical_terms(vocabularies.ParticipationLevel),
        "organiser_type": canonical_terms(vocabularies.OrganiserType),
        "recruitment": canonical_terms(vocabularies.RecruitmentMethod),
        "format": canonical_terms(vocabularies.Format),
        "budget": canonical_terms(vocabularies.BudgetBand),
        "scope": canonical_terms(vocabularies.GeographicScope),
        "lot": {lot.number: lot for lot in canonical_terms(vocabularies.PurchasingLot).values()},
    }
    sheets = {
        sheet.slug: sheet
        for sheet in ToolboxSheetPage.objects.filter(kind="method", locale__language_code=settings.LANGUAGE_CODE)
    }
    methods = {key: sheets[slug] for key, slug in _method_slugs().items() if slug in sheets}
    existing = set(InitiativeTranslation.objects.values_list("title", flat=True))
    created = 0
    items = initiative_contents()
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
