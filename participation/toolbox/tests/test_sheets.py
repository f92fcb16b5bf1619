import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from participation.core.content import content_read
from participation.core.models import SheetCategory
from participation.core.services import page_translation_save
from participation.core.tests.html import elements
from participation.toolbox.blocks import METHOD_SECTIONS
from participation.toolbox.models import ToolboxSheetPage
from participation.toolbox.tests.factories import ToolboxSheetFactory, sections, sheet_create, toolbox_index

CONTENT = Path(settings.BASE_DIR) / "participation" / "toolbox" / "content" / "sheets"
SHEETS = [content_read(path) for path in sorted(CONTENT.glob("*.yaml"))]


def words(html):
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_demo_sheets_cover_the_toolbox():
    kinds = [sheet["kind"] for sheet in SHEETS]
    assert len(SHEETS) >= 30
    assert kinds.count("method") >= 20
    assert {s["phase"] for s in SHEETS if s["kind"] == "phase"} == {
        "framing",
        "design",
        "mobilisation-communication",
        "deployment-facilitation",
        "feedback",
        "evaluation",
    }
    assert {s["level"] for s in SHEETS if s["kind"] == "process-type"} == {
        "information",
        "consultation",
        "concertation",
        "co-construction",
        "co-decision",
        "citizen-initiative",
    }
    assert {"introduction", "thematic-question"} <= set(kinds)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s["key"])
def test_every_demo_sheet_exists_in_three_languages_with_the_same_sections(sheet):
    translations = sheet["translations"]
    assert set(translations) == {"fr", "nl", "en"}
    keys = [section["key"] for section in translations["fr"]["sections"]]
    for code in ("nl", "en"):
        assert [section["key"] for section in translations[code]["sections"]] == keys
        assert translations[code]["slug"] and translations[code]["title"] and translations[code]["lead"]
    if sheet["kind"] == "method":
        assert keys == METHOD_SECTIONS
        assert words(" ".join(s["body"] for s in translations["fr"]["sections"])) >= 400
    keys_of_all = {s["key"] for s in SHEETS}
    assert set(sheet["related"]) <= keys_of_all - {sheet["key"]}


@pytest.fixture
def index(site_homes):
    return toolbox_index(site_homes["fr"])


@pytest.mark.django_db
def test_reading_time_is_computed_from_the_text(index):
    sheet = sheet_create(index, body=sections(METHOD_SECTIONS, words=100))
    assert sheet.reading_minutes == 5  # 9 sections * (100 words + 2 heading words) / 200 words a minute


@pytest.mark.django_db
def test_method_sheet_needs_every_narrative_section(index):
    sheet = ToolboxSheetFactory(body=sections(["what-it-is", "tips"]))
    with pytest.raises(ValidationError) as error:
        index.add_child(instance=sheet)
    assert "body" in error.value.message_dict
    assert not ToolboxSheetPage.objects.filter(slug=sheet.slug).exists()


@pytest.mark.django_db
def test_method_sheet_shows_lead_type_date_reading_time_toc_and_profile(client, index):
    sheet_create(
        index,
        title="World café",
        slug="world-cafe",
        profile={
            "levels": ["consultation"],
            "time_needed": "hours",
            "budget_bands": ["under-5k"],
            "formats": ["online"],
        },
    )
    html = client.get("/fr/outils/world-cafe/").content.decode()
    assert "Une phrase qui dit ce que la fiche apporte." in html
    assert "Méthode | Méthodes" in html
    assert elements(html, "time")
    toc = [a["href"] for a in elements(html, "a") if a.get("href", "").startswith("#section-")]
    assert len(toc) == len(METHOD_SECTIONS)
    for anchor in toc:
        assert elements(html, "h2", id=anchor[1:])
    profile = html.split('id="method-profile"')[1].split("</dl>")[0]
    assert "Consultation" in profile and "Quelques heures" in profile and "Moins de 5 000 €" in profile
    assert "En ligne" in profile


@pytest.mark.django_db
def test_phase_sheets_link_to_previous_and_next_phase_in_order(client, index):
    category = SheetCategory.objects.get(key="phases", locale__language_code="fr")
    for slug, phase in (("evaluation", "evaluation"), ("cadrage", "framing"), ("conception", "design")):
        sheet_create(
            index,
            title=slug.title(),
            slug=slug,
            kind="phase",
            category=category,
            body=sections(["other"]),
            profile={"phases": [phase]},
        )
    html = client.get("/fr/outils/conception/").content.decode()
    assert elements(html, "a", rel="prev", href="/fr/outils/cadrage/")
    assert elements(html, "a", rel="next", href="/fr/outils/evaluation/")
    first = client.get("/fr/outils/cadrage/").content.decode()
    assert not elements(first, "a", rel="prev")


@pytest.mark.django_db
def test_related_sheets_are_shown_in_the_reader_language(client, index, site_homes):
    target = sheet_create(index, title="Focus group", slug="focus-group")
    source = sheet_create(index, title="World café", slug="world-cafe")
    source.related_sheets.set([target])
    source.save_revision().publish()
    nl = Locale.objects.get(language_code="nl")
    page_translation_save(source=index, locale=nl, fields={"slug": "toolbox", "title": "Toolbox"})
    page_translation_save(source=target, locale=nl, fields={"slug": "focusgroep", "title": "Focusgroep"})
    translation = page_translation_save(source=source, locale=nl, fields={"slug": "wereldcafe", "title": "Wereldcafé"})
    assert translation.related_sheets.count() == 1
    html = client.get("/nl/toolbox/wereldcafe/").content.decode()
    assert elements(html, "a", href="/nl/toolbox/focusgroep/")
    assert not elements(html, "a", href="/fr/outils/focus-group/")


@pytest.mark.django_db
def test_untranslated_sheet_is_listed_and_shown_in_its_language(client, index):
    sheet_create(index, title="Fiche française", slug="fiche-francaise")
    html = client.get("/en/outils/").content.decode()
    assert elements(html, "h3", class_="card__title", lang="fr")
    page = client.get("/en/outils/fiche-francaise/").content.decode()
    assert elements(page, "article", class_="sheet", lang="fr")
    assert ToolboxSheetPage.objects.filter(locale__language_code="en", alias_of__isnull=False).count() == 1


@pytest.mark.django_db
def test_editors_preview_and_revise_a_sheet_in_the_admin(client, index):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    sheet = sheet_create(index, title="World café", slug="world-cafe")
    editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(f"/admin/pages/{sheet.pk}/edit/").status_code == 200
    sheet.title = "World café (revised)"
    revision = sheet.save_revision(user=editor)
    preview = client.get(f"/admin/pages/{sheet.pk}/revisions/{revision.pk}/view/")
    assert preview.status_code == 200
    assert "World café (revised)" in preview.content.decode()
    history = client.get(f"/admin/pages/{sheet.pk}/history/")
    assert history.status_code == 200
    assert sheet.revisions.count() == 2
