"""The translation journey in the admin (decision 0019): an editor translates a French sheet into Dutch with the
machine's suggestion, publishes it under its Dutch address, changes the French source, and Dutch readers see the
outdated notice; axe on pages that carry the provenance label and the notice, in FR, NL and EN."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, server_shell

pytestmark = pytest.mark.e2e

SETUP = """
import json
from participation.toolbox.tests.factories import sections
from django.contrib.auth.models import Group, User
from participation.core.models import SheetCategory
from participation.core.services import page_create
from participation.toolbox.models import ToolboxIndexPage, ToolboxSheetPage
# A moderator publishes (editors submit to the moderators' workflow).
editor, _ = User.objects.get_or_create(username="editor-e2e", defaults={"email": "editor-e2e@example.org"})
editor.set_password("a-long-password-123")
editor.save()
editor.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
index = ToolboxIndexPage.objects.get(locale__language_code="fr")
sheet = page_create(parent=index, page=ToolboxSheetPage(
    title="Fiche à traduire (démo)", slug="fiche-a-traduire", lead="Une fiche écrite en français.", kind="method",
    category=SheetCategory.objects.get(key="methods", locale__language_code="fr"),
    body=sections(words=5)))
print(json.dumps({"pk": sheet.pk, "url": sheet.url}))
"""

TEARDOWN = """
from wagtail.models import Page
source = Page.objects.get(pk={pk})
for version in Page.objects.filter(translation_key=source.translation_key):
    version.delete()
