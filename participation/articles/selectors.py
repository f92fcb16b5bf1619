"""Reads of the articles: the filtered, paginated list; relations with sheets and initiatives; structured data.

The models module imports this one (its routes read here): the pages are reached as `models.ArticlePage`, read when
a selector runs."""

from typing import Any

from django.core.paginator import Page as ListPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from participation.articles import models
from participation.core.filters import ChoicesFilter, PublicFilterSet
from participation.core.models import Theme
from participation.core.selectors import page_in_default_language, page_links
from participation.core.structured_data import StructuredData, defined_terms, image, moment, platform
from participation.toolbox.models import ToolboxSheetPage

PAGE_SIZE = 10
FIRST_YEAR = 2024


def year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class ArticleFilterSet(PublicFilterSet):
    """Filters the articles queryset it is given (its declared filters only: no model needed)."""

    keyword_source = ("page", "article")

    theme = ChoicesFilter(field_name="themes__key", label=_("Theme"), vocabulary=Theme)
    year = ChoicesFilter(field_name="date__year", label=_("Year"), choices_function=year_choices)


def articles_of(index: Page) -> QuerySet:
    """The live articles of an index, with what their cards read of their language."""
    return models.ArticlePage.objects.child_of(index).live().public().select_related("locale", "alias_of__locale")


def article_selection(
    *, index: Page, params: QueryDict, theme_key: str | None = None
) -> tuple[ArticleFilterSet, QuerySet]:
    filters = ArticleFilterSet(params, queryset=articles_of(index))
    articles = filters.qs
    if theme_key:
        articles = articles.filter(themes__key=theme_key)
    return filters, articles.select_related("locale", "alias_of__locale").prefetch_related("themes").order_by(
        "-date", "-pk"
    )


def article_page(*, articles: QuerySet, number: str | int) -> ListPage:
    """A page of the list: a number that is not a page gives the first page, one past the end the last page."""
    paginator = Paginator(articles, PAGE_SIZE)
    return paginator.get_page(number if str(number).isdigit() else 1)


def article_relations(*, article: Page) -> dict[str, list]:
    """The sheets and initiatives an article links, in the reader's language."""
    canonical = page_in_default_language(page=article) or article
    keys = canonical.related_sheets.values("translation_key")
    sheets = (
        ToolboxSheetPage.objects.filter(translation_key__in=keys, locale__language_code=get_language())
        .live()
        .select_related("locale", "alias_of__locale")
    )
    initiatives = canonical.related_initiatives.published().prefetch_related("translations")
    map_page = initiatives.model.map_page()
    return {
        "related_sheets": page_links(pages=sheets.order_by("title")),
        "related_initiatives": [initiative.related_link(map_page) for initiative in initiatives] if map_page else [],
    }


def article_share_image(*, article: Page) -> Any:
    """The hero image cropped for link previews and search engines (1200 by 630 pixels), or None."""
    return article.hero_image.get_rendition("fill-1200x630") if article.hero_image_id else None


def article_structured_data(*, article: Page, request: HttpRequest, share_image: Any) -> StructuredData:
    """The article as a schema.org Article (Google's article checklist: headline, image, dates, author)."""
    url = request.build_absolute_uri(article.url)
    thing: dict[str, Any] = {
        "@type": "Article",
        "headline": article.title,
        "name": article.title,
        "description": article.lead,
        "url": url,
        "inLanguage": article.content_language,
        "datePublished": moment(article.date),
        "dateModified": moment(article.last_published_at or timezone.now()),
        "author": {"@type": "Organization", "name": article.author},
        "publisher": platform(request=request),
        "about": defined_terms([theme.display_label for theme in article.themes.all()]),
        "timeRequired": f"PT{article.reading_minutes}M",
    }
    if share_image is not None:
        thing["image"] = image(
            url=request.build_absolute_uri(share_image.url),
            width=share_image.width,
            height=share_image.height,
            caption=article.hero_alt_text,
        )
    return StructuredData(thing=thing, url=url, title=article.title, language=article.content_language)
