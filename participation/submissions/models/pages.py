"""The share page, "share your initiative": its explanation, then routes for the steps of the form, the review, the
save-and-resume and the links sent by email. Routes render through the page, read through selectors and write
through services; every POST is rate-limited per address."""

from django.conf import settings
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField
from wagtail.models import Page

from participation.core.blocks import BodyBlock
from participation.core.models import RoutedPageMixin, TranslatedPageMixin
from participation.submissions import selectors, services
from participation.submissions.forms import STEP_KEYS, STEPS, UPDATE_STEPS, FormGroup, SaveForLaterForm
from participation.submissions.models.records import SubmissionState

SESSION_DRAFT = "submission_draft"
SESSION_SENT = "submission_sent"


def _limit(request, *, group, rate, value=None):
    """Refuse (429) beyond `rate` requests per address — or per `value`, such as an email address."""
    key = "ip" if value is None else (lambda _group, _request: value.lower())
    if is_ratelimited(request, group=group, key=key, rate=rate, increment=True):
        raise Ratelimited()


class SharePage(RoutedPageMixin, TranslatedPageMixin, Page):
    """ "Share your initiative": the explanation, the step-by-step form and the links sent by email are routes."""

    lead = models.CharField(gettext_lazy("lead"), max_length=300)
    menu_title = models.CharField(gettext_lazy("menu title"), max_length=60, blank=True)
    body = StreamField(BodyBlock(), verbose_name=gettext_lazy("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = gettext_lazy("share an initiative")

    # Helpers of the routes.

    def _message(self, request, *, title, paragraphs, status=200, links=(), form=None, form_action="", button=""):
        response = self.render(
            request,
            template="submissions/message.html",
            context_overrides={
                "title": title,
                "paragraphs": paragraphs,
                "links": links,
                "form": form,
                "form_action": form_action,
                "button": button,
            },
        )
        response.status_code = status
        return response

    def _draft(self, request):
        token = request.session.get(SESSION_DRAFT)
        return selectors.draft_by_token(token=token) if token else None

    def _token_url(self, request, name):
        return lambda token: request.build_absolute_uri(f"{self.route_url(name)}?token={token}")

    def _step_url(self, step):
        return self.route_url("step", step=step)

    # The routes.

    @path("")
    def explanation(self, request):
        return self.render(
            request,
            context_overrides={
                "start_url": self.route_url("start"),
                "has_draft": bool(request.session.get(SESSION_DRAFT)),
                # The steps to fill in and the check before sending, as the form's progress counts them.
                "step_count": len(STEPS) + 1,
            },
        )

    @path(gettext_lazy("form/"), name="start")
    def start(self, request):
        """Begin, or go back to the first step still to complete of the draft in progress."""
        draft = self._draft(request)
        if draft is None:
            return HttpResponseRedirect(self._step_url(STEP_KEYS[0]))
        invalid = services.steps_invalid(submission=draft)
        return HttpResponseRedirect(self._step_url(invalid[0] if invalid else "review"))

    @path(gettext_lazy("form/<slug:step>/"), name="step")
    def step(self, request, step):
        if step == "review":
            return self.review(request)
        if step not in STEP_KEYS:
            raise Http404
        draft = self._draft(request)
        if draft is None and step != STEP_KEYS[0]:
            return HttpResponseRedirect(self._step_url(STEP_KEYS[0]))
        position = STEP_KEYS.index(step)
        if request.method == "POST":
            _limit(request, group="submissions-step", rate=settings.SUBMISSIONS_RATE_STEPS)
            if draft is None:
                draft = services.draft_start(language=get_language())
                request.session[SESSION_DRAFT] = draft.token
            if step == "images":
                form, valid = services.images_step_save(submission=draft, post=request.POST, files=request.FILES)
            else:
                services.step_save(submission=draft, step=step, post=request.POST)
                form = services.step_form(submission=draft, step=step)
                valid = form.is_valid()
            action = request.POST.get("action", "next")
            if action == "back":
                return HttpResponseRedirect(self._step_url(STEP_KEYS[position - 1]) if position else self.url)
            if action == "save":
                return HttpResponseRedirect(self.route_url("save"))
            if valid:
                following = STEP_KEYS[position + 1] if position + 1 < len(STEP_KEYS) else "review"
                return HttpResponseRedirect(self._step_url(following))
        else:
            form = services.step_form(submission=draft, step=step)
            if form.is_bound:
                form.is_valid()
        return self.render(
            request,
            template=f"submissions/step_{step}.html" if step in ("images", "place") else "submissions/step.html",
            context_overrides={
                "form": form,
                "step": step,
                "step_label": STEPS[position][1],
                "step_number": position + 1,
                "step_count": len(STEPS) + 1,
                "progress": selectors.progress_build(share=self, current=step, draft=draft),
                "previous_url": self._step_url(STEP_KEYS[position - 1]) if position else self.url,
            },
        )

    def review(self, request):
        draft = self._draft(request)
        if draft is None:
            return HttpResponseRedirect(self._step_url(STEP_KEYS[0]))
        invalid = services.steps_invalid(submission=draft)
        error = ""
        if request.method == "POST":
            _limit(request, group="submissions-submit", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
            if invalid:
                return HttpResponseRedirect(self._step_url(invalid[0]))
            _limit(
                request,
                group="submissions-submit-email",
                rate=settings.SUBMISSIONS_RATE_PER_EMAIL,
                value=draft.contact_email,
            )
            if services.minimum_time_elapsed(submission=draft):
                services.submission_submit(submission=draft, confirm_url=self._token_url(request, "confirm"))
                del request.session[SESSION_DRAFT]
                request.session[SESSION_SENT] = draft.contact_email
                return HttpResponseRedirect(self.route_url("sent"))
            error = _("You went through the form very quickly. Please check your answers, then send them again.")
        return self.render(
            request,
            template="submissions/review.html",
            context_overrides={
                "summary": selectors.submission_answers(submission=draft, share=self),
                "invalid": invalid,
                "error": error,
                "step_number": len(STEPS) + 1,
                "step_count": len(STEPS) + 1,
                "progress": selectors.progress_build(share=self, current="review", draft=draft),
            },
        )

    @path(gettext_lazy("save/"), name="save")
    def save_for_later(self, request):
        draft = self._draft(request)
        if draft is None:
            return HttpResponseRedirect(self._step_url(STEP_KEYS[0]))
        form = SaveForLaterForm(request.POST or None, initial={"email": draft.contact_email})
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            _limit(request, group="submissions-save", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
            _limit(request, group="submissions-save-email", rate=settings.SUBMISSIONS_RATE_PER_EMAIL, value=email)
            services.resume_link_send(submission=draft, email=email, resume_url=self._token_url(request, "resume"))
            return self._message(
                request,
                title=_("We sent you a link"),
                paragraphs=[
                    _("We sent a link to %(email)s. Open it on any device to continue where you left off.")
                    % {"email": email},
                    _("The link works for %(days)d days. After that, unfinished drafts are deleted.")
                    % {"days": settings.SUBMISSIONS_DRAFT_DAYS},
                ],
                links=[(self.route_url("start"), _("Continue now"))],
            )
        return self.render(
            request,
            template="submissions/save_for_later.html",
            context_overrides={"form": form, "start_url": self.route_url("start")},
        )

    @path(gettext_lazy("resume/"), name="resume")
    def resume(self, request):
        draft = services.draft_for_resume(token=request.GET.get("token"))
        if draft is None:
            return self._message(
                request,
                status=400,
                title=_("This link does not work"),
                paragraphs=[
                    _("The link may be incomplete, or it is more than %(days)d days old and the draft was deleted.")
                    % {"days": settings.SUBMISSIONS_DRAFT_DAYS}
                ],
                links=[(self.route_url("start"), _("Start again"))],
            )
        request.session[SESSION_DRAFT] = draft.token
        return self.start(request)

    @path(gettext_lazy("sent/"), name="sent")
    def sent(self, request):
        email = request.session.get(SESSION_SENT)
        if not email:
            return HttpResponseRedirect(self.url)
        return self._message(
            request,
            title=_("Check your mailbox"),
            paragraphs=[
                _(
                    "Thank you! Your initiative is saved. We sent a message to %(email)s: open the link in it to "
                    "confirm your address. We only look at your initiative once it is confirmed."
                )
                % {"email": email},
                _("The link works for %(days)d days. No message? Look in your spam folder.")
                % {"days": settings.SUBMISSIONS_LINK_DAYS},
            ],
        )

    @path(gettext_lazy("confirm/"), name="confirm")
    def confirm(self, request):
        token = request.POST.get("token") or request.GET.get("token")
        submission, expired = services.submission_for_confirmation(token=token)
        if submission is None:
            return self._message(
                request,
                status=400,
                title=_("This link does not work"),
                paragraphs=[_("The link may be incomplete. Copy the whole address from the message we sent you.")],
            )
        if expired and submission.state == SubmissionState.UNCONFIRMED:
            if request.method == "POST":
                _limit(request, group="submissions-save", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
                services.confirmation_send(submission=submission, confirm_url=self._token_url(request, "confirm"))
                return self._message(
                    request,
                    title=_("We sent you a new link"),
                    paragraphs=[_("Open the link in the new message to confirm your address.")],
                )
            return self._message(
                request,
                status=400,
                title=_("This link has expired"),
                paragraphs=[_("Your initiative is still saved. Ask for a new link to confirm your address.")],
                form=True,
                form_action=f"{self.route_url('confirm')}?token={token}",
                button=_("Send me a new link"),
            )
        services.submission_confirm(submission=submission)
        return self._message(
            request,
            title=_("Thank you, your address is confirmed"),
            paragraphs=[
                _(
                    "The Participation service will read your initiative, may contact you with questions, and will "
                    "tell you by email when it is published or why it cannot be."
                ),
            ],
            links=[(selectors.map_url(), _("Explore the map of initiatives"))],
        )

    def _update_forms(self, initiative, data=None):
        """(label, form) of each step an update may change, bound to what was sent or else to the published
        answers."""
        answers = services.initiative_answers(initiative=initiative, language=get_language()) if data is None else None
        labels = {key: label for key, label, _form in STEPS}
        return [
            (
                labels[step],
                services.step_form(
                    submission=None,
                    step=step,
                    data=data if answers is None else services.answers_query(answers[step]),
                ),
            )
            for step in UPDATE_STEPS
        ]

    def _link_not_working(self, request):
        return self._message(
            request,
            status=400,
            title=_("This link does not work"),
            paragraphs=[
                _(
                    "The link may be incomplete, or it is more than %(days)d days old. Write to us and we will send "
                    "you a new one."
                )
                % {"days": services.UPDATE_LINK_DAYS}
            ],
        )

    @path(gettext_lazy("update/"), name="update")
    def update(self, request):
        token = request.POST.get("token") or request.GET.get("token")
        initiative = services.initiative_for_update(token=token)
        if initiative is None:
            return self._link_not_working(request)
        forms = self._update_forms(initiative, request.POST if request.method == "POST" else None)
        group = FormGroup([form for _label, form in forms])
        if request.method == "POST":
            _limit(request, group="submissions-submit", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
            if group.is_valid():
                answers = {
                    step: services.answers_of(form=form, post=request.POST)
                    for step, (_label, form) in zip(UPDATE_STEPS, forms, strict=True)
                }
                services.update_submit(initiative=initiative, answers=answers, language=get_language())
                return self._message(
                    request,
                    title=_("Thank you, we received your update"),
                    paragraphs=[
                        _(
                            "The Participation service will check it before it replaces the published version, and "
                            "will tell you by email."
                        )
                    ],
                    links=[(initiative.get_url(), _("See the published version"))],
                )
        else:
            group.is_valid()
        return self.render(
            request,
            template="submissions/update.html",
            context_overrides={
                "initiative": initiative,
                "forms": forms,
                "group": group,
                "token": token,
                "text": initiative.text(),
            },
        )

    @path(gettext_lazy("still-up-to-date/"), name="verify")
    def verify(self, request):
        token = request.POST.get("token") or request.GET.get("token")
        initiative = services.initiative_for_update(token=token)
        if initiative is None:
            return self._link_not_working(request)
        if request.method == "POST":
            _limit(request, group="submissions-submit", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
            services.initiative_verify(initiative=initiative)
            return self._message(
                request,
                title=_("Thank you for checking"),
                paragraphs=[_("The initiative now shows that its information was verified today.")],
                links=[(initiative.get_url(), _("See the initiative"))],
            )
        return self.render(
            request,
            template="submissions/verify.html",
            context_overrides={
                "initiative": initiative,
                "text": initiative.text(),
                "token": token,
                "update_url": f"{self.route_url('update')}?token={token}",
            },
        )
