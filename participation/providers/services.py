"""Writes of the purchasing centre: support requests and their follow-up emails (sent after the commit)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from participation.providers.models import SupportRequest

logger = logging.getLogger(__name__)


def _reference_next():
    year = timezone.localdate().year
    prefix = f"CM-{year}-"
    last = (
        SupportRequest.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _mail(*, template, recipient, language, context):
    """Render a subject/body pair in `language` and send it; a failing mail server is logged, never fatal."""
    with translation.override(language):
        subject = render_to_string(f"providers/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"providers/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    except Exception:
        logger.exception("Could not send the %s email for %s", template, context["request"].reference)


def support_request_submit(*, form, language, request_url):
    """Store the request with a reference number, then tell the service and the requester."""
    with transaction.atomic():
        support_request = form.save(commit=False)
        support_request.language = language
        support_request.reference = _reference_next()
        support_request.save()
        form.save_m2m()
        support_request.save_revision(log_action=True)
    context = {"request": support_request, "request_url": request_url}
    service_address = settings.PURCHASING_CENTRE_EMAIL

    def notify():
        _mail(
            template="request_received_service",
            recipient=service_address,
            language=settings.LANGUAGE_CODE,
            context=context,
        )
        _mail(template="request_received", recipient=support_request.email, language=language, context=context)

    transaction.on_commit(notify)
    return support_request


def support_request_status_notify(*, support_request, previous_status):
    """Tell the requester, in their language, that their request moved to another status."""
    if support_request.status == previous_status:
        return
    context = {"request": support_request}
    transaction.on_commit(
        lambda: _mail(
            template="request_status",
            recipient=support_request.email,
            language=support_request.language,
            context=context,
        )
    )
