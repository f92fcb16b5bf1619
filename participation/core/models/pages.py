from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from participation.core.blocks import RICH_TEXT_FEATURES, BodyBlock, EntryPointBlock


class TranslatedPageMixin:
    """Knows when a page is shown in another language than the one asked for.

    With the page tree synchronised between languages, a page that has not been translated yet exists in the other
    languages as an alias of its original: same content, served under the requested language's address.
    """

    @property
    def content_locale(self):
        if self.alias_of_id:
            return self.alias_of.locale
        return self.locale

    @property
    def is_fallback(self):
        return self.content_locale.pk != self.locale_id

    @property
    def content_language(self):
        return self.content_locale.language_code

    @property
    def content_language_name(self):
        return get_language_info(self.content_language)["name_translated"]


class RoutedPageMixin(RoutablePageMixin):
    """A page with routes under its address (Wagtail's RoutablePageMixin).

    Route methods render through the page, `self.render(request, template=…, context_overrides=…)`, so that
    `get_context` runs for every route as for the page itself; `route_url` gives a route's address, built by
    `reverse_subpage`.
    """

    def route_url(self, name: str, **kwargs) -> str:
        return self.url + self.reverse_subpage(name, kwargs=kwargs or None)


class HomePage(TranslatedPageMixin, Page):
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES)
    entry_points_heading = models.CharField(_("entry points heading"), max_length=120)
    entry_points = StreamField([("entry_point", EntryPointBlock())], verbose_name=_("entry points"), blank=True)
    featured_heading = models.CharField(_("featured content heading"), max_length=120, blank=True)
    featured = StreamField(
        [("page", blocks.PageChooserBlock(label=_("page")))], verbose_name=_("featured content"), blank=True
    )

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("entry_points_heading"),
        FieldPanel("entry_points"),
        FieldPanel("featured_heading"),
        FieldPanel("featured"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("home page")


class StandardPage(TranslatedPageMixin, Page):
    """A page of text: section introductions, the accessibility statement, the privacy notice, about."""

    lead = models.CharField(_("lead"), max_length=300, help_text=_("One sentence shown under the title."))
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    menu_title = models.CharField(
        _("menu title"), max_length=60, blank=True, help_text=_("Short label for the navigation; the title if empty.")
    )
    show_in_footer = models.BooleanField(_("show in footer"), default=False)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title"), FieldPanel("show_in_footer")]
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")
