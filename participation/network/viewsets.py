"""The network in the Wagtail admin: registrations (exported per event as the attendee list) and membership requests,
whose status an administrator decides in the snippet form; the services act on the decision."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.views.snippets import IndexView, SnippetViewSetGroup

from participation.core.csv_files import BYTE_ORDER_MARK, NeutralisedCsvExportMixin
from participation.core.viewsets import StatusDecisionViewSet
from participation.network import selectors, services
from participation.network.models import (
    EventPage,
    MembershipRequest,
    MembershipStatus,
    Registration,
    RegistrationStatus,
)

EXPORT_PERMISSION = "network.export_registration"
# The attendee list's columns, as the organisers' spreadsheets know them.
EXPORT_HEADINGS = {
    "status": "status",
    "name": "name",
    "email": "email",
    "organisation": "organisation",
    "role": "role",
    "needs": "needs",
    "language": "language",
    "created_at": "registered_at",
}
# Confirmed first, then the waiting list in order, then the cancelled registrations.
STATUS_ORDER = Case(
    When(status=RegistrationStatus.CONFIRMED, then=Value(0)),
    When(status=RegistrationStatus.WAITING, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class RegistrationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices, label=_("status"))
    event = django_filters.ModelChoiceFilter(
        queryset=EventPage.objects.filter(alias_of__isnull=True).order_by("-starts_at"), label=_("event")
    )

    class Meta:
        model = Registration
        fields = ["status", "event"]


class RegistrationIndexView(NeutralisedCsvExportMixin, IndexView):
    """The registrations' listing; its export (the attendee list, personal data) only for those who may export."""

    def get(self, request, *args, **kwargs):
        if self.is_export and not request.user.has_perm(EXPORT_PERMISSION):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    @cached_property
    def show_export_buttons(self) -> bool:
        return bool(self.list_export) and self.request.user.has_perm(EXPORT_PERMISSION)

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.is_export:
            queryset = queryset.order_by(STATUS_ORDER, "created_at", "pk")
        return queryset

    def get_filename(self) -> str:
        event = self.filters.form.cleaned_data.get("event") if self.filters and self.filters.is_valid() else None
        if event is None:
            return "attendees"
        stamp = timezone.localtime(event.starts_at).date().isoformat() if event.starts_at else "undated"
        return f"attendees-{stamp}-{event.slug}"

    def stream_csv(self, queryset):
        yield BYTE_ORDER_MARK.encode()  # so that spreadsheet programs read the accents correctly
        yield from super().stream_csv(queryset)


class RegistrationViewSet(StatusDecisionViewSet):
    model = Registration
    icon = "user"
    index_view_class = RegistrationIndexView
    list_display = ["name", "organisation", "event", "status", "created_at"]
    list_export = list(EXPORT_HEADINGS)
    export_headings = EXPORT_HEADINGS
    filterset_class = RegistrationFilterSet
    search_backend_name = None
    search_fields = ["name", "email", "organisation"]
    ordering = ["-created_at"]

    def get_index_view_kwargs(self, **kwargs):
        created_at = {"csv": lambda value: timezone.localtime(value).isoformat(timespec="minutes")}
        return super().get_index_view_kwargs(custom_field_preprocess={"created_at": created_at}, **kwargs)

    def status_decided(self, *, request: HttpRequest, instance: Registration, previous_status: str) -> None:
        services.waiting_list_promote(event=instance.event, site_url=services.site_url(request))


class MembershipFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=MembershipStatus.choices, label=_("status"))

    class Meta:
        model = MembershipRequest
        fields = ["status"]


class MembershipRequestViewSet(StatusDecisionViewSet):
    model = MembershipRequest
    icon = "group"
    list_display = ["name", "organisation", "kind", "status", "created_at"]
    filterset_class = MembershipFilterSet
    search_backend_name = None
    search_fields = ["name", "email", "organisation"]
    ordering = ["-created_at"]

    def status_decided(self, *, request: HttpRequest, instance: MembershipRequest, previous_status: str) -> None:
        services.membership_decide(
            membership=instance, previous_status=previous_status, site_url=services.site_url(request)
        )


class NetworkGroup(SnippetViewSetGroup):
    menu_label = _("Network")
    menu_icon = "group"
    menu_order = 220
    items = [RegistrationViewSet, MembershipRequestViewSet]


# What the admin does outside the snippet forms (registered as hooks in wagtail_hooks.py).


def attendees_export_url(event: EventPage) -> str:
    """The attendee list of an event (all its languages), from the registrations' listing filtered on the event."""
    listing = reverse(Registration.snippet_viewset.get_url_name("list"))
    return f"{listing}?event={selectors.event_canonical(event).pk}&export=csv"


def attendees_export_button(*, page: Page, user, priority: int = 80) -> Button | None:
    if isinstance(page.specific_deferred, EventPage) and user.has_perm(EXPORT_PERMISSION):
        return Button(
            _("Attendees (CSV)"), attendees_export_url(page.specific_deferred), icon_name="download", priority=priority
        )
    return None


def registrations_deleted(request: HttpRequest, instances) -> None:
    """Seats freed by deleted registrations go to the waiting list."""
    for event in {instance.event for instance in instances if isinstance(instance, Registration)}:
        services.waiting_list_promote(event=event, site_url=services.site_url(request))


def event_published(request: HttpRequest, page: Page) -> None:
    """An organiser who raises the capacity (or removes it) gives the new seats to the waiting list."""
    if isinstance(page.specific, EventPage):
        services.waiting_list_promote(event=page.specific, site_url=services.site_url(request))
