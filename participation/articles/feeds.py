"""Atom feeds of the articles: all of an index's articles, or those of one theme."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.feedgenerator import Atom1Feed

from participation.articles import selectors
from participation.core.models import Theme

if TYPE_CHECKING:
    from participation.articles.models import ArticleIndexPage, ArticlePage

FEED_SIZE = 30


class ArticleFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index: ArticleIndexPage, theme: Theme | None = None):
        super().__init__()
        self.index, self.theme = index, theme

    def title(self) -> str:
        return f"{self.index.title} – {self.theme.label}" if self.theme else self.index.title

    def subtitle(self) -> str:
        return self.index.lead

    def link(self) -> str:
        return self.index.route_url("theme", key=self.theme.key) if self.theme else self.index.url

    def items(self) -> QuerySet[ArticlePage]:
        theme_key = self.theme.key if self.theme else None
        return selectors.article_selection(index=self.index, params=QueryDict(), theme_key=theme_key)[1][:FEED_SIZE]

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.lead

    def item_link(self, item: ArticlePage) -> str:
        return item.url

    def item_pubdate(self, item: ArticlePage) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> datetime | None:
        return item.last_published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return item.author

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [theme.display_label for theme in item.themes.all()]