"""

DUTCH_URL = """
from wagtail.models import Page
source = Page.objects.get(pk={pk})
print(source.get_translation(Page.objects.filter(locale__language_code="nl").first().locale).url)
"""


def publish(page):
    page.locator("footer .w-dropdown__toggle").click()
    page.locator('button[name="action-publish"]').click()
    expect(page.locator(".messages")).to_be_visible()


@pytest.fixture
def sheet(server_url):
    created = json.loads(server_shell(SETUP).strip().splitlines()[-1])
    yield created
    server_shell(TEARDOWN.format(pk=created["pk"]))


def test_an_editor_translates_a_sheet_and_readers_see_its_provenance_then_the_outdated_notice(page, server_url, sheet):
    page.goto(f"{server_url}/admin/login/")
    page.fill("#id_username", "editor-e2e")
    page.fill("#id_password", "a-long-password-123")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{server_url}/admin/")

    page.goto(f"{server_url}/admin/pages/{sheet['pk']}/edit/")
    page.locator("header .w-dropdown__toggle").click()
    page.locator(f'a[href="/admin/translations/page/{sheet["pk"]}/nl/"]').click()
    expect(page.locator("table.translation-comparison")).to_contain_text("mot mot mot mot mot")
    assert axe_violations(page) == []
    page.locator('button[value="prefill"]').click()
    page.wait_for_url("**/admin/pages/*/edit/")
    expect(page.locator("#id_title")).to_have_value("[nl] Fiche à traduire (démo)")
    page.fill("#id_title", "Te vertalen fiche (demo)")
    page.locator("#tab-label-promote").click()
    page.fill("#id_slug", "te-vertalen-fiche")
    publish(page)

    dutch = server_shell(DUTCH_URL.format(pk=sheet["pk"])).strip().splitlines()[-1]
    assert dutch.endswith("/te-vertalen-fiche/")
    page.goto(server_url + dutch)
    expect(page.locator("h1")).to_have_text("Te vertalen fiche (demo)")
    expect(page.locator(".notice--language")).to_have_count(0)
    expect(page.locator(".provenance")).to_contain_text("Automatische vertaling uit het Frans, niet nagelezen")
    assert axe_violations(page) == []

    page.goto(f"{server_url}/admin/pages/{sheet['pk']}/edit/")
    page.fill("#id_lead", "Une fiche écrite en français, revue.")
    publish(page)

    page.goto(server_url + dutch)
    notice = page.locator(".notice--warning")
    expect(notice).to_contain_text("Het origineel van deze pagina, in het Frans, is gewijzigd")
    expect(notice.locator("a")).to_have_attribute("href", sheet["url"])
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_pages_with_the_provenance_label_have_no_accessibility_violations(page, server_url, language):
    page.goto(f"{server_url}/{language}/")
    page.locator(".main-nav a").first.click()
    expect(page.locator(".provenance")).to_be_visible()
    assert axe_violations(page) == []


SNIPPETS_SETUP = """
import json
from django.contrib.auth.models import Group, User
from participation.core.models import Theme
from participation.initiatives.tests.factories import initiative_create
from participation.providers.tests.test_purchasing_centre import provider_create
editor, _ = User.objects.get_or_create(username="editor-e2e", defaults={"email": "editor-e2e@example.org"})
editor.set_password("a-long-password-123")
editor.save()
editor.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
initiative = initiative_create(titles={"fr": "Initiative à traduire (démo)"}, is_demo=True)
initiative.save_revision().publish()
provider = provider_create("Prestataire à traduire (démo)", [3], is_demo=True)
theme = Theme.objects.filter(locale__language_code="fr").order_by("pk").first()
print(json.dumps({"initiative": initiative.pk, "provider": provider.pk, "theme": theme.pk}))
"""

SNIPPETS_TEARDOWN = """
from participation.initiatives.models import Initiative
from participation.providers.models import Provider
Initiative.objects.filter(pk={initiative}).delete()
Provider.objects.filter(pk={provider}).delete()
"""

ADMIN_LANGUAGE = """
from django.contrib.auth.models import User
from wagtail.users.models import UserProfile
profile = UserProfile.get_for_user(User.objects.get(username="editor-e2e"))
profile.preferred_language = "{language}"
profile.save()
"""

INITIATIVE_URL = """
from participation.initiatives.models import Initiative
print(Initiative.objects.get(pk={pk}).get_url("nl"))
"""


@pytest.fixture
def snippets(server_url):
    created = json.loads(server_shell(SNIPPETS_SETUP).strip().splitlines()[-1])
    yield created
    server_shell(ADMIN_LANGUAGE.format(language="fr"))
    server_shell(SNIPPETS_TEARDOWN.format(**created))


def log_in(page, server_url):
    page.goto(f"{server_url}/admin/login/")
    page.fill("#id_username", "editor-e2e")
    page.fill("#id_password", "a-long-password-123")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{server_url}/admin/")


def test_an_editor_translates_an_initiative_beside_its_source_as_a_draft_then_publishes_it(page, server_url, snippets):
    pk = snippets["initiative"]
    log_in(page, server_url)
    page.goto(f"{server_url}/admin/snippets/initiatives/initiative/edit/{pk}/")
    page.locator("header .w-dropdown__toggle").click()
    page.locator(f'a[href="/admin/translations/initiative/{pk}/nl/"]').click()
    expect(page.locator("table.translation-comparison")).to_contain_text("Initiative à traduire (démo)")
    page.locator('button[value="prefill"]').click()
    expect(page.locator('input[name="translation-title"]')).to_have_value("[nl] Initiative à traduire (démo)")
    page.fill('input[name="translation-title"]', "Te vertalen initiatief (demo)")
    page.fill('textarea[name="translation-summary"]', "")
    page.locator('button[value="save"]').click()
    expect(page.locator("#error-summary a")).to_have_attribute("href", "#id_translation-summary")
    assert axe_violations(page) == []
    page.locator("#error-summary a").click()
    expect(page.locator("#id_translation-summary")).to_be_focused()
    page.fill("#id_translation-summary", "Een initiatief om te vertalen.")
    page.check("#id_checked")
    page.locator('button[value="save"]').click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator('input[name="translation-title"]')).to_have_value("Te vertalen initiatief (demo)")

    page.goto(f"{server_url}/admin/snippets/initiatives/initiative/edit/{pk}/")
    publish(page)
    dutch = server_shell(INITIATIVE_URL.format(pk=pk)).strip().splitlines()[-1]
    page.goto(server_url + dutch)
    expect(page.locator("h1")).to_have_text("Te vertalen initiatief (demo)")
    expect(page.locator(".provenance")).to_contain_text("nagelezen door een persoon")


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_translate_screens_of_snippets_have_no_accessibility_violations(page, server_url, snippets, language):
    server_shell(ADMIN_LANGUAGE.format(language=language))
    log_in(page, server_url)
    for kind, pk in (
        ("initiative", snippets["initiative"]),
        ("provider", snippets["provider"]),
        ("theme", snippets["theme"]),
    ):
        page.goto(f"{server_url}/admin/translations/{kind}/{pk}/en/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert axe_violations(page) == [], kind
        page.locator('button[value="prefill"]').click()
        expect(page.locator('input[name="machine"]')).to_have_value("1")
        assert axe_violations(page) == [], kind
