from .pages import HomePage, StandardPage, TranslatedPageMixin
from .vocabularies import (
    Audience,
    Commune,
    Format,
    OrganiserType,
    ParticipationLevel,
    Phase,
    Theme,
    VocabularyTerm,
)

__all__ = [
    "Audience",
    "Commune",
    "Format",
    "HomePage",
    "OrganiserType",
    "ParticipationLevel",
    "Phase",
    "StandardPage",
    "Theme",
    "TranslatedPageMixin",
    "VocabularyTerm",
]
