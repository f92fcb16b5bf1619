"""The moderation queue of shared initiatives in the Wagtail admin: list, review (preview, answers, history),
publish, decline with a reason, trust the submitter, erase the contact details."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import LinkMenuItemComponent, MenuItem

from participation.initiatives.models import Initiative
from participation.initiatives.views import initiative_page
from participation.submissions import selectors, services
from participation.submissions.forms import DeclineForm
from participation.submissions.models import Submission, SubmissionKind, SubmissionState

PERMISSION = "submissions.moderate_submission"


def _require(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def queue_view(request):
    _require(request)
    state = request.GET.get("state", SubmissionState.PENDING)
    if state not in SubmissionState.values:
        state = SubmissionState.PENDING
    counts = selectors.queue_counts()
    return TemplateResponse(
        request,
        "submissions/admin/queue.html",
        {
            "submissions": selectors.queue(state=state)[:200],
            "state": state,
            "states": [(value, label, counts[value]) for value, label in SubmissionState.choices],
        },
    )


def _initiative_url(initiative, language):
    from participation.initiatives.selectors import initiative_url

    with translation.override(language):
        return selectors.absolute(initiative_url(initiative=initiative, language=language))


def moderate_view(request, pk):
    _require(request)
    submission = get_object_or_404(Submission.objects.select_related("initiative"), pk=pk)
    decline_form = DeclineForm()
    if request.method == "POST":
        action = request.POST.get("action")
        waiting = submission.state == SubmissionState.PENDING
        if action == "publish" and waiting:
            services.submission_publish(submission=submission, user=request.user, initiative_url=_initiative_url)
            messages.success(request, _("Published. The submitter has been told."))
            return redirect("submissions_queue")
        if action == "decline" and waiting:
            decline_form = DeclineForm(request.POST)
            if decline_form.is_valid():
                services.submission_decline(
                    submission=submission, user=request.user, reason=decline_form.cleaned_data["reason"]
                )
                messages.success(request, _("Declined. The submitter has received the reason."))
                return redirect("submissions_queue")
        if action == "trust":
            if services.submitter_trust(submission=submission, user=request.user):
                messages.success(request, _("The submitter is now trusted."))
            else:
                messages.error(request, _("Only a submitter whose initiative was published can be trusted."))
            return redirect("submissions_moderate", pk=pk)
        if action == "erase":
            services.contact_erase(submission=submission, user=request.user)
            messages.success(request, _("The contact details were erased. The public record is unchanged."))
            return redirect("submissions_moderate", pk=pk)
    return TemplateResponse(
        request,
        "submissions/admin/moderate.html",
        {
            "submission": submission,
            "summary": selectors.moderation_summary(submission=submission),
            "images": list(submission.images.all()),
            "decline_form": decline_form,
            "can_trust": services.submitter_can_be_trusted(submission=submission),
            "history": selectors.moderation_history(submission=submission),
            "address": submission.step_value("place", "address"),
            "is_update": submission.kind == SubmissionKind.UPDATE,
        },
    )


def preview_view(request, pk):
    """The public page of the initiative as it would be published (a new one) or is now (an update)."""
    _require(request)
    submission = get_object_or_404(Submission, pk=pk)
    if submission.initiative_id is None:
        raise PermissionDenied
    initiative = Initiative.objects.prefetch_related("translations").get(pk=submission.initiative_id)
    with translation.override(submission.language):
        index = selectors.initiative_index(submission.language)
        request.LANGUAGE_CODE = submission.language
        response = initiative_page(request, index=index, initiative=initiative, preview=True)
        response.render()
    response["X-Robots-Tag"] = "noindex"
    return response


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("submissions/queue/", queue_view, name="submissions_queue"),
        path("submissions/<int:pk>/", moderate_view, name="submissions_moderate"),
        path("submissions/<int:pk>/preview/", preview_view, name="submissions_preview"),
    ]


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)

    def render_component(self, request):
        count = Submission.objects.in_queue().count()
        label = f"{self.label} ({count})" if count else self.label
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return QueueMenuItem(_("Shared initiatives"), reverse("submissions_queue"), icon_name="tasks", order=250)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("submissions.decline", _("Decline"), _("Declined, with a reason sent to the submitter"))
    actions.register_action("submissions.trust", _("Trust the submitter"), _("Submitter marked as trusted"))
    actions.register_action("submissions.erase_contact", _("Erase contact"), _("Contact details erased on request"))
    actions.register_action("submissions.verified", _("Verified"), _("Confirmed as up to date by its contact"))
