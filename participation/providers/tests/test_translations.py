"""A provider's texts translated beside their source, and their provenance (decision 0019)."""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from participation.core.models import Provenance, TranslationRecord
from participation.core.tests.html import elements
from participation.core.translation_selectors import translation_overview
from participation.core.translation_services import translation_records_backfill
from participation.providers.models import Provider, ProviderText
from participation.providers.tests.test_purchasing_centre import provider_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", "editor@example.org", "a-long-password-123")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def callida(db):
    return provider_create("Callida", [3])


def records(provider):
    return {
        record.language: record
        for record in TranslationRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Provider), object_key=str(provider.pk)
        )
    }


def test_a_provider_is_translated_with_the_machine_suggestion_and_its_provenance_recorded(client, editor, callida):
    client.force_login(editor)
    edit_url = reverse(Provider.snippet_viewset.get_url_name("edit"), args=[callida.pk])
    url = reverse("translations:translate", args=["provider", callida.pk, "nl"])
    assert url in client.get(edit_url).content.decode()
    html = client.post(url, {"action": "prefill"}).content.decode()
    assert "[nl] Callida décrit en français." in html and elements(html, "input", name="checked")
    assert not callida.texts.filter(language="nl").exists()

    response = client.post(
        url,
        {
            "action": "save",
            "machine": "1",
            "checked": "1",
            "translation-description": "Callida, in het Nederlands beschreven.",
            "translation-services": "Animatie\nSynthese",
        },
    )
    assert response.status_code == 302
    assert callida.texts.get(language="nl").services == "Animatie\nSynthese"
    found = records(callida)
    assert found["fr"].provenance == Provenance.ORIGINAL
    assert found["nl"].provenance == Provenance.MACHINE_CHECKED and not found["nl"].is_outdated
    assert callida.revisions.count() == 1  # the provider's history keeps the change
    nl = translation_overview(kind=str(Provider._meta.verbose_name), language="nl", status="translated")
    assert [item.versions["nl"].provenance for item in nl.items] == [Provenance.MACHINE_CHECKED]


def test_changing_the_source_in_the_providers_editor_makes_its_translation_outdated(client, editor, callida):
    client.force_login(editor)
    url = reverse("translations:translate", args=["provider", callida.pk, "en"])
    client.post(url, {"action": "save", "machine": "0", "translation-description": "Callida in English."})
    assert records(callida)["en"].provenance == Provenance.HUMAN

    edit_url = reverse(Provider.snippet_viewset.get_url_name("edit"), args=[callida.pk])
    form = {
        "name": "Callida",
        "slug": "callida",
        "lots": [lot.pk for lot in callida.lots.all()],
        "texts-TOTAL_FORMS": "2",
        "texts-INITIAL_FORMS": "2",
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
    }
    for index, text in enumerate(callida.texts.order_by("pk")):
        form |= {
            f"texts-{index}-id": text.pk,
            f"texts-{index}-ORDER": index + 1,
            f"texts-{index}-language": text.language,
            f"texts-{index}-description": text.description + (" Révisé." if text.language == "fr" else ""),
            f"texts-{index}-services": text.services,
        }
    assert client.post(edit_url, form).status_code == 302
    assert records(callida)["en"].is_outdated
    html = client.get(url).content.decode()
    assert len(elements(html, "tr", class_="translation-changed")) == 1
    overview = translation_overview(kind=str(Provider._meta.verbose_name), language="en", status="outdated")
    assert [item.title for item in overview.items] == ["Callida"]


def test_backfill_records_the_providers_texts_from_before(callida):
    ProviderText.objects.create(provider=callida, language="nl", description="Callida in het Nederlands.")
    TranslationRecord.objects.filter(content_type=ContentType.objects.get_for_model(Provider)).delete()
    assert translation_records_backfill() == 2
    found = records(callida)
    assert found["fr"].provenance == Provenance.ORIGINAL and found["nl"].provenance == Provenance.HUMAN


def test_readers_of_a_provider_see_where_its_text_comes_from_and_when_the_original_changed(client, site_homes):
    from django.utils import translation

    from participation.core.services import page_create
    from participation.providers.models import PurchasingCentrePage
    from participation.providers.selectors import provider_provenance

    page_create(
        parent=site_homes["fr"],
        page=PurchasingCentrePage(
            title="Centrale de marchés",
            slug="centrale",
            lead="Des prestataires.",
            steps_heading="Étapes",
            faq_heading="FAQ",
        ),
    )
    callida = provider_create("Callida", [3])
    ProviderText.objects.create(provider=callida, language="nl", description="Callida in het Nederlands.")
    translation_records_backfill()
    with translation.override("nl"):
        dutch_url = PurchasingCentrePage.objects.get(locale__language_code="nl").route_url("provider", slug="callida")
    html = client.get(dutch_url).content.decode()
    assert elements(html, "p", class_="provenance provenance--human")

    french = callida.texts.get(language="fr")
    french.description = "Callida, décrit autrement."
    french.save()
    from participation.providers.translations import ProviderTranslationSubject

    ProviderTranslationSubject(item=callida, language="").published()
    label = provider_provenance(provider=callida, language="nl")
    with translation.override("fr"):
        french_url = PurchasingCentrePage.objects.get(locale__language_code="fr").route_url("provider", slug="callida")
    assert label.outdated and label.source_url == french_url
    html = client.get(dutch_url).content.decode()
    assert elements(html, "a", href=french_url, hreflang="fr")
