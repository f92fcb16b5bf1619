"""Writes of the newsletter: subscribe (double opt-in), confirm, unsubscribe. Tokens are signed, never stored."""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from participation.articles.models import Subscriber
from participation.core.mail import mail_send

CONFIRM_SALT = "newsletter-confirm"
UNSUBSCRIBE_SALT = "newsletter-unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def confirmation_token(subscriber):
    return signing.dumps(subscriber.email, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscriber):
    return signing.dumps(subscriber.email, salt=UNSUBSCRIBE_SALT, compress=True)


def subscriber_subscribe(*, email, language, themes, confirm_url):
    """Record (or refresh) a subscription and send the confirmation link in the chosen language.

    The same answer whether or not the address was known, so the form does not reveal who subscribed."""
    subscriber, _created = Subscriber.objects.get_or_create(email=email.lower(), defaults={"language": language})
    subscriber.language = language
    subscriber.save()
    subscriber.themes.set(themes)
    if subscriber.confirmed_at is None:
        link = confirm_url(confirmation_token(subscriber))
        transaction.on_commit(lambda: _send(subscriber, "confirm", {"link": link}))
    return subscriber


def subscriber_confirm(*, token):
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


def subscriber_unsubscribe(*, token):
    """Delete the subscriber of a valid unsubscribe token (one click, no expiry). True when the token was valid."""
    try:
        email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    Subscriber.objects.filter(email=email).delete()
    return True


def _send(subscriber, template, context):
    mail_send(
        template=f"articles/email/{template}",
        recipient=subscriber.email,
        language=subscriber.language,
        context=context,
    )
