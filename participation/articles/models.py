"""Thematic articles (Wagtail pages under an article index with theme pages and Atom feeds) and the newsletter's
subscribers (private: only editors see them, through the admin's CSV export)."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from participation.articles.blocks import ArticleBodyBlock
from participation.core.models import CANONICAL_TERMS, Theme, TranslatedPageMixin
from participation.core.text import reading_minutes


class ArticleIndexPage(RoutablePageMixin, TranslatedPageMixin, Page):
    lead = models.CharField(_("lead"), max_length=300)
    menu_title = models.CharField(_("menu title"), max_length=60, blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]
    subpage_types = ["articles.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("articles")

    @path("")
    def article_list(self, request):
        return _views().article_list(request, index=self)

    @path("themes/<slug:key>/", name="theme")
    def theme(self, request, key):
        return _views().article_list(request, index=self, theme_key=key)

    @path("feed/", name="feed")
    def feed(self, request):
        return _views().article_feed(request, index=self)

    @path("themes/<slug:key>/feed/", name="theme_feed")
    def theme_feed(self, request, key):
        return _views().article_feed(request, index=self, theme_key=key)

    @path("newsletter/", name="newsletter")
    def newsletter(self, request):
        return _views().newsletter_subscribe(request, index=self)

    # Signed tokens travel in the query string: page addresses only allow letters, digits and hyphens.
    @path("newsletter/confirm/", name="newsletter_confirm")
    def newsletter_confirm(self, request):
        return _views().newsletter_confirm(request, index=self, token=request.GET.get("token", ""))

    @path("newsletter/unsubscribe/", name="newsletter_unsubscribe")
    def newsletter_unsubscribe(self, request):
        return _views().newsletter_unsubscribe(request, index=self, token=request.GET.get("token", ""))

    def token_url(self, name, token):
        return f"{self.route_url(name)}?{urlencode({'token': token})}"

    def route_url(self, name, **kwargs):
        return self.url + self.reverse_subpage(name, kwargs=kwargs or None)


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

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def plain_text(self):
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
        from participation.articles import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.article_relations(article=self))
        context["json_ld"] = selectors.article_json_ld(article=self, request=request)
        return context


class Subscriber(models.Model):
    """A newsletter subscriber. Private: never shown publicly; editors export the confirmed ones as CSV."""

    email = models.EmailField(_("email"), unique=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("topics"), blank=True, limit_choices_to=CANONICAL_TERMS, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        permissions = [("export_subscribers", _("Can export the newsletter subscribers"))]

    def __str__(self):
        return self.email


def _views():
    from participation.articles import views

    return views
