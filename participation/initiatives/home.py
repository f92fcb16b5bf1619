"""What the home page shows of the map: three real initiatives, the latest first (core.selectors
.home_section_register). Demo initiatives are never featured."""

from django.utils.translation import gettext as _

from participation.core.selectors import HomeSection, home_section_register
from participation.initiatives import selectors
from participation.initiatives.models import Initiative, InitiativeIndexPage
from participation.initiatives.models.records import NEWEST_FIRST

FEATURED = 3


def featured_initiatives(language: str) -> HomeSection | None:
    index = InitiativeIndexPage.for_language(language)
    if index is None:
        return None
    real = Initiative.objects.published().filter(is_demo=False).order_by(*NEWEST_FIRST)[:FEATURED]
    return HomeSection(
        key="initiatives",
        heading=_("Initiatives from Brussels"),
        card_template="initiatives/includes/home_card.html",
        items=selectors.initiative_cards(
            initiatives=Initiative.objects.filter(pk__in=[i.pk for i in real]).order_by(*NEWEST_FIRST),
            language=language,
            index=index,
        ),
        see_all_url=index.url,
        see_all_label=_("The map of initiatives"),
    )


home_section_register(key="initiatives", order=30, build=featured_initiatives)
