"""The initiatives' records and the map's page, in two modules: the page's routes read through selectors that import
the records."""

from .records import (
    REGION_BOUNDS,
    Evaluation,
    Initiative,
    InitiativeImage,
    InitiativeImport,
    InitiativeLink,
    InitiativeQuerySet,
    InitiativeStep,
    InitiativeTranslation,
    MapCell,
    MapCellsVersion,
    OrganiserScope,
    Status,
)

# isort: split
from .pages import InitiativeIndexPage

__all__ = [
    "REGION_BOUNDS",
    "Evaluation",
    "Initiative",
    "InitiativeImage",
    "InitiativeImport",
    "InitiativeIndexPage",
    "InitiativeLink",
    "InitiativeQuerySet",
    "InitiativeStep",
    "InitiativeTranslation",
    "MapCell",
    "MapCellsVersion",
    "OrganiserScope",
    "Status",
]
