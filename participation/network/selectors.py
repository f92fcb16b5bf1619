"""Reads of the network: events and the calendar, seats and registration state, feeds, the members' space."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participation.core.filters import ChoicesFilter, PublicFilterSet
from participation.core.models import Format, Theme
from participation.core.selectors import RelatedLink, page_links, pages_in_language
from participation.core.structured_data import (
    StructuredData,
    attendance_mode,
    defined_terms,
    enumeration,
    moment,
    place,
    platform,
    postal_address,
)
from participation.network.models import pages
from participation.network.models.records import (
    MEMBERS_COLLECTION,
    MEMBERS_GROUP,
    EventType,
    MembershipRequest,
    MembershipStatus,
    Registration,
    RegistrationStatus,
)

EVENTS_PER_PAGE = 12
PAST_IN_FEEDS_DAYS = 365


def event_type_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in EventType.choices]


class EventFilterSet(PublicFilterSet):
    keyword_source = ("page", "event")
    type = ChoicesFilter(field_name="event_type", label=_("Type of event"), choices_function=event_type_choices)
    theme = ChoicesFilter(field_name="themes__key", label=_("Theme"), vocabulary=Theme)
    format = ChoicesFilter(field_name="format__key", label=_("Format"), vocabulary=Format)


def event_canonical(event: pages.EventPage) -> pages.EventPage:
    """The page that holds an event's registrations: the original (not an alias, the earliest) of its translations."""
    original = (
        pages.EventPage.objects.filter(translation_key=event.translation_key, alias_of__isnull=True)
        .order_by("pk")
        .first()
    )
    return original or event


def network_events(*, network: pages.NetworkPage) -> QuerySet:
    return (
        pages.EventPage.objects.live()
        .public()
        .child_of(network)
        .exclude(starts_at=None)
        .select_related("format", "locale", "alias_of__locale")
    )


def events_upcoming(*, network: pages.NetworkPage) -> QuerySet:
    return network_events(network=network).filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")


def events_past(*, network: pages.NetworkPage) -> QuerySet:
    return network_events(network=network).filter(ends_at__lt=timezone.now()).order_by("-starts_at", "pk")


def calendar_selection(*, network: pages.NetworkPage, params: QueryDict, when: str) -> tuple[EventFilterSet, QuerySet]:
    """Upcoming or past events, filtered by the panel's choices."""
    events = events_past(network=network) if when == "past" else events_upcoming(network=network)
    filters = EventFilterSet(params, queryset=events)
    return filters, filters.qs


@dataclass(frozen=True)
class EventCard:
    """What a list shows of an event: the event, its type and format in words, its themes' labels and its sessions."""

    event: pages.EventPage
    type_label: str
    format_label: str
    themes: list[str]
    sessions: list[pages.EventSession]


def event_cards(*, events: QuerySet) -> list[EventCard]:
    """What the calendar shows of each event, in a fixed number of queries."""
    rows = events.prefetch_related("themes", "sessions")
    theme_labels = Theme.labels()
    format_labels = Format.labels()
    types = dict(EventType.choices)
    return [
        EventCard(
            event=event,
            type_label=str(types.get(event.event_type, "")),
            format_label=format_labels.get(event.format.key, event.format.label),
            themes=[theme_labels.get(theme.key, theme.label) for theme in event.themes.all()],
            sessions=event.session_list(),
        )
        for event in rows
    ]


@dataclass(frozen=True)
class Seats:
    """The seats of an event: its capacity (None: no limit), the confirmed and waiting registrations, the seats left
    (None: no limit) and whether it is full."""

    capacity: int | None
    confirmed: int
    waiting: int
    remaining: int | None
    full: bool


