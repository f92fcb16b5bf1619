from collections import defaultdict

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from wagtail.models import Page


class PageSitemap(Sitemap):
    """Every live public page in every language, each with its translations as `hreflang` alternates.

    Aliases standing in for a missing translation are left out: they repeat their original's content.
    """

    def __init__(self, request=None):
        self.request = request

    def items(self):
        return list(
            Page.objects.live()
            .public()
            .filter(depth__gt=1, alias_of__isnull=True)
            .select_related("locale")
            .order_by("path")
        )

    def _absolute(self, page):
        return self.request.build_absolute_uri(page.get_url(self.request))

    def _urls(self, page, protocol, domain):
        pages = self.paginator.page(page).object_list
        by_key = defaultdict(list)
        for item in pages:
            by_key[item.translation_key].append(item)
        urls = []
        for item in pages:
            alternates = [
                {"lang_code": other.locale.language_code, "location": self._absolute(other)}
                for other in by_key[item.translation_key]
            ]
            default = next((a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None)
            if default:
                alternates.append({"lang_code": "x-default", "location": default["location"]})
            urls.append(
                {
                    "item": item,
                    "location": self._absolute(item),
                    "lastmod": item.last_published_at,
                    "alternates": alternates if len(alternates) > 1 else [],
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
        return [
            {
                "item": versions,
                "location": absolute(location),
                "alternates": [{"lang_code": code, "location": absolute(url)} for code, url in versions],
            }
            for versions in self.paginator.page(page).object_list
            for _code, location in versions
        ]
