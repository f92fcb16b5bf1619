from django.contrib.sitemaps import Sitemap

from participation.core.models import PurchasingLot
from participation.providers.models import Provider, PurchasingCentrePage


class PurchasingCentreSitemap(Sitemap):
    """The directory, each provider, each lot and the eligibility check, in every language of the centre's page."""

    def __init__(self, request):
        self.request = request

    def items(self):
        bases = {
            page.locale.language_code: page.url
            for page in PurchasingCentrePage.objects.live().public().select_related("locale")
        }
        suffixes = ["providers/", "eligibility/", "request/"]
        suffixes += [f"providers/{slug}/" for slug in Provider.objects.values_list("slug", flat=True)]
        suffixes += [f"lots/{number}/" for number in PurchasingLot.objects.values_list("number", flat=True).distinct()]
        return [[(code, base + suffix) for code, base in bases.items()] for suffix in suffixes]

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
