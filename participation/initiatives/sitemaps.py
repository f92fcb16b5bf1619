from django.conf import settings
from django.contrib.sitemaps import Sitemap

from participation.core.models import Commune
from participation.core.selectors import hreflang_alternates
from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation


class InitiativeSitemap(Sitemap):
    """Each published initiative in each language it has a text in, with its other languages as alternates;
    plus the commune pages and the statistics of every language."""

    limit = 5000

    def __init__(self, request):
        self.request = request

    def items(self):
        pages = {
            page.locale.language_code: page
            for page in InitiativeIndexPage.objects.live().public().select_related("locale")
        }
        bases = {code: page.url for code, page in pages.items()}
        texts = InitiativeTranslation.objects.filter(
            initiative__in=Initiative.objects.published(), language__in=bases
        ).values_list("initiative_id", "language", "slug", "initiative__updated_at")
        by_initiative = {}
        for pk, language, slug, updated in texts:
            by_initiative.setdefault(pk, []).append((language, f"{bases[language]}{pk}-{slug}/", updated))
        items = [
            {"location": location, "lastmod": updated, "alternates": versions}
            for versions in by_initiative.values()
            for _language, location, updated in versions
        ]
        keys = Commune.objects.filter(locale__language_code=settings.LANGUAGE_CODE).values_list("key", flat=True)
        # The commune pages and the statistics, at their address in each language (communes/elsene/ is
        # gemeenten/elsene/ in Dutch).
        routes = [("commune", {"key": key}) for key in keys] + [("statistics", {})]
        for name, arguments in routes:
            versions = [(code, page.route_url(name, **arguments), None) for code, page in pages.items()]
            items += [
                {"location": location, "lastmod": None, "alternates": versions} for _code, location, _u in versions
            ]
        return items

    def _urls(self, page, protocol, domain):
        absolute = self.request.build_absolute_uri
        return [
            {
                "item": item,
                "location": absolute(item["location"]),
                "lastmod": item["lastmod"],
                "alternates": [
                    {"lang_code": code, "location": location}
                    for code, location in hreflang_alternates(
                        versions=[(code, absolute(location)) for code, location, _u in item["alternates"]]
                    )
                ],
            }
            for item in self.paginator.page(page).object_list
        ]
