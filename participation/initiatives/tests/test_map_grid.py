"""The map's grid (decision 0017): the pixels the database keeps on every initiative, whatever writes it, the clusters
grouped on them — counts, filters, panning and the closest zoom — and the cells kept for the whole catalogue."""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from conftest import committed, fresh
from participation.initiatives import map_grid, selectors
from participation.initiatives.importer import initiatives_import
from participation.initiatives.models import Initiative, MapCell, MapCellsVersion
from participation.initiatives.services import map_cells_outdate, map_cells_rebuild
from participation.initiatives.tests.factories import InitiativeFactory, initiative_create, map_page
from participation.initiatives.tests.test_importer import csv_file, row

pytestmark = pytest.mark.django_db

# Forty initiatives scattered over a few streets of Schaerbeek and Saint-Josse, half of them ongoing, half on mobility.
SPREAD = [
    (Decimal(f"{50.855 + rng_lat:.6f}"), Decimal(f"{4.365 + rng_lon:.6f}"))
    for rng_lat, rng_lon in (
        (random.Random(n).uniform(0, 0.02), random.Random(-n - 1).uniform(0, 0.03)) for n in range(40)
    )
]
VIEW = "bbox=4.36,50.85,4.40,50.88"


@pytest.fixture(scope="module")
def module_spread(module_homes):
    map_page(module_homes["fr"])
    with committed():
        return [
            initiative_create(
                titles={"fr": f"Initiative {n}"},
                communes=("schaerbeek",),
                themes=("mobility",) if n % 2 else ("housing",),
                status="ongoing" if n % 4 < 2 else "finished",
                latitude=latitude,
                longitude=longitude,
            )
            for n, (latitude, longitude) in enumerate(SPREAD)
        ]


@pytest.fixture
def spread(module_spread, db):
    return fresh(module_spread)


def pixels(initiative):
    initiative.refresh_from_db(fields=["map_x", "map_y"])
    return initiative.map_x, initiative.map_y


def expected_pixels(initiative):
    return map_grid.pixel_of(float(initiative.latitude), float(initiative.longitude))


def test_the_database_keeps_the_pixels_on_create_update_move_and_publish():
    initiative = initiative_create(latitude=Decimal("50.846700"), longitude=Decimal("4.352500"))
    # The OpenStreetMap formula (x = (lon + 180) / 360 × n, y = (1 − asinh(tan lat) / π) / 2 × n), n = 256 × 2 ** 19.
    assert pixels(initiative) == expected_pixels(initiative) == (68_731_593, 45_023_747)
    initiative.latitude, initiative.longitude = Decimal("50.880000"), Decimal("4.420000")
    initiative.save()
    assert pixels(initiative) == expected_pixels(initiative) != (68_731_593, 45_023_747)
    # Moved in the admin: a revision published (its JSON holds the old pixels, the database computes them again).
    initiative.latitude = Decimal("50.800000")
    initiative.save_revision().publish()
    assert pixels(initiative) == expected_pixels(initiative)


def test_the_database_keeps_the_pixels_of_bulk_writes():
    created = Initiative.objects.bulk_create(
        [InitiativeFactory.build(latitude=latitude, longitude=longitude) for latitude, longitude in SPREAD[:5]]
    )
    for initiative in created:
        assert pixels(initiative) == expected_pixels(initiative)
    Initiative.objects.filter(pk__in=[initiative.pk for initiative in created]).update(longitude=Decimal("4.400000"))
    for initiative in Initiative.objects.filter(pk__in=[initiative.pk for initiative in created]):
        assert (initiative.map_x, initiative.map_y) == expected_pixels(initiative)
        assert initiative.map_x == map_grid.pixel_of(50.85, 4.4)[0]


