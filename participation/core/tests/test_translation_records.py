"""Provenance records, the outdated state and the start of a translation as a draft (decision 0019)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page, get_page_models

from participation.core.machine_translation import LocalTestTranslator
from participation.core.models import Provenance, TranslationRecord
from participation.core.services import page_create, page_translation_save
from participation.core.tests.factories import StandardPageFactory
from participation.core.translation_selectors import page_record, translation_overview
from participation.core.translation_services import (
    page_translation_prefill,
    page_translation_start,
    translation_records_backfill,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return module_homes


def standard_page(home, **fields):
    return page_create(parent=home, page=StandardPageFactory(**fields))


def test_publishing_records_the_original_and_the_human_translation(site_homes):
    page = standard_page(site_homes["fr"], title="Participer", slug="participer")
    dutch = page_translation_save(
        source=page, locale=Locale.objects.get(language_code="nl"), fields={"title": "Deelnemen", "slug": "deelnemen"}
    )
    original, translation = page_record(page=page), page_record(page=dutch)
    assert original.provenance == Provenance.ORIGINAL and original.translated_at
    assert translation.provenance == Provenance.HUMAN and translation.source_language == "fr"
    assert not translation.is_outdated
    english = page.get_translation(Locale.objects.get(language_code="en"))
    assert english.alias_of_id and page_record(page=english) is None


def test_a_changed_source_makes_its_translations_outdated_until_they_are_published_again(site_homes):
    page = standard_page(site_homes["fr"], title="Participer", slug="participer")
    dutch = page_translation_save(
        source=page, locale=Locale.objects.get(language_code="nl"), fields={"title": "Deelnemen", "slug": "deelnemen"}
    )
    page.save_revision().publish()
    assert not page_record(page=dutch).is_outdated, "published again without a change of text"
    page.lead = "Une autre phrase."
    page.save_revision().publish()
    assert page_record(page=dutch).is_outdated
    dutch.refresh_from_db()
    dutch.specific.save_revision().publish()
    assert not page_record(page=dutch).is_outdated


def test_a_started_translation_stays_a_draft_and_readers_keep_the_notice(client, site_homes):
    page = standard_page(site_homes["fr"], title="Participer", slug="participer", lead="Une phrase.")
    target = page_translation_start(source=page, language="nl", user=None)
    assert not target.alias_of_id and target.is_fallback and target.content_language == "fr"
    html = client.get("/nl/participer/").content.decode()
    assert "notice--language" in html
    assert '<link rel="alternate" hreflang="nl"' not in client.get("/fr/participer/").content.decode()
    assert "/nl/participer/" not in client.get("/sitemap.xml").content.decode()
    page_translation_prefill(source=page, target=target, translator=LocalTestTranslator(), user=None)
    draft = Page.objects.get(pk=target.pk).specific.get_latest_revision_as_object()
    assert draft.title == "[nl] Participer" and draft.slug == "nl-participer"
    assert client.get("/nl/participer/").status_code == 200, "the live page is unchanged until published"
    draft.save_revision().publish()
    record = page_record(page=Page.objects.get(pk=target.pk))
    assert record.provenance == Provenance.MACHINE and not record.pending
    html = client.get("/nl/nl-participer/").content.decode()
    assert "notice--language" not in html and "[nl] Participer" in html
    assert (
        '<link rel="alternate" hreflang="nl" href="http://testserver/nl/nl-participer/"'
        in client.get("/fr/participer/").content.decode()
    )


def test_backfill_keeps_content_and_aliases_and_records_provenance(site_homes):
    page = standard_page(site_homes["fr"], title="Participer", slug="participer")
    page_translation_save(
        source=page, locale=Locale.objects.get(language_code="nl"), fields={"title": "Deelnemen", "slug": "deelnemen"}
    )
    # The pages' records are lost; the reference data's vocabulary terms keep theirs (backfilled after `migrate`).
    TranslationRecord.objects.filter(
        content_type__in=ContentType.objects.get_for_models(*get_page_models()).values()
    ).delete()
    assert TranslationRecord.objects.filter(content_type__model="theme", provenance=Provenance.ORIGINAL).exists()
    pages_before = list(Page.objects.order_by("pk").values_list("pk", "title", "slug", "alias_of_id", "live"))
    assert translation_records_backfill() == 5  # three home pages, the page and its Dutch translation
    assert translation_records_backfill() == 0
    assert list(Page.objects.order_by("pk").values_list("pk", "title", "slug", "alias_of_id", "live")) == pages_before
    overview = translation_overview(language="nl", status="translated")
    assert {item.title for item in overview.items} >= {"Participer"}
    assert overview.counts["en"]["missing"] == 1 and overview.counts["nl"]["translated"] >= 1
