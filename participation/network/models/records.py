"""The network's records: the types of events, the registrations to them and the membership requests (private:
seen only in the admin)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

LANGUAGE_CHOICES = settings.LANGUAGES
# Route segments of the network page: an event's slug may not take one of them.
RESERVED_SLUGS = {"events", "join"}
# The group whose members see the members' area and the documents of the members' collection.
MEMBERS_GROUP = "Network members"
MEMBERS_COLLECTION = "Members' resources"


class EventType(models.TextChoices):
    THEORY_SESSION = "theory-session", _("Ateliers: introduction and theory session")
    PRACTICAL_CASES = "practical-cases", _("Ateliers: practical cases")
    FIELD_VISIT = "field-visit", _("Field visit")
    PEER_TRAINING = "peer-training", _("Peer training")
    REGIONAL_TRAINING = "regional-training", _("Training with the regional school of public administration")
    NETWORK_MEETING = "network-meeting", _("Network meeting")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


def registration_token():
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """A person's registration to an event. Private: seen only by organisers in the admin and in its export."""

    event = models.ForeignKey(
        "network.EventPage", verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=150, blank=True)
    needs = models.TextField(_("accessibility or dietary needs"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    token = models.CharField(max_length=64, unique=True, default=registration_token, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("seat given at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    panels = [
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
        FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")]),
        FieldPanel("needs"),
        FieldPanel("language"),
    ]

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        permissions = [("export_registration", _("Can export the attendee list"))]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="one_active_registration_per_email",
            )
        ]

    def __str__(self):
        return f"{self.name} – {self.event}"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class MemberKind(models.TextChoices):
    PUBLIC_OFFICER = "public-officer", _("Public officer working on participation")
    COLLECTIVE = "citizen-collective", _("Member of a citizen collective")


class MembershipRequest(models.Model):
    """A request to join the network's members' space; an administrator approves or declines it in the admin."""

    status = models.CharField(
        _("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    decline_reason = models.TextField(
        _("reason for declining"), blank=True, help_text=_("Sent to the person when you decline the request.")
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    kind = models.CharField(_("you are"), max_length=24, choices=MemberKind.choices)
    organisation = models.CharField(_("organisation or collective"), max_length=200)
    role = models.CharField(_("role"), max_length=150, blank=True)
    motivation = models.TextField(_("motivation"), max_length=2000, blank=True)
    in_directory = models.BooleanField(_("shown in the members' directory"), default=False)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_membership",
        editable=False,
    )
    is_demo = models.BooleanField(_("demo content"), default=False, editable=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    panels = [
        MultiFieldPanel([FieldPanel("status"), FieldPanel("decline_reason")], heading=_("Decision")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")]),
                FieldPanel("motivation"),
                FieldPanel("in_directory"),
                FieldPanel("language"),
            ],
            heading=_("Request"),
        ),
    ]

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def clean(self):
        if self.status == MembershipStatus.DECLINED and not self.decline_reason.strip():
            raise ValidationError({"decline_reason": _("Give the reason: it is sent to the person.")})
