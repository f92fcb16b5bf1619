from django.conf import settings
from django.contrib.sitemaps import Sitemap

from participation.core.models import Commune
from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation


class InitiativeSitemap(Sitemap):
    """Each published initiative in each language it has a text in, with its other languages as alternates;
    plus the commune pages and the statistics of every language."""

    limit = 5000

    def __init__(self, request):
        self.request = request

    def items(self):
        bases = {
            page.locale.language_code: page.url
            for page in InitiativeIndexPage.objects.live().public().select_related("locale")
        }
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
        for suffixes in [[f"communes/{key}/"] for key in keys] + [["statistics/"]]:
            versions = [(code, f"{base}{suffixes[0]}", None) for code, base in bases.items()]
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
                    {"lang_code": code, "location": absolute(location)} for code, location, _u in item["alternates"]
                ]
                if len(item["alternates"]) > 1
                else [],
            }
            for item in self.paginator.page(page).object_list
        ]