def test_the_database_keeps_the_pixels_of_imported_initiatives(tmp_path):
    initiatives_import(path=csv_file(tmp_path, [row(latitude="50.8275", longitude="4.3697")]), publish=True)
    initiative = Initiative.objects.get(import_reference="Q-1")
    assert pixels(initiative) == map_grid.pixel_of(50.8275, 4.3697)
    initiatives_import(path=csv_file(tmp_path, [row(latitude="50.9", longitude="4.3697")]), publish=True)
    initiative = Initiative.objects.get(import_reference="Q-1")
    assert pixels(initiative) == map_grid.pixel_of(50.9, 4.3697)


def test_pixels_and_degrees_convert_both_ways():
    for latitude, longitude in [(50.8467, 4.3525), (-33.9, 151.2), (0.0, 0.0), (64.1, -21.9)]:
        x, y = map_grid.pixel_of(latitude, longitude)
        back = map_grid.degrees_of(x + 0.5, y + 0.5)
        assert back == pytest.approx((latitude, longitude), abs=2e-6)
    assert map_grid.pixel_of(0.0, 0.0) == (2**26, 2**26), "the middle of the world"


def map_data(client, query):
    response = client.get(f"/fr/initiatives/markers/?{query}")
    assert response.status_code == 200
    return response.json()


def cell_of(latitude, longitude, zoom):
    shift = map_grid.cell_shift(zoom)
    x, y = map_grid.pixel_of(float(latitude), float(longitude))
    return x >> shift, y >> shift


@pytest.mark.parametrize("zoom", [12, 14, 15, 16, 17, 18])
@pytest.mark.parametrize(
    ("query", "selected"),
    [
        ("", lambda n: True),
        ("status=ongoing", lambda n: n % 4 < 2),
        ("theme=mobility&status=ongoing", lambda n: n % 2 and n % 4 < 2),
    ],
)
def test_each_cluster_counts_the_initiatives_of_its_cell_that_the_filters_select(client, spread, zoom, query, selected):
    data = map_data(client, f"{VIEW}&zoom={zoom}&{query}")
    chosen = [initiative for n, initiative in enumerate(spread) if selected(n)]
    by_cell = {}
    for initiative in chosen:
        by_cell.setdefault(cell_of(initiative.latitude, initiative.longitude, zoom), []).append(initiative)
    assert data["total"] == len(chosen)
    # Alone in its cell: a marker where it is; with others, a cluster of their count at their mean position.
    alone = {found[0].pk: found[0] for found in by_cell.values() if len(found) == 1}
    assert sorted(pk for pk, _lat, _lon, _title, _slug in data["markers"]) == sorted(alone)
    for pk, lat, lon, _title, _slug in data["markers"]:
        assert [lat, lon] == pytest.approx([float(alone[pk].latitude), float(alone[pk].longitude)], abs=2e-5)
    grouped = [
        (sum(float(i.latitude) for i in found) / len(found), sum(float(i.longitude) for i in found) / len(found), found)
        for found in by_cell.values()
        if len(found) > 1
    ]
    assert len(data["clusters"]) == len(grouped)
    for lat, lon, count in data["clusters"]:
        (found,) = [
            found
            for mean_lat, mean_lon, found in grouped
            if [lat, lon] == pytest.approx([mean_lat, mean_lon], abs=2e-5)
        ]
        assert count == len(found)
    assert data["clusters"] or zoom > 12, "grouped when zoomed out"


def test_clusters_stay_put_while_the_map_pans(client, spread):
    west, south, east, north = (float(value) for value in VIEW.removeprefix("bbox=").split(","))
    for zoom in (13, 15, 16):
        before = map_data(client, f"{VIEW}&zoom={zoom}")
        # Moved by a third of the view to the north-east: what both views show is the same.
        dx, dy = (east - west) / 3, (north - south) / 3
        after = map_data(client, f"bbox={west + dx},{south + dy},{east + dx},{north + dy}&zoom={zoom}")

        def shared(items, position, dx=dx, dy=dy):
            return sorted(
                item
                for item in items
                if west + dx <= position(item)[1] <= east and south + dy <= position(item)[0] <= north
            )

        for kind, position in (("clusters", lambda item: item[:2]), ("markers", lambda item: item[1:3])):
            kept = shared(before[kind], position)
            assert kept == shared(after[kind], position)
        assert shared(before["clusters"], lambda item: item[:2]) or zoom == 16


