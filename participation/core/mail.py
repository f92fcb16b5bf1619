"""Sending the platform's emails: one plain-text template pair per message, rendered in the recipient's language."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def mail_send(*, template, recipient, language, context, attachments=(), headers=None):
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language` and send them to `recipient`.

    A failing mail server is logged, never fatal: the caller gets False and decides how to retry or report it.
    `attachments` are (filename, content, mimetype) triples."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], headers=headers)
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the %s email", template)
        return False
    return True
