"""Reads of the initiatives: filtered selections, cards, map markers, exports, statistics, related initiatives.

Every function runs a fixed number of queries whatever the number of initiatives (prefetching, key → label caches).
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from participation.core.filters import LIST_POSITION_PARAMS, ChoicesFilter, PublicFilterSet
from participation.core.models import (
    Audience,
    Commune,
    Format,
    OrganiserType,
    ParticipationLevel,
    PurchasingLot,
    Theme,
    TranslationRecord,
)
from participation.core.selectors import (
    RelatedLink,
    cached_until_change,
    lot_name,
    page_links,
    pages_in_language,
    vocabulary_labels,
)
from participation.core.structured_data import (
    StructuredData,
    attendance_mode,
    defined_terms,
    enumeration,
    geo,
    image,
    moment,
    place,
    postal_address,
    region,
)
from participation.core.translation_selectors import ProvenanceLabel, provenance_label, provenance_records
from participation.initiatives import map_grid, schema
from participation.initiatives.models.records import (
    NEWEST_FIRST,
    Evaluation,
    Initiative,
    InitiativeTranslation,
    MapCell,
    MapCellsVersion,
    OrganiserScope,
    Status,
)
from participation.toolbox.models import ToolboxSheetPage

if TYPE_CHECKING:
    from participation.initiatives.models.pages import InitiativeIndexPage


@dataclass
class InitiativeCard:
    """What a list shows of an initiative, in the reader's language where a text exists (`lang` says which)."""

    pk: int
    url: str
    title: str
    summary: str
    lang: str
    communes: list[str]
    themes: list[str]
    status: str
    year: int | None
    is_demo: bool


FIRST_YEAR = 2019
OUTDATED_AFTER_DAYS = 365


def method_choices() -> list[tuple[str, str]]:
    """(French slug, title in the active language) of the method sheets: the slug is the stable key. Kept until a
    page changes (every filter panel of the map shows them)."""
    language = get_language()

    def build() -> list[tuple[str, str]]:
        methods = ToolboxSheetPage.objects.filter(kind="method", locale__language_code=settings.LANGUAGE_CODE).live()
        sources = dict(methods.values_list("translation_key", "slug"))
        titles = dict(
            ToolboxSheetPage.objects.filter(translation_key__in=sources, locale__language_code=language)
            .live()
            .values_list("translation_key", "title")
        )
        choices = [(slug, str(titles.get(key, slug))) for key, slug in sources.items()]
        return sorted(choices, key=lambda choice: choice[1])

    return cached_until_change(name=f"method-choices:{language}", build=build)


def year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class InitiativeFilterSet(PublicFilterSet):
    keyword_source = ("initiative", None)
    commune = ChoicesFilter(field_name="communes__key", label=gettext_lazy("Commune"), vocabulary=Commune)
    theme = ChoicesFilter(field_name="themes__key", label=gettext_lazy("Theme"), vocabulary=Theme)
    level = ChoicesFilter(
        field_name="participation_level__key", label=gettext_lazy("Participation level"), vocabulary=ParticipationLevel
    )
    method = ChoicesFilter(field_name="methods__slug", label=gettext_lazy("Method"), choices_function=method_choices)
    organiser = ChoicesFilter(
        field_name="organiser_type__key", label=gettext_lazy("Organiser type"), vocabulary=OrganiserType
    )
    audience = ChoicesFilter(field_name="audiences__key", label=gettext_lazy("Audience"), vocabulary=Audience)
    status = ChoicesFilter(field_name="status", label=gettext_lazy("Status"), choices_function=lambda: Status.choices)
    year = ChoicesFilter(field_name="start_date__year", label=gettext_lazy("Year"), choices_function=year_choices)
    format = ChoicesFilter(field_name="format__key", label=gettext_lazy("Format"), vocabulary=Format)

    class Meta:
        model = Initiative
        fields: list[str] = []


def initiative_selection(*, params: QueryDict) -> tuple[InitiativeFilterSet, str, QuerySet[Initiative]]:
    """The filters and the published initiatives they select, free-text search (`q`) included."""
    filters = InitiativeFilterSet(params, queryset=Initiative.objects.published())
    return filters, filters.query, filters.qs


def query_without_page(params: QueryDict) -> str:
    """The query string of a list without its position in the list (for the pagination and the exports)."""
    query = params.copy()
    for name in LIST_POSITION_PARAMS:
        query.pop(name, None)
    return query.urlencode()


# The list beside the map goes page by page from a cursor (keyset pagination, decision 0023): the address of the
# next page names the last initiative shown (`after=2025-02-01_1234`: its start date, or `none`, and its id), that of
# the previous page the first one (`before=…`). The database reads the LIST_PAGE_SIZE rows that follow in the list's
# order, whatever the depth: no OFFSET, no row counted that is not shown, and a page stays the same when initiatives
# are added before it. Start dates tie often: the id breaks the tie.

