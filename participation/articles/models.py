"""Thematic articles: Wagtail pages under an article index whose routes are the list, theme pages, Atom feeds and
the newsletter's pages. Routes render through the index and read through selectors."""

from django.conf import settings
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from participation.articles import feeds, selectors
from participation.articles.blocks import ArticleBodyBlock
from participation.core.models import CANONICAL_TERMS, RoutedPageMixin, Theme, TranslatedPageMixin
from participation.core.selectors import term_key_by_slug, term_slugs
from participation.core.text import reading_minutes
from participation.newsletter.routes import NewsletterRoutesMixin


class ArticleIndexPage(NewsletterRoutesMixin, RoutedPageMixin, TranslatedPageMixin, Page):
    """The articles: the list and theme pages, their Atom feeds and the newsletter's pages are routes."""

    lead = models.CharField(_("lead"), max_length=300)
    menu_title = models.CharField(_("menu title"), max_length=60, blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]
    subpage_types = ["articles.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("articles")

    @path("")
    def article_list(self, request: HttpRequest) -> HttpResponse:
        return self._list(request)

    def route_localize(self, name: str, kwargs: dict) -> dict:
        if "key" in kwargs:
            language = self.locale.language_code
            key, _exact = term_key_by_slug(model=Theme, slug=kwargs["key"], language=language)
            if key is None:
                raise Http404
            return {**kwargs, "key": term_slugs(model=Theme, language=language)[key]}
        return kwargs

    @path(_("themes/<slug:key>/"), name="theme")
    def theme(self, request: HttpRequest, key: str) -> HttpResponse:
        theme, exact = _theme(key)
        if not exact:
            return self.route_redirect(request, "theme", key=key)
        return self._list(request, theme=theme)

    @path("feed/", name="feed")
    def feed(self, request: HttpRequest) -> HttpResponse:
        return feeds.ArticleFeed(self)(request)

    @path(_("themes/<slug:key>/feed/"), name="theme_feed")
    def theme_feed(self, request: HttpRequest, key: str) -> HttpResponse:
        theme, exact = _theme(key)
        if not exact:
            return self.route_redirect(request, "theme_feed", key=key)
        return feeds.ArticleFeed(self, theme)(request)

    def _list(self, request: HttpRequest, theme: Theme | None = None) -> HttpResponse:
        theme_key = theme.key if theme else None
        state, articles = selectors.article_selection(index=self, params=request.GET, theme_key=theme_key)
        list_page = selectors.article_page(articles=articles, number=request.GET.get("page", "1"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.render(
            request,
            context_overrides={
                "theme": theme,
                "filters": state,
                "articles": list_page.object_list,
                "list_page": list_page,
                "query_string": query.urlencode(),
                "list_url": self.route_url("theme", key=theme_key) if theme else self.url,
                "feed_url": self.route_url("theme_feed", key=theme_key) if theme else self.route_url("feed"),
                "themes": [
                    (term.label, self.route_url("theme", key=term.key))
                    for term in Theme.objects.filter(locale__language_code=get_language())
                ],
                "newsletter_url": self.route_url("newsletter"),
            },
        )


def _theme(slug: str) -> tuple[Theme, bool]:
    """The theme in the active language whose address (or key, or another language's address) is `slug`, and whether
    `slug` is its address in this language."""
    key, exact = term_key_by_slug(model=Theme, slug=slug, language=get_language())
    theme = Theme.objects.filter(key=key, locale__language_code=get_language()).first() if key else None
    if theme is None:
        raise Http404
    return theme, exact


class ArticlePage(TranslatedPageMixin, Page):
    lead = models.CharField(_("lead"), max_length=300)
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.CharField(_("author"), max_length=120)
    is_demo = models.BooleanField(_("demo content"), default=False)
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, limit_choices_to=CANONICAL_TERMS, related_name="articles"
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt_text = models.CharField(_("alternative text of the hero image"), max_length=250, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=1, editable=False)
    related_sheets = ParentalManyToManyField(
        "toolbox.ToolboxSheetPage",
        verbose_name=_("related sheets"),
        blank=True,
        related_name="articles",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    related_initiatives = ParentalManyToManyField(
        "initiatives.Initiative", verbose_name=_("related initiatives"), blank=True, related_name="articles"
    )

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author"), FieldPanel("is_demo"), FieldPanel("themes")], heading=_("About")
        ),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt_text")], heading=_("Hero image")),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("related_sheets"), FieldPanel("related_initiatives")], heading=_("Related content")
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    search_kind = "article"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def search_facts(self):
        """What the site search adds to the article's text: its themes and sheets, the year it was published."""
        from participation.core.search import page_titles, term_tags

        themes = list(self.themes.all())
        return {
            "tags": " · ".join([term_tags(themes), page_titles(self.related_sheets.all()), self.author]),
            "themes": tuple(theme.key for theme in themes),
            "year": self.date.year,
        }

    @property
    def plain_text(self) -> str:
        parts = [self.title, self.lead]
        for block in self.body:
            value = block.value
            if block.block_type in ("paragraph", "callout"):
                parts.append(strip_tags(value.source))
            elif block.block_type == "heading":
                parts.append(value)
            elif block.block_type == "quote":
                parts.append(value["text"])
            elif block.block_type == "video":
                parts.append(strip_tags(value["transcript"].source))
        return " ".join(parts)

    def save(self, *args, **kwargs):
        self.reading_minutes = reading_minutes(self.plain_text)
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.article_relations(article=self))
        context["share_image"] = selectors.article_share_image(article=self)
        context["structured_data"] = selectors.article_structured_data(
            article=self, request=request, share_image=context["share_image"]
        )
        index = self.get_parent().specific
        context["theme_links"] = [
            (theme.display_label, index.route_url("theme", key=theme.key)) for theme in self.themes.all()
        ]
        return context
