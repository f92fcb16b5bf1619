from django.contrib.sitemaps import Sitemap

from participation.network.models import NetworkPage


class NetworkSitemap(Sitemap):
    """The calendar of the network (upcoming and past events), in every language of the network page. Events are
    pages: the page sitemap lists them."""

    def __init__(self, request):
        self.request = request

    def items(self):
        bases = {
            page.locale.language_code: page.url for page in NetworkPage.objects.live().public().select_related("locale")
        }
        return [[(code, base + suffix) for code, base in bases.items()] for suffix in ["events/", "events/past/"]]

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
