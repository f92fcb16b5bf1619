from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from participation.submissions import admin_views
from participation.submissions.viewsets import SubmissionViewSet

register_snippet(SubmissionViewSet)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("submissions/<int:pk>/trust/", admin_views.submitter_trust, name="submissions_trust"),
        path("submissions/<int:pk>/erase-contact/", admin_views.contact_erase, name="submissions_erase_contact"),
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("submissions.decline", _("Decline"), _("Declined, with a reason sent to the submitter"))
    actions.register_action("submissions.trust", _("Trust the submitter"), _("Submitter marked as trusted"))
    actions.register_action("submissions.erase_contact", _("Erase contact"), _("Contact details erased on request"))
    actions.register_action("submissions.verified", _("Verified"), _("Confirmed as up to date by its contact"))
