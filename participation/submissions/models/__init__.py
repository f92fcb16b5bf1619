"""The submissions' records and the share page, in two modules: the page's routes read through selectors and write
through services that import the records."""

from .records import (
    Submission,
    SubmissionImage,
    SubmissionKind,
    SubmissionQuerySet,
    SubmissionState,
    TrustedSubmitter,
    _token,
)

# isort: split
from .pages import SharePage

__all__ = [
    "SharePage",
    "Submission",
    "SubmissionImage",
    "SubmissionKind",
    "SubmissionQuerySet",
    "SubmissionState",
    "TrustedSubmitter",
    "_token",
]
