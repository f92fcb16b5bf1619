"""What the home page shows of the network: the next three events (core.selectors.home_section_register)."""

from django.utils.translation import gettext as _

from participation.core.selectors import HomeSection, home_section_register
from participation.network import selectors
from participation.network.models import NetworkPage

NEXT = 3


def upcoming_events(language: str) -> HomeSection | None:
    network = NetworkPage.objects.live().filter(locale__language_code=language).first()
    if network is None:
        return None
    events = selectors.events_upcoming(network=network)[:NEXT]
    return HomeSection(
        key="events",
        heading=_("Upcoming events and trainings"),
        card_template="network/includes/home_card.html",
        items=selectors.event_cards(events=events),
        see_all_url=network.route_url("calendar"),
        see_all_label=_("The whole calendar"),
    )


home_section_register(key="events", order=10, build=upcoming_events)
