"""The newsletter in the Wagtail admin: the confirmed subscribers as CSV (no listing: the data stays private)."""

from collections.abc import Iterator
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from participation.core.csv_files import csv_response
from participation.newsletter import selectors
from participation.newsletter.services import unsubscribe_token

PERMISSION = "newsletter.export_subscribers"


def subscribers_export(request: HttpRequest) -> StreamingHttpResponse:
    """Confirmed subscribers as CSV, each with the unsubscribe page to link in every message and the one-click
    address for its `List-Unsubscribe` header (with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`)."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    hosts = selectors.newsletter_hosts()

    def rows() -> Iterator[list[str]]:
        for subscriber in selectors.subscribers_confirmed():
            host = hosts.get(subscriber.language) or next(iter(hosts.values()), None)
            token = unsubscribe_token(subscriber)
            unsubscribe = request.build_absolute_uri(host.token_url("newsletter_unsubscribe", token)) if host else ""
            one_click = request.build_absolute_uri(f"{reverse('newsletter_one_click')}?{urlencode({'token': token})}")
            topics = "|".join(theme.key for theme in subscriber.themes.all())
            yield [
                subscriber.email,
                subscriber.language,
                topics,
                subscriber.confirmed_at.isoformat(),
                unsubscribe,
                one_click,
            ]

    return csv_response(
        filename="newsletter-subscribers.csv",
        header=["email", "language", "topics", "confirmed_at", "unsubscribe_url", "list_unsubscribe_url"],
        rows=rows(),
    )


class ExportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)


class SubscriberExportViewSet(ViewSet):
    """`/admin/newsletter/subscribers.csv`, in the menu for those who may export."""

    name = "newsletter"
    icon = "download"
    menu_label = _("Newsletter subscribers (CSV)")
    menu_order = 900
    add_to_admin_menu = True

    @property
    def menu_item_class(self) -> type[MenuItem]:
        return ExportMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [path("subscribers.csv", subscribers_export, name="export")]
