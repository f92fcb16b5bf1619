"""Initiatives shared by the public: the submissions of the share page's form and the submitters the service trusts.

A `Submission` holds what is its own: what a person typed, step by step, from the first step on (nothing is lost
when they make a mistake, leave, or come back later through the link sent by email), their private contact, the
confirmation of their address, whether they are trusted, and the moderators' decision. The initiative itself is an
`Initiative` under Wagtail's moderation: a new one is a draft until a moderator publishes it; an update proposed
through the signed link is an unpublished revision of the published initiative (`revision`), which moderators
compare and preview with Wagtail's own tools.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _token():
    return secrets.token_urlsafe(24)


class SubmissionKind(models.TextChoices):
    NEW = "new", _("New initiative")
    UPDATE = "update", _("Update of a published initiative")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    UNCONFIRMED = "unconfirmed", _("Waiting for email confirmation")
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined")


class SubmissionQuerySet(models.QuerySet):
    def in_queue(self):
        return self.filter(state=SubmissionState.PENDING)


class Submission(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=SubmissionKind.choices, default=SubmissionKind.NEW)
    state = models.CharField(
        _("state"), max_length=12, choices=SubmissionState.choices, default=SubmissionState.DRAFT, db_index=True
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    # What the person typed, step by step ({step: {field: [values]}}), and the images they uploaded (SubmissionImage).
    data = models.JSONField(default=dict, blank=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    # An update: the revision of the initiative that it proposes (unpublished until a moderator publishes it).
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("proposed revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Private.
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_organisation = models.CharField(_("contact organisation"), max_length=200, blank=True)

    trusted = models.BooleanField(_("from a trusted submitter"), default=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    moderators_notified_at = models.DateTimeField(_("moderators notified"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared initiative")
        verbose_name_plural = _("shared initiatives")
        ordering = ["-submitted_at", "-created_at"]

    def __str__(self):
        if self.kind == SubmissionKind.UPDATE:
            return _("Update: %(title)s") % {"title": self.title}
        return self.title

    @property
    def title(self):
        return self.step_value("about", "title") or _("Untitled (#%(number)s)") % {"number": self.pk}

    def step_value(self, step, field):
        values = self.data.get(step, {}).get(field) or [""]
        return values[0]


class SubmissionImage(models.Model):
    """An image uploaded with a submission, already re-encoded without its metadata (EXIF, GPS)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(upload_to="submissions/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("alternative text"), max_length=250, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.alt_text or self.file.name

    @property
    def file_name(self):
        """The file's name without its folders, as people recognise it (the name they uploaded, as an address)."""
        return self.file.name.rsplit("/", 1)[-1]


class TrustedSubmitter(models.Model):
    """Someone whose first initiative was published: their later submissions are flagged as trusted."""

    email = models.EmailField(_("email"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trusted submitter")
        verbose_name_plural = _("trusted submitters")

    def __str__(self):
        return self.email
