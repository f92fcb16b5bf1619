"""The network of participation officers: its section page (with the calendar, iCal feeds and membership request as
routes), the events and trainings, the registrations to them, the membership requests and the members' area."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from participation.core.blocks import RICH_TEXT_FEATURES, BodyBlock
from participation.core.models import CANONICAL_TERMS, Audience, Commune, Format, Theme, TranslatedPageMixin

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


class NetworkPage(RoutablePageMixin, TranslatedPageMixin, Page):
    """Who the network is for, what it offers and how to join; the calendar, feeds and membership request are
    routes of this page, events and the members' area are its children."""

    lead = models.CharField(_("lead"), max_length=300)
    menu_title = models.CharField(_("menu title"), max_length=60, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]
    subpage_types = ["network.EventPage", "network.MembersAreaPage"]
    max_count_per_parent = 1
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    class Meta:
        verbose_name = _("network page")

    def get_context(self, request, *args, **kwargs):
        from participation.network import selectors

        context = super().get_context(request, *args, **kwargs)
        context["upcoming"] = selectors.events_upcoming(network=self)[:4]
        context["members_area"] = selectors.members_area(network=self)
        context["feed_links"] = selectors.feed_links(network=self)
        return context

    @path("events/", name="calendar")
    def calendar(self, request):
        return _views().calendar(request, network=self, when="upcoming")

    @path("events/past/", name="past")
    def past(self, request):
        return _views().calendar(request, network=self, when="past")

    @path("events/feed/", name="feed")
    def feed(self, request):
        return _views().ical_feed(request, network=self, event_type=None)

    @path("events/feed/<slug:event_type>/", name="type_feed")
    def type_feed(self, request, event_type):
        return _views().ical_feed(request, network=self, event_type=event_type)

    @path("join/", name="join")
    def join(self, request):
        return _views().membership_request(request, network=self)

    @path("join/sent/", name="join_sent")
    def join_sent(self, request):
        return _views().membership_request_sent(request, network=self)

    def route_url(self, name, **kwargs):
        return self.url + self.reverse_subpage(name, kwargs=kwargs or None)


class SpeakerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"))
    role = blocks.CharBlock(label=_("role and organisation"), required=False)

    class Meta:
        icon = "user"


class MaterialBlock(blocks.StreamBlock):
    document = DocumentChooserBlock(label=_("document"))
    link = blocks.StructBlock(
        [("title", blocks.CharBlock(label=_("title"))), ("url", blocks.URLBlock(label=_("address")))],
        label=_("link"),
        icon="link",
    )


