import datetime
import time

import feedparser
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.utils import translation
from wagtail.models import Locale

from conftest import fresh
from participation.articles.models import ArticleIndexPage, ArticlePage, Subscriber
from participation.articles.services import CONFIRM_SALT, unsubscribe_token
from participation.core.models import CANONICAL_TERMS, Theme
from participation.core.services import page_create, page_translation_save
from participation.core.tests.html import elements
from participation.initiatives.tests.factories import initiative_create, map_page
from participation.toolbox.tests.factories import sheet_create, toolbox_index

pytestmark = pytest.mark.django_db
BASE = "/fr/articles/"


@pytest.fixture(scope="module")
def module_index(module_homes):
    return page_create(
        parent=module_homes["fr"], page=ArticleIndexPage(title="Articles", slug="articles", lead="Des articles.")
    )


@pytest.fixture
def index(module_index, db):
    return fresh(module_index)


def article_create(index, title, date, themes=(), **fields):
    article = ArticlePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        lead=f"Chapeau de {title}",
        date=date,
        author="Service Participation",
        body=[("paragraph", "<p>" + "mot " * 150 + "</p>")],
        **fields,
    )
    article.themes.set(Theme.objects.filter(key__in=themes, **CANONICAL_TERMS))
    return page_create(parent=index, page=article)


@pytest.fixture(scope="module")
def module_articles(module_index):
    made = [
        article_create(
            module_index,
            f"Article {n:02d}",
            datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            themes=("mobility",) if n % 3 == 0 else ("housing",),
        )
        for n in range(12)
    ]
    made.append(article_create(module_index, "Ancien", datetime.date(2024, 6, 1), themes=("mobility",)))
    return made


@pytest.fixture
def articles(module_articles, db):
    return fresh(module_articles)


def listed(response):
    return [
        a["href"].split("/")[3]
        for a in elements(response.content.decode(), "a")
        if (a.get("href", "").startswith(BASE) and a["href"].count("/") == 4 and "article-" in a["href"])
        or a.get("href") == f"{BASE}ancien/"
    ]


def test_index_lists_newest_first_and_paginates(client, articles):
    response = client.get(BASE)
    first = listed(response)
    assert first[:2] == ["article-11", "article-10"]
    assert elements(response.content.decode(), "a", rel="next", href="?page=2")
    assert len(first) == 10
    second = listed(client.get(f"{BASE}?page=2"))
    assert second == ["article-01", "article-00", "ancien"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "2.5", ""])
def test_invalid_page_numbers_never_fail(client, articles, page):
    response = client.get(f"{BASE}?page={page}")
    assert response.status_code == 200
    assert listed(response)


def test_filters_by_theme_and_year_and_ignores_bad_values(client, articles):
    assert listed(client.get(f"{BASE}?year=2024")) == ["ancien"]
    mobility = listed(client.get(f"{BASE}?theme=mobility"))
    assert mobility == ["article-09", "article-06", "article-03", "article-00", "ancien"]
    assert listed(client.get(f"{BASE}?theme=mobility&year=2025")) == mobility[:-1]
    assert len(listed(client.get(f"{BASE}?theme=atlantis&year=1850"))) == 10


def test_theme_page_and_unknown_theme(client, articles):
    assert listed(client.get(f"{BASE}themes/mobility/"))[-1] == "ancien"
    assert client.get(f"{BASE}themes/atlantis/").status_code == 404


