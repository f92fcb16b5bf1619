"""Writes of the newsletter: subscribe (double opt-in), confirm, unsubscribe. Tokens are signed, never stored.

The salts are those of the links already sent: a confirmation or unsubscribe link keeps working."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone

from participation.core.mail import mail_send
from participation.core.models import Theme
from participation.newsletter.models import Subscriber

CONFIRM_SALT = "newsletter-confirm"
UNSUBSCRIBE_SALT = "newsletter-unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.dumps(subscriber.email, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps(subscriber.email, salt=UNSUBSCRIBE_SALT, compress=True)


def subscriber_subscribe(
    *, email: str, language: str, themes: Iterable[Theme], confirm_url: Callable[[str], str]
) -> Subscriber:
    """Record (or refresh) a subscription and send the confirmation link in the chosen language.

    The same answer whether or not the address was known, so the form does not reveal who subscribed."""
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=email.lower(), defaults={"language": language})
        subscriber.language = language
        subscriber.save()
        subscriber.themes.set(themes)
        if subscriber.confirmed_at is None:
            _send(subscriber, "confirm", {"link": confirm_url(confirmation_token(subscriber))})
    return subscriber


def subscriber_confirm(*, token: str) -> Subscriber | None:
    """The subscriber of a valid, unexpired confirmation token, now confirmed; None for a bad or expired token."""
    try:
        email = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


def subscriber_unsubscribe(*, token: str) -> bool:
    """Delete the subscriber of a valid unsubscribe token (one click, no expiry). True when the token was valid."""
    try:
        email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    Subscriber.objects.filter(email=email).delete()
    return True


def _send(subscriber: Subscriber, template: str, context: dict[str, Any]) -> None:
    mail_send(
        template=f"newsletter/email/{template}",
        recipient=subscriber.email,
        language=subscriber.language,
        context=context,
    )
