import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from conftest import fresh
from participation.core.content import content_read
from participation.core.models import SheetCategory
from participation.core.services import page_translation_save
from participation.core.tests.html import elements
from participation.toolbox.blocks import METHOD_SECTIONS, SECTION_LABELS
from participation.toolbox.models import ToolboxSheetPage
from participation.toolbox.tests.factories import sections, sheet_create, toolbox_index

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
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return fresh(module_homes)


@pytest.fixture(scope="module")
def module_index(module_homes):
    return toolbox_index(module_homes["fr"])


@pytest.fixture
def index(module_index, db):
    return fresh(module_index)


@pytest.mark.django_db
def test_reading_time_is_computed_from_the_text(index):
    sheet = sheet_create(index, body=sections(METHOD_SECTIONS, words=100))
    assert sheet.reading_minutes == 5  # 9 sections * (100 words + 2 heading words) / 200 words a minute


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
    assert '<p class="sheet__kind">Méthodes</p>' in html
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


# Writing a sheet in the admin: the sections are there to fill, a draft can be incomplete, publishing cannot.


def _editor(client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)


def _sheet_post(category, kinds, **action):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    body = [
        ("section", {"kind": kind, "heading": f"Section {kind}", "body": rich_text("<p>Texte.</p>")}) for kind in kinds
    ]
    return nested_form_data(
        {
            "title": "Marche exploratoire",
            "slug": "marche-exploratoire",
            "lead": "Une phrase qui dit ce que la fiche apporte.",
            "category": category.pk,
            "date": "2026-12-06",
            "body": streamfield(body),
            "comments": inline_formset([]),
            **action,
        }
    )


@pytest.mark.django_db
def test_a_new_sheet_starts_with_the_method_sections_headed_in_its_language(client, index):
    _editor(client)
    response = client.get(f"/admin/pages/add/toolbox/toolboxsheetpage/{index.pk}/")
    body = response.context["form"]["body"].value()
    assert [block.value["kind"] for block in body] == METHOD_SECTIONS
    assert body[0].value["heading"] == "Ce que c'est et à quoi ça sert"


@pytest.mark.django_db
def test_a_method_sheet_can_be_saved_as_a_draft_before_its_sections_are_complete(client, admin_client, index):
    methods = SheetCategory.objects.get(key="methods", locale__language_code="fr")
    add = f"/admin/pages/add/toolbox/toolboxsheetpage/{index.pk}/"

    published = admin_client.post(add, _sheet_post(methods, ["what-it-is", "tips"], **{"action-publish": "publish"}))
    assert published.status_code == 200
    with translation.override("fr"):
        missing = ", ".join(str(SECTION_LABELS[key]) for key in METHOD_SECTIONS if key not in ("what-it-is", "tips"))
    message = f"Une fiche méthode doit contenir ces sections\u202f: {missing}."
    assert published.context["form"].errors["body"] == [message]
    assert not ToolboxSheetPage.objects.filter(slug="marche-exploratoire").exists()

    _editor(client)
    draft = client.post(add, _sheet_post(methods, ["what-it-is", "tips"]))
    assert draft.status_code == 302
    sheet = ToolboxSheetPage.objects.get(slug="marche-exploratoire", locale__language_code="fr")
    assert not sheet.live and sheet.kind == "method"


@pytest.mark.django_db
def test_the_kind_follows_the_category_and_readers_see_the_category_once(client, index):
    phases = SheetCategory.objects.get(key="phases", locale__language_code="fr")
    sheet = sheet_create(
        index, title="Cadrage", slug="cadrage", kind="method", category=phases, body=sections(["other"])
    )
    assert sheet.kind == "phase"
    html = client.get("/fr/outils/cadrage/").content.decode()
    kicker = html.split('<p class="sheet__kind">')[1].split("</p>")[0]
    assert kicker == "Phases d&#x27;un processus"


@pytest.mark.django_db
def test_sheet_runs_a_constant_number_of_queries(client, index, site_homes):
    """A method sheet costs the same whatever the number of its related sheets, examples, articles and events."""
    import datetime

    from conftest import query_count
    from participation.articles.models import ArticleIndexPage, ArticlePage
    from participation.core.services import page_create
    from participation.initiatives.tests.factories import initiative_create, map_page
    from participation.network.models import NetworkPage
    from participation.network.tests.factories import EventPageFactory

    sheet = sheet_create(index, title="World café", slug="world-cafe", profile={"phases": ["deployment-facilitation"]})
    map_page(site_homes["fr"])
    articles = page_create(
        parent=site_homes["fr"], page=ArticleIndexPage(title="Articles", slug="articles", lead="Des articles.")
    )
    network = page_create(
        parent=site_homes["fr"], page=NetworkPage(title="Réseau", slug="reseau", lead="Le réseau.", body=[])
    )

    def related_add(n):
        other = sheet_create(index, title=f"Fiche {n}", slug=f"fiche-{n}")
        sheet.related_sheets.add(other)
        sheet.save_revision().publish()
        initiative_create(titles={"fr": f"Initiative {n}"}, methods=(sheet,))
        article = ArticlePage(
            title=f"Article {n}",
            slug=f"article-{n}",
            lead="Un article.",
            date=datetime.date(2025, 1, 1),
            author="Service Participation",
            body=[("paragraph", "<p>Texte.</p>")],
        )
        article.related_sheets.set([sheet])
        page_create(parent=articles, page=article)
        event = EventPageFactory(title=f"Atelier {n}", slug=f"atelier-{n}")
        event.sheets.set([sheet])
        page_create(parent=network, page=event)

    related_add(0)
    before = query_count(client, sheet.url)
    for n in range(1, 4):
        related_add(n)
    html = client.get(sheet.url).content.decode()
    assert all(f"Fiche {n}" in html and f"Initiative {n}" in html and f"Atelier {n}" in html for n in range(4))
    assert query_count(client, sheet.url) == before