def test_atom_feeds_per_language_and_theme_parse(client, articles, site_homes):
    html = client.get(BASE).content.decode()
    assert elements(html, "link", rel="alternate", type="application/atom+xml", href=f"{BASE}feed/")
    feed = feedparser.parse(client.get(f"{BASE}feed/").content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Articles"
    assert [entry.title for entry in feed.entries[:2]] == ["Article 11", "Article 10"]
    assert feed.entries[0].link == "http://testserver/fr/articles/article-11/"
    themed = feedparser.parse(client.get(f"{BASE}themes/mobility/feed/").content)
    assert not themed.bozo
    assert len(themed.entries) == 5
    nl_index = page_translation_save(
        source=articles[0].get_parent().specific,
        locale=Locale.objects.get(language_code="nl"),
        fields={"slug": "artikels", "title": "Artikels"},
    )
    dutch = feedparser.parse(client.get(f"{nl_index.url}feed/").content)
    assert dutch.feed.title == "Artikels"


def test_article_shows_reading_time_sharing_metadata_and_json_ld(client, articles):
    import json
    import re

    html = client.get(f"{BASE}article-03/").content.decode()
    assert elements(html, "meta", property="og:title", content="Article 03")
    assert elements(html, "meta", property="og:type", content="article")
    assert elements(html, "link", rel="canonical", href="http://testserver/fr/articles/article-03/")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Article" and data["headline"] == "Article 03"
    assert articles[3].reading_minutes == 1


def test_relations_are_shown_on_both_sides(client, site_homes, index):
    sheet = sheet_create(toolbox_index(site_homes["fr"]), title="World café", slug="world-cafe")
    map_page(site_homes["fr"])
    initiative = initiative_create(titles={"fr": "Une place pour tous"})
    article = ArticlePage(
        title="Un cas", slug="un-cas", lead="Un cas.", author="Service", body=[("paragraph", "<p>Texte.</p>")]
    )
    article.related_sheets.set([sheet])
    article.related_initiatives.set([initiative])
    page_create(parent=index, page=article)
    html = client.get(f"{BASE}un-cas/").content.decode()
    assert elements(html, "a", href="/fr/outils/world-cafe/")
    assert elements(html, "a", href=f"/fr/initiatives/{initiative.pk}-une-place-pour-tous/")
    assert elements(client.get("/fr/outils/world-cafe/").content.decode(), "a", href=f"{BASE}un-cas/")
    detail = client.get(f"/fr/initiatives/{initiative.pk}-une-place-pour-tous/").content.decode()
    assert elements(detail, "a", href=f"{BASE}un-cas/")


def subscribe(client, email="lea@example.org", language="nl", themes=("mobility",)):
    themes_pks = [str(t.pk) for t in Theme.objects.filter(key__in=themes, **CANONICAL_TERMS)]
    return client.post(f"{BASE}newsletter/", {"email": email, "language": language, "themes": themes_pks})


def test_subscription_lifecycle(client, index, django_capture_on_commit_callbacks):
    page_translation_save(source=index, locale=Locale.objects.get(language_code="nl"), fields={"slug": "artikels"})
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client)
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None and subscriber.language == "nl"
    (message,) = mail.outbox
    with translation.override("nl"):
        assert (
            translation.gettext("Confirm your subscription to the participation.brussels newsletter") == message.subject
        )
    link = next(line for line in message.body.splitlines() if "/newsletter/confirm/" in line)
    assert link.startswith("http://testserver/nl/artikels/newsletter/confirm/?token=")
    confirmation = client.get(link.replace("http://testserver", ""))
    assert confirmation.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None

    unsubscribe_url = f"{BASE}newsletter/unsubscribe/?token={unsubscribe_token(subscriber)}"
    assert client.get(unsubscribe_url).status_code == 200
    assert Subscriber.objects.exists()  # a link preview does not unsubscribe
    assert client.post(unsubscribe_url).status_code == 200
    assert not Subscriber.objects.exists()


def test_expired_or_forged_confirmation_link_is_refused(client, index):
    subscribe(client)

    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    expired = SignedLongAgo(key=settings.SECRET_KEY, salt=CONFIRM_SALT).sign_object("lea@example.org", compress=True)
    assert client.get(f"{BASE}newsletter/confirm/", {"token": expired}).status_code == 400
    assert client.get(f"{BASE}newsletter/confirm/", {"token": "forged:token"}).status_code == 400
    assert Subscriber.objects.get().confirmed_at is None


def test_subscription_form_errors_keep_values_and_link_fields(client, index):
    response = client.post(f"{BASE}newsletter/", {"email": "not-an-address", "language": "xx"})
    html = response.content.decode()
    assert [a["href"] for a in elements(html, "a") if a.get("href", "").startswith("#id_")] == [
        "#id_email",
        "#id_language_0",
    ]
    assert elements(html, "input", name="email", value="not-an-address")
    assert not Subscriber.objects.exists()


def test_editors_export_confirmed_subscribers_only_and_data_stays_private(
    client, index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "confirmed@example.org")
        subscribe(client, "pending@example.org")
    Subscriber.objects.filter(email="confirmed@example.org").update(
        confirmed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    assert client.get("/admin/newsletter/subscribers.csv").status_code == 302  # anonymous: to the login
    editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    csv_text = client.get("/admin/newsletter/subscribers.csv").content.decode()
    lines = csv_text.splitlines()
    assert lines[0] == "email,language,topics,confirmed_at,unsubscribe_url"
    assert len(lines) == 2 and lines[1].startswith("confirmed@example.org,nl,mobility,")
    assert "/newsletter/unsubscribe/" in lines[1]
    client.logout()
    for path in (BASE, f"{BASE}feed/", f"{BASE}newsletter/", "/sitemap.xml"):
        assert "confirmed@example.org" not in client.get(path).content.decode()


def test_demo_articles_exist_in_three_languages_with_the_same_blocks():
    from participation.articles.demo import article_contents

    items = article_contents()
    assert len(items) >= 12
    for item in items:
        texts = item["translations"]
        assert set(texts) == {"fr", "nl", "en"}, item["key"]
        shapes = {code: [next(iter(block)) for block in text["body"]] for code, text in texts.items()}
        assert shapes["fr"] == shapes["nl"] == shapes["en"], item["key"]
        if item["demo"]:
            assert "démo" in item["author"].lower() or "demo" in item["author"].lower()
