"""The network's records (event types, registrations, membership requests) and its pages, in two modules: the pages'
routes read through selectors that import the records."""

from .records import (
    LANGUAGE_CHOICES,
    MEMBERS_COLLECTION,
    MEMBERS_GROUP,
    RESERVED_SLUGS,
    EventType,
    MemberKind,
    MembershipRequest,
    MembershipStatus,
    Registration,
    RegistrationStatus,
    registration_token,
)

# isort: split
from .pages import EventPage, EventSession, MaterialBlock, MembersAreaPage, NetworkPage, SpeakerBlock

__all__ = [
    "LANGUAGE_CHOICES",
    "MEMBERS_COLLECTION",
    "MEMBERS_GROUP",
    "RESERVED_SLUGS",
    "EventPage",
    "EventSession",
    "EventType",
    "MaterialBlock",
    "MemberKind",
    "MembersAreaPage",
    "MembershipRequest",
    "MembershipStatus",
    "NetworkPage",
    "Registration",
    "RegistrationStatus",
    "SpeakerBlock",
    "registration_token",
]
