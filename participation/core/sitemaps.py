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
