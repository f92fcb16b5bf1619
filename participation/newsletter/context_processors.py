from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from participation.newsletter.selectors import newsletter_host

CACHE_SECONDS = 300


def newsletter(request: HttpRequest) -> dict[str, str]:
    """The address of the newsletter form in the active language, for the footer of every page (cached)."""
    language = get_language()

    def find() -> str:
        host = newsletter_host(language=language)
        return host.route_url("newsletter") if host else ""

    return {"NEWSLETTER_URL": cache.get_or_set(f"newsletter:url:{language}", find, CACHE_SECONDS)}
