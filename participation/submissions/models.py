"""Initiatives shared by the public: the share page (a step-by-step form), the submissions it stores and the
submitters the service trusts.

A `Submission` holds what a person typed, step by step, from the first step on: nothing is lost when they make a
mistake, leave, or come back later through the link sent by email. Once they confirm their email address, a new
initiative becomes an `Initiative` in the "pending moderation" state; an update to a published initiative stays in
the submission until a moderator applies it. Contact details are private: they never leave the admin.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from participation.core.blocks import BodyBlock
from participation.core.models import TranslatedPageMixin


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
    mail_failed = models.BooleanField(
        _("an email could not be sent"),
        default=False,
        help_text=_("The daily command tries again; moderators see it in the queue."),
    )

    objects = SubmissionQuerySet.as_manager()

    panels = [
        FieldPanel("contact_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_organisation"),
    ]

    class Meta:
        verbose_name = _("shared initiative")
        verbose_name_plural = _("shared initiatives")
        ordering = ["-submitted_at", "-created_at"]
        permissions = [("moderate_submission", _("Can moderate shared initiatives"))]

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


class TrustedSubmitter(models.Model):
    """Someone whose first initiative was published: their later submissions are flagged as trusted."""

    email = models.EmailField(_("email"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trusted submitter")
        verbose_name_plural = _("trusted submitters")

    def __str__(self):
        return self.email


def _views():
    """The route handlers (imported late: they use forms and services that import these models)."""
    from participation.submissions import views

    return views


class SharePage(RoutablePageMixin, TranslatedPageMixin, Page):
    """ "Share your initiative": the explanation, the step-by-step form and the links sent by email are routes."""

    lead = models.CharField(_("lead"), max_length=300)
    menu_title = models.CharField(_("menu title"), max_length=60, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("share an initiative")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["start_path"] = self.reverse_subpage("start")
        context["has_draft"] = bool(request.session.get("submission_draft"))
        return context

    @path("form/<slug:step>/", name="step")
    def step(self, request, step):
        return _views().submission_step(request, share=self, step=step)

    @path("form/", name="start")
    def start(self, request):
        return _views().submission_start(request, share=self)

    @path("save/", name="save")
    def save_for_later(self, request):
        return _views().submission_save_for_later(request, share=self)

    @path("resume/", name="resume")
    def resume(self, request):
        return _views().submission_resume(request, share=self)

    @path("sent/", name="sent")
    def sent(self, request):
        return _views().submission_sent(request, share=self)

    @path("confirm/", name="confirm")
    def confirm(self, request):
        return _views().submission_confirm(request, share=self)

    @path("update/", name="update")
    def update(self, request):
        return _views().submission_update(request, share=self)

    @path("still-up-to-date/", name="verify")
    def verify(self, request):
        return _views().initiative_verify(request, share=self)

    def route_url(self, name, **kwargs):
        return self.url + self.reverse_subpage(name, kwargs=kwargs or None)
