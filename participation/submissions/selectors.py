"""Reads of shared initiatives: the draft in progress, the progress indicator, the review summary, the queue."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry, Page

from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation
from participation.initiatives.schema import position_of_communes
from participation.submissions.forms import STEPS
from participation.submissions.models.records import Submission, SubmissionKind, SubmissionState


def draft_by_token(*, token: str) -> Submission | None:
    return Submission.objects.filter(token=token, state=SubmissionState.DRAFT).first()


def map_url() -> str:
    page = InitiativeIndexPage.for_language(get_language())
    return page.url if page else ""


def progress_build(*, share: Page, current: str, draft: Submission | None) -> list[dict[str, Any]]:
    """The steps for the progress indicator: (number, label, address or None, state: done/current/todo)."""
    from participation.submissions.services import steps_invalid

    invalid = set(steps_invalid(submission=draft)) if draft else {key for key, _label, _form in STEPS}
    keys = [key for key, _label, _form in STEPS] + ["review"]
    labels = [label for _key, label, _form in STEPS] + [_("Check and send")]
    current_index = keys.index(current)
    items = []
    for number, (key, label) in enumerate(zip(keys, labels, strict=True), start=1):
        reachable = draft is not None and (key == "review" or draft.data.get(key) is not None)
        state = "current" if key == current else ("done" if key not in invalid and reachable else "todo")
        url = share.route_url("step", step=key) if reachable and number - 1 != current_index else None
        items.append({"number": number, "label": label, "url": url, "state": state})
    return items


def _display(field: forms.Field, value: Any) -> str:
    if value in (None, "", [], ()):
        return ""
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        values = list(value)
        if isinstance(field, forms.MultipleChoiceField) and not hasattr(value, "model"):
            labels = dict(cast(Iterable[tuple[Any, Any]], field.choices))
            return ", ".join(str(labels.get(item, item)) for item in values)
        return ", ".join(str(item) for item in values)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(cast(Iterable[tuple[Any, Any]], field.choices)).get(value, value))
    return str(value)


def submission_answers(*, submission: Submission, share: Page | None = None) -> list[dict[str, Any]]:
    """Each step's answers as (label, text) pairs, with the address to change them when `share` is given (the
    review page); moderators read them without it."""
    from participation.submissions.services import step_form

    sections = []
    for key, label, _form in STEPS:
        if key == "images":
            # In their place among the steps; their own section shows them (the review page's pictures).
            sections.append(
                {
                    "key": key,
                    "label": label,
                    "url": share.route_url("step", step=key) if share else "",
                    "rows": [],
                    "complete": True,
                    "images": list(submission.images.all()),
                }
            )
            continue
        form = step_form(submission=submission, step=key)
        rows = []
        if form.is_bound and form.is_valid():
            rows = [
                (field.label, _display(field, form.cleaned_data.get(name)))
                for name, field in form.fields.items()
                if name not in ("website", "consent")
            ]
        sections.append(
            {
                "key": key,
                "label": label,
                "url": share.route_url("step", step=key) if share else "",
                "rows": [(field_label, text) for field_label, text in rows if text],
                "complete": form.is_bound and form.is_valid(),
            }
        )
    return sections


def moderation_links(*, submission: Submission) -> list[tuple[str, str]]:
    """Wagtail's own tools for the initiative of a submission: the preview of the version to publish, the comparison
    of a proposed update with the published version, the editor. (label, address) pairs."""
    initiative = submission.initiative
    if initiative is None:
        return []
    revision_id = submission.revision_id or initiative.latest_revision_id
    name = "wagtailsnippets_initiatives_initiative"
    links = []
    if revision_id:
        links.append(
            (_("Preview the public page"), reverse(f"{name}:revisions_view", args=[initiative.pk, revision_id]))
        )
    if submission.kind == SubmissionKind.UPDATE and initiative.live_revision_id and submission.revision_id:
        links.append(
            (
                _("Compare with the published version"),
                reverse(f"{name}:revisions_compare", args=[initiative.pk, "live", submission.revision_id]),
            )
        )
    links.append((_("Edit the initiative"), reverse(f"{name}:edit", args=[initiative.pk])))
    return links


def moderation_history(*, submission: Submission, limit: int = 50) -> QuerySet[ModelLogEntry]:
    """The log entries of the submission and of its initiative (revisions, publication, decisions), newest first."""
    entries = Q(content_type=ContentType.objects.get_for_model(Submission), object_id=str(submission.pk))
    if submission.initiative_id:
        initiative_type = ContentType.objects.get_for_model(Initiative)
        entries |= Q(content_type=initiative_type, object_id=str(submission.initiative_id))
    return ModelLogEntry.objects.filter(entries).select_related("user").order_by("-timestamp")[:limit]


def absolute_url_build(url: str) -> str:
    """An address of the public site, absolute (for emails sent outside a request)."""
    return url if url.startswith("http") else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _comparable(text: str) -> str:
    """A title or a name as compared for duplicates: without case, accents or punctuation."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def _significant_words(text: str) -> set[str]:
    return {word for word in _comparable(text).split() if len(word) > 3}


@dataclass
class PossibleDuplicate:
    """An initiative that looks like the one a submission proposes: same title, or same organiser and a similar
    title. Moderators compare them before publishing."""

    initiative_id: int
    title: str
    reason: str
    live: bool


def submission_duplicates(*, submissions: Iterable[Submission]) -> dict[int, list[PossibleDuplicate]]:
    """The likely duplicates of each submission (by its id), among the other initiatives, published or waiting:
    two queries whatever the number of submissions (the moderation queue lists 50 at a time)."""
    submissions = list(submissions)
    if not submissions:
        return {}
    titles: dict[int, list[str]] = {}
    for initiative_id, title in InitiativeTranslation.objects.values_list("initiative_id", "title"):
        titles.setdefault(initiative_id, []).append(title)
    initiatives = Initiative.objects.values_list("pk", "organisers", "live")
    found: dict[int, list[PossibleDuplicate]] = {}
    for submission in submissions:
        title = _comparable(submission.step_value("about", "title"))
        words = _significant_words(title)
        organisers = _comparable(submission.step_value("about", "organisers"))
        matches = []
        for pk, initiative_organisers, live in initiatives:
            if pk == submission.initiative_id or not title:
                continue
            others = titles.get(pk, [])
            if any(_comparable(other) == title for other in others):
                reason = _("same title")
            elif (
                organisers
                and _comparable(initiative_organisers) == organisers
                and any(len(words & _significant_words(other)) * 2 >= max(len(words), 1) for other in others)
            ):
                reason = _("same organiser, similar title")
            else:
                continue
            matches.append(PossibleDuplicate(pk, others[0] if others else "", reason, live))
        if matches:
            found[submission.pk] = matches
    return found


def submission_without_location(*, submission: Submission) -> bool:
    """True when the initiative of a submission has no position of its own: no coordinates were given, so it sits
    at its commune's centre (or nowhere) until a moderator places it."""
    initiative = submission.initiative
    if initiative is None or submission.kind == SubmissionKind.UPDATE:
        return False
    if initiative.latitude is None or initiative.longitude is None:
        return True
    if submission.step_value("place", "latitude").strip():
        return False
    centre = position_of_communes(initiative.communes.all())
    return centre is not None and (initiative.latitude, initiative.longitude) == centre
