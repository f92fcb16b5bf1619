"""Writes of the network: registrations (seats, waiting list, cancellation, promotion), membership requests and
their decision, the members' space (group, collection and view restrictions). Emails are background jobs queued in
the same transaction, in the language the person used."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import OperationalError, connection, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from participation.core.mail import mail_send
from participation.network import ical, selectors
from participation.network.models import pages
from participation.network.models.records import (
    MEMBERS_COLLECTION,
    MEMBERS_GROUP,
    MembershipRequest,
    MembershipStatus,
    Registration,
    RegistrationStatus,
)
from participation.network.selectors import RegistrationState

T = TypeVar("T")
# SQLite has no row locks: it lets one writer through and tells the others the database is locked; they try again.
SQLITE_ATTEMPTS = 20


class RegistrationClosed(Exception):
    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


class AlreadyRegistered(Exception):
    pass


def _mail(
    *,
    template: str,
    recipient: str,
    language: str,
    context: dict[str, Any],
    attachments: Iterable[tuple] = (),
    headers: dict[str, str] | None = None,
) -> None:
    mail_send(
        template=f"network/email/{template}",
        recipient=recipient,
        language=language,
        context=context,
        attachments=attachments,
        headers=headers,
    )


def _event_lock(pk: int) -> pages.EventPage:
    """The event row, locked until the end of the transaction (PostgreSQL): seat decisions happen one at a time."""
    return pages.EventPage.objects.select_for_update(of=("self",)).get(pk=pk)


def _serialised(function: Callable[[], T]) -> T:
    """Run `function` in a transaction; on SQLite, try again while another writer holds the database."""
    attempts = SQLITE_ATTEMPTS if connection.vendor == "sqlite" else 1
    for attempt in range(attempts - 1):
        try:
            with transaction.atomic():
                return function()
        except OperationalError:
            if connection.in_atomic_block:
                raise
            time.sleep(0.05 * (attempt + 1))
    with transaction.atomic():
        return function()


def _event_links(*, registration: Registration, site_url: str) -> dict[str, Any]:
    page = selectors.event_language_version(event=registration.event, language=registration.language)
    with translation.override(registration.language):
        page_url = page.get_url()
        return {
            "page": page,
            "event_url": f"{site_url}{page_url}",
            "cancel_url": f"{site_url}{page.route_url('cancel')}?token={registration.token}",
            "ics_url": f"{site_url}{page.route_url('ics')}",
        }


def _registration_mail(registration_pk: int, template: str, site_url: str) -> None:
    registration = Registration.objects.select_related("event").get(pk=registration_pk)
    links = _event_links(registration=registration, site_url=site_url)
    page = links["page"]
    attachments = []
    if registration.status == RegistrationStatus.CONFIRMED:
        with translation.override(registration.language):
            content = ical.calendar_bytes(
                events=[page],
                name=page.title,
                url_for=lambda _event: links["event_url"],
                online_url=page.online_url,
            )
        attachments.append((f"{page.slug}.ics", content, "text/calendar; method=PUBLISH; charset=utf-8"))
    waiting_position = None
    if registration.status == RegistrationStatus.WAITING:
        waiting_position = (
            Registration.objects.filter(
                event=registration.event, status=RegistrationStatus.WAITING, created_at__lte=registration.created_at
            ).count()
            or 1
        )
    context = {
        "registration": registration,
        "event": page,
        "sessions": page.session_list(),
        "waiting_position": waiting_position,
        **links,
    }
    _mail(
        template=template,
        recipient=registration.email,
        language=registration.language,
        context=context,
        attachments=attachments,
    )


def registration_create(*, event: pages.EventPage, data: dict[str, Any], language: str, site_url: str) -> Registration:
    """Register someone: a seat if one is free, else the waiting list (if the event has one), else refused.

    The seat decision runs with the event row locked, so two people can never both get the last seat. Every read is
    inside it: on SQLite a read while another registration writes may be refused, and is then tried again with it.
    """
    email = data["email"].strip().lower()

    def decide() -> Registration:
        locked = _event_lock(selectors.event_canonical(event).pk)
        state = selectors.registration_state(event=locked)
        if state not in RegistrationState.ACCEPTING:
            raise RegistrationClosed(state)
        if Registration.objects.filter(event=locked, email=email).exclude(status=RegistrationStatus.CANCELLED).exists():
            raise AlreadyRegistered
        confirmed = state == RegistrationState.OPEN
        registration = Registration.objects.create(
            event=locked,
            status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING,
            confirmed_at=timezone.now() if confirmed else None,
            name=data["name"].strip(),
            email=email,
            organisation=data["organisation"].strip(),
            role=data.get("role", "").strip(),
            needs=data.get("needs", "").strip(),
            language=language,
        )
        template = "registration_confirmed" if confirmed else "registration_waiting"
        _registration_mail(registration.pk, template, site_url)
        return registration

    return _serialised(decide)


def registration_confirmation_resend(*, event: pages.EventPage, email: str, site_url: str) -> bool:
    """Send again, to the address registered, the email of a registration (a seat or a place on the waiting list),
    with its calendar file and cancel link. False when the address has no registration for the event."""
    registration = (
        Registration.objects.filter(event=selectors.event_canonical(event), email=email.strip().lower())
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is None:
        return False
    template = (
        "registration_confirmed" if registration.status == RegistrationStatus.CONFIRMED else "registration_waiting"
    )
    _registration_mail(registration.pk, template, site_url)
    return True


def waiting_list_promote(*, event: pages.EventPage, site_url: str) -> list[Registration]:
    """Give the free seats of an event that has not started to the waiting list, first come first served; each
    promoted person gets an email with the event attached. Returns the promoted registrations."""

    def promote() -> list[Registration]:
        locked = _event_lock(selectors.event_canonical(event).pk)
        if locked.starts_at is None or locked.starts_at <= timezone.now():
            return []
        seats = selectors.event_seats(event=locked)
        free = seats.remaining
        waiting = Registration.objects.filter(event=locked, status=RegistrationStatus.WAITING).order_by(
            "created_at", "pk"
        )
        promoted = list(waiting if free is None else waiting[:free])
        for registration in promoted:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = timezone.now()
            registration.save(update_fields=["status", "confirmed_at"])
            _registration_mail(registration.pk, "registration_promoted", site_url)
        return promoted

    return _serialised(promote)


def registration_find_by_token(token: str | None) -> Registration | None:
    if not token or len(token) > 64:
        return None
    return Registration.objects.select_related("event").filter(token=token).first()


def registration_cancel(*, registration: Registration, site_url: str) -> Registration:
    """Cancel a registration (before the event starts), then give its seat to the first person waiting.

    The registration comes back with what happened, for the page to say it truly: `was_waiting` (it was a place on
    the waiting list, not a seat) and `seat_given` (someone waiting got the seat)."""

    def cancel() -> Registration:
        locked = _event_lock(registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        current.was_waiting = current.status == RegistrationStatus.WAITING  # type: ignore[attr-defined]
        if current.status == RegistrationStatus.CANCELLED:
            return current
        if locked.starts_at is not None and locked.starts_at <= timezone.now():
            raise RegistrationClosed(RegistrationState.PAST)
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        _registration_mail(current.pk, "registration_cancelled", site_url)
        return current

    cancelled = _serialised(cancel)
    promoted = waiting_list_promote(event=cancelled.event, site_url=site_url)
    cancelled.seat_given = bool(promoted)  # type: ignore[attr-defined]
    return cancelled


# Members' space


def members_group_ensure() -> Group:
    return Group.objects.get_or_create(name=MEMBERS_GROUP)[0]


def members_space_ensure() -> tuple[Group, Collection]:
    """The members' group, the members' documents collection and the view restrictions that keep the collection and
    every language's members' area for the group only. Idempotent."""
    group = members_group_ensure()
    collection = Collection.objects.filter(name=MEMBERS_COLLECTION).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=MEMBERS_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    ).first() or CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    for page in pages.MembersAreaPage.objects.all():
        members_area_restrict(page=page, group=group)
    return group, collection


def members_area_restrict(*, page: pages.MembersAreaPage, group: Group | None = None) -> PageViewRestriction:
    group = group or members_group_ensure()
    restriction = PageViewRestriction.objects.filter(
        page=page, restriction_type=PageViewRestriction.GROUPS
    ).first() or PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return restriction


def membership_request_submit(*, form: ModelForm, language: str, site_url: str) -> MembershipRequest:
    with transaction.atomic():
        membership = form.save(commit=False)
        membership.email = membership.email.strip().lower()
        membership.language = language
        membership.save()
        context = {"membership": membership, "admin_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/"}
        _mail(
            template="membership_received_service",
            recipient=settings.NETWORK_EMAIL,
            language="fr",
            context=context,
            headers={"Reply-To": membership.email},
        )
        _mail(template="membership_received", recipient=membership.email, language=language, context=context)
    return membership


def _set_password_url(*, user: Any, language: str, site_url: str) -> str:
    with translation.override(language):
        path = reverse(
            "network_password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return f"{site_url}{path}"


def membership_approve(*, membership: MembershipRequest, site_url: str) -> MembershipRequest:
    """Open (or reactivate) the person's account, put it in the members' group, email a link to choose a password."""
    User = get_user_model()
    with transaction.atomic():
        user = membership.user or User.objects.filter(email__iexact=membership.email).order_by("pk").first()
        if user is None:
            user = User(username=membership.email[:150], email=membership.email)
            user.set_unusable_password()
        user.first_name = membership.name[:150]
        user.is_active = True
        user.save()
        user.groups.add(members_group_ensure())
        membership.user = user
        membership.status = MembershipStatus.APPROVED
        membership.decided_at = timezone.now()
        membership.save()
        context = {
            "membership": membership,
            "set_password_url": _set_password_url(user=user, language=membership.language, site_url=site_url),
            "sign_in_url": site_url + _localised_reverse("network_sign_in", membership.language),
            "reset_url": site_url + _localised_reverse("network_password_reset", membership.language),
        }
        _mail(template="membership_approved", recipient=membership.email, language=membership.language, context=context)
    return membership


def _localised_reverse(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def membership_decline(*, membership: MembershipRequest) -> MembershipRequest:
    """Decline (or withdraw) a membership: the account leaves the members' group; the person gets the reason."""
    with transaction.atomic():
        if membership.user is not None:
            membership.user.groups.remove(members_group_ensure())
        membership.status = MembershipStatus.DECLINED
        membership.decided_at = timezone.now()
        membership.save()
        _mail(
            template="membership_declined",
            recipient=membership.email,
            language=membership.language,
            context={"membership": membership},
        )
    return membership


def membership_decide(
    *, membership: MembershipRequest, previous_status: str | None, site_url: str
) -> MembershipRequest:
    """What an administrator's change of status in the admin means."""
    if membership.status == previous_status:
        return membership
    if membership.status == MembershipStatus.APPROVED:
        return membership_approve(membership=membership, site_url=site_url)
    if membership.status == MembershipStatus.DECLINED:
        return membership_decline(membership=membership)
    if membership.user is not None:
        membership.user.groups.remove(members_group_ensure())
    return membership


def member_directory_choose(*, user: Any, in_directory: bool) -> int:
    """A member shows or hides themself in the members' directory."""
    return MembershipRequest.objects.filter(user=user, status=MembershipStatus.APPROVED).update(
        in_directory=in_directory
    )


def site_url(request: HttpRequest) -> str:
    """The scheme and host the request came to, to build the absolute addresses put in emails."""
    return request.build_absolute_uri("/").rstrip("/")
