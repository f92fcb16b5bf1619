"""Admin screens of the site shell: the dashboard panel of dated announcements past their day."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from participation.core import selectors


class ExpiredAnnouncementsPanel(Component):
    """On the admin's dashboard: the pages whose dated announcement has passed (the public page leaves it out), so
    that editors update or remove it."""

    name = "expired_announcements"
    order = 90
    template_name = "core/admin/expired_announcements.html"

    def get_context_data(self, parent_context=None):
        return {"items": selectors.announcements_expired(), "heading": _("Announcements past their date")}
