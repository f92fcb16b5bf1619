import datetime

import feedparser
import pytest
from wagtail.models import Locale

from conftest import fresh, query_count
from participation.articles.models import ArticleIndexPage, ArticlePage
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
        **{"body": [("paragraph", "<p>" + "mot " * 150 + "</p>")], **fields},
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
    assert listed(client.get(f"{BASE}themes/mobilite/"))[-1] == "ancien"
    assert client.get(f"{BASE}themes/atlantis/").status_code == 404


def test_theme_addresses_are_in_the_page_language_and_the_key_redirects(client, articles):
    """A theme's address is its name in the page's language; the address by key (before) moves permanently."""
    response = client.get(f"{BASE}themes/mobility/?page=1")
    assert response.status_code == 301
    assert response["Location"] == f"{BASE}themes/mobilite/?page=1"
    html = client.get(BASE).content.decode()
    assert f'href="{BASE}themes/mobilite/"' in html


def test_atom_feeds_per_language_and_theme_parse(client, articles, site_homes):
    html = client.get(BASE).content.decode()
    assert elements(html, "link", rel="alternate", type="application/atom+xml", href=f"{BASE}feed/")
    feed = feedparser.parse(client.get(f"{BASE}feed/").content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Articles"
    assert [entry.title for entry in feed.entries[:2]] == ["Article 11", "Article 10"]
    assert feed.entries[0].link == "http://testserver/fr/articles/article-11/"
    themed = feedparser.parse(client.get(f"{BASE}themes/mobilite/feed/").content)
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


def test_demo_articles_exist_in_three_languages_with_the_same_blocks():
    from participation.articles.demo import article_contents

    items = article_contents()
    assert len(items) >= 12
    for item in items:
        texts = item["translations"]
        assert set(texts) == {"fr", "nl", "en"}, item["key"]
        shapes = {code: [next(iter(block)) for block in text["body"]] for code, text in texts.items()}
        assert shapes["fr"] == shapes["nl"] == shapes["en"], item["key"]
        authors = item["author"] if isinstance(item["author"], dict) else dict.fromkeys(texts, item["author"])
        if item["demo"]:
            assert all("démo" in name.lower() or "demo" in name.lower() for name in authors.values())
        # An article is signed in its own language: the Dutch one by the "Dienst Participatie", never in French.
        assert set(authors) == {"fr", "nl", "en"}, item["key"]
        assert "Service Participation" not in authors["nl"] + authors["en"], item["key"]


@pytest.mark.parametrize("query", ["", "?theme=mobility"])
def test_index_runs_a_constant_number_of_queries(client, articles, index, query):
    before = query_count(client, f"{BASE}{query}")
    for n in range(3):
        article_create(index, f"Encore {n}", datetime.date(2025, 3, 1), themes=("mobility",))
    assert query_count(client, f"{BASE}{query}") == before


def test_images_are_responsive_with_their_size_and_lazy_below_the_first_view(client, index, settings, tmp_path):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Picture.new("RGB", (1600, 900), "teal").save(buffer, "JPEG")
    image = get_image_model().objects.create(title="Place", file=ImageFile(buffer, name="place.jpg"))
    article = article_create(
        index,
        "Avec images",
        datetime.date(2025, 4, 1),
        hero_image=image,
        hero_alt_text="Une place",
        body=[("image", {"image": image, "alt_text": "La place le soir", "caption": ""})],
    )
    html = client.get(article.url).content.decode()
    hero, figure = elements(html, "img", alt="Une place") + elements(html, "img", alt="La place le soir")
    for img in (hero, figure):
        assert sorted(candidate.split()[-1] for candidate in img["srcset"].split(", ")) == ["1350w", "450w", "900w"]
        assert img["sizes"] == "(max-width: 44rem) 100vw, 42rem"
        assert (img["width"], img["height"]) == ("900", "506"), "the fallback is the column's width"
    assert hero["fetchpriority"] == "high" and "loading" not in hero
    assert figure["loading"] == "lazy"
    # WebP for the browsers that take it (all today's), in the same widths; the JPEG above for the others.
    sources = elements(html, "source", type="image/webp")
    assert len(sources) == 2
    for source in sources:
        candidates = [candidate.split() for candidate in source["srcset"].split(", ")]
        assert sorted(width for _url, width in candidates) == ["1350w", "450w", "900w"]
        assert all(url.endswith(".webp") for url, _width in candidates)
        assert source["sizes"] == "(max-width: 44rem) 100vw, 42rem"
