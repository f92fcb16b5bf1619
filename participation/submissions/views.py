"""Route handlers under the share page: the steps of the form, the review, save-and-resume, the links sent by email.
They read through selectors and write through services; every POST is rate-limited per address."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from participation.core.views import route_context
from participation.submissions import selectors, services
from participation.submissions.forms import STEP_KEYS, STEPS, UPDATE_STEPS, FormGroup, SaveForLaterForm
from participation.submissions.models import SubmissionState

SESSION_DRAFT = "submission_draft"
SESSION_SENT = "submission_sent"


def _limit(request, *, group, rate, value=None):
    """Refuse (429) beyond `rate` requests per address — or per `value`, such as an email address."""
    key = "ip" if value is None else (lambda _group, _request: value.lower())
    if is_ratelimited(request, group=group, key=key, rate=rate, increment=True):
        raise Ratelimited()


def _message(request, share, *, title, paragraphs, status=200, links=(), form=None, form_action="", button=""):
    context = route_context(
        request,
        share,
        title=title,
        paragraphs=paragraphs,
        links=links,
        form=form,
        form_action=form_action,
        button=button,
    )
    return TemplateResponse(request, "submissions/message.html", context, status=status)


def _draft(request):
    token = request.session.get(SESSION_DRAFT)
    return selectors.draft_by_token(token=token) if token else None


def _confirm_url(request, share):
    return lambda token: request.build_absolute_uri(f"{share.route_url('confirm')}?token={token}")


def submission_start(request, *, share):
    """Begin, or go back to the first step still to complete of the draft in progress."""
    draft = _draft(request)
    if draft is None:
        return HttpResponseRedirect(share.route_url("step", step=STEP_KEYS[0]))
    invalid = services.steps_invalid(submission=draft)
    return HttpResponseRedirect(share.route_url("step", step=invalid[0] if invalid else "review"))


def submission_step(request, *, share, step):
    if step == "review":
        return submission_review(request, share=share)
    if step not in STEP_KEYS:
        raise Http404
    draft = _draft(request)
    if draft is None and step != STEP_KEYS[0]:
        return HttpResponseRedirect(share.route_url("step", step=STEP_KEYS[0]))
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
            return HttpResponseRedirect(
                share.route_url("step", step=STEP_KEYS[position - 1]) if position else share.url
            )
        if action == "save":
            return HttpResponseRedirect(share.route_url("save"))
        if valid:
            following = STEP_KEYS[position + 1] if position + 1 < len(STEP_KEYS) else "review"
            return HttpResponseRedirect(share.route_url("step", step=following))
    else:
        form = services.step_form(submission=draft, step=step)
        if form.is_bound:
            form.is_valid()
    return TemplateResponse(
        request,
        f"submissions/step_{step}.html" if step in ("images", "place") else "submissions/step.html",
        route_context(
            request,
            share,
            form=form,
            step=step,
            step_label=STEPS[position][1],
            step_number=position + 1,
            step_count=len(STEPS) + 1,
            progress=selectors.progress(share=share, current=step, draft=draft),
            previous_url=share.route_url("step", step=STEP_KEYS[position - 1]) if position else share.url,
            privacy_url=selectors.privacy_url(),
        ),
    )


def submission_review(request, *, share):
    draft = _draft(request)
    if draft is None:
        return HttpResponseRedirect(share.route_url("step", step=STEP_KEYS[0]))
    invalid = services.steps_invalid(submission=draft)
    error = ""
    if request.method == "POST":
        _limit(request, group="submissions-submit", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
        if invalid:
            return HttpResponseRedirect(share.route_url("step", step=invalid[0]))
        _limit(
            request,
            group="submissions-submit-email",
            rate=settings.SUBMISSIONS_RATE_PER_EMAIL,
            value=draft.contact_email,
        )
        if services.minimum_time_elapsed(submission=draft):
            services.submission_submit(submission=draft, confirm_url=_confirm_url(request, share))
            del request.session[SESSION_DRAFT]
            request.session[SESSION_SENT] = draft.contact_email
            return HttpResponseRedirect(share.route_url("sent"))
        error = _("You went through the form very quickly. Please check your answers, then send them again.")
    return TemplateResponse(
        request,
        "submissions/review.html",
        route_context(
            request,
            share,
            summary=selectors.draft_summary(share=share, submission=draft),
            images=list(draft.images.all()),
            images_url=share.route_url("step", step="images"),
            invalid=invalid,
            error=error,
            step_number=len(STEPS) + 1,
            step_count=len(STEPS) + 1,
            progress=selectors.progress(share=share, current="review", draft=draft),
        ),
    )


def submission_save_for_later(request, *, share):
    draft = _draft(request)
    if draft is None:
        return HttpResponseRedirect(share.route_url("step", step=STEP_KEYS[0]))
    form = SaveForLaterForm(request.POST or None, initial={"email": draft.contact_email})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        _limit(request, group="submissions-save", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
        _limit(request, group="submissions-save-email", rate=settings.SUBMISSIONS_RATE_PER_EMAIL, value=email)
        services.resume_link_send(
            submission=draft,
            email=email,
            resume_url=lambda token: request.build_absolute_uri(f"{share.route_url('resume')}?token={token}"),
        )
        return _message(
            request,
            share,
            title=_("We sent you a link"),
            paragraphs=[
                _("We sent a link to %(email)s. Open it on any device to continue where you left off.")
                % {"email": email},
                _("The link works for %(days)d days. After that, unfinished drafts are deleted.")
                % {"days": settings.SUBMISSIONS_DRAFT_DAYS},
            ],
            links=[(share.route_url("start"), _("Continue now"))],
        )
    return TemplateResponse(
        request,
        "submissions/save_for_later.html",
        route_context(request, share, form=form, start_url=share.route_url("start")),
    )


def submission_resume(request, *, share):
    draft = services.draft_for_resume(token=request.GET.get("token"))
    if draft is None:
        return _message(
            request,
            share,
            status=400,
            title=_("This link does not work"),
            paragraphs=[
                _("The link may be incomplete, or it is more than %(days)d days old and the draft was deleted.")
                % {"days": settings.SUBMISSIONS_DRAFT_DAYS}
            ],
            links=[(share.route_url("start"), _("Start again"))],
        )
    request.session[SESSION_DRAFT] = draft.token
    return submission_start(request, share=share)


def submission_sent(request, *, share):
    email = request.session.get(SESSION_SENT)
    if not email:
        return HttpResponseRedirect(share.url)
    return _message(
        request,
        share,
        title=_("Check your mailbox"),
        paragraphs=[
            _(
                "Thank you! Your initiative is saved. We sent a message to %(email)s: open the link in it to confirm "
                "your address. We only look at your initiative once it is confirmed."
            )
            % {"email": email},
            _("The link works for %(days)d days. No message? Look in your spam folder.")
            % {"days": settings.SUBMISSIONS_LINK_DAYS},
        ],
    )


def submission_confirm(request, *, share):
    token = request.POST.get("token") or request.GET.get("token")
    submission, expired = services.submission_for_confirmation(token=token)
    if submission is None:
        return _message(
            request,
            share,
            status=400,
            title=_("This link does not work"),
            paragraphs=[_("The link may be incomplete. Copy the whole address from the message we sent you.")],
        )
    if expired and submission.state == SubmissionState.UNCONFIRMED:
        if request.method == "POST":
            _limit(request, group="submissions-save", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
            services.confirmation_send(submission=submission, confirm_url=_confirm_url(request, share))
            return _message(
                request,
                share,
                title=_("We sent you a new link"),
                paragraphs=[_("Open the link in the new message to confirm your address.")],
            )
        return _message(
            request,
            share,
            status=400,
            title=_("This link has expired"),
            paragraphs=[_("Your initiative is still saved. Ask for a new link to confirm your address.")],
            form=True,
            form_action=f"{share.route_url('confirm')}?token={token}",
            button=_("Send me a new link"),
        )
    services.submission_confirm(submission=submission)
    return _message(
        request,
        share,
        title=_("Thank you, your address is confirmed"),
        paragraphs=[
            _(
                "The Participation service will read your initiative, may contact you with questions, and will tell "
                "you by email when it is published or why it cannot be."
            ),
        ],
        links=[(selectors.map_url(), _("Explore the map of initiatives"))],
    )


def _update_forms(initiative, data=None):
    """(label, form) of each step an update may change, bound to what was sent or else to the published answers."""
    answers = services.initiative_answers(initiative=initiative, language=get_language()) if data is None else None
    labels = {key: label for key, label, _form in STEPS}
    return [
        (
            labels[step],
            services.step_form(
                submission=None, step=step, data=data if answers is None else services.answers_query(answers[step])
            ),
        )
        for step in UPDATE_STEPS
    ]


def submission_update(request, *, share):
    token = request.POST.get("token") or request.GET.get("token")
    initiative = services.initiative_for_update(token=token)
    if initiative is None:
        return _message(
            request,
            share,
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
    forms = _update_forms(initiative, request.POST if request.method == "POST" else None)
    group = FormGroup([form for _label, form in forms])
    if request.method == "POST":
        _limit(request, group="submissions-submit", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
        if group.is_valid():
            answers = {
                step: services.answers_of(form=form, post=request.POST)
                for step, (_label, form) in zip(UPDATE_STEPS, forms, strict=True)
            }
            services.update_submit(initiative=initiative, answers=answers, language=get_language())
            return _message(
                request,
                share,
                title=_("Thank you, we received your update"),
                paragraphs=[
                    _(
                        "The Participation service will check it before it replaces the published version, and will "
                        "tell you by email."
                    )
                ],
                links=[(initiative.get_url(), _("See the published version"))],
            )
    else:
        group.is_valid()
    return TemplateResponse(
        request,
        "submissions/update.html",
        route_context(
            request, share, initiative=initiative, forms=forms, group=group, token=token, text=initiative.text()
        ),
    )


def initiative_verify(request, *, share):
    token = request.POST.get("token") or request.GET.get("token")
    initiative = services.initiative_for_update(token=token)
    if initiative is None:
        return submission_update(request, share=share)
    if request.method == "POST":
        _limit(request, group="submissions-submit", rate=settings.SUBMISSIONS_RATE_PER_ADDRESS)
        services.initiative_verify(initiative=initiative)
        return _message(
            request,
            share,
            title=_("Thank you for checking"),
            paragraphs=[_("The initiative now shows that its information was verified today.")],
            links=[(initiative.get_url(), _("See the initiative"))],
        )
    return TemplateResponse(
        request,
        "submissions/verify.html",
        route_context(
            request,
            share,
            initiative=initiative,
            text=initiative.text(),
            token=token,
            update_url=f"{share.route_url('update')}?token={token}",
        ),
    )
