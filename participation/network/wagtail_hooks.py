from wagtail import hooks
from wagtail.snippets.models import register_snippet

from participation.network import viewsets

register_snippet(viewsets.NetworkGroup)
hooks.register("after_delete_snippet", viewsets.registrations_deleted)
hooks.register("after_publish_page", viewsets.event_published)


@hooks.register("register_page_header_buttons")
def attendees_header_button(page, user, view_name, next_url=None):
    if button := viewsets.attendees_export_button(page=page, user=user):
        yield button


@hooks.register("register_page_listing_more_buttons")
def attendees_listing_button(page, user, next_url=None):
    if button := viewsets.attendees_export_button(page=page, user=user):
        yield button
