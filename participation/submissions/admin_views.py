"""The moderators' actions on a submitter, from the moderation page: trust them, or erase their contact details on
request. Both change nothing public."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.submissions import services
from participation.submissions.models import Submission

PERMISSION = "submissions.change_submission"


def _submission(request, pk):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return get_object_or_404(Submission, pk=pk)


def _back(pk):
    return redirect("wagtailsnippets_submissions_submission:edit", pk)


@require_POST
def submitter_trust(request, pk):
    submission = _submission(request, pk)
    if services.submitter_trust(submission=submission, user=request.user):
        messages.success(request, _("The submitter is now trusted."))
    else:
        messages.error(request, _("Only a submitter whose initiative was published can be trusted."))
    return _back(pk)


@require_POST
def contact_erase(request, pk):
    submission = _submission(request, pk)
    services.contact_erase(submission=submission, user=request.user)
    messages.success(request, _("The contact details were erased. The public record is unchanged."))
    return _back(pk)