LIST_PAGE_SIZE = 20
OLDEST_FIRST = (F("start_date").asc(nulls_first=True), "pk")


@dataclass(frozen=True)
class ListCursor:
    """A place in the list of initiatives (newest first): between the initiative with this start date and id and the
    next one."""

    start_date: datetime.date | None
    pk: int

    @classmethod
    def parse(cls, value: str) -> ListCursor | None:
        """The cursor an address carries, or None when it is not one (never an error)."""
        date_part, _sep, pk_part = value.partition("_")
        if not (pk_part.isascii() and pk_part.isdigit()) or len(pk_part) > 18:  # "²".isdigit() is true
            return None
        if date_part == "none":
            return cls(start_date=None, pk=int(pk_part))
        try:
            return cls(start_date=datetime.date.fromisoformat(date_part), pk=int(pk_part))
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.start_date.isoformat() if self.start_date else 'none'}_{self.pk}"

    def following(self) -> Q:
        """The initiatives after this place, newest first (no start date comes last)."""
        if self.start_date is None:
            return Q(start_date__isnull=True, pk__lt=self.pk)
        return (
            Q(start_date__lt=self.start_date)
            | Q(start_date=self.start_date, pk__lt=self.pk)
            | Q(start_date__isnull=True)
        )

    def preceding(self) -> Q:
        """The initiatives before this place."""
        if self.start_date is None:
            return Q(start_date__isnull=False) | Q(start_date__isnull=True, pk__gt=self.pk)
        return Q(start_date__gt=self.start_date) | Q(start_date=self.start_date, pk__gt=self.pk)


@dataclass
class InitiativeListPage:
    """The ids of one page of the list in order, the cursors of the previous and next pages (None at either end),
    and whether the address asked for a place that is not (or no longer) in the list: the first page came instead."""

    ids: list[int]
    previous: str | None
    next: str | None
    lost: bool = False


def _places(initiatives: QuerySet[Initiative], condition: Q, ordering: tuple) -> list[tuple[datetime.date | None, int]]:
    """(start date, id) of the first LIST_PAGE_SIZE + 1 initiatives meeting `condition` in `ordering` (one query)."""
    rows = initiatives.order_by().filter(condition).order_by(*ordering)
    return list(rows.values_list("start_date", "pk")[: LIST_PAGE_SIZE + 1])


def initiative_list_page(*, initiatives: QuerySet[Initiative], params: QueryDict) -> InitiativeListPage:
    """One page of a selection, newest first, from the cursor in `params` (`after` or `before`); the first page
    without one, or when the cursor is not valid or leads nowhere. Two queries at most."""
    size = LIST_PAGE_SIZE
    after, before = params.get("after", ""), params.get("before", "")
    cursor = ListCursor.parse(after or before) if after or before else None
    lost = bool(after or before) and cursor is None
    if cursor is not None and after:
        found = _places(initiatives, cursor.following(), NEWEST_FIRST)
        if found:
            shown = found[:size]
            next_cursor = str(ListCursor(*shown[-1])) if len(found) > size else None
            return InitiativeListPage(
                ids=[pk for _d, pk in shown], previous=str(ListCursor(*shown[0])), next=next_cursor
            )
        lost = True
    elif cursor is not None:
        found = _places(initiatives, cursor.preceding(), OLDEST_FIRST)
        if len(found) > size:
            shown = found[:size][::-1]
            return InitiativeListPage(
                ids=[pk for _d, pk in shown], previous=str(ListCursor(*shown[0])), next=str(ListCursor(*shown[-1]))
            )
        lost = not found  # fewer than a page before it: the first page, rightly
    found = _places(initiatives, Q(), NEWEST_FIRST)
    shown = found[:size]
    next_cursor = str(ListCursor(*shown[-1])) if len(found) > size else None
    return InitiativeListPage(ids=[pk for _d, pk in shown], previous=None, next=next_cursor, lost=lost)


def _texts(initiatives: QuerySet[Initiative], language: str) -> dict[int, dict[str, Any]]:
    """initiative id → translation in `language`, or in the original language (one query)."""
    rows = InitiativeTranslation.objects.filter(initiative__in=initiatives.values("pk")).values(
        "initiative_id", "language", "title", "slug", "summary", "initiative__original_language"
    )
    texts: dict[int, dict[str, Any]] = {}
    for row in rows:
        current = texts.get(row["initiative_id"])
        if row["language"] == language or (current is None and row["language"] == row["initiative__original_language"]):
            texts[row["initiative_id"]] = row
    return texts


COMMUNES_SHOWN = 3


