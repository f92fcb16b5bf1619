import csv

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from participation.network import selectors, services
from participation.network.models import (
    EventPage,
    MembershipRequest,
    MembershipStatus,
    Registration,
    RegistrationStatus,
)
from participation.network.services import site_url

EXPORT_PERMISSION = "network.export_registration"


def attendees_export(request, event_id):
    """The attendee list of one event as CSV (all languages): confirmed, then the waiting list, then cancelled."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(event.starts_at).date().isoformat() if event.starts_at else "undated"
    response["Content-Disposition"] = f'attachment; filename="attendees-{stamp}-{event.slug}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the accents correctly
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["status", "name", "email", "organisation", "role", "needs", "language", "registered_at"])
    for registration in selectors.event_attendees(event=event):
        writer.writerow(
            [
                registration.status,
                registration.name,
                registration.email,
                registration.organisation,
                registration.role,
                registration.needs,
                registration.language,
                timezone.localtime(registration.created_at).isoformat(timespec="minutes"),
            ]
        )
    return response


@hooks.register("register_admin_urls")
def register_export_url():
    return [path("network/events/<int:event_id>/attendees.csv", attendees_export, name="network_attendees_export")]


def _export_button(page, user, priority):
    if isinstance(page.specific_deferred, EventPage) and user.has_perm(EXPORT_PERMISSION):
        canonical = selectors.event_canonical(page.specific_deferred)
        return Button(
            _("Attendees (CSV)"),
            reverse("network_attendees_export", args=[canonical.pk]),
            icon_name="download",
            priority=priority,
        )
    return None


@hooks.register("register_page_header_buttons")
def attendees_header_button(page, user, view_name, next_url=None):
    button = _export_button(page, user, 80)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def attendees_listing_button(page, user, next_url=None):
    button = _export_button(page, user, 80)
    if button:
        yield button


class RegistrationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices, label=_("status"))
    event = django_filters.ModelChoiceFilter(
        queryset=EventPage.objects.filter(alias_of__isnull=True).order_by("-starts_at"), label=_("event")
    )

    class Meta:
        model = Registration
        fields = ["status", "event"]


class RegistrationViewSet(SnippetViewSet):
    model = Registration
    icon = "user"
    list_display = ["name", "organisation", "event", "status", "created_at"]
    filterset_class = RegistrationFilterSet
    search_backend_name = None
    search_fields = ["name", "email", "organisation"]
    ordering = ["-created_at"]


class MembershipFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=MembershipStatus.choices, label=_("status"))

    class Meta:
        model = MembershipRequest
        fields = ["status"]


class MembershipRequestViewSet(SnippetViewSet):
    model = MembershipRequest
    icon = "group"
    list_display = ["name", "organisation", "kind", "status", "created_at"]
    filterset_class = MembershipFilterSet
    search_backend_name = None
    search_fields = ["name", "email", "organisation"]
    ordering = ["-created_at"]


class NetworkGroup(SnippetViewSetGroup):
    menu_label = _("Network")
    menu_icon = "group"
    menu_order = 220
    items = [RegistrationViewSet, MembershipRequestViewSet]


register_snippet(NetworkGroup)


@hooks.register("before_edit_snippet")
def remember_status(request, instance):
    if isinstance(instance, MembershipRequest | Registration):
        request.network_previous_status = type(instance).objects.get(pk=instance.pk).status


@hooks.register("after_edit_snippet")
def act_on_new_status(request, instance):
    previous = getattr(request, "network_previous_status", None)
    if isinstance(instance, MembershipRequest):
        services.membership_decide(membership=instance, previous_status=previous, site_url=site_url(request))
    elif isinstance(instance, Registration) and previous != instance.status:
        services.waiting_list_promote(event=instance.event, site_url=site_url(request))


@hooks.register("after_delete_snippet")
def give_freed_seats(request, instances):
    for event in {instance.event for instance in instances if isinstance(instance, Registration)}:
        services.waiting_list_promote(event=event, site_url=site_url(request))


@hooks.register("after_publish_page")
def give_new_seats(request, page):
    """An organiser who raises the capacity (or removes it) gives the new seats to the waiting list."""
    if isinstance(page.specific, EventPage):
        services.waiting_list_promote(event=page.specific, site_url=site_url(request))
