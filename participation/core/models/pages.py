from django.conf import settings
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from participation.core.blocks import RICH_TEXT_FEATURES, BodyBlock, EntryPointBlock
from participation.core.text import language_name_in_text


class TranslatedPageMixin:
    """Knows when a page is shown in another language than the one asked for.

    With the page tree synchronised between languages, a page that has not been translated yet exists in the other
    languages as an alias of its original: same content, served under the requested language's address.
    """

    @property
    def content_locale(self):
        if self.alias_of_id:
            return self.alias_of.locale
        if self.translation_pending_source:
            return Locale.objects.get(language_code=self.translation_pending_source)
        return self.locale

    @property
    def translation_pending_source(self) -> str:
        """The source's language when this page's translation is started but not published: its live content is
        still the source's (decision 0019). Read from a cache, not the database."""
        from participation.core.translation_selectors import pending_page_sources  # models import no selectors

        if not self.pk or not self.locale_id:
            return ""
        return pending_page_sources().get(f"{self.translation_key}:{self.locale_id}", "")

    @property
    def is_fallback(self):
        # Read without loading the page's locale: lists ask it of every page they link.
        if self.alias_of_id:
            return self.alias_of.locale_id != self.locale_id
        return bool(self.translation_pending_source)

    @property
    def content_language(self):
        return self.content_locale.language_code

    @property
    def content_language_name(self):
        """The name of the page's language, as written in a sentence of the active language."""
        return language_name_in_text(self.content_language)


class RoutedPageMixin(RoutablePageMixin):
    """A page with routes under its address (Wagtail's RoutablePageMixin).

    Route methods render through the page, `self.render(request, template=…, context_overrides=…)`, so that
    `get_context` runs for every route as for the page itself; `route_url` gives a route's address, built by
    `reverse_subpage` in the page's language.

    Route patterns are translated like Django's URL patterns (`path(_("providers/"), …)`): each language has its own
    words. The English address of a route, and the address of a value that has a slug per language (a commune, a
    theme), answer with a permanent redirect to the page's own (`route_localize`), so links made before keep working.
    """

    # The language whose patterns the addresses had before they were translated.
    LEGACY_ROUTE_LANGUAGE = "en"

    def route_url(self, name: str, **kwargs) -> str:
        with translation.override(self.locale.language_code):
            kwargs = self.route_localize(name, kwargs)
            return self.url + self.reverse_subpage(name, kwargs=kwargs or None)

    def route_localize(self, name: str, kwargs: dict) -> dict:
        """The arguments of route `name` as this page's language writes them (a commune's slug, say), from any
        language's. Called with the page's language active; pages with such arguments override it."""
        return kwargs

    def route_redirect(self, request, name: str, **kwargs) -> HttpResponsePermanentRedirect:
        """A permanent redirect to a route of this page, the request's query string kept (an address of before)."""
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(self.route_url(name, **kwargs) + (f"?{query}" if query else ""))

    def route_alternate_url(self, request) -> str | None:
        """The address of the route `request` is on, on this page (a translation of the page it was served by),
        without the query string; None when the request is not on a named route."""
        match = getattr(request, "routable_resolver_match", None)
        if match is None or not match.url_name:
            return None
        try:
            return self.route_url(match.url_name, **match.kwargs)
        except Http404:
            return None

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            target = self._route_legacy_target(request, path_components)
            if target is None:
                raise
            return RouteResult(self, args=(lambda request: HttpResponsePermanentRedirect(target), (), {}))

    def _route_legacy_target(self, request, path_components) -> str | None:
        """Where an address written with another language's words (or another language's slug of a value) lives now,
        or None when it is no route of this page."""
        if not self.live or not path_components:
            return None
        path = "/" + "/".join(path_components) + "/"
        languages = [self.LEGACY_ROUTE_LANGUAGE, self.locale.language_code]
        languages += [code for code, _name in settings.LANGUAGES if code not in languages]
        for language in languages:
            with translation.override(language):
                try:
                    match = self.get_resolver().resolve(path)
                except Resolver404:
                    continue
            if not match.url_name:
                continue
            try:
                target = self.route_url(match.url_name, **match.kwargs)
            except (Http404, LookupError):
                continue
            if target.rstrip("/") != (self.url + path[1:]).rstrip("/"):
                query = request.META.get("QUERY_STRING", "")
                return target + (f"?{query}" if query else "")
        return None


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

    def get_context(self, request, *args, **kwargs):
        from participation.core.selectors import home_sections

        context = super().get_context(request, *args, **kwargs)
        context["home_sections"] = home_sections(language=self.locale.language_code)
        return context


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