def communes_summary(*, names: list[str], every: int) -> list[str]:
    """The communes of a card's meta line: all 19 are "the whole Region"; beyond three, the first three and how
    many more, so that a region-wide initiative does not fill the card with names."""
    if every and len(names) >= every:
        return [_("the whole Region")]
    if len(names) > COMMUNES_SHOWN + 1:
        more = len(names) - COMMUNES_SHOWN
        return [
            *names[:COMMUNES_SHOWN],
            ngettext("%(count)d other commune", "%(count)d other communes", more) % {"count": more},
        ]
    return names


def initiative_cards(
    *, initiatives: QuerySet[Initiative], language: str, index: InitiativeIndexPage
) -> list[InitiativeCard]:
    """What a list shows of each initiative, in `language` where a text exists (with `lang` otherwise)."""
    texts = _texts(initiatives, language)
    rows = initiatives.prefetch_related("communes", "themes")
    communes = vocabulary_labels(model=Commune, language=language)
    themes = vocabulary_labels(model=Theme, language=language)
    statuses = dict(Status.choices)
    detail_url = index.detail_url_builder()
    cards = []
    for initiative in rows:
        text = texts.get(initiative.pk) or {
            "title": f"#{initiative.pk}",
            "slug": "",
            "summary": "",
            "language": language,
        }
        cards.append(
            InitiativeCard(
                pk=initiative.pk,
                url=detail_url(initiative.pk, text["slug"]),
                title=text["title"],
                summary=text["summary"],
                lang=text["language"],
                communes=communes_summary(
                    names=[communes.get(c.key, c.label) for c in initiative.communes.all()], every=len(communes)
                ),
                themes=[themes.get(t.key, t.label) for t in initiative.themes.all()],
                status=str(statuses.get(initiative.status, "")),
                year=initiative.start_date.year if initiative.start_date else None,
                is_demo=initiative.is_demo,
            )
        )
    return cards


# The map's data (docs/decisions/0017-caching-and-scale.md): the initiatives in the view grouped by the database on a
# grid whose cells are 64 pixels wide at the zoom level asked (map_grid); one by one at the closest zoom, and without
# a view when there are no more than MARKERS_AT_MOST.
MARKERS_AT_MOST = 200
DEGREES_DECIMALS = 5


@dataclass(frozen=True)
class MapView:
    """What the map shows: a bounding box in degrees and a zoom level (Leaflet's, 0 to 19)."""

    south: float = -90.0
    west: float = -180.0
    north: float = 90.0
    east: float = 180.0
    zoom: int = 12
    given: bool = False

    @classmethod
    def from_params(cls, params: QueryDict) -> MapView:
        """The view a query string asks for (`bbox=west,south,east,north`, `zoom`); the whole world at zoom 12 when
        they are missing or wrong (an address typed by hand never fails)."""
        try:
            zoom = min(max(int(params.get("zoom", "12")), 0), map_grid.MAX_ZOOM)
        except ValueError:
            zoom = 12
        try:
            west, south, east, north = (float(value) for value in params.get("bbox", "").split(","))
        except ValueError:
            return cls(zoom=zoom)
        if not all(math.isfinite(value) for value in (west, south, east, north)) or south > north or west > east:
            return cls(zoom=zoom)
        return cls(
            south=max(south, -90.0),
            west=max(west, -180.0),
            north=min(north, 90.0),
            east=min(east, 180.0),
            zoom=zoom,
            given=True,
        )

    def cells(self) -> tuple[int, int, int, int, int]:
        """(shift, first column, last column, first row, last row): the cells of this zoom level that the view
        touches, whole (a cell's count does not change as the view moves over it)."""
        shift = map_grid.cell_shift(self.zoom)
        left, top = map_grid.pixel_of(self.north, self.west)
        right, bottom = map_grid.pixel_of(self.south, self.east)
        return shift, left >> shift, right >> shift, top >> shift, bottom >> shift


@dataclass
class MapData:
    """The initiatives in a view: `markers` as [id, latitude, longitude, title, slug]; `clusters` as [latitude,
    longitude, count] at the mean position of the initiatives they group; `total` in the view."""

    total: int
    markers: list[list[Any]]
    clusters: list[list[Any]]


def _degrees(value: Any) -> float:
    return round(float(value), DEGREES_DECIMALS)


def map_kept_selection(*, filters: InitiativeFilterSet, query: str) -> str | None:
    """The kept cells (MapCell.selection) that hold exactly what the filters select: "" for the whole catalogue,
    "theme:mobility" for one value of one kept filter alone; None for any other selection (grouped live)."""
    selected = filters.selected
    if query or len(selected) > 1:
        return None
    if not selected:
        return ""
    ((param, values),) = selected.items()
    return f"{param}:{values[0]}" if param in MapCell.KEPT_FILTERS and len(values) == 1 else None


