"""The planner's pages: the questions one step at a time (and the summary), the proposed plan, its calendar file.

Plain GET forms: the answers live in the address, so a plan can be shared, bookmarked and printed without an account,
and every page works without JavaScript. An address that lacks an answer, or holds an unknown, repeated or too long
one, leads back to that step with a message — never an error page.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from participation.planner.forms import STEPS, StepForm, answers_query, answers_read
from participation.planner.selectors import plan_build

SUMMARY = "summary"
UID_DOMAIN = "participation.brussels"


def _step_url(query: QueryDict, step: int | str, **extra: str) -> str:
    params = query.copy()
    params["step"] = str(step)
    for name, value in extra.items():
        params[name] = value
    return f"{reverse('planner')}?{params.urlencode()}"


def _target(requested: str) -> int | None:
    """The step asked for (0-based; len(STEPS) for the summary), or None when the address does not say one we know."""
    if requested == SUMMARY:
        return len(STEPS)
    if requested.isdigit() and 1 <= int(requested) <= len(STEPS):
        return int(requested) - 1
    return None


@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    params = request.GET
    forms, first_invalid, _answers = answers_read(params)
    query = answers_query(params)
    requested = params.get("step", "")
    target = _target(requested)
    # A plan's address that lacks an answer comes back here marked `from=plan`: it says so.
    stale = (bool(requested) and target is None) or params.get("from") == "plan"
    if target is None:
        target = 0 if not query else (first_invalid if first_invalid is not None else len(STEPS))
    if first_invalid is not None and first_invalid < target:
        # An earlier answer is missing or not understood: that question again, its error shown.
        stale = stale or params.get("from") != str(first_invalid + 1)
        target = first_invalid
    if target == len(STEPS):
        return _summary(request, forms=forms, query=query, stale=stale)
    form: StepForm = forms[target]
    submitted = params.get("from") == str(target + 1)
    if not (submitted or stale or any(name in params for name in form.fields)):
        form = STEPS[target]()  # a question not reached yet: no errors before an answer
    hidden = answers_query(params, without=tuple(form.fields))
    following: str | int = SUMMARY if params.get("return") == SUMMARY or target == len(STEPS) - 1 else target + 2
    return render(
        request,
        "planner/step.html",
        {
            "form": form,
            "number": target + 1,
            "count": len(STEPS),
            "hidden": [(name, value) for name in hidden for value in hidden.getlist(name)],
            "following": following,
            "back_url": _step_url(query, target) if target > 0 else "",
            "stale": stale,
        },
    )


def _summary(request: HttpRequest, *, forms: list[StepForm], query: QueryDict, stale: bool) -> HttpResponse:
    rows = [
        {
            "number": number,
            "title": form.title,
            "answers": form.summary(),
            "change_url": _step_url(query, number, **{"return": SUMMARY}),
        }
        for number, form in enumerate(forms, start=1)
    ]
    return render(
        request,
        "planner/summary.html",
        {
            "rows": rows,
            "result_url": f"{reverse('planner_result')}?{query.urlencode()}",
            "back_url": _step_url(query, len(STEPS)),
            "stale": stale,
        },
    )


@require_GET
def result(request: HttpRequest) -> HttpResponse:
    _forms, first_invalid, answers = answers_read(request.GET)
    query = answers_query(request.GET)
    if answers is None or first_invalid is not None:
        return HttpResponseRedirect(_step_url(query, (first_invalid or 0) + 1, **{"from": "plan"}))
    plan_path = f"{reverse('planner_result')}?{query.urlencode()}"
    plan = plan_build(answers=answers, language=get_language(), start=timezone.localdate(), plan_query=plan_path)
    rows = [(form.title, form.summary()) for form in _forms]
    return render(
        request,
        "planner/result.html",
        {
            "plan": plan,
            "answers": answers,
            "rows": rows,
            "change_url": _step_url(query, SUMMARY),
            "calendar_url": f"{reverse('planner_calendar')}?{query.urlencode()}",
            "share_url": request.build_absolute_uri(plan_path),
        },
    )


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The plan's suggested milestones as an iCalendar file: one all-day event per phase."""
    _forms, first_invalid, answers = answers_read(request.GET)
    query = answers_query(request.GET)
    if answers is None or first_invalid is not None:
        return HttpResponseRedirect(_step_url(query, (first_invalid or 0) + 1, **{"from": "plan"}))
    plan_path = f"{reverse('planner_result')}?{query.urlencode()}"
    plan = plan_build(answers=answers, language=get_language(), start=timezone.localdate(), plan_query=plan_path)
    address = request.build_absolute_uri(plan_path)
    digest = hashlib.sha256(query.urlencode().encode()).hexdigest()[:16]
    ics = Calendar()
    ics.add("prodid", "-//participation.brussels//Participation planner//EN")
    ics.add("version", "2.0")
    ics.add("x-wr-calname", _("My participatory process"))
    stamp = timezone.now()
    for phase in plan.phases:
        event = Event()
        event.add("uid", f"{digest}-{phase.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", phase.starts)
        event.add("dtend", phase.ends + timedelta(days=1))
        event.add("summary", _("Phase: %(phase)s") % {"phase": phase.label})
        methods = ", ".join(fit.link.title for fit in phase.methods)
        description = _("Suggested methods: %(methods)s") % {"methods": methods} if methods else ""
        event.add("description", f"{description}\n\n{address}".strip())
        event.add("url", address)
        ics.add_component(event)
    response = HttpResponse(ics.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participation-plan.ics"'
    return response
