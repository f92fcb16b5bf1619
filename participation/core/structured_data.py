"""schema.org descriptions of the detail pages, written once as JSON-LD in each page's head (decision 0013).

A domain describes what its page is about with a builder in its selectors, `<entity>_structured_data(…)`, returning a
`StructuredData`: the main thing as a schema.org node (an Event, an Article, an Organization…). The site shell writes
it (`{% structured_data %}` in base.html) with the page itself as the thing's `mainEntityOfPage`: an ItemPage with
its address and the language of its text, and its versions in the other languages. No template writes JSON-LD of its
own, and no builder puts personal data in it (contacts, registrations, submitters).

The nodes below are the ones several domains share: the platform as publisher, the Region, an address, a place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

CONTEXT = "https://schema.org"
# The Brussels-Capital Region by its ISO 3166-2 code: the same in every language.
REGION_CODE = "BE-BRU"
COUNTRY_CODE = "BE"

Node = dict[str, Any]


def enumeration(member: str) -> str:
    """A member of a schema.org enumeration (EventScheduled, InStock…) as the address schema.org gives it."""
    return f"{CONTEXT}/{member}"


@dataclass(frozen=True)
class StructuredData:
    """What a detail page is about (`thing`, a schema.org node with its `@type`), the page's absolute address in the
    active language, its title and the language of its text."""

    thing: Node
    url: str
    title: str
    language: str

    def json_ld(self, *, versions: list[tuple[str, str]]) -> Node:
        """The JSON-LD document of the page; `versions` are the (language, absolute address) of the page's texts."""
        page: Node = {
            "@type": "ItemPage",
            "@id": self.url,
            "url": self.url,
            "name": self.title,
            "inLanguage": self.language,
        }
        translations = [
            {"@type": "ItemPage", "@id": url, "url": url, "inLanguage": code}
            for code, url in versions
            if url != self.url
        ]
        if translations:
            page["workTranslation"] = translations
        return {"@context": CONTEXT, **self.thing, "mainEntityOfPage": page}


def platform(*, request: HttpRequest) -> Node:
    """The platform, publisher of the pages and organiser of the network's events."""
    return {"@type": "GovernmentOrganization", "name": gettext("participation.brussels"), "url": site_url(request)}


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def region() -> Node:
    return {"@type": "AdministrativeArea", "name": gettext("Brussels-Capital Region"), "identifier": REGION_CODE}


def postal_address(*, street: str = "", postcode: str = "", locality: str = "") -> Node:
    address: Node = {"@type": "PostalAddress", "addressRegion": REGION_CODE, "addressCountry": COUNTRY_CODE}
    for name, value in (("streetAddress", street), ("postalCode", postcode), ("addressLocality", locality)):
        if value:
            address[name] = value
    return address


def geo(*, latitude: Decimal | float | None, longitude: Decimal | float | None) -> Node | None:
    if latitude is None or longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": float(latitude), "longitude": float(longitude)}


def place(
    *, name: str, address: Node, latitude: Decimal | float | None = None, longitude: Decimal | float | None = None
) -> Node:
    node: Node = {"@type": "Place", "name": name, "address": address}
    coordinates = geo(latitude=latitude, longitude=longitude)
    if coordinates:
        node["geo"] = coordinates
    return node


def defined_terms(labels: list[str]) -> list[Node]:
    """Terms of the platform's vocabularies (themes, phases…) as what a page is about."""
    return [{"@type": "DefinedTerm", "name": label} for label in labels]


def moment(value: date | datetime) -> str:
    """A date, or a date and time in Brussels time with its offset."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def image(*, url: str, width: int, height: int, caption: str = "") -> Node:
    node: Node = {"@type": "ImageObject", "url": url, "contentUrl": url, "width": width, "height": height}
    if caption:
        node["caption"] = caption
    return node


# The shared Format vocabulary as schema.org's attendance modes.
ATTENDANCE_MODES = {
    "face-to-face": "OfflineEventAttendanceMode",
    "online": "OnlineEventAttendanceMode",
    "hybrid": "MixedEventAttendanceMode",
}


def attendance_mode(format_key: str) -> str | None:
    member = ATTENDANCE_MODES.get(format_key)
    return enumeration(member) if member else None
