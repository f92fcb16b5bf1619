"""The grid the map groups initiatives on (decision 0017): Web Mercator pixels of the closest zoom level, stored as two
integers on each initiative by the database itself, and cells of 64 pixels at each zoom level made of them.

A cell at zoom z is the pixel divided by 2 ** (CELL_BITS + MAX_ZOOM - z): the same cells whatever the view and
nested from one zoom level to the next, so clusters stay put while the map pans.
"""

from __future__ import annotations

import math

from django.db.models import F, FloatField, IntegerField, Value
from django.db.models.functions import Cast, Floor, Ln, Pi, Radians, Tan

MAX_ZOOM = 19
CELL_BITS = 6  # cells of 64 pixels
PIXEL_BITS = MAX_ZOOM + 8  # 256-pixel tiles at the closest zoom: 2 ** 27 pixels a side, an integer everywhere
WORLD_PIXELS = 2**PIXEL_BITS
# Zoom levels up to which the whole catalogue's cells are kept (MapCell); closer views hold few initiatives.
KEPT_MAX_ZOOM = 15
# Zoom levels up to which the cells of one value of a filter are kept: the views of the whole Region (zoom 12 on a
# wide screen, 10 or 11 on a phone), where a filtered map shows the most; closer, the view holds fewer of them, and
# keeping every filter's cells there would take thirty times the rows of the whole catalogue's.
KEPT_FILTER_MAX_ZOOM = 12


def map_pixel_x() -> Cast:
    """The database expression of an initiative's horizontal pixel (from 180° west)."""
    longitude = Cast(F("longitude"), FloatField())
    return Cast(Floor((longitude + Value(180.0)) / Value(360.0) * Value(float(WORLD_PIXELS))), IntegerField())


def map_pixel_y() -> Cast:
    """The database expression of an initiative's vertical pixel (from the top of the Web Mercator world)."""
    latitude = Radians(Cast(F("latitude"), FloatField()))
    mercator = Ln(Tan(latitude / Value(2.0) + Pi() / Value(4.0)))
    return Cast(Floor((Value(1.0) - mercator / Pi()) / Value(2.0) * Value(float(WORLD_PIXELS))), IntegerField())


def pixel_of(latitude: float, longitude: float) -> tuple[int, int]:
    """(x, y) of a position, as the database computes them (latitudes beyond Web Mercator's ±85° at its edges)."""
    latitude = min(max(latitude, -85.0511), 85.0511)
    x = math.floor((longitude + 180.0) / 360.0 * WORLD_PIXELS)
    mercator = math.log(math.tan(math.radians(latitude) / 2 + math.pi / 4))
    y = math.floor((1.0 - mercator / math.pi) / 2 * WORLD_PIXELS)
    return min(max(x, 0), WORLD_PIXELS - 1), min(max(y, 0), WORLD_PIXELS - 1)


def degrees_of(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) of a pixel, fractions allowed (the mean position of a cluster)."""
    longitude = x / WORLD_PIXELS * 360.0 - 180.0
    latitude = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / WORLD_PIXELS))))
    return latitude, longitude


def cell_shift(zoom: int) -> int:
    """How many bits of a pixel a cell of `zoom` leaves out."""
    return CELL_BITS + MAX_ZOOM - zoom
