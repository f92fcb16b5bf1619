"""Sending the platform's emails: one plain-text template pair per message, rendered in the recipient's language."""

import logging
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


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
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language` and send them to `recipient`.

    A failing mail server is logged, never fatal: the caller gets False and decides how to retry or report it.
    `attachments` are (filename, content, mimetype) triples. Replies go to the service's mailbox in the recipient's
    language (the sender address is not read) unless `headers` names another `Reply-To`."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
        sender = mail_sender()
    headers = {"Reply-To": service_address(language), **(headers or {})}
    message = EmailMessage(subject, body, sender, [recipient], headers=headers)
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the %s email", template)
        return False
    return True