def _kept_cells(view: MapView, selection: str) -> list[tuple[int, float, float, int]] | None:
    """(count, mean x, mean y, smallest id) of a selection's kept cells in the view; None when they are not up to date
    (a change not yet computed) or not kept at this zoom level."""
    closest = map_grid.KEPT_FILTER_MAX_ZOOM if selection else map_grid.KEPT_MAX_ZOOM
    if view.zoom > closest or not MapCellsVersion.objects.filter(built=F("changed")).exists():
        return None
    _shift, left, right, top, bottom = view.cells()
    rows = MapCell.objects.filter(
        selection=selection, zoom=view.zoom, x__range=(left, right), y__range=(top, bottom)
    ).values_list("count", "sum_x", "sum_y", "first")
    return [(count, sum_x / count, sum_y / count, first) for count, sum_x, sum_y, first in rows]


def initiative_map_data(
    *, initiatives: QuerySet[Initiative], view: MapView, language: str, kept_selection: str | None = None
) -> MapData:
    """The initiatives of a selection in a view, grouped on the grid by the database from the pixels it keeps on each
    initiative (an index holds them): a cell holding one initiative gives a marker, a cell holding more a cluster.
    A selection whose cells are kept (`kept_selection`: the whole catalogue, or one value of a kept filter, see
    `map_kept_selection`) reads them when they are up to date. Three or four queries whatever the number of
    initiatives, and a response whose size depends on the view, not on the catalogue."""
    if initiatives.query.distinct:
        # Filters on many-to-many relations repeat rows: group the initiatives themselves.
        initiatives = Initiative.objects.filter(pk__in=initiatives.values("pk"))
    shift, left, right, top, bottom = view.cells()
    in_view = initiatives.filter(
        map_x__gte=left << shift,
        map_x__lt=(right + 1) << shift,
        map_y__gte=top << shift,
        map_y__lt=(bottom + 1) << shift,
    ).order_by()
    cells = _kept_cells(view, kept_selection) if kept_selection is not None else None
    if cells is None:
        cells = list(
            in_view.values(column=F("map_x").bitrightshift(shift), row=F("map_y").bitrightshift(shift))
            .annotate(count=Count("pk"), x=Avg("map_x"), y=Avg("map_y"), first=Min("pk"))
            .values_list("count", "x", "y", "first")
        )
    total = sum(count for count, _x, _y, _first in cells)
    if view.zoom == map_grid.MAX_ZOOM or (not view.given and total <= MARKERS_AT_MOST):
        singles = [(pk, float(lat), float(lon)) for pk, lat, lon in in_view.values_list("pk", "latitude", "longitude")]
        clusters = []
    else:
        # The centre of the mean pixel: within a fifth of a metre of the initiative when a cell holds one.
        centres = [(count, first, *map_grid.degrees_of(float(x) + 0.5, float(y) + 0.5)) for count, x, y, first in cells]
        singles = [(first, lat, lon) for count, first, lat, lon in centres if count == 1]
        clusters = sorted([_degrees(lat), _degrees(lon), count] for count, _first, lat, lon in centres if count > 1)
    texts = _texts(Initiative.objects.filter(pk__in=[pk for pk, _lat, _lon in singles]), language)
    markers = [
        [pk, _degrees(lat), _degrees(lon), texts[pk]["title"], texts[pk]["slug"]]
        for pk, lat, lon in sorted(singles)
        if pk in texts
    ]
    return MapData(total=total, markers=markers, clusters=clusters)


@dataclass
class SelectionSummary:
    """How many initiatives a selection holds, how many of them are demo content, and [south, west, north, east]
    around them (the map's first view; None when the selection is empty)."""

    total: int
    demo: int
    bounds: list[float] | None


def initiative_selection_summary(*, initiatives: QuerySet[Initiative]) -> SelectionSummary:
    """The count, the demo count and the bounds of a selection in one query, kept until something shown on the site
    changes: every page of a list (each cursor) and every visitor share it, where each would read the whole
    selection again."""
    if initiatives.query.distinct:
        initiatives = Initiative.objects.filter(pk__in=initiatives.values("pk"))
    initiatives = initiatives.order_by()

    def build() -> SelectionSummary:
        row = initiatives.aggregate(
            total=Count("pk"),
            demo=Count("pk", filter=Q(is_demo=True)),
            south=Min("latitude"),
            west=Min("longitude"),
            north=Max("latitude"),
            east=Max("longitude"),
        )
        bounds = None
        if row["south"] is not None:
            bounds = [_degrees(row[name]) for name in ("south", "west", "north", "east")]
        return SelectionSummary(total=row["total"], demo=row["demo"], bounds=bounds)

    # The selection is named by its SQL and parameters.
    sql, params = initiatives.query.sql_with_params()
    digest = hashlib.sha256(f"{sql}{params}".encode()).hexdigest()
    return cached_until_change(name=f"initiatives-summary:{digest}", build=build)


