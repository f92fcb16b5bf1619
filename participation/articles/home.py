"""What the home page shows of the articles: the latest three (core.selectors.home_section_register)."""

from django.utils.translation import gettext as _

from participation.articles import selectors
from participation.articles.models import ArticleIndexPage
from participation.core.selectors import HomeSection, home_section_register

LATEST = 3


def latest_articles(language: str) -> HomeSection | None:
    index = ArticleIndexPage.objects.live().filter(locale__language_code=language).first()
    if index is None:
        return None
    articles = list(selectors.articles_of(index).order_by("-date", "-pk")[:LATEST])
    return HomeSection(
        key="articles",
        heading=_("Latest articles"),
        card_template="articles/includes/home_card.html",
        items=articles,
        see_all_url=index.url,
        see_all_label=_("All the articles"),
    )


home_section_register(key="articles", order=20, build=latest_articles)
