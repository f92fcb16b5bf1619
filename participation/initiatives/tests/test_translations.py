"""The provenance of an initiative's texts: records on publication, outdated notice, exports (decision 0019)."""

import csv
import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from conftest import LATE_EVENING_UTC, fresh
from participation.core.models import Provenance, TranslationRecord
from participation.core.tests.html import elements
from participation.core.translation_selectors import translation_overview
from participation.core.translation_services import translation_records_backfill
from participation.initiatives.models import Initiative
from participation.initiatives.tests.factories import initiative_create, map_page

pytestmark = pytest.mark.django_db


def records(initiative):
    return {
        record.language: record
        for record in TranslationRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Initiative), object_key=str(initiative.pk)
        )
    }


def publish(initiative):
    initiative = Initiative.objects.get(pk=initiative.pk)
    initiative.save_revision().publish()
    return initiative


@pytest.fixture(scope="module")
def module_square(module_homes):
    """A published initiative in French and Dutch on the map, built once for the module (each test's changes are
    undone after it)."""
    map_page(module_homes["fr"])
    return publish(initiative_create(titles={"fr": "Une place pour tous", "nl": "Een plein voor iedereen"}))


@pytest.fixture
def square(module_square, db):
    return fresh(module_square)


def text(initiative, language):
    return initiative.translations.get(language=language)


def test_publishing_records_the_original_and_marks_translations_outdated_when_it_changes(client, square):
    found = records(square)
    assert found["fr"].provenance == Provenance.ORIGINAL and found["nl"].provenance == Provenance.HUMAN
    assert not found["nl"].is_outdated
    html = client.get(square.get_url("nl")).content.decode()
    assert "Vertaald uit het Frans door een persoon" in html

    french = text(square, "fr")
    french.summary = "Un nouveau résumé."
    french.save()
    publish(square)
    assert records(square)["nl"].is_outdated
    html = client.get(square.get_url("nl")).content.decode()
    assert elements(html, "a", href=square.get_url("fr"), hreflang="fr")

    dutch = text(square, "nl")
    dutch.summary = "Een nieuwe samenvatting."
    dutch.save()
    publish(square)
    assert not records(square)["nl"].is_outdated


def test_exports_give_the_provenance_of_the_exported_texts(client, square):
    TranslationRecord.objects.filter(pk=records(square)["nl"].pk).update(translated_at=LATE_EVENING_UTC)
    rows = list(csv.DictReader(io.StringIO(client.get("/nl/initiatives/export/csv/").getvalue().decode())))
    assert rows[0]["text_language"] == "nl" and rows[0]["text_provenance"] == "human"
    # The date of the Region's day: half past midnight in Brussels, though still 1 March in UTC.
    assert rows[0]["text_provenance_date"] == "2026-03-02"
    features = json.loads(client.get("/fr/initiatives/export/geojson/").getvalue())["features"]
    assert features[0]["properties"]["text_provenance"] == "original"


def test_the_overview_lists_initiatives_by_language_and_backfill_restores_their_records(square):
    # The kinds are the models' names in the active language (what the dashboard's filter shows).
    english = translation_overview(language="en", status="missing", kind=str(Initiative._meta.verbose_name))
    assert [item.title for item in english.items] == ["Une place pour tous"]
    TranslationRecord.objects.all().delete()
    translation_records_backfill()
    found = records(square)
    assert found["fr"].provenance == Provenance.ORIGINAL and found["nl"].provenance == Provenance.HUMAN


