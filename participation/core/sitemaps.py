from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from wagtail.models import Page

from participation.core.selectors import hreflang_alternates
from participation.core.translation_selectors import pending_page_sources


def _alternates(versions):
    return [{"lang_code": code, "location": url} for code, url in hreflang_alternates(versions=versions)]


class PageSitemap(Sitemap):
    """Every live public page in every language, each with its translations as `hreflang` alternates.

    Aliases standing in for a missing translation, and translations started but not published, are left out: they
    repeat their original's content.
    """

    def __init__(self, request=None):
        self.request = request

    def items(self):
        pending = pending_page_sources()
        pages = (
            Page.objects.live()
            .public()
            .filter(depth__gt=1, alias_of__isnull=True)
            .select_related("locale")
            .order_by("path")
        )
        # A translation started but not published still shows its original's content, as an alias does.
        return [page for page in pages if f"{page.translation_key}:{page.locale_id}" not in pending]

    def _absolute(self, page):
        return self.request.build_absolute_uri(page.get_url(self.request))

    def _urls(self, page, protocol, domain):
        pages = self.paginator.page(page).object_list
        by_key = defaultdict(list)
        for item in pages:
            by_key[item.translation_key].append(item)
        urls = []
        for item in pages:
            versions = [(other.locale.language_code, self._absolute(other)) for other in by_key[item.translation_key]]
            urls.append(
                {
                    "item": item,
                    "location": self._absolute(item),
                    "lastmod": item.last_published_at,
                    "alternates": _alternates(versions),
                }
            )
        return urls


class RoutesSitemap(Sitemap):
    """The routes of a routed page (RoutedPageMixin) in every language the page is live in, each with the same
    route in the other languages as `hreflang` alternates. Subclasses name the page model and its routes."""

    page_model: type[Page]

    def __init__(self, request):
        self.request = request

    def routes(self) -> list[tuple[str, dict]]:
        """(route name, route arguments) of every address to list."""
        raise NotImplementedError

    def items(self):
        pages = list(self.page_model.objects.live().public().select_related("locale"))
        return [
            [(page.locale.language_code, page.route_url(name, **arguments)) for page in pages]
            for name, arguments in self.routes()
        ]

    def _urls(self, page, protocol, domain):
        absolute = self.request.build_absolute_uri
        urls = []
        for versions in self.paginator.page(page).object_list:
            alternates = _alternates([(code, absolute(url)) for code, url in versions])
            urls += [{"item": versions, "location": absolute(url), "alternates": alternates} for _code, url in versions]
        return urls
