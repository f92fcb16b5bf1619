from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Site

from participation.core.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_demo_content_builds_the_site_in_three_languages_and_loads_again_without_losing_edits(client, demo_content):
    assert HomePage.objects.count() == 3
    assert Site.objects.get(is_default_site=True).root_page.specific.locale.language_code == "fr"
    for code in ("fr", "nl", "en"):
        home = HomePage.objects.get(locale__language_code=code)
        # Footer pages only: the network and share-an-initiative sections have their own page types.
        assert StandardPage.objects.child_of(home).filter(alias_of__isnull=True).count() == 3, code
        assert home.get_children().in_menu().count() == 6
        assert len(home.entry_points) == 6
        assert client.get(f"/{code}/").status_code == 200

    page = StandardPage.objects.get(locale__language_code="fr", slug="a-propos")
    page.title = "Edited by an editor"
    page.save_revision().publish()
    count = Page.objects.count()

    call_command("load_demo_content", stdout=StringIO())

    assert Page.objects.count() == count
    assert StandardPage.objects.get(pk=page.pk).title == "Edited by an editor"


def test_ensure_admin_creates_the_account_once(monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-demo-password")
    call_command("ensure_admin")
    assert "password: a-long-demo-password" in capsys.readouterr().out
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("a-long-demo-password")

    monkeypatch.setenv("ADMIN_PASSWORD", "another-password-ignored")
    call_command("ensure_admin")
    assert "exists already" in capsys.readouterr().out
    user.refresh_from_db()
    assert user.check_password("a-long-demo-password")


@pytest.mark.parametrize("group_name", ["Editors", "Moderators"])
def test_editors_and_moderators_work_in_the_wagtail_admin(client, site_homes, group_name):
    user = get_user_model().objects.create_user("someone", "someone@example.org", "a-long-password-1")
    user.groups.add(Group.objects.get(name=group_name))
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/snippets/core/theme/").status_code == 200
    assert client.get(f"/admin/pages/{site_homes['fr'].pk}/").status_code == 200


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editor_translates_an_untranslated_page_in_the_admin(client, site_homes):
    from participation.core.services import page_create
    from participation.core.tests.factories import StandardPageFactory

    page_create(parent=site_homes["fr"], page=StandardPageFactory(title="Vie privée", slug="vie-privee"))
    alias = StandardPage.objects.get(locale__language_code="nl", slug="vie-privee")
    assert alias.alias_of_id is not None
    editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    # Converting the alias leads to the Translate screen (decision 0019), which starts the translation as a draft.
    response = client.post(f"/admin/pages/{alias.pk}/convert_alias/")
    alias.refresh_from_db()
    assert response.status_code == 302 and alias.alias_of_id is not None
    assert client.post(response["Location"], {"action": "start"}).status_code == 302
    alias.refresh_from_db()
    assert alias.alias_of_id is None
    assert client.get(f"/admin/pages/{alias.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{alias.pk}/history/").status_code == 200


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_the_indexes_are_rebuilt_after_bulk_writes_only_when_a_row_was_written(site_homes):
    """The demo loader's `indexes_rebuilt_after`: nothing written, nothing rebuilt (loading the demo content again);
    a row written, whichever way (here `QuerySet.update()`, which sends no signal), and the indexes are built again."""
    from participation.core.services import indexes_rebuilt_after, page_create
    from participation.core.tests.factories import StandardPageFactory
    from participation.search.models import SearchDocument

    page = page_create(parent=site_homes["fr"], page=StandardPageFactory(title="Vie privée", slug="vie-privee"))
    SearchDocument.objects.all().delete()
    with indexes_rebuilt_after():
        StandardPage.objects.filter(slug="no-such-page").update(title="Nulle part")  # matches no row
    assert not SearchDocument.objects.exists()

    with indexes_rebuilt_after():
        StandardPage.objects.filter(pk=page.pk).update(title="Données personnelles")
    assert SearchDocument.objects.filter(heading="Données personnelles").exists()
