"""The initiatives' records and the map's page, in two modules: the page's routes read through selectors that import
the records."""

from .records import (
    REGION_BOUNDS,
    Evaluation,
    Initiative,
    InitiativeImage,
    InitiativeLink,
    InitiativeQuerySet,
    InitiativeStep,
    InitiativeTranslation,
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
    "InitiativeIndexPage",
    "InitiativeLink",
    "InitiativeQuerySet",
    "InitiativeStep",
    "InitiativeTranslation",
    "OrganiserScope",
    "Status",
]
