"""The shapes of the API's answers (pydantic, through django-ninja): what the OpenAPI document declares and what
every answer is checked against before it is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

Language = Literal["fr", "nl", "en"]
ProvenanceKind = Literal["original", "human", "machine", "machine_checked"]


class Provenance(Schema):
    """Where the item's text comes from (decision 0019)."""

    kind: ProvenanceKind = Field(
        description="original text, translated by a person, machine translation, or "
        "machine translation checked by a person"
    )
    date: dt.date | None = Field(description="When this text was written or translated")


class HtmlUrls(Schema):
    """The item's page in each language (null where that language has no page)."""

    fr: str | None
    nl: str | None
    en: str | None


class Item(Schema):
    url: str = Field(description="The item's page in the language asked for")
    html_urls: HtmlUrls
    text_language: Language = Field(
        description="The language the item's texts are in (its original where it "
        "is not translated into the language asked for)"
    )
    provenance: Provenance | None


class PageItem(Item):
    id: str = Field(description="The item's identifier, shared by its versions in every language")
    last_published_at: dt.datetime | None


class MethodProfile(Schema):
    group_sizes: list[str] = Field(description="Keys of the vocabulary group-size")
    time_needed: str | None = Field(description="Key of the vocabulary time-needed")
    budget_bands: list[str] = Field(description="Keys of the vocabulary budget-band")
    facilitation: str | None = Field(description="Key of the vocabulary facilitation-level")
    formats: list[str] = Field(description="Keys of the vocabulary format")
    complexity: list[str] = Field(description="Keys of the vocabulary issue-complexity")
    polarisation: list[str] = Field(description="Keys of the vocabulary polarisation-level")
    audiences: list[str] = Field(description="Keys of the vocabulary audience")
    language_handling: Literal["parallel-groups", "translated-material", "interpretation"] | None


class Sheet(PageItem):
    title: str
    lead: str
    kind: Literal["introduction", "process-type", "phase", "method", "thematic-question"]
    category: str = Field(description="Key of the vocabulary sheet-category")
    date: dt.date
    reading_minutes: int
    levels: list[str] = Field(description="Keys of the vocabulary participation-level")
    phases: list[str] = Field(description="Keys of the vocabulary phase")
    method: MethodProfile | None = Field(description="A method's structured attributes; null for other sheets")


class Article(PageItem):
    title: str
    lead: str
    date: dt.date
    author: str
    themes: list[str] = Field(description="Keys of the vocabulary theme")
    reading_minutes: int
    is_demo: bool = Field(description="Demo content, invented to show the platform")


class Session(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class Place(Schema):
    name: str
    street_address: str
    postcode: str
    commune: str | None = Field(description="Key of the vocabulary commune")
    latitude: float | None
    longitude: float | None


class Event(PageItem):
    title: str
    lead: str
    event_type: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    sessions: list[Session]
    format: str = Field(description="Key of the vocabulary format")
    themes: list[str]
    audiences: list[str]
    session_languages: list[Language]
    place: Place | None
    online_url: str | None = Field(description="The online address, where the organisers made it public")
    registration_required: bool
    registration_deadline: dt.datetime | None
    ical_url: str = Field(description="The event's calendar file (iCalendar)")
    is_demo: bool


class Initiative(Item):
    id: int
    title: str
    summary: str
    original_language: Language
    communes: list[str] = Field(description="Keys of the vocabulary commune")
    latitude: float
    longitude: float
    geographic_scope: str | None
    organisers: str
    organiser_type: str | None
    organiser_scope: str | None
    partners: str
    themes: list[str]
    participation_level: str | None
    methods: list[str] = Field(description="Slugs of the method sheets (French), the methods' keys")
    audiences: list[str]
    recruitment: str | None
    participants_count: int | None
    format: str | None
    process_languages: list[str]
    start_date: dt.date | None
    end_date: dt.date | None
    status: str | None
    budget_band: str | None
    providers: str
    purchasing_lot: int | None
    evaluation: str | None
    impact_evidence: bool | None
    last_verified: dt.date
    is_demo: bool


class Provider(Item):
    id: int
    slug: str
    name: str
    description: str
    services: list[str]
    lots: list[str] = Field(description="Keys of the vocabulary purchasing-lot, by lot number")
    methods: list[str] = Field(description="Slugs of the method sheets (French), the methods' keys")
    working_languages: list[Language]
    website: str | None
    is_demo: bool


class Commune(Schema):
    key: str
    label: str
    text_language: Language
    postcodes: list[str]
    latitude: float
    longitude: float
    initiatives: int = Field(description="Number of published initiatives in the commune")
    url: str | None
    html_urls: HtmlUrls


class Lot(Schema):
    number: int
    key: str
    label: str
    description: str
    text_language: Language
    providers: int = Field(description="Number of providers pre-qualified in the lot")
    url: str | None
    html_urls: HtmlUrls


class Term(Schema):
    key: str = Field(description="Stable identifier, the same in every language")
    label: str
    description: str
    text_language: Language
    order: int


class Vocabulary(Schema):
    name: str
    label: str
    terms: list[Term]


class Page(Schema):
    """A page of a list: `next` is the address of the following page (also in the Link header), null at the end."""

    lang: Language
    limit: int
    next: str | None
    items: list[Any]


class SheetPage(Page):
    items: list[Sheet]


class ArticlePage(Page):
    items: list[Article]


class EventPage(Page):
    items: list[Event]


class InitiativePage(Page):
    items: list[Initiative]


class ProviderPage(Page):
    items: list[Provider]


class CommuneList(Schema):
    lang: Language
    items: list[Commune]


class LotList(Schema):
    lang: Language
    items: list[Lot]


class VocabularyList(Schema):
    lang: Language
    items: list[Vocabulary]


class Geometry(Schema):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=2, description="[longitude, latitude]")


class Feature(Schema):
    type: Literal["Feature"]
    id: int
    geometry: Geometry
    properties: Initiative


class FeatureCollection(Schema):
    type: Literal["FeatureCollection"]
    lang: Language
    limit: int
    next: str | None
    license: str
    license_url: str
    features: list[Feature]


class Resource(Schema):
    name: str
    url: str
    filters: list[str]


class Index(Schema):
    lang: Language
    documentation: str
    openapi: str
    license: str
    license_url: str
    resources: list[Resource]


class ProblemError(Schema):
    parameter: str
    message: str


class Problem(Schema):
    """A problem document (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemError] | None = None
