"""Demo content of the articles: the article index and the articles in content/*.yaml, in FR, NL and EN.
Idempotent: an existing article (same French slug) is kept."""

import json
from pathlib import Path

from django.conf import settings

from participation.articles.models import ArticleIndexPage, ArticlePage
from participation.core.content import content_read
from participation.core.models import HomePage, StandardPage, Theme
from participation.core.services import page_create, section_page_ensure
from participation.initiatives.demo import initiative_contents
from participation.initiatives.models import Initiative, InitiativeTranslation
from participation.toolbox.demo import sheet_contents
from participation.toolbox.models import ToolboxSheetPage

CONTENT_DIR = Path(__file__).parent / "content"
OLD_NEWSLETTER_SLUGS = ["lettre-information", "nieuwsbrief", "newsletter"]


def article_contents():
    return [content_read(path) for path in sorted(CONTENT_DIR.glob("*.yaml")) if path.name != "index.yaml"]


def _body(blocks):
    stream = []
    for block in blocks:
        ((block_type, value),) = block.items()
        if block_type in ("paragraph", "callout"):
            value = value.strip()
        stream.append({"type": block_type, "value": value})
    return json.dumps(stream)


def _fields(text, author, language):
    return {
        "title": text["title"],
        "slug": text["slug"],
        "lead": text["lead"].strip(),
        "body": _body(text["body"]),
        # The signature in the article's language (one per language, or the same everywhere).
        "author": author.get(language, author[settings.LANGUAGE_CODE]) if isinstance(author, dict) else author,
    }


def load(stdout):
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    content = content_read(CONTENT_DIR / "index.yaml")["translations"]
    indexes = section_page_ensure(homes=homes, model=ArticleIndexPage, fields_by_language=content, position=2)
    # The newsletter now has its form under the articles; the former explanation page goes.
    StandardPage.objects.filter(slug__in=OLD_NEWSLETTER_SLUGS, show_in_footer=True).delete()

    default = settings.LANGUAGE_CODE
    themes = {t.key: t for t in Theme.objects.filter(locale__language_code=default)}
    sheet_slugs = {c["key"]: c["translations"][default]["slug"] for c in sheet_contents()}
    sheets = {s.slug: s for s in ToolboxSheetPage.objects.filter(locale__language_code=default)}
    titles = dict(InitiativeTranslation.objects.values_list("title", "initiative_id"))
    initiatives = {
        item["key"]: titles.get(item["translations"][item["original_language"]]["title"].strip())
        for item in initiative_contents()
    }
    created = 0
    items = article_contents()
    for item in items:
        texts = item["translations"]
        if ArticlePage.objects.child_of(indexes[default]).filter(slug=texts[default]["slug"]).exists():
            continue
        article = ArticlePage(
            **_fields(texts[default], item["author"], default), date=item["date"], is_demo=item["demo"]
        )
        article.themes.set([themes[key] for key in item.get("themes", []) if key in themes])
        article.related_sheets.set(
            [sheets[sheet_slugs[k]] for k in item.get("sheets", []) if sheet_slugs.get(k) in sheets]
        )
        article.related_initiatives.set(
            Initiative.objects.filter(
                pk__in=[initiatives[key] for key in item.get("initiatives", []) if initiatives.get(key)]
            )
        )
        translations = {code: _fields(texts[code], item["author"], code) for code in homes if code != default}
        page_create(parent=indexes[default], page=article, translations=translations)
        created += 1
    stdout.write(f"Articles: {len(items)} in the demo content ({created} new).")
