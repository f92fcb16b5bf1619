"""iCalendar (RFC 5545) for the network's events: one event's file, the feeds, the email attachments.

Times are written in Europe/Brussels with their VTIMEZONE, DTSTAMP in UTC. The UID is the event's translation key,
so every language's version of an event is the same event for calendar applications; an event with several sessions
gives one VEVENT per session.
"""

from datetime import UTC
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event, vText

UID_DOMAIN = "participation.brussels"
PRODID = "-//participation.brussels//Network events//EN"
BRUSSELS = ZoneInfo(settings.TIME_ZONE)


def _location(event):
    parts = [event.venue_name, event.street_address, " ".join(p for p in [event.postcode, _commune(event)] if p)]
    return ", ".join(part for part in parts if part)


def _commune(event):
    return event.commune.display_label if event.commune_id else ""


def event_uid(event, index=0):
    suffix = f"-{index}" if index else ""
    return f"{event.translation_key}{suffix}@{UID_DOMAIN}"


def _vevents(event, *, absolute_url, online_url=None):
    sessions = event.session_list()
    description = " ".join(strip_tags(event.lead).split())
    link = online_url or (event.online_url if event.online_url_public else "")
    if link:
        description += f"\n\n{link}"
    description += f"\n\n{absolute_url}"
    stamp = (event.last_published_at or timezone.now()).astimezone(UTC)
    for index, session in enumerate(sessions):
        vevent = Event()
        vevent.add("uid", event_uid(event, index))
        vevent.add("dtstamp", stamp)
        vevent.add("last-modified", stamp)
        vevent.add("dtstart", session.starts_at.astimezone(BRUSSELS))
        vevent.add("dtend", session.ends_at.astimezone(BRUSSELS))
        title = event.title if len(sessions) == 1 else f"{event.title} ({index + 1}/{len(sessions)})"
        vevent.add("summary", title)
        vevent.add("description", description)
        vevent.add("url", absolute_url)
        location = _location(event) or link
        if location:
            vevent.add("location", vText(location))
        if event.latitude is not None and event.longitude is not None:
            vevent.add("geo", (float(event.latitude), float(event.longitude)))
        vevent.add("categories", [event.get_event_type_display()])
        vevent.add("status", "CONFIRMED")
        yield vevent


def calendar_bytes(*, events, name, url_for, online_url=None):
    """A VCALENDAR with every session of `events`; `url_for(event)` gives each event's absolute address."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        for vevent in _vevents(event, absolute_url=url_for(event), online_url=online_url):
            calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()
