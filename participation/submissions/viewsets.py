"""Shared initiatives in the Wagtail admin: the moderation queue (the submissions' listing, pending first) and the
moderation page (a submission's edit view). A moderator decides a pending submission's state — published or
declined with a reason — like every status decision of the platform (core.viewsets.StatusDecisionViewSet); the
services act on it after the save. The initiative itself is reviewed with Wagtail's own tools: its preview, the
comparison of a proposed update with the published version, and the editor."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import LinkMenuItemComponent, MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import IndexView

from participation.core.viewsets import StatusDecisionEditView, StatusDecisionViewSet
from participation.submissions import selectors, services
from participation.submissions.models import Submission, SubmissionKind, SubmissionState

DECISIONS = [SubmissionState.PUBLISHED, SubmissionState.DECLINED]


class SubmissionDecisionForm(WagtailAdminModelForm):
    """Only a pending submission is decided: published, or declined with the reason sent to the submitter. An
    initiative without a position of its own (only an address was given) is published only when the moderator says
    so explicitly, or after placing it in the editor."""

    publish_without_location = forms.BooleanField(
        label=_("Publish without a precise location"),
        help_text=_(
            "No coordinates were given: the initiative sits at the centre of its commune. Place it in the "
            "initiative's editor first, or tick this box to publish it there."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state_before = self.instance.state
        choices = [SubmissionState.PENDING, *DECISIONS] if self.state_before == SubmissionState.PENDING else []
        self.fields["state"].choices = [(state.value, state.label) for state in choices] or [
            (self.state_before, self.instance.get_state_display())
        ]

    def clean(self):
        cleaned = super().clean()
        state = cleaned.get("state")
        if state in DECISIONS and self.state_before != SubmissionState.PENDING:
            self.add_error("state", _("Only a submission waiting for moderation can be published or declined."))
        if state == SubmissionState.PUBLISHED and self.instance.initiative_id is None:
            self.add_error("state", _("This submission has no initiative to publish."))
        elif (
            state == SubmissionState.PUBLISHED
            and self.state_before == SubmissionState.PENDING
            and not cleaned.get("publish_without_location")
            and selectors.submission_without_location(submission=self.instance)
        ):
            self.add_error(
                "publish_without_location",
                _(
                    "This initiative has no location of its own. Place it in its editor, or tick “Publish without a "
                    "precise location”."
                ),
            )
        if state == SubmissionState.DECLINED and not cleaned.get("decline_reason", "").strip():
            self.add_error("decline_reason", _("Give the reason: it is sent to the submitter."))
        return cleaned


class SubmissionEditView(StatusDecisionEditView):
    """The moderation page: what was shared, the links to Wagtail's preview and comparison, the history, the
    submitter (trust, erase the contact) — and the decision."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        context.update(
            submission=submission,
            answers=selectors.submission_answers(submission=submission),
            images=list(submission.images.all()),
            links=selectors.moderation_links(submission=submission),
            can_trust=services.submitter_can_be_trusted(submission=submission),
            history=selectors.moderation_history(submission=submission),
            address=submission.step_value("place", "address"),
            is_update=submission.kind == SubmissionKind.UPDATE,
            duplicates=selectors.submission_duplicates(submissions=[submission]).get(submission.pk, []),
            without_location=selectors.submission_without_location(submission=submission),
        )
        return context


class SubmissionIndexView(IndexView):
    """The queue: each row says whether the initiative looks like one already there (two queries for the page)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context.get("object_list") or [])
        duplicates = selectors.submission_duplicates(submissions=rows)
        for submission in rows:
            submission.possible_duplicates = duplicates.get(submission.pk, [])
        return context


class DuplicatesColumn(Column):
    def get_value(self, instance):
        found = getattr(instance, "possible_duplicates", [])
        return (
            ngettext("%(count)d possible duplicate", "%(count)d possible duplicates", len(found))
            % {"count": len(found)}
            if found
            else ""
        )


class SubmissionFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(choices=SubmissionState.choices, label=_("state"))
    kind = django_filters.ChoiceFilter(choices=[(kind.value, kind.label) for kind in SubmissionKind], label=_("kind"))
    trusted = django_filters.BooleanFilter(label=_("from a trusted submitter"))

    class Meta:
        model = Submission
        fields = ["state", "kind", "trusted"]


class QueueMenuItem(MenuItem):
    """ "Shared initiatives", with the number waiting for moderation."""

    def render_component(self, request):
        count = Submission.objects.in_queue().count()
        label = f"{self.label} ({count})" if count else self.label
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs)


class SubmissionViewSet(StatusDecisionViewSet):
    model = Submission
    icon = "tasks"
    menu_label = _("Shared initiatives")
    menu_order = 250
    add_to_admin_menu = True
    edit_view_class = SubmissionEditView
    edit_template_name = "submissions/admin/moderate.html"
    status_field = "state"
    index_view_class = SubmissionIndexView
    list_display = [
        "__str__",
        "kind",
        "state",
        DuplicatesColumn("possible_duplicates", label=_("Likely duplicates")),
        "language",
        "submitted_at",
        "trusted",
    ]
    list_per_page = 50
    filterset_class = SubmissionFilterSet
    ordering = ["-submitted_at", "-pk"]
    search_backend_name = None
    search_fields = ["data", "contact_organisation"]
    edit_handler = ObjectList(
        [
            FieldPanel("state", widget=forms.RadioSelect, heading=_("Decision")),
            FieldPanel("publish_without_location"),
            FieldPanel("decline_reason"),
        ],
        base_form_class=SubmissionDecisionForm,
    )

    def get_queryset(self, request):
        return Submission.objects.exclude(state=SubmissionState.DRAFT).select_related("initiative")

    def get_menu_item(self, order=None):
        return QueueMenuItem(
            self.menu_label, f"{self.menu_url}?state=pending", icon_name=self.menu_icon, order=order or self.menu_order
        )

    def status_decided(self, *, request, instance, previous_status):
        if instance.state == SubmissionState.PUBLISHED:
            services.submission_publish(submission=instance, user=request.user)
        elif instance.state == SubmissionState.DECLINED:
            services.submission_decline(submission=instance, user=request.user, reason=instance.decline_reason)
