from participation.core.sitemaps import RoutesSitemap
from participation.network.models import NetworkPage


class NetworkSitemap(RoutesSitemap):
    """The calendar of the network (upcoming and past events), in every language of the network page. Events are
    pages: the page sitemap lists them."""

    page_model = NetworkPage

    def routes(self):
        return [("calendar", {}), ("past", {})]
