import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from participation.articles.models import ArticleIndexPage, Subscriber
from participation.articles.services import unsubscribe_token

PERMISSION = "articles.export_subscribers"


def subscribers_export(request):
    """Confirmed subscribers as CSV, each with the one-click unsubscribe address to put in every message."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    indexes = {page.locale.language_code: page for page in ArticleIndexPage.objects.live().select_related("locale")}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="newsletter-subscribers.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["email", "language", "topics", "confirmed_at", "unsubscribe_url"])
    subscribers = Subscriber.objects.exclude(confirmed_at=None).prefetch_related("themes").order_by("email")
    for subscriber in subscribers:
        index = indexes.get(subscriber.language) or next(iter(indexes.values()), None)
        unsubscribe = (
            request.build_absolute_uri(index.token_url("newsletter_unsubscribe", unsubscribe_token(subscriber)))
            if index
            else ""
        )
        topics = "|".join(theme.key for theme in subscriber.themes.all())
        writer.writerow(
            [subscriber.email, subscriber.language, topics, subscriber.confirmed_at.isoformat(), unsubscribe]
        )
    return response


@hooks.register("register_admin_urls")
def register_export_url():
    return [path("newsletter/subscribers.csv", subscribers_export, name="newsletter_subscribers_export")]


class ExportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_export_menu_item():
    return ExportMenuItem(
        _("Newsletter subscribers (CSV)"), reverse("newsletter_subscribers_export"), icon_name="download", order=900
    )