def test_backfill_reads_nothing_more_for_initiatives_already_recorded(square):
    """After every `migrate`: the initiatives whose texts all have a record are not read again, whatever their number
    (reading and digesting them all took more than ten minutes at 100,000)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def backfill_queries():
        with CaptureQueriesContext(connection) as queries:
            assert translation_records_backfill() == 0
        return [query["sql"] for query in queries.captured_queries]

    before = backfill_queries()
    for number in range(5):
        publish(initiative_create(titles={"fr": f"Place {number}", "nl": f"Plein {number}"}))
    after = backfill_queries()
    assert len(after) == len(before)
    assert not [sql for sql in after if 'FROM "initiatives_initiative"' in sql]  # no initiative is loaded
    # One of them loses its Dutch record: only that one is read, and its record comes back.
    TranslationRecord.objects.filter(object_key=str(square.pk), language="nl").delete()
    assert translation_records_backfill() == 1
    assert records(square)["nl"].provenance == Provenance.HUMAN


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("moderator", "moderator@example.org", "a-long-password-123")
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
    return user


def translate_url(initiative, language):
    return reverse("translations:translate", args=["initiative", initiative.pk, language])


def test_the_initiative_editor_and_list_offer_translate_into_each_other_language(client, moderator, square):
    client.force_login(moderator)
    edit = client.get(reverse(Initiative.snippet_viewset.get_url_name("edit"), args=[square.pk])).content.decode()
    listing = client.get(reverse(Initiative.snippet_viewset.get_url_name("list"))).content.decode()
    for html in (edit, listing):
        assert translate_url(square, "nl") in html and translate_url(square, "en") in html
        assert translate_url(square, "fr") not in html


def test_an_initiative_is_translated_beside_its_source_as_a_draft_until_published(client, moderator, square):
    client.force_login(moderator)
    url = translate_url(square, "en")
    html = client.get(url).content.decode()
    assert elements(html, "td", lang="fr") and "Une place pour tous" in html
    assert elements(html, "textarea", name="translation-summary")
    assert elements(html, "label", for_="id_translation-title")

    suggested = client.post(url, {"action": "prefill"}).content.decode()
    assert elements(suggested, "input", name="translation-title", value="[en] Une place pour tous")
    assert elements(suggested, "input", name="machine", value="1")
    assert not text_or_none(square, "en")  # a suggestion is never saved by itself

    response = client.post(
        url,
        {"action": "save", "machine": "1", "translation-title": "A square for all", "translation-summary": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200 and elements(html, "a", href="#id_translation-summary")
    assert elements(html, "input", name="translation-title", value="A square for all")  # what was typed is kept
    assert elements(html, "textarea", name="translation-summary", **{"aria-invalid": "true"})

    response = client.post(
        url,
        {
            "action": "save",
            "machine": "1",
            "translation-title": "A square for all",
            "translation-summary": "A square for everyone.",
        },
    )
    assert response.status_code == 302
    assert text_or_none(square, "en") is None  # a draft revision: readers see nothing new
    assert records(square)["en"].pending and records(square)["en"].draft_provenance == Provenance.MACHINE
    overview = translation_overview(language="en", status="draft", kind="initiative")
    assert [item.title for item in overview.items] == ["Une place pour tous"]
    assert "A square for everyone." in client.get(url).content.decode()  # the draft is shown beside the source

    Initiative.objects.get(pk=square.pk).get_latest_revision().publish()
    english = records(square)["en"]
    assert text(square, "en").title == "A square for all" and text(square, "en").slug == "a-square-for-all"
    assert english.provenance == Provenance.MACHINE and not english.pending


def test_the_screen_marks_what_changed_in_the_source_and_a_translation_can_be_confirmed(client, moderator, square):
    french = text(square, "fr")
    french.summary = "Un nouveau résumé."
    french.save()
    publish(square)
    client.force_login(moderator)
    url = translate_url(square, "nl")
    html = client.get(url).content.decode()
    assert len(elements(html, "tr", class_="translation-changed")) == 1
    changed_row = html[html.index('class="translation-changed"') :]
    assert changed_row.index('for="id_translation-summary"') < changed_row.index("</tr>")
    client.post(url, {"action": "confirm"})
    assert not records(square)["nl"].is_outdated
    assert not elements(client.get(url).content.decode(), "tr", class_="translation-changed")


def test_translating_an_initiative_needs_the_right_to_change_it(client, square):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("reader", "reader@example.org", "a-long-password-123"))
    assert client.get(translate_url(square, "nl")).status_code in (302, 403)


def text_or_none(initiative, language):
    return initiative.translations.filter(language=language).first()