def test_at_the_closest_zoom_each_initiative_stands_alone_where_it_is(client, spread):
    twins = [
        initiative_create(titles={"fr": f"Jumelle {n}"}, latitude=Decimal("50.86"), longitude=Decimal("4.37"))
        for n in range(2)
    ]
    data = map_data(client, f"{VIEW}&zoom=19")
    assert data["clusters"] == []
    assert len(data["markers"]) == data["total"] == len(spread) + 2
    where = {pk: (lat, lon) for pk, lat, lon, _title, _slug in data["markers"]}
    for initiative in [*spread, *twins]:
        assert where[initiative.pk] == (round(float(initiative.latitude), 5), round(float(initiative.longitude), 5))


def test_a_lone_initiative_is_a_marker_with_its_title_at_every_zoom(client, spread):
    lone = initiative_create(titles={"fr": "Au bout du canal"}, latitude=Decimal("50.880000"), longitude=Decimal("4.3"))
    for zoom in range(11, 20):
        data = map_data(client, f"bbox=4.29,50.875,4.31,50.885&zoom={zoom}")
        (marker,) = data["markers"]
        assert marker[0] == lone.pk and marker[3] == "Au bout du canal"
        assert marker[1:3] == pytest.approx([50.88, 4.3], abs=2e-5)


def whole_catalogue(zoom, *, kept):
    from django.http import QueryDict

    view = selectors.MapView.from_params(QueryDict(f"{VIEW}&zoom={zoom}"))
    return selectors.initiative_map_data(
        initiatives=Initiative.objects.published(), view=view, language="fr", kept_selection="" if kept else None
    )


def test_the_kept_cells_of_the_whole_catalogue_are_the_cells_grouped_live(spread):
    assert MapCellsVersion.objects.get().built == MapCellsVersion.objects.get().changed, "computed after each save"
    assert MapCell.objects.get(selection="", zoom=0).count == len(spread), "one cell holds the world"
    for zoom in range(map_grid.KEPT_MAX_ZOOM + 1):
        with CaptureQueriesContext(connection) as queries:
            kept = whole_catalogue(zoom, kept=True)
        assert any('"initiatives_mapcell"' in query["sql"] for query in queries.captured_queries)
        assert kept == whole_catalogue(zoom, kept=False)
        assert kept.total == len(spread)


def test_the_kept_cells_follow_each_change_and_are_never_read_outdated(spread):
    moved, removed = spread[0], spread[1]
    moved.latitude, moved.longitude = Decimal("50.800000"), Decimal("4.300000")
    moved.save()
    removed.delete()
    for zoom in (12, 15):
        assert whole_catalogue(zoom, kept=True) == whole_catalogue(zoom, kept=False)
    # A write without signals leaves the cells outdated until it says so; they are then not read, and the job
    # queued computes them again.
    Initiative.objects.filter(pk=spread[2].pk).update(live=False)
    map_cells_outdate()
    assert whole_catalogue(12, kept=True).total == len(spread) - 3, "one moved away, one deleted, one unpublished"
    world = MapCell.objects.get(selection="", zoom=0)
    assert world.count == len(spread) - 2, "the world still holds the one moved away"


def test_a_burst_of_changes_is_computed_once(spread):
    version = MapCellsVersion.objects.get()
    MapCellsVersion.objects.update(changed=F("changed") + 2)
    assert map_cells_rebuild() is True
    assert map_cells_rebuild() is False, "the next job of the burst finds the cells up to date"
    assert MapCellsVersion.objects.get().built == version.changed + 2
    # Outdated, the cells are not read: the map groups the initiatives themselves.
    MapCellsVersion.objects.update(changed=F("changed") + 1)
    with CaptureQueriesContext(connection) as queries:
        assert whole_catalogue(12, kept=True) == whole_catalogue(12, kept=False)
    assert not any('"initiatives_mapcell"' in query["sql"] for query in queries.captured_queries)


