"""Reads of the newsletter: the pages that host its routes (the article index of each language), the confirmed
subscribers."""

from django.db.models import QuerySet

from participation.articles.models import ArticleIndexPage
from participation.newsletter.models import Subscriber


def newsletter_host(*, language: str) -> ArticleIndexPage | None:
    """The live page whose routes are the newsletter's pages in this language."""
    return ArticleIndexPage.objects.filter(locale__language_code=language).live().first()


def newsletter_hosts() -> dict[str, ArticleIndexPage]:
    """The live host page of each language, by language code."""
    return {page.locale.language_code: page for page in ArticleIndexPage.objects.live().select_related("locale")}


def subscribers_confirmed() -> QuerySet[Subscriber]:
    return Subscriber.objects.exclude(confirmed_at=None).prefetch_related("themes").order_by("email")