EXPORT_FIELDS = schema.EXPORT_COLUMNS


def _keys_by_initiative(initiatives: QuerySet[Initiative], relation: str, key_lookup: str) -> dict[int, list[str]]:
    """initiative id → keys of a many-to-many relation, read from its link table in one query."""
    through = getattr(Initiative, relation).through
    keys: dict[int, list[str]] = {}
    rows = through.objects.filter(initiative__in=initiatives.values("pk")).order_by("pk")
    for initiative_id, key in rows.values_list("initiative_id", key_lookup):
        keys.setdefault(initiative_id, []).append(key)
    return keys


def _export_lookup(field: schema.Field) -> str:
    """The database lookup of an exported field: its value, or the stable key of its term."""
    if field.kind is schema.Kind.TERM:
        return f"{field.name}__{field.term_key}"
    return field.name


def _text_provenance(initiatives: QuerySet[Initiative]) -> dict[tuple[str, str], TranslationRecord]:
    """(initiative id, language) → the record of where those texts come from (one query)."""
    return provenance_records(
        model=Initiative, object_keys=initiatives.annotate(key=Cast("pk", CharField())).values("key")
    )


def _provenance_columns(record: TranslationRecord | None) -> dict[str, str]:
    translated_at = record.translated_at if record else None
    return {
        "text_provenance": record.provenance if record else "",
        "text_provenance_date": timezone.localdate(translated_at).isoformat() if translated_at else "",  # Brussels' day
    }


# The exports read the initiatives by chunks of this many (a query for the chunk and one per related table): memory
# stays flat and the number of queries grows with the chunks, never with the initiatives.
EXPORT_CHUNK_SIZE = 2000


def initiative_export_rows(
    *,
    initiatives: QuerySet[Initiative],
    language: str,
    index: InitiativeIndexPage,
    absolute: Callable[[str], str],
) -> Iterator[dict[str, Any]]:
    """One dict per initiative, in the order of their ids, with the columns of EXPORT_FIELDS (schema.EXPORT_COLUMNS):
    public facts only, vocabulary keys not labels, dates in ISO 8601.

    A generator for the streamed exports: reads plain values (no model instances) by chunks of EXPORT_CHUNK_SIZE,
    with the texts, provenance and related keys of each chunk in one query per table."""
    exported = [field for field in schema.EXPORTED if not field.many]
    columns = {field.name: _export_lookup(field) for field in exported}
    # The address of an initiative's page: the map's (one look-up) followed by the detail route.
    map_url = absolute(index.url)
    values = initiatives.order_by("pk").values("pk", *columns.values()).iterator(chunk_size=EXPORT_CHUNK_SIZE)
    while chunk := list(islice(values, EXPORT_CHUNK_SIZE)):
        in_chunk = Initiative.objects.filter(pk__in=[row["pk"] for row in chunk])
        texts = _texts(in_chunk, language)
        provenance = _text_provenance(in_chunk)
        related = {
            "communes": _keys_by_initiative(in_chunk, "communes", "commune__key"),
            "themes": _keys_by_initiative(in_chunk, "themes", "theme__key"),
            "audiences": _keys_by_initiative(in_chunk, "audiences", "audience__key"),
            "methods": _keys_by_initiative(in_chunk, "methods", "toolboxsheetpage__slug"),
        }
        for values_row in chunk:
            pk = values_row["pk"]
            text = texts.get(pk, {})
            row = {field.name: schema.exported(field, values_row[columns[field.name]]) for field in exported}
            row.update(
                id=pk,
                url=map_url + index.reverse_subpage("detail", kwargs={"pk": pk, "slug": text.get("slug", "")}),
                title=text.get("title", ""),
                summary=text.get("summary", ""),
                text_language=text.get("language", ""),
                **_provenance_columns(provenance.get((str(pk), text.get("language", "")))),
                **{name: keys.get(pk, []) for name, keys in related.items()},
            )
            yield {column: row[column] for column in EXPORT_FIELDS}


def initiative_for_detail(*, pk: int) -> Initiative | None:
    return (
        Initiative.objects.published()
        .select_related(
            "geographic_scope", "organiser_type", "participation_level", "recruitment", "format", "budget_band"
        )
        .prefetch_related(
            "translations", "communes", "themes", "audiences", "methods", "steps", "links", "images__image"
        )
        .filter(pk=pk)
        .first()
    )


