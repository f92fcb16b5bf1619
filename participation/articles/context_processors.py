from django.core.cache import cache
from django.utils.translation import get_language

from participation.articles.models import ArticleIndexPage

CACHE_SECONDS = 300


def newsletter(request):
    """The address of the newsletter form in the active language, for the footer of every page (cached)."""
    language = get_language()

    def find():
        index = ArticleIndexPage.objects.filter(locale__language_code=language).live().first()
        return index.route_url("newsletter") if index else ""

    return {"NEWSLETTER_URL": cache.get_or_set(f"articles:newsletter-url:{language}", find, CACHE_SECONDS)}
