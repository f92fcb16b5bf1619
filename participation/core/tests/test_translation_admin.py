"""The editors' translation screens and the readers' provenance label (decision 0019)."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.models import Locale, Page

from conftest import fresh
from participation.core.models import Provenance, TranslationRecord
from participation.core.services import page_create, page_translation_save
from participation.core.tests.factories import StandardPageFactory
from participation.core.tests.html import elements
from participation.core.translation_selectors import page_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", "editor@example.org", "a-long-password-123")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture(scope="module")
def module_sheet(module_homes):
    """A French page, built once for the module (each test's translations and changes are undone after it)."""
    return page_create(
        parent=module_homes["fr"],
        page=StandardPageFactory(title="Participer", slug="participer", lead="Une phrase."),
    )


@pytest.fixture
def sheet(module_sheet, db):
    return fresh(module_sheet)


def test_the_page_header_offers_translate_into_each_other_language(client, editor, sheet):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[sheet.pk])).content.decode()
    assert reverse("translations:translate", args=["page", sheet.pk, "nl"]) in html
    assert reverse("translations:translate", args=["page", sheet.pk, "en"]) in html


def test_translate_shows_source_and_translation_side_by_side_and_starts_a_draft(client, editor, sheet):
    client.force_login(editor)
    url = reverse("translations:translate", args=["page", sheet.pk, "nl"])
    html = client.get(url).content.decode()
    assert "Participer" in html and 'lang="nl"' in html
    response = client.post(url, {"action": "prefill"})
    dutch = sheet.get_translation(Locale.objects.get(language_code="nl"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[dutch.pk])
    draft = dutch.specific.get_latest_revision_as_object()
    assert draft.title == "[nl] Participer" and draft.lead == "[nl] Une phrase."
    assert not dutch.alias_of_id and Page.objects.get(pk=dutch.pk).specific.lead == "Une phrase."
    assert client.get(url).status_code == 200
    client.post(url, {"action": "checked"})
    draft.save_revision().publish()
    assert page_record(page=dutch).provenance == Provenance.MACHINE_CHECKED


def test_readers_see_the_provenance_label_and_the_outdated_notice_with_the_source_link(client, sheet):
    page_translation_save(
        source=sheet, locale=Locale.objects.get(language_code="nl"), fields={"title": "Deelnemen", "slug": "deelnemen"}
    )
    html = client.get("/nl/deelnemen/").content.decode()
    assert elements(html, "p", class_="provenance provenance--human")
    assert "Vertaald uit het Frans door een persoon" in html
    assert not elements(html, "a", href="/fr/participer/", hreflang="fr")
    assert "Texte original" in client.get("/fr/participer/").content.decode()
    sheet.lead = "Une nouvelle phrase."
    sheet.save_revision().publish()
    html = client.get("/nl/deelnemen/").content.decode()
    assert elements(html, "a", href="/fr/participer/", hreflang="fr", lang="fr")


def test_the_overview_counts_each_language_and_reports_what_is_missing_in_dutch(client, editor, sheet):
    client.force_login(editor)
    url = reverse("translations:overview")
    html = client.get(url, {"language": "nl", "status": "missing"}).content.decode()
    assert "Participer" in html
    page_translation_save(
        source=sheet, locale=Locale.objects.get(language_code="nl"), fields={"title": "Deelnemen", "slug": "deelnemen"}
    )
    assert "Participer" not in client.get(url, {"language": "nl", "status": "missing"}).content.decode()
    csv = client.get(url, {"language": "en", "status": "missing", "format": "csv"}).getvalue().decode()
    assert csv.splitlines()[0] == "type,title,source_language,fr,nl,en"
    assert any(line.endswith(",Participer,fr,original,translated,missing") for line in csv.splitlines())


def test_the_overview_lists_vocabulary_terms_and_providers_by_language(db):
    from participation.core.models import Theme
    from participation.core.translation_selectors import translation_overview
    from participation.providers.models import Provider
    from participation.providers.tests.test_purchasing_centre import provider_create

    kind = str(Theme._meta.verbose_name)
    before = translation_overview(kind=kind)
    assert before.total == Theme.objects.filter(locale__language_code="fr").count()
    assert before.counts["nl"]["missing"] == 0
    Theme.objects.filter(locale__language_code="nl").first().delete()
    assert translation_overview(kind=kind).counts["nl"]["missing"] == 1

    provider_create("Callida", [3])
    kind = str(Provider._meta.verbose_name)
    providers = translation_overview(kind=kind, language="nl", status="missing")
    assert [item.title for item in providers.items] == ["Callida"]


def test_converting_an_alias_opens_the_translate_screen_instead(client, editor, sheet):
    client.force_login(editor)
    alias = sheet.get_translation(Locale.objects.get(language_code="nl"))
    assert alias.alias_of_id == sheet.pk
    translate = reverse("translations:translate", args=["page", sheet.pk, "nl"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[alias.pk])).content.decode()
    assert reverse("wagtailadmin_pages:convert_alias", args=[alias.pk]) not in html
    assert elements(html, "a", href=translate)
    for method in (client.get, client.post):
        response = method(reverse("wagtailadmin_pages:convert_alias", args=[alias.pk]))
        assert response.status_code == 302 and response["Location"] == translate
    assert Page.objects.get(pk=alias.pk).alias_of_id == sheet.pk  # nothing went live in Dutch


def test_a_vocabulary_term_is_translated_beside_its_source_and_its_provenance_recorded(client, editor):
    from participation.core.models import Theme
    from participation.core.translation_selectors import translation_overview

    french = Theme.objects.filter(locale__language_code="fr").order_by("pk").first()
    Theme.objects.filter(translation_key=french.translation_key, locale__language_code="nl").delete()
    client.force_login(editor)
    listing = client.get(reverse(Theme.snippet_viewset.get_url_name("list"))).content.decode()
    url = reverse("translations:translate", args=["theme", french.pk, "nl"])
    assert url in listing and f"/translate/snippet/core/theme/{french.pk}/" not in listing

    html = client.post(url, {"action": "prefill"}).content.decode()
    assert elements(html, "input", name="translation-label", value=f"[nl] {french.label}")
    assert client.post(url, {"action": "save", "machine": "1", "translation-label": ""}).status_code == 200
    response = client.post(url, {"action": "save", "machine": "1", "translation-label": "Thema (nagelezen)"})
    assert response.status_code == 302
    dutch = Theme.objects.get(translation_key=french.translation_key, locale__language_code="nl")
    assert dutch.label == "Thema (nagelezen)" and dutch.key == french.key
    record = TranslationRecord.objects.get(object_key=str(french.translation_key), language="nl")
    assert record.provenance == Provenance.MACHINE and not record.is_outdated
    client.post(url, {"action": "checked"})
    record.refresh_from_db()
    assert record.provenance == Provenance.MACHINE_CHECKED

    edit = reverse(Theme.snippet_viewset.get_url_name("edit"), args=[french.pk])
    assert url in client.get(edit).content.decode()
    form = {"label": french.label + " (révisé)", "key": french.key, "description": "", "sort_order": "0"}
    assert client.post(edit, form).status_code == 302
    record.refresh_from_db()
    assert record.is_outdated
    outdated = translation_overview(kind=str(Theme._meta.verbose_name), language="nl", status="outdated")
    assert [item.title for item in outdated.items] == [french.label + " (révisé)"]
