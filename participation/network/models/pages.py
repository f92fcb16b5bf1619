"""The network's pages: its section page (with the calendar, the iCal feeds and the membership request as routes),
the events and trainings (registration and cancellation as routes) and the members' area (the directory as a route).
The routes render through their page; they read through selectors and write through services."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from participation.core.blocks import RICH_TEXT_FEATURES, BodyBlock
from participation.core.models import (
    CANONICAL_TERMS,
    Audience,
    Commune,
    Format,
    RoutedPageMixin,
    Theme,
    TranslatedPageMixin,
)
from participation.network import ical, selectors, services
from participation.network.forms import CancelForm, DirectoryChoiceForm, MembershipRequestForm, RegistrationForm
from participation.network.models.records import RESERVED_SLUGS, EventType

SESSION_REGISTRATION = "network_registration"
SESSION_MEMBERSHIP = "network_membership_request"


def _calendar_file(*, content: bytes, filename: str, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


class NetworkPage(RoutedPageMixin, TranslatedPageMixin, Page):
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

    @classmethod
    def route_words(cls) -> set[str]:
        """The first word of every route's address, in every language: no event may take one as its slug."""
        words = set()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                words |= {str(route.pattern).strip("/").split("/")[0] for route in cls.get_subpage_urls()}
        return words - {""}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming"] = selectors.events_upcoming(network=self)[:4]
        context["members_area"] = selectors.members_area(network=self)
        context["feed_links"] = selectors.feed_links(network=self)
        return context

    def _calendar(self, request, *, when: str):
        filters, events = selectors.calendar_selection(network=self, params=request.GET, when=when)
        list_page = Paginator(events, selectors.EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.render(
            request,
            template="network/calendar.html",
            context_overrides={
                "when": when,
                "filters": filters,
                "cards": selectors.event_cards(events=events.filter(pk__in=[event.pk for event in list_page])),
                "list_page": list_page,
                "query_string": query.urlencode(),
                "calendar_url": self.route_url("past" if when == "past" else "calendar"),
                "other_url": self.route_url("calendar" if when == "past" else "past")
                + (f"?{query.urlencode()}" if query else ""),
            },
        )

    @path(_("events/"), name="calendar")
    def calendar(self, request):
        return self._calendar(request, when="upcoming")

    @path(_("events/past/"), name="past")
    def past(self, request):
        return self._calendar(request, when="past")

    def _feed(self, request, *, event_type: str | None):
        if event_type and event_type not in EventType.values:
            raise Http404
        name = f"{self.title} – {EventType(event_type).label}" if event_type else self.title
        content = ical.calendar_bytes(
            events=selectors.feed_events(network=self, event_type=event_type),
            name=name,
            url_for=lambda event: request.build_absolute_uri(event.url),
        )
        return _calendar_file(content=content, filename=f"{event_type or 'events'}.ics", disposition="inline")

    @path(_("events/feed/"), name="feed")
    def feed(self, request):
        return self._feed(request, event_type=None)

    @path(_("events/feed/<slug:event_type>/"), name="type_feed")
    def type_feed(self, request, event_type):
        return self._feed(request, event_type=event_type)

    @path(_("join/"), name="join")
    def join(self, request):
        if request.method == "POST":
            form = MembershipRequestForm(request.POST)
            if form.is_valid():
                membership = services.membership_request_submit(
                    form=form, language=get_language(), site_url=services.site_url(request)
                )
                request.session[SESSION_MEMBERSHIP] = membership.pk
                return HttpResponseRedirect(self.route_url("join_sent"))
        else:
            form = MembershipRequestForm()
        return self.render(request, template="network/join.html", context_overrides={"form": form})

    @path(_("join/sent/"), name="join_sent")
    def join_sent(self, request):
        if not request.session.get(SESSION_MEMBERSHIP):
            return HttpResponseRedirect(self.route_url("join"))
        return self.render(request, template="network/join_sent.html")


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


class EventPage(RoutedPageMixin, TranslatedPageMixin, Page):
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
    sheets = ParentalManyToManyField(
        "toolbox.ToolboxSheetPage",
        verbose_name=_("methods and sheets it covers"),
        blank=True,
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
        related_name="events",
        help_text=_("The toolbox sheets (methods, phases, process types) the event or training is about."),
    )
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
                FieldPanel("sheets"),
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

    search_kind = "event"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def search_facts(self):
        """What the site search adds to the event's text: its type, themes, format and commune, its year."""
        from participation.core.search import term_tags

        themes = list(self.themes.all())
        return {
            "tags": " · ".join([str(self.get_event_type_display()), term_tags([*themes, self.format, self.commune])]),
            "themes": tuple(theme.key for theme in themes),
            "communes": (self.commune.key,) if self.commune_id else (),
            "year": self.starts_at.year if self.starts_at else None,
        }

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS | NetworkPage.route_words():
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        seats = selectors.event_seats(event=self)
        state = selectors.registration_state(event=self, seats=seats)
        network = self.get_parent().specific
        card = selectors.event_cards(events=type(self).objects.filter(pk=self.pk))[0]
        context.update(
            seats=seats,
            registration_state=state,
            accepting=state in selectors.RegistrationState.ACCEPTING,
            card=card,
            network=network,
            calendar_url=network.route_url("calendar"),
            feed_links=selectors.feed_links(network=network),
            sheets=selectors.event_sheets(event=self),
            theme_links=selectors.event_theme_links(event=card.event, list_url=network.route_url("calendar")),
            structured_data=selectors.event_structured_data(
                event=self, card=card, seats=seats, state=state, request=request
            ),
        )
        return context

    @path(_("register/"), name="register")
    def register(self, request):
        error = None
        already_registered = ""
        if request.method == "POST" and request.POST.get("action") == "resend":
            # Registered before: the confirmation goes again to the address registered (at most a few times).
            email = request.POST.get("email", "")[:254]
            if is_ratelimited(
                request, group="network-resend", key=lambda _g, _r: email.lower(), rate="3/h", increment=True
            ):
                raise Ratelimited()
            services.registration_confirmation_resend(event=self, email=email, site_url=services.site_url(request))
            return self.render(
                request, template="network/registered.html", context_overrides={"status": "resent", "email": email}
            )
        if request.method == "POST":
            form = RegistrationForm(request.POST)
            if form.is_valid():
                try:
                    registration = services.registration_create(
                        event=self, data=form.cleaned_data, language=get_language(), site_url=services.site_url(request)
                    )
                except services.AlreadyRegistered:
                    already_registered = form.cleaned_data["email"]
                    form.add_error(
                        "email",
                        gettext(
                            "This address is already registered for this event. We can send you the confirmation "
                            "email again, with its cancel link."
                        ),
                    )
                except services.RegistrationClosed:
                    error = gettext("Registration has just closed for this event.")
                else:
                    request.session[SESSION_REGISTRATION] = registration.status
                    return HttpResponseRedirect(self.route_url("registered"))
        else:
            form = RegistrationForm()
        return self.render(
            request,
            template="network/register.html",
            context_overrides={"form": form, "closed_error": error, "already_registered": already_registered},
        )

    @path(_("registered/"), name="registered")
    def registered(self, request):
        status = request.session.get(SESSION_REGISTRATION)
        if not status:
            return HttpResponseRedirect(self.route_url("register"))
        return self.render(request, template="network/registered.html", context_overrides={"status": status})

    @path(_("cancel/"), name="cancel")
    @method_decorator(never_cache)
    def cancel(self, request):
        """GET shows what will be cancelled and asks to confirm (link checkers in mail systems must not cancel); POST
        cancels."""
        token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
        registration = services.registration_find_by_token(token)
        if registration is None or registration.event_id != selectors.event_canonical(self).pk:
            response = self.render(request, template="network/cancel.html", context_overrides={"invalid": True})
            response.status_code = 404
            return response
        done = False
        error = None
        if request.method == "POST" and CancelForm(request.POST).is_valid():
            try:
                registration = services.registration_cancel(
                    registration=registration, site_url=services.site_url(request)
                )
                done = True
            except services.RegistrationClosed:
                error = gettext("The event has started: the registration can no longer be cancelled online.")
        return self.render(
            request,
            template="network/cancel.html",
            context_overrides={"registration": registration, "token": token, "done": done, "cancel_error": error},
        )

    @path("ics/", name="ics")
    def ics(self, request):
        content = ical.calendar_bytes(
            events=[self], name=self.title, url_for=lambda item: request.build_absolute_uri(item.url)
        )
        return _calendar_file(content=content, filename=f"{self.slug}.ics", disposition="attachment")


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


class MembersAreaPage(RoutedPageMixin, TranslatedPageMixin, Page):
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["network"] = self.get_parent().specific
        context["documents"] = selectors.member_documents()
        return context

    def serve(self, request, *args, **kwargs):
        """A second gate behind Wagtail's view restriction: only members (or superusers) see the area and its
        routes, never from a cache."""
        if not selectors.is_network_member(request.user):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        response = super().serve(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    @path(_("directory/"), name="directory")
    def directory(self, request):
        if request.method == "POST":
            form = DirectoryChoiceForm(request.POST)
            if form.is_valid():
                services.member_directory_choose(user=request.user, in_directory=form.cleaned_data["in_directory"])
                return HttpResponseRedirect(self.route_url("directory"))
        return self.render(
            request,
            template="network/directory.html",
            context_overrides={
                "members": selectors.member_directory(),
                "own": getattr(request.user, "network_membership", None),
            },
        )