def initiative_articles(*, initiative: Initiative, locale: Locale) -> list[Page]:
    """Articles that link this initiative, in the page's language (through the reverse relation `articles`)."""
    related = getattr(initiative, "articles", None)
    return list(pages_in_language(pages=related.all(), locale=locale)) if related is not None else []


def initiative_providers(*, initiative: Initiative, language: str) -> list[RelatedLink]:
    """The purchasing centre's providers that took part in the initiative (those naming it among their references),
    read through the reverse relation `provider_references` so that the initiatives app does not depend on the
    providers app."""
    related = getattr(initiative, "provider_references", None)
    centre = related.model.centre_page(language) if related is not None else None
    if related is None or centre is None:
        return []
    return [provider.related_link(centre) for provider in related.order_by("name")]


def initiative_lots(*, initiative: Initiative, language: str) -> list[RelatedLink]:
    """The purchasing-centre lots of the providers involved in the initiative (through the reverse relations
    `provider_references` and `providers`, without importing the purchasing centre), each leading to its page."""
    related = getattr(initiative, "provider_references", None)
    centre = related.model.centre_page(language) if related is not None else None
    if related is None or centre is None:
        return []
    labels = vocabulary_labels(model=PurchasingLot, language=language)
    lots = PurchasingLot.objects.filter(providers__references=initiative).distinct().order_by("number")
    return [
        RelatedLink(
            url=centre.route_url("lot", number=lot.number),
            title=lot_name(number=lot.number, label=labels.get(lot.key, lot.label)),
        )
        for lot in lots
    ]


def initiative_is_outdated(initiative: Initiative) -> bool:
    return (timezone.localdate() - initiative.last_verified).days > OUTDATED_AFTER_DAYS


# What one shared term weighs when ranking the initiatives related to another: a shared method says most about how
# a process was run, a theme about what it was for, a commune less (audiences are left out: nearly every initiative
# addresses the residents).
RELATED_WEIGHTS = {"methods": 3, "themes": 2, "communes": 1}


def related_initiatives(*, initiative: Initiative, limit: int = 4) -> list[Initiative]:
    """Published initiatives ranked by the terms they share with this one (RELATED_WEIGHTS, one subquery per
    relation), the newest first among equals; only those sharing at least one term."""
    score: Any = Value(0)
    sharing = Q(pk__in=[])
    for relation, weight in RELATED_WEIGHTS.items():
        field = Initiative._meta.get_field(relation)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        term_ids = [term.pk for term in getattr(initiative, relation).all()]
        links = through.objects.filter(**{f"{target}__in": term_ids})
        shared = links.filter(**{source: OuterRef("pk")}).values(source).annotate(n=Count("*")).values("n")
        score = score + Coalesce(Subquery(shared, output_field=IntegerField()), 0) * weight
        sharing |= Q(pk__in=links.values(source))
    return list(
        Initiative.objects.published()
        .filter(sharing)
        .exclude(pk=initiative.pk)
        .annotate(shared_score=score)
        .order_by("-shared_score", *NEWEST_FIRST)[:limit]
    )


def related_initiatives_url(*, initiative: Initiative, index: InitiativeIndexPage) -> str:
    """The map filtered by the initiative's methods (any of them), or by its themes when it has no method."""
    params = [("method", sheet.slug) for sheet in initiative.methods.all()] or [
        ("theme", theme.key) for theme in initiative.themes.all()
    ]
    return f"{index.url}?{urlencode(params)}" if params else index.url


def method_sheets(*, initiative: Initiative, language: str) -> list[ToolboxSheetPage]:
    """The toolbox sheets of the initiative's methods, in `language` where translated."""
    keys = [m.translation_key for m in initiative.methods.all()]
    return list(
        ToolboxSheetPage.objects.filter(translation_key__in=keys, locale__language_code=language)
        .live()
        .order_by("title")
    )


def initiatives_tally(
    *,
    initiatives: QuerySet[Initiative],
    field: str,
    model: Any = None,
    choices: Iterable[tuple[Any, Any]] = (),
    language: str | None = None,
    blank_label: str = "",
) -> list[tuple[str, int]]:
    """(label, count) pairs for a vocabulary or choice field, largest first; keys with no initiative left out.
    Initiatives without a value are counted under `blank_label` when one is given (so the counts add up to the
    total), never under an empty label."""
    lookup = f"{field}__key" if model else field
    counts = Counter(initiatives.values_list(lookup, flat=True))
    blank = counts.pop(None, 0) + counts.pop("", 0)
    if model:
        labels = vocabulary_labels(model=model, language=language or get_language())
    else:
        labels = {key: str(label) for key, label in choices}
    rows = sorted(
        ((labels.get(key) or str(key), count) for key, count in counts.items()), key=lambda item: (-item[1], item[0])
    )
    if blank and blank_label:
        rows.append((str(blank_label), blank))
    return rows


