from participation.core.models import PurchasingLot
from participation.core.sitemaps import RoutesSitemap
from participation.providers.models import Provider, PurchasingCentrePage


class PurchasingCentreSitemap(RoutesSitemap):
    """The directory, each provider, each lot and the eligibility check, in every language of the centre's page."""

    page_model = PurchasingCentrePage

    def routes(self):
        numbers = PurchasingLot.objects.values_list("number", flat=True).distinct().order_by("number")
        return [
            ("directory", {}),
            ("eligibility", {}),
            ("request", {}),
            *(("provider", {"slug": slug}) for slug in Provider.objects.values_list("slug", flat=True)),
            *(("lot", {"number": number}) for number in numbers),
        ]