def event_seats(*, event: pages.EventPage) -> Seats:
    """Seats of an event (counted on its original page, for every language together)."""
    canonical = event_canonical(event)
    counts = dict(
        Registration.objects.filter(event=canonical)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    confirmed = counts.get(RegistrationStatus.CONFIRMED, 0)
    capacity = canonical.capacity
    return Seats(
        capacity=capacity,
        confirmed=confirmed,
        waiting=counts.get(RegistrationStatus.WAITING, 0),
        remaining=None if capacity is None else max(capacity - confirmed, 0),
        full=capacity is not None and confirmed >= capacity,
    )


class RegistrationState:
    OPEN = "open"
    WAITING_LIST = "waiting-list"
    FULL = "full"
    DEADLINE_PASSED = "deadline-passed"
    PAST = "past"
    NOT_REQUIRED = "not-required"

    ACCEPTING = {OPEN, WAITING_LIST}


def registration_state(*, event: pages.EventPage, seats: Seats | None = None, now: datetime | None = None) -> str:
    """Whether people can register: open, only to the waiting list, or closed (and why)."""
    canonical = event_canonical(event)
    now = now or timezone.now()
    if not canonical.registration_required:
        return RegistrationState.NOT_REQUIRED
    if canonical.starts_at is None or canonical.starts_at <= now:
        return RegistrationState.PAST
    if canonical.deadline and canonical.deadline <= now:
        return RegistrationState.DEADLINE_PASSED
    seats = seats or event_seats(event=canonical)
    if seats.full:
        return RegistrationState.WAITING_LIST if canonical.waiting_list else RegistrationState.FULL
    return RegistrationState.OPEN


@dataclass(frozen=True)
class FeedLink:
    """An iCal feed: its label, its address and the type of events it holds (empty: all of them)."""

    label: str | Promise
    url: str
    type: str


def feed_links(*, network: pages.NetworkPage) -> list[FeedLink]:
    """The iCal feeds: all events, then one per type."""
    links = [FeedLink(label=_("All events"), url=network.route_url("feed"), type="")]
    links += [
        FeedLink(label=label, url=network.route_url("type_feed", event_type=value), type=value)
        for value, label in EventType.choices
    ]
    return links


def feed_events(*, network: pages.NetworkPage, event_type: str | None = None) -> QuerySet:
    since = timezone.now() - timedelta(days=PAST_IN_FEEDS_DAYS)
    events = network_events(network=network).filter(ends_at__gte=since).order_by("starts_at", "pk")
    if event_type:
        events = events.filter(event_type=event_type)
    return events.prefetch_related("sessions", "session_languages")


def members_area(*, network: pages.NetworkPage) -> pages.MembersAreaPage | None:
    return pages.MembersAreaPage.objects.child_of(network).live().first()


def is_network_member(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=MEMBERS_GROUP).exists()


def member_directory() -> QuerySet:
    """Approved members who chose to appear in the directory, with an active account still in the group."""
    return (
        MembershipRequest.objects.filter(
            status=MembershipStatus.APPROVED,
            in_directory=True,
            user__is_active=True,
            user__groups__name=MEMBERS_GROUP,
        )
        .order_by("name")
        .distinct()
    )


def member_documents() -> QuerySet:
    from wagtail.documents import get_document_model

    return get_document_model().objects.filter(collection__name=MEMBERS_COLLECTION).order_by("-created_at", "title")


def event_attendees(*, event: pages.EventPage) -> list[Registration]:
    """Registrations of an event (all languages), confirmed first, then the waiting list in order, then cancelled."""
    order: dict[str, int] = {
        RegistrationStatus.CONFIRMED: 0,
        RegistrationStatus.WAITING: 1,
        RegistrationStatus.CANCELLED: 2,
    }
    registrations = Registration.objects.filter(event=event_canonical(event)).order_by("created_at", "pk")
    return sorted(registrations, key=lambda registration: order[registration.status])


def event_language_version(*, event: pages.EventPage, language: str | None = None) -> pages.EventPage:
    """The event's page in `language` (its translation or alias), for links in emails."""
    language = language or get_language()
    version = pages.EventPage.objects.filter(
        translation_key=event.translation_key, locale__language_code=language
    ).first()
    return version or event


def event_theme_links(*, event: pages.EventPage, list_url: str) -> list[tuple[str, str]]:
    """The event's themes in the reader's language, each with the calendar filtered by that theme (every event on
    it). The themes are prefetched with the event's card."""
    labels = Theme.labels()
    return [
        (labels.get(theme.key, theme.label), f"{list_url}?{urlencode({'theme': theme.key})}")
        for theme in event.themes.all()
    ]


def event_sheets(*, event: pages.EventPage) -> list[RelatedLink]:
    """The toolbox sheets an event covers (edited on the original event), in the event's language."""
    sheets = event_canonical(event).sheets.all()
    return page_links(pages=pages_in_language(pages=sheets, locale=event.locale).order_by("title"))


# Whether people can still register, as schema.org's availability of the (free) registration offer.
OFFER_AVAILABILITY = {
    RegistrationState.OPEN: "InStock",
    RegistrationState.NOT_REQUIRED: "InStock",
    RegistrationState.WAITING_LIST: "SoldOut",
    RegistrationState.FULL: "SoldOut",
    RegistrationState.DEADLINE_PASSED: "Discontinued",
    RegistrationState.PAST: "Discontinued",
}


def event_structured_data(
    *, event: pages.EventPage, card: EventCard, seats: Seats, state: str, request: HttpRequest
) -> StructuredData:
    """An event as a schema.org Event (Google's event checklist): its sessions, its place (a Place with its address)
    or its online address (a VirtualLocation: the link itself when it is public, the page that sends it to registered
    people otherwise), and its free registration as an Offer whose availability follows the seats left. Speakers are
    left out (shown to readers, not offered to harvesters); registrations never appear."""
    url = request.build_absolute_uri(event.url)
    locations: list[dict[str, Any]] = []
    if event.venue_name or event.street_address:
        locality = event.commune.display_label if event.commune else ""
        locations.append(
            place(
                name=event.venue_name or event.street_address,
                address=postal_address(street=event.street_address, postcode=event.postcode, locality=locality),
                latitude=event.latitude,
                longitude=event.longitude,
            )
        )
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url if event.online_url_public else url})
    organizer = platform(request=request)
    offer: dict[str, Any] = {
        "@type": "Offer",
        "price": 0,
        "priceCurrency": "EUR",
        "availability": enumeration(OFFER_AVAILABILITY[state]),
        "url": request.build_absolute_uri(event.route_url("register")) if event.registration_required else url,
        "seller": organizer,
    }
    if event.first_published_at:
        offer["validFrom"] = moment(event.first_published_at)
    if event.registration_required and event.deadline:
        offer["validThrough"] = moment(event.deadline)
    thing: dict[str, Any] = {
        "@type": "Event",
        "name": event.title,
        "description": event.lead,
        "url": url,
        "eventStatus": enumeration("EventScheduled"),
        "eventAttendanceMode": attendance_mode(event.format.key),
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": organizer,
        "offers": offer,
        "isAccessibleForFree": True,
        "about": defined_terms(card.themes),
    }
    if event.starts_at and event.ends_at:
        thing["startDate"], thing["endDate"] = moment(event.starts_at), moment(event.ends_at)
    if len(card.sessions) > 1:
        thing["subEvent"] = [
            {
                "@type": "Event",
                "name": event.title,
                "startDate": moment(session.starts_at),
                "endDate": moment(session.ends_at),
                "location": thing["location"],
            }
            for session in card.sessions
        ]
    languages = [locale.language_code for locale in event.session_languages.all()]
    if languages:
        thing["inLanguage"] = languages
    if seats.capacity is not None:
        thing["maximumAttendeeCapacity"] = seats.capacity
        thing["remainingAttendeeCapacity"] = seats.remaining
    return StructuredData(thing=thing, url=url, title=event.title, language=event.content_language)