def initiatives_tally_by_year(*, initiatives: QuerySet[Initiative]) -> list[tuple[str, int]]:
    counts = Counter(date.year for date in initiatives.exclude(start_date=None).values_list("start_date", flat=True))
    return [(str(year), counts[year]) for year in sorted(counts)]


def initiative_figures_compute(*, initiatives: QuerySet[Initiative], language: str) -> dict[str, Any]:
    """The key figures of a set of initiatives: how many, and how many by commune, theme, level, organiser, year."""
    return {
        "total": initiatives.count(),
        # Figures computed from demo content say so (the demo initiatives were invented to show the platform).
        "demo": initiatives.filter(is_demo=True).count(),
        "by_commune": initiatives_tally(initiatives=initiatives, field="communes", model=Commune, language=language),
        "by_theme": initiatives_tally(initiatives=initiatives, field="themes", model=Theme, language=language),
        "by_level": initiatives_tally(
            initiatives=initiatives, field="participation_level", model=ParticipationLevel, language=language
        ),
        "by_organiser_type": initiatives_tally(
            initiatives=initiatives, field="organiser_type", model=OrganiserType, language=language
        ),
        "by_year": initiatives_tally_by_year(initiatives=initiatives),
    }


# An initiative's page.


def initiative_provenance(*, initiative: Initiative, language: str) -> ProvenanceLabel | None:
    """Where the texts shown in `language` come from, for the page's label and outdated notice (one query; the
    original's address only when outdated)."""
    record = TranslationRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Initiative), object_key=str(initiative.pk), language=language
    ).first()
    source_url = initiative.get_url(initiative.original_language) if record and record.is_outdated else ""
    return provenance_label(record=record, source_url=source_url)


def initiative_page_context(
    *, request: HttpRequest, index: InitiativeIndexPage, initiative: Initiative, preview: bool = False
) -> dict[str, Any]:
    """What an initiative's page shows, in the active language where a text exists (the original otherwise)."""
    language = get_language()
    text = initiative.text(language)
    original = initiative.text(initiative.original_language)
    sections_text = text if text.sections() else original
    related = related_initiatives(initiative=initiative)
    rank = {other.pk: position for position, other in enumerate(related)}
    return {
        "initiative": initiative,
        "text": text,
        "sections": sections_text.sections(),
        "sections_language": sections_text.language,
        "is_fallback": text.language != language,
        "sections_fallback": sections_text.language != language,
        "outdated": initiative_is_outdated(initiative),
        "facts": initiative_facts(initiative=initiative, language=language),
        "steps": [(step.date, step.label(language), step.label_language(language)) for step in initiative.steps.all()],
        "links_lang": "" if initiative.original_language == language else initiative.original_language,
        "method_sheets": page_links(pages=method_sheets(initiative=initiative, language=language)),
        "articles": page_links(pages=initiative_articles(initiative=initiative, locale=index.locale)),
        "providers": initiative_providers(initiative=initiative, language=language),
        "lots": initiative_lots(initiative=initiative, language=language),
        "related": sorted(
            initiative_cards(
                initiatives=Initiative.objects.filter(pk__in=[other.pk for other in related]),
                language=language,
                index=index,
            ),
            key=lambda card: rank[card.pk],
        ),
        "related_url": related_initiatives_url(initiative=initiative, index=index),
        "structured_data": initiative_structured_data(request=request, index=index, initiative=initiative, text=text),
        "provenance": None if preview else initiative_provenance(initiative=initiative, language=text.language),
        "alternates_override": initiative_alternates(request=request, index=index, initiative=initiative),
        "preview": preview,
    }


def initiative_alternates(
    *, request: HttpRequest, index: InitiativeIndexPage, initiative: Initiative
) -> list[dict[str, Any]]:
    """The initiative's page in each language: that language's map with the slug of its text (or the original's)."""
    translations = {t.language: t for t in initiative.translations.all()}
    pages = {page.locale.language_code: page for page in index.get_translations(inclusive=True).live().specific()}
    alternates = []
    for code, name in settings.LANGUAGES:
        page = pages.get(code)
        if page is None:
            continue
        text = translations.get(code) or translations[initiative.original_language]
        url = page.route_url("detail", pk=initiative.pk, slug=text.slug)
        alternates.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "exists": code in translations,
                "absolute_url": request.build_absolute_uri(url),
            }
        )
    return alternates


