"""Sending the platform's emails: one plain-text template pair per message, rendered in the recipient's language."""

import base64
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from participation.core.tasks import retried_task


def service_address(language):
    """The Participation service's mailbox for people writing in `language` (French for English): the address that
    replies to the platform's emails reach."""
    addresses = settings.PARTICIPATION_CONTACT_EMAILS
    return addresses.get(language) or addresses[settings.LANGUAGE_CODE]


def mail_sender():
    """The sender, named in the active language (participatie.brussels in Dutch), from the configured address."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((gettext("participation.brussels") if name else "", address))


def mail_send(*, template, recipient, language, context, attachments=(), headers=None):
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language` and queue the message for `recipient`.

    The message is rendered now and delivered by a background job (`mail_deliver`) queued in the caller's
    transaction: it is queued if and only if what triggered it is stored, and a failing mail server is retried under
    the platform's one failure policy (core.tasks). `attachments` are (filename, content, mimetype) triples. Replies
    go to the service's mailbox in the recipient's language (the sender address is not read) unless `headers` names
    another `Reply-To`."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
        sender = mail_sender()
    mail_deliver.enqueue(
        subject=subject,
        body=body,
        sender=sender,
        recipient=recipient,
        headers={"Reply-To": service_address(language), **(headers or {})},
        attachments=[
            (filename, base64.b64encode(content if isinstance(content, bytes) else content.encode()).decode(), mimetype)
            for filename, content, mimetype in attachments
        ],
    )


@retried_task
def mail_deliver(*, subject, body, sender, recipient, headers, attachments):
    """Send one rendered message (attachments as base64); raises when the mail server refuses it."""
    message = EmailMessage(subject, body, sender, [recipient], headers=headers)
    for filename, content, mimetype in attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    message.send()
