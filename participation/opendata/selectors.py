"""Reads of the open-data catalogue: for each open dataset, its pages and files in each language and the date its data
last changed. A fixed number of queries (two or three per dataset) whatever the amount of data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.urls import reverse
from wagtail.models import Page, Revision

from participation.articles.models import ArticleIndexPage, ArticlePage
from participation.initiatives.models import Initiative, InitiativeIndexPage
from participation.network.models import EventPage, NetworkPage
from participation.providers.models import Provider, PurchasingCentrePage
from participation.toolbox.models import ToolboxIndexPage, ToolboxSheetPage


def api_paths() -> dict[str, str]:
    """The platform's read-only API (docs/decisions/0020-public-api.md): its endpoint and its OpenAPI document."""
    return {"endpoint": reverse("api-v1:root"), "description": reverse("api-v1:openapi-json")}


@dataclass
class File:
    """A file of a dataset in one language: its address (relative to the site), its format's key (see
    catalogue.FORMATS) and, for a CSV, the address of its column descriptions."""

    language: str
    url: str
    format: str
    described_by: str = ""


@dataclass
class DatasetFacts:
    """What the catalogue says of a dataset that depends on the data: its pages, files and last change."""

    key: str
    pages: dict[str, str] = field(default_factory=dict)
    files: list[File] = field(default_factory=list)
    modified: datetime | None = None


def _live_pages(model: type[Page]) -> dict[str, Any]:
    """The live page of a type in each language (the first one, for types of which a site has one)."""
    pages: dict[str, Any] = {}
    for page in model.objects.live().public().select_related("locale").order_by("pk"):
        pages.setdefault(page.locale.language_code, page)
    return {code: pages[code] for code, _name in settings.LANGUAGES if code in pages}


def _latest_publication(model: type[Page]) -> datetime | None:
    return model.objects.live().public().aggregate(latest=Max("last_published_at"))["latest"]


def _latest(*dates: datetime | None) -> datetime | None:
    known = [date for date in dates if date is not None]
    return max(known) if known else None


def open_datasets() -> list[DatasetFacts]:
    """The platform's open datasets: the initiatives, the toolbox sheets, the events, the providers, the articles."""
    maps = _live_pages(InitiativeIndexPage)
    initiatives = DatasetFacts(
        key="initiatives",
        pages={code: page.url for code, page in maps.items()},
        modified=Initiative.objects.published().aggregate(latest=Max("updated_at"))["latest"],
    )
    for code, page in maps.items():
        initiatives.files += [
            File(code, page.route_url("export_csv"), "csv", described_by=page.route_url("export_csv_metadata")),
            File(code, page.route_url("export_geojson"), "geojson"),
        ]

    sheets = DatasetFacts(
        key="toolbox-sheets",
        pages={code: page.url for code, page in _live_pages(ToolboxIndexPage).items()},
        modified=_latest_publication(ToolboxSheetPage),
    )

    networks = _live_pages(NetworkPage)
    events = DatasetFacts(
        key="events",
        pages={code: page.route_url("calendar") for code, page in networks.items()},
        files=[File(code, page.route_url("feed"), "ical") for code, page in networks.items()],
        modified=_latest_publication(EventPage),
    )

    centres = _live_pages(PurchasingCentrePage)
    provider_changes = Revision.objects.filter(base_content_type=ContentType.objects.get_for_model(Provider)).aggregate(
        latest=Max("created_at")
    )["latest"]
    providers = DatasetFacts(
        key="providers",
        pages={code: page.route_url("directory") for code, page in centres.items()},
        modified=_latest(provider_changes, _latest_publication(PurchasingCentrePage)),
    )

    indexes = _live_pages(ArticleIndexPage)
    articles = DatasetFacts(
        key="articles",
        pages={code: page.url for code, page in indexes.items()},
        files=[File(code, page.route_url("feed"), "atom") for code, page in indexes.items()],
        modified=_latest_publication(ArticlePage),
    )
    return [initiatives, sheets, events, providers, articles]