def initiative_facts(*, initiative: Initiative, language: str) -> list[tuple[str, Any, str]]:
    """The public facts as (label, value, language of the value when it is not `language`) rows for the page, empty
    ones left out."""

    def labels(model: Any, terms: Iterable[Any]) -> str:
        names = vocabulary_labels(model=model, language=language)
        return ", ".join(names.get(term.key, term.label) for term in terms)

    def label(term: Any) -> str:
        return term.display_label if term else ""

    rows = [
        (_("Communes"), labels(Commune, initiative.communes.all())),
        (_("Geographic scope"), label(initiative.geographic_scope)),
        (_("Organisers"), initiative.organisers),
        (_("Organiser type"), label(initiative.organiser_type)),
        (_("Scope of the organiser"), dict(OrganiserScope.choices).get(initiative.organiser_scope, "")),
        (_("Partners"), initiative.partners),
        (_("Themes"), labels(Theme, initiative.themes.all())),
        (_("Participation level"), label(initiative.participation_level)),
        (_("Audiences"), ", ".join(audience.display_label for audience in initiative.audiences.all())),
        (_("Recruitment of participants"), label(initiative.recruitment)),
        (_("Number of participants"), initiative.participants_count or ""),
        (_("Format"), label(initiative.format)),
        (
            _("Languages of the process"),
            ", ".join(dict(settings.LANGUAGES).get(code, code) for code in initiative.process_languages),
        ),
        (_("Status"), dict(Status.choices).get(initiative.status, "")),
        (_("Budget"), label(initiative.budget_band)),
        (_("Providers involved"), initiative.providers),
        (_("Purchasing-centre lot"), str(initiative.purchasing_lot) if initiative.purchasing_lot else ""),
        (_("Evaluation"), dict(Evaluation.choices).get(initiative.evaluation, "")),
        (
            _("Evidence of impact"),
            (_("Yes") if initiative.impact_evidence else _("No")) if initiative.impact_evidence is not None else "",
        ),
    ]
    # Free texts (organisers, partners, providers) are written once, in the initiative's own language: they say so.
    own = "" if initiative.original_language == language else initiative.original_language
    free_texts = {initiative.organisers, initiative.partners, initiative.providers}
    return [
        (row_label, value, own if value in free_texts else "") for row_label, value in rows if value not in ("", None)
    ]


def initiative_structured_data(
    *, request: HttpRequest, index: InitiativeIndexPage, initiative: Initiative, text: Any
) -> StructuredData:
    """The initiative as a schema.org Event: a process that people take part in, at a time and in places of the
    Region, by its organisers. Its `inLanguage` is the languages of the process; the page's text language is the
    page's (core.structured_data)."""
    url = request.build_absolute_uri(index.route_url("detail", pk=initiative.pk, slug=text.slug))
    communes = [commune.display_label for commune in initiative.communes.all()]
    thing: dict[str, Any] = {
        "@type": "Event",
        "name": text.title,
        "description": text.summary,
        "url": url,
        "eventStatus": enumeration("EventScheduled"),
        "organizer": {"@type": "Organization", "name": initiative.organisers},
        "location": place(
            name=", ".join(communes) or str(region()["name"]),
            address=postal_address(locality=", ".join(communes)),
            latitude=initiative.latitude,
            longitude=initiative.longitude,
        ),
        "about": defined_terms([theme.display_label for theme in initiative.themes.all()]),
        "isAccessibleForFree": True,
    }
    optional = {
        "startDate": moment(initiative.start_date) if initiative.start_date else None,
        "endDate": moment(initiative.end_date) if initiative.end_date else None,
        "eventAttendanceMode": attendance_mode(initiative.format.key) if initiative.format else None,
        "inLanguage": list(initiative.process_languages) or None,
        "image": [
            image(url=request.build_absolute_uri(rendition.url), width=rendition.width, height=rendition.height)
            for rendition in (item.image.get_rendition("width-800") for item in initiative.images.all())
        ]
        or None,
    }
    thing.update({name: value for name, value in optional.items() if value is not None})
    return StructuredData(thing=thing, url=url, title=text.title, language=text.language)


def commune_structured_data(*, request: HttpRequest, index: InitiativeIndexPage, commune: Commune) -> StructuredData:
    """A commune (its record in the active language) as a schema.org AdministrativeArea of the Region: its name, its
    postcodes and its centre."""
    url = request.build_absolute_uri(index.route_url("commune", key=commune.key))
    postcodes = [code.strip() for code in commune.postcodes.split(",") if code.strip()]
    thing: dict[str, Any] = {
        "@type": "AdministrativeArea",
        "name": commune.label,
        "address": [postal_address(postcode=code, locality=commune.label) for code in postcodes],
        "containedInPlace": region(),
    }
    coordinates = geo(latitude=commune.latitude, longitude=commune.longitude)
    if coordinates:
        thing["geo"] = coordinates
    return StructuredData(thing=thing, url=url, title=commune.label, language=get_language())