def test_an_import_marks_the_cells_out_of_date_at_once_and_queues_one_job_to_compute_them(
    spread, database_jobs, tmp_path
):
    """Each imported initiative is several changes (saved, its themes, its communes): one job for the whole file."""
    from django_tasks_db.models import DBTaskResult

    rows = [
        row(reference=f"Q-{n}", title=f"Un banc (démo) {n}", latitude="50.8275", longitude="4.3697") for n in range(3)
    ]
    initiatives_import(path=csv_file(tmp_path, rows), publish=True)
    version = MapCellsVersion.objects.get()
    assert version.changed > version.built, "outdated from the first change: the map groups live until the job runs"
    assert DBTaskResult.objects.filter(task_path__endswith="map_cells_refresh").count() == 1
    database_jobs()  # with the other jobs of the import (the search index…)
    version.refresh_from_db()
    assert version.built == version.changed
    assert MapCell.objects.get(selection="", zoom=0).count == len(spread) + 3
    assert whole_catalogue(12, kept=True) == whole_catalogue(12, kept=False)


def test_cells_that_a_migration_marks_out_of_date_are_computed_after_migrate(spread):
    """A migration only marks the kept cells out of date (0011); `migrate` computes them with today's models."""
    from django.core.management import call_command

    MapCell.objects.all().delete()
    MapCellsVersion.objects.update(changed=F("changed") + 1)
    call_command("migrate", verbosity=0)
    version = MapCellsVersion.objects.get()
    assert version.built == version.changed
    assert whole_catalogue(12, kept=True) == whole_catalogue(12, kept=False)
    assert MapCell.objects.exclude(selection="").exists(), "and the cells of each value of the kept filters"


def filtered(query, zoom, *, kept):
    from django.http import QueryDict
    from django.utils import translation

    params = QueryDict(f"{VIEW}&zoom={zoom}&{query}")
    with translation.override("fr"):
        filters, keywords, initiatives = selectors.initiative_selection(params=params)
        selection = selectors.map_kept_selection(filters=filters, query=keywords) if kept else None
        with CaptureQueriesContext(connection) as queries:
            data = selectors.initiative_map_data(
                initiatives=initiatives,
                view=selectors.MapView.from_params(params),
                language="fr",
                kept_selection=selection,
            )
    return data, selection, any('"initiatives_mapcell"' in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("query", ["status=ongoing", "theme=mobility", "theme=housing", "commune=schaerbeek"])
def test_a_map_filtered_by_one_value_reads_its_kept_cells_which_are_the_cells_grouped_live(spread, query):
    for zoom in range(map_grid.KEPT_MAX_ZOOM + 1):
        kept, selection, read = filtered(query, zoom, kept=True)
        assert selection == query.replace("=", ":")
        assert read == (zoom <= map_grid.KEPT_FILTER_MAX_ZOOM), "kept for the views of the whole Region"
        assert kept == filtered(query, zoom, kept=False)[0]
    assert kept.total == (20 if query != "commune=schaerbeek" else 40)


@pytest.mark.parametrize(
    "query",
    ["theme=mobility&status=ongoing", "theme=mobility&theme=housing", "q=initiative&theme=mobility", "year=2025"],
)
def test_a_map_filtered_otherwise_groups_the_initiatives_it_selects(spread, query):
    _data, selection, read = filtered(query, 12, kept=True)
    assert selection is None and not read


def test_the_kept_cells_of_a_filter_follow_a_change_of_its_value(spread):
    """An initiative that leaves the mobility theme for housing leaves its cells for the others'."""
    moved = spread[1]
    before = filtered("theme=mobility", 12, kept=True)[0].total
    moved.themes.set(moved.themes.model.objects.filter(key="housing", locale__language_code="fr"))
    moved.save()
    assert filtered("theme=mobility", 12, kept=True)[0].total == before - 1
    assert filtered("theme=housing", 12, kept=True)[0] == filtered("theme=housing", 12, kept=False)[0]
