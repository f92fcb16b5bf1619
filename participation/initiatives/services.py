"""Writes of the initiatives' domain that several paths share: the map's kept cells (decision 0017).

Every initiative saved or deleted through the ORM counts as a change (signals.py); a path that writes without
signals (`bulk_create`, `QuerySet.update()` of positions or publication, raw SQL) calls `map_cells_outdate()`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min, Sum, Value

from participation.core.tasks import retried_task
from participation.initiatives import map_grid


def _cells_of_every_zoom(
    level: dict[tuple[int, int], tuple[int, int, int, int]], closest: int
) -> list[tuple[int, int, int, int, int, int, int]]:
    """The cells of the closest kept zoom ((x, y) → count, sums, smallest id), and each farther level added up from
    the next."""
    cells = []
    for zoom in range(closest, -1, -1):
        cells += [(zoom, x, y, *values) for (x, y), values in level.items()]
        farther: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for (x, y), (count, sum_x, sum_y, first) in level.items():
            known = farther.get((x >> 1, y >> 1))
            if known:
                count, sum_x, sum_y = count + known[0], sum_x + known[1], sum_y + known[2]
                first = min(first, known[3])
            farther[(x >> 1, y >> 1)] = (count, sum_x, sum_y, first)
        level = farther
    return cells


def map_cells_compute(*, initiatives: Any) -> list[tuple[str, int, int, int, int, int, int, int]]:
    """(selection, zoom, x, y, count, sum of x, sum of y, smallest id) of every non-empty cell holding some of
    `initiatives` (a queryset of published initiatives), for the whole catalogue (selection "", zoom 0 to
    map_grid.KEPT_MAX_ZOOM) and for each value of MapCell.KEPT_FILTERS ("theme:mobility", zoom 0 to
    map_grid.KEPT_FILTER_MAX_ZOOM): one grouping query at the closest kept zoom per filter, each farther level added
    up from the next."""
    from participation.initiatives.models import MapCell

    sums = {"count": Count("pk"), "sum_x": Sum("map_x"), "sum_y": Sum("map_y"), "first": Min("pk")}
    columns = ("x", "y", "count", "sum_x", "sum_y", "first")
    cells = []
    for param, lookup in [("", ""), *MapCell.KEPT_FILTERS.items()]:
        closest = map_grid.KEPT_FILTER_MAX_ZOOM if param else map_grid.KEPT_MAX_ZOOM
        shift = map_grid.cell_shift(closest)
        cell = {"x": F("map_x").bitrightshift(shift), "y": F("map_y").bitrightshift(shift)}
        rows = initiatives.order_by()
        rows = rows.values(value=F(lookup), **cell) if lookup else rows.values(value=Value(""), **cell)
        levels: dict[str, dict[tuple[int, int], tuple[int, int, int, int]]] = {}
        for value, x, y, *values in rows.annotate(**sums).values_list("value", *columns):
            if value not in (None, "") or not param:
                levels.setdefault(f"{param}:{value}" if param else "", {})[(x, y)] = tuple(values)
        for selection, level in levels.items():
            cells += [(selection, *values) for values in _cells_of_every_zoom(level, closest)]
    return cells


def map_cells_rebuild() -> bool:
    """Compute the kept cells again unless they are up to date; True when they were. Today's models only: a migration
    that changes what is kept marks the cells out of date, and they are computed after `migrate` (signals.py)."""
    from participation.initiatives.models import Initiative, MapCell, MapCellsVersion

    with transaction.atomic():
        version, _created = MapCellsVersion.objects.get_or_create(pk=1)
        if version.built == version.changed:
            return False
        # The count of changes is read before the initiatives: a change committed meanwhile leaves them outdated.
        cells = map_cells_compute(initiatives=Initiative.objects.filter(live=True))
        MapCell.objects.all().delete()
        fields = ("selection", "zoom", "x", "y", "count", "sum_x", "sum_y", "first")
        rows = [MapCell(**dict(zip(fields, cell, strict=True))) for cell in cells]
        MapCell.objects.bulk_create(rows, batch_size=2000)
        MapCellsVersion.objects.filter(pk=1).update(built=version.changed)
    return True


@retried_task
def map_cells_refresh() -> None:
    """The background job queued by each change (the first of a burst rebuilds, the others find nothing to do)."""
    map_cells_rebuild()


# Inside `map_cells_batched()`: whether a change was made (the job is queued once, at the end).
_batch: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("map_cells_batch", default=None)


def map_cells_outdate() -> None:
    """Initiatives changed: the kept cells are not read until the job queued here (in the same transaction) has
    computed them again."""
    from participation.initiatives.models import MapCellsVersion

    if not MapCellsVersion.objects.filter(pk=1).update(changed=F("changed") + 1):
        MapCellsVersion.objects.get_or_create(pk=1)
    batch = _batch.get()
    if batch is None:
        map_cells_refresh.enqueue()
    else:
        batch[:] = [True]


@contextmanager
def map_cells_batched() -> Iterator[None]:
    """Many initiatives written in a row (the importer, the demo loader): each change marks the kept cells out of
    date as it happens, and one job computes them again at the end instead of one per change (an initiative saved
    with its themes and communes is five changes; where jobs run at once, as in the tests, each would compute every
    cell of the map again: three quarters of the demo loader's time)."""
    if _batch.get() is not None:  # already inside a batch: the outer one queues the job
        yield
        return
    batch: list[bool] = []
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        # After an error inside a transaction, nothing is stored and nothing can be queued: the rollback undoes it all.
        if batch and not transaction.get_connection().needs_rollback:
            map_cells_refresh.enqueue()
