"""The provenance of an initiative's texts: records on publication, outdated notice, exports (decision 0019)."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType

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


@pytest.fixture
def square(site_homes):
    map_page(site_homes["fr"])
    return publish(initiative_create(titles={"fr": "Une place pour tous", "nl": "Een plein voor iedereen"}))


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
    rows = list(csv.DictReader(io.StringIO(client.get("/nl/initiatives/export/csv/").content.decode())))
    assert rows[0]["text_language"] == "nl" and rows[0]["text_provenance"] == "human"
    assert rows[0]["text_provenance_date"] == records(square)["nl"].translated_at.date().isoformat()
    features = client.get("/fr/initiatives/export/geojson/").json()["features"]
    assert features[0]["properties"]["text_provenance"] == "original"


def test_the_overview_lists_initiatives_by_language_and_backfill_restores_their_records(square):
    english = translation_overview(language="en", status="missing", kind="initiative")
    assert [item.title for item in english.items] == ["Une place pour tous"]
    TranslationRecord.objects.all().delete()
    translation_records_backfill()
    found = records(square)
    assert found["fr"].provenance == Provenance.ORIGINAL and found["nl"].provenance == Provenance.HUMAN
