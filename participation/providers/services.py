"""Writes of the purchasing centre: support requests and their follow-up emails (queued with what triggered them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from participation.core.mail import mail_send
from participation.core.models import Counter
from participation.providers.models.records import SupportRequest

if TYPE_CHECKING:
    from participation.providers.forms import SupportRequestForm


def _reference_next() -> str:
    """CM-<year>-<nnnn>: the year's next number (a counter, safe when two requests arrive together), after the last
    reference given before the counter existed."""
    prefix = f"CM-{timezone.localdate().year}-"
    last = (
        SupportRequest.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = Counter.objects.next(key=f"support-request-{prefix}", start=int(last.rsplit("-", 1)[1]) + 1 if last else 1)
    return f"{prefix}{number:04d}"


def _mail(
    *, template: str, recipient: str, language: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    mail_send(
        template=f"providers/email/{template}",
        recipient=recipient,
        language=language,
        context=context,
        headers=headers,
    )


def support_request_submit(*, form: SupportRequestForm, language: str, request_url: str) -> SupportRequest:
    """Store the request with a reference number, then tell the service and the requester."""
    with transaction.atomic():
        support_request = form.save(commit=False)
        support_request.language = language
        support_request.reference = _reference_next()
        support_request.save()
        form.save_m2m()
        support_request.save_revision(log_action=True)
        context = {"request": support_request, "request_url": request_url}
        _mail(
            template="request_received_service",
            recipient=settings.PURCHASING_CENTRE_EMAIL,
            language=settings.LANGUAGE_CODE,
            context=context,
            headers={"Reply-To": support_request.email},  # the service answers the requester directly
        )
        _mail(template="request_received", recipient=support_request.email, language=language, context=context)
    return support_request


def support_request_status_notify(*, support_request: SupportRequest, previous_status: str) -> None:
    """Tell the requester, in their language, that their request moved to another status."""
    if support_request.status == previous_status:
        return
    _mail(
        template="request_status",
        recipient=support_request.email,
        language=support_request.language,
        context={"request": support_request},
    )