class EventPage(RoutablePageMixin, TranslatedPageMixin, Page):
    """An event or training of the network. Its practical fields are shared by its translations; registrations are
    held by the original page (`canonical`), whatever language people register in."""

    is_demo = models.BooleanField(_("demo content"), default=False)
    event_type = models.CharField(_("type"), max_length=32, choices=EventType.choices)
    lead = models.CharField(_("lead"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"), editable=False, null=True, db_index=True)
    ends_at = models.DateTimeField(_("ends at"), editable=False, null=True)
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, limit_choices_to=CANONICAL_TERMS, related_name="events"
    )
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("audience"), blank=True, limit_choices_to=CANONICAL_TERMS, related_name="events"
    )
    audience_note = models.CharField(_("audience, in words"), max_length=200, blank=True)
    format = models.ForeignKey(
        Format,
        verbose_name=_("format"),
        on_delete=models.PROTECT,
        limit_choices_to=CANONICAL_TERMS,
        related_name="events",
    )
    session_languages = ParentalManyToManyField(
        "wagtailcore.Locale", verbose_name=_("languages of the session"), blank=True, related_name="+"
    )
    venue_name = models.CharField(_("place"), max_length=150, blank=True)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        limit_choices_to=CANONICAL_TERMS,
        related_name="+",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Sent to registered people; shown on the page only if public.")
    )
    online_url_public = models.BooleanField(_("show the online link on the page"), default=False)
    registration_required = models.BooleanField(_("registration required"), default=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty: no limit."))
    waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Empty: until the start.")
    )
    programme = RichTextField(_("programme"), features=RICH_TEXT_FEATURES)
    speakers = StreamField([("speaker", SpeakerBlock())], verbose_name=_("speakers"), blank=True)
    accessibility = RichTextField(_("accessibility"), features=RICH_TEXT_FEATURES, blank=True)
    materials = StreamField(MaterialBlock(), verbose_name=_("materials"), blank=True)
    report = RichTextField(_("short report"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldRowPanel([FieldPanel("event_type"), FieldPanel("format")]),
        InlinePanel("sessions", heading=_("Dates and times (Brussels time)"), label=_("session"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldRowPanel([FieldPanel("street_address"), FieldPanel("postcode"), FieldPanel("commune")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldRowPanel([FieldPanel("online_url"), FieldPanel("online_url_public")]),
            ],
            heading=_("Place"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("session_languages"),
                FieldPanel("audiences"),
                FieldPanel("audience_note"),
                FieldPanel("themes"),
            ],
            heading=_("For whom"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_required"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waiting_list")]),
                FieldPanel("registration_deadline"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("programme"),
        FieldPanel("speakers"),
        FieldPanel("accessibility"),
        MultiFieldPanel([FieldPanel("materials"), FieldPanel("report")], heading=_("After the event")),
        FieldPanel("is_demo"),
    ]
    parent_page_types = ["network.NetworkPage"]
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("programme")]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is used by the network page; choose another one.")})
        sessions = [s for s in self.sessions.all() if s.starts_at and s.ends_at]
        if sessions:
            self.starts_at = min(s.starts_at for s in sessions)
            self.ends_at = max(s.ends_at for s in sessions)
        if self.registration_deadline and self.starts_at and self.registration_deadline > self.starts_at:
            raise ValidationError({"registration_deadline": _("The deadline cannot be after the start.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both the latitude and the longitude, or neither.")})

    @property
    def is_past(self):
        return self.ends_at is not None and self.ends_at < timezone.now()

    @property
    def deadline(self):
        return self.registration_deadline or self.starts_at

    def session_list(self):
        return sorted(self.sessions.all(), key=lambda session: session.starts_at)

    @path("")
    def detail(self, request):
        return _views().event_detail(request, event=self)

    @path("register/", name="register")
    def register(self, request):
        return _views().event_register(request, event=self)

    @path("registered/", name="registered")
    def registered(self, request):
        return _views().event_registered(request, event=self)

    @path("cancel/", name="cancel")
    def cancel(self, request):
        return _views().registration_cancel(request, event=self)

    @path("ics/", name="ics")
    def ics(self, request):
        return _views().event_ics(request, event=self)

    def route_url(self, name, **kwargs):
        return self.url + self.reverse_subpage(name, kwargs=kwargs or None)


class EventSession(Orderable):
    """One day (or part of a day) of an event, in Brussels time."""

    event = ParentalKey(EventPage, related_name="sessions", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    panels = [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])]

    class Meta(Orderable.Meta):
        verbose_name = _("session")

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


def registration_token():
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """A person's registration to an event. Private: seen only by organisers in the admin and in their CSV export."""

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
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


class MembersAreaPage(RoutablePageMixin, TranslatedPageMixin, Page):
    """The members-only area: its documents come from the members' collection; the directory is a route. Only the
    'Network members' group may see it (a view restriction that the service puts on every language's page)."""

    lead = models.CharField(_("lead"), max_length=300)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["network.NetworkPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("members' area")

    @path("")
    def area(self, request):
        return _views().members_area(request, area=self)

    @path("directory/", name="directory")
    def directory(self, request):
        return _views().members_directory(request, area=self)

    def route_url(self, name, **kwargs):
        return self.url + self.reverse_subpage(name, kwargs=kwargs or None)


def _views():
    """The route handlers (imported late: they read through selectors that import these models)."""
    from participation.network import views

    return views
