"""The planner's reads: from the answers to a proposed process (phases in process order, each with one to three
ranked methods and the reasons in words), warnings, similar Brussels initiatives, lots and providers per phase,
upcoming trainings, the evaluation checklist and the milestones.

The ranking is data: each method's attributes are edited on its sheet, each criterion's weight in the admin
(`PlannerWeights`). A phase's methods are ranked, never filtered: every answer set gets a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.core.models import (
    Audience,
    BudgetBand,
    Format,
    GroupSize,
    IssueComplexity,
    ParticipationLevel,
    Phase,
    PolarisationLevel,
    PurchasingLot,
    TimeNeeded,
)
from participation.core.selectors import RelatedLink, page_links, vocabulary_labels
from participation.initiatives.models import Initiative
from participation.network.models import EventPage, EventType, NetworkPage
from participation.network.selectors import events_upcoming
from participation.planner.forms import OTHER_LANGUAGE, Answers, Objective, Organiser, TimeAvailable, answers_read
from participation.planner.models import PlannerWeights
from participation.providers.models import Provider, PurchasingCentrePage
from participation.toolbox.models import LanguageHandling, SheetKind, ToolboxSheetPage

SIMILAR_SHOWN = 5
TRAININGS_SHOWN = 3
PROVIDERS_SHOWN = 4
TRAINING_TYPES = [
    EventType.THEORY_SESSION,
    EventType.PRACTICAL_CASES,
    EventType.PEER_TRAINING,
    EventType.REGIONAL_TRAINING,
]
# Share of the process's time each phase takes (framing … evaluation), for the milestones.
PHASE_SHARE = {
    "framing": 0.1,
    "design": 0.1,
    "mobilisation-communication": 0.15,
    "deployment-facilitation": 0.35,
    "feedback": 0.15,
    "evaluation": 0.15,
}
LEVELS_OF_POWER = ("co-construction", "co-decision")
HIGH_POLARISATION = ("high",)
LARGE_GROUPS = ("large", "unlimited")
EXPERIENCE_FULL = 5
BUDGET_FOR_INTERPRETING = ("25k-100k", "over-100k")


@dataclass
class MethodFit:
    pk: int
    link: RelatedLink
    slug: str  # the French slug, as the map's method filter writes it
    score: float
    best: float
    reasons: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)


@dataclass
class PlanWarning:
    key: str  # which conflict (stable, for tests and styling)
    text: str


@dataclass
class PlanPhase:
    key: str
    label: str
    sheet: RelatedLink | None
    methods: list[MethodFit]
    lots: list[tuple[int, str, str]]  # number, label, address of the lot's page
    providers: list[RelatedLink]
    starts: date
    ends: date


@dataclass
class Plan:
    phases: list[PlanPhase]
    warnings: list[PlanWarning]
    initiatives: list[RelatedLink]
    map_url: str
    trainings: list[RelatedLink]
    eligibility: str
    request_url: str
    checklist: list[str]


class _Scorer:
    """Scores one method against the answers: each criterion adds its weight (or half of it) and says why in words."""

    def __init__(self, *, answers: Answers, weights: PlannerWeights, language: str) -> None:
        self.answers = answers
        self.weights = weights
        self.labels = {model: vocabulary_labels(model=model, language=language) for model in _VOCABULARIES}
        self.orders = {
            model: [term.key for term in model.objects.filter(locale__language_code=settings.LANGUAGE_CODE)]
            for model in (ParticipationLevel, BudgetBand, TimeNeeded)
        }
        # How many published initiatives at the answers' scale used each method (one query).
        self.experience: dict[int, int] = dict(
            Initiative.objects.published()
            .filter(geographic_scope__key=answers.scope, methods__isnull=False)
            .values_list("methods")
            .annotate(count=Count("pk"))
            .values_list("methods", "count")
        )
        self.objectives = {key: label[:1].lower() + label[1:] for key, label in Objective.choices()}
        self.hard_to_reach = set(
            Audience.objects.filter(
                locale__language_code=settings.LANGUAGE_CODE, hard_to_reach=True, key__in=answers.audiences
            ).values_list("key", flat=True)
        )

    def label(self, model: Any, key: str) -> str:
        return self.labels[model].get(key, key)

    def labels_of(self, model: Any, keys: list[str]) -> str:
        return ", ".join(self.label(model, key) for key in keys)

    def best(self) -> float:
        return float(sum(getattr(self.weights, name) for name in PlannerWeights.WEIGHTS))

    def fit(self, sheet: ToolboxSheetPage, link: RelatedLink) -> MethodFit:
        a, w = self.answers, self.weights
        fit = MethodFit(pk=sheet.pk, link=link, slug=sheet.slug, score=0.0, best=self.best())

        def add(weight: int, share: float, reason: str = "", limit: str = "") -> None:
            fit.score += weight * share
            if reason:
                fit.reasons.append(reason)
            if limit:
                fit.limits.append(limit)

        objective = self.objectives.get(a.objective, a.objective)
        if a.objective in sheet.objectives:
            add(w.objective, 1, _("It serves your objective: %(objective)s.") % {"objective": objective})
        else:
            add(
                w.objective,
                0,
                limit=_("Its sheet does not present it for your objective (%(objective)s).") % {"objective": objective},
            )

        levels = [term.key for term in sheet.levels.all()]
        order = self.orders[ParticipationLevel]
        wanted = self.label(ParticipationLevel, a.level)
        if a.level in levels:
            add(w.level, 1, _("It supports the influence you offer (%(level)s).") % {"level": wanted})
        elif a.level in order and any(abs(order.index(k) - order.index(a.level)) == 1 for k in levels if k in order):
            add(
                w.level,
                0.5,
                limit=_("It is made for %(levels)s rather than %(level)s.")
                % {"levels": self.labels_of(ParticipationLevel, levels), "level": wanted},
            )
        else:
            add(w.level, 0, limit=_("It does not offer the influence you promise (%(level)s).") % {"level": wanted})

        audiences = {term.key for term in sheet.audiences.all()}
        met = [key for key in a.audiences if key in audiences]
        if met:
            add(
                w.audiences,
                len(met) / len(a.audiences),
                _("It suits these audiences: %(audiences)s.") % {"audiences": self.labels_of(Audience, met)},
            )
        missed = sorted(self.hard_to_reach - audiences)
        if missed:
            add(
                0,
                0,
                limit=_("Its sheet does not show how it reaches these audiences: %(audiences)s. Plan outreach.")
                % {"audiences": self.labels_of(Audience, missed)},
            )

        sizes = [term.key for term in sheet.group_sizes.all()]
        if a.size in sizes:
            add(w.group_size, 1, _("It works with this number of participants."))
        else:
            add(
                w.group_size, 0, limit=_("It works best with: %(sizes)s.") % {"sizes": self.labels_of(GroupSize, sizes)}
            )

        if sheet.time_needed is not None:
            rank = self.orders[TimeNeeded].index(sheet.time_needed.key)
            needed = self.label(TimeNeeded, sheet.time_needed.key).lower()
            if rank <= TimeAvailable.FITS[a.time]:
                add(w.time, 1, _("It fits in your time (it takes %(time)s).") % {"time": needed})
            else:
                add(w.time, 0, limit=_("It takes %(time)s: more than your time allows.") % {"time": needed})

        bands = [term.key for term in sheet.budget_bands.all()]
        budget_order = self.orders[BudgetBand]
        if bands and a.budget in budget_order:
            cheapest = min(budget_order.index(k) for k in bands if k in budget_order)
            if cheapest <= budget_order.index(a.budget):
                add(w.budget, 1, _("It can be run within your budget."))
            else:
                add(
                    w.budget,
                    0,
                    limit=_("It usually needs a budget of %(band)s.")
                    % {"band": self.label(BudgetBand, budget_order[cheapest])},
                )

        formats = {term.key for term in sheet.formats.all()}
        if a.format in formats:
            add(w.format, 1, _("It can be run %(format)s.") % {"format": self.label(Format, a.format).lower()})
        elif a.format == "hybrid" and formats:
            add(
                w.format,
                0.5,
                limit=_("It is run %(formats)s only; add the other channel.")
                % {"formats": self.labels_of(Format, sorted(formats)).lower()},
            )
        else:
            add(
                w.format,
                0,
                limit=_("It is not run %(format)s: it is %(formats)s.")
                % {
                    "format": self.label(Format, a.format).lower(),
                    "formats": self.labels_of(Format, sorted(formats)).lower(),
                },
            )

        if len(a.languages) > 1 or OTHER_LANGUAGE in a.languages:
            handling = sheet.language_handling
            if handling in (LanguageHandling.PARALLEL_GROUPS, LanguageHandling.TRANSLATED_MATERIAL):
                add(
                    w.languages,
                    1,
                    _("Several languages: %(how)s.") % {"how": sheet.get_language_handling_display().lower()},
                )
            elif handling == LanguageHandling.INTERPRETATION and a.budget in BUDGET_FOR_INTERPRETING:
                add(w.languages, 1, _("Several languages: one group with interpreting, which your budget allows."))
            elif handling == LanguageHandling.INTERPRETATION:
                add(w.languages, 0.5, limit=_("Several languages: it needs interpreting, to budget for."))
            else:
                add(w.languages, 0, limit=_("Its sheet does not say how it works in several languages."))
        else:
            add(w.languages, 1)

        complexity = [term.key for term in sheet.complexity.all()]
        if a.complexity in complexity:
            add(w.complexity, 1, _("It suits a topic of this complexity."))
        else:
            add(
                w.complexity,
                0,
                limit=_("It suits topics of complexity: %(levels)s.")
                % {"levels": self.labels_of(IssueComplexity, complexity).lower()},
            )
        polarisation = [term.key for term in sheet.polarisation.all()]
        if a.polarisation in polarisation:
            add(w.polarisation, 1, _("It copes with a topic this contested."))
        else:
            add(
                w.polarisation,
                0,
                limit=_("It suits topics contested: %(levels)s.")
                % {"levels": self.labels_of(PolarisationLevel, polarisation).lower()},
            )

        professional = sheet.facilitation is not None and sheet.facilitation.key == "professional"
        if professional and (a.budget == "under-5k" or a.organiser == Organiser.CITIZEN_COLLECTIVE):
            add(w.facilitation, 0, limit=_("It needs professional facilitation."))
        else:
            add(w.facilitation, 1)

        used = self.experience.get(sheet.pk, 0)
        if used:
            add(
                w.experience,
                min(used, EXPERIENCE_FULL) / EXPERIENCE_FULL,
                ngettext(
                    "%(count)s Brussels initiative at this scale used it.",
                    "%(count)s Brussels initiatives at this scale used it.",
                    used,
                )
                % {"count": used},
            )
        return fit


_VOCABULARIES = (
    Audience,
    BudgetBand,
    Format,
    GroupSize,
    IssueComplexity,
    ParticipationLevel,
    PolarisationLevel,
    TimeNeeded,
)


def method_sheets() -> list[ToolboxSheetPage]:
    """The live method sheets in the default language (the ones holding the attributes), with every attribute."""
    return list(
        ToolboxSheetPage.objects.live()
        .filter(kind=SheetKind.METHOD, locale__language_code=settings.LANGUAGE_CODE)
        .select_related("time_needed", "facilitation")
        .prefetch_related(
            "levels", "phases", "group_sizes", "budget_bands", "formats", "complexity", "polarisation", "audiences"
        )
        .order_by("title")
    )


def _sheets_in_language(pages: list[ToolboxSheetPage], language: str) -> dict[object, RelatedLink]:
    keys = [page.translation_key for page in pages]
    translations = (
        ToolboxSheetPage.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .select_related("locale", "alias_of__locale")
    )
    return {page.translation_key: link for page, link in zip(translations, page_links(pages=translations), strict=True)}


def warnings(*, answers: Answers, language: str) -> list[PlanWarning]:
    """Where the answers pull against each other, in words."""
    hard = list(
        Audience.objects.filter(
            locale__language_code=language, hard_to_reach=True, key__in=answers.audiences
        ).values_list("label", flat=True)
    )
    level = vocabulary_labels(model=ParticipationLevel, language=language).get(answers.level, "")
    small = answers.budget == "under-5k"
    rules = [
        (
            "influence-without-means",
            answers.level in LEVELS_OF_POWER and (answers.time == TimeAvailable.UNDER_1_MONTH or small),
            lambda: (
                _(
                    "You promise real influence (%(level)s) with little time or budget: keep enough of both for the "
                    "feedback to participants and for carrying out what they decide, or promise less."
                )
                % {"level": level}
            ),
        ),
        (
            "online-only-hard-to-reach",
            bool(hard) and answers.format == "online",
            lambda: (
                _(
                    "Online only will not reach %(audiences)s: add face-to-face moments or a paper version, and go "
                    "where they are."
                )
                % {"audiences": ", ".join(hard).lower()}
            ),
        ),
        (
            "no-interpreting-budget",
            {"fr", "nl"} <= set(answers.languages) and small,
            lambda: _(
                "French- and Dutch-speaking participants with a budget under €5,000: interpreting may not fit. Prefer "
                "groups in each language and translated material, or look for more budget."
            ),
        ),
        (
            "contested-small-budget",
            answers.polarisation in HIGH_POLARISATION and small,
            lambda: _("A strongly contested topic needs experienced, neutral facilitation: budget for it."),
        ),
        (
            "region-in-a-hurry",
            answers.scope == "region" and answers.time == TimeAvailable.UNDER_1_MONTH,
            lambda: _("A process for the whole Region in less than a month leaves little time to reach people."),
        ),
        (
            "large-group-small-budget",
            answers.size in LARGE_GROUPS and answers.format == "face-to-face" and small,
            lambda: _("Over a hundred people face-to-face on a small budget: plan several smaller meetings."),
        ),
        (
            "collective-co-decision",
            answers.level == "co-decision" and answers.organiser == Organiser.CITIZEN_COLLECTIVE,
            lambda: _(
                "A citizen collective can share only the decisions it holds: say clearly what the participants decide."
            ),
        ),
    ]
    return [PlanWarning(key, text()) for key, applies, text in rules if applies]


def checklist() -> list[str]:
    """Evaluation and feedback ("devoir de suite"), after the OECD's evaluation guidelines for representative
    deliberative processes (2021): the integrity of the design, the participants' experience, the road to impact."""
    return [
        _("Before starting, write down what the participants' work will change and who answers them, by when."),
        _("Publish the process's design: its question, its budget, how participants are recruited and who decides."),
        _(
            "Check who took part against who is concerned (age, neighbourhood, language) and reach out to who is "
            "missing."
        ),
        _("Ask the participants how they experienced it: time to speak, information received, respect of the rules."),
        _("Answer every proposal publicly: adopted, changed or rejected, and why."),
        _("Tell the participants what became of their work, in their language, even months later."),
        _("Have the process evaluated (by yourself, an outside evaluator or the participants) and publish the result."),
    ]


def _phase_dates(*, phases: list[str], start: date, time: str) -> dict[str, tuple[date, date]]:
    total = TimeAvailable.DAYS[time]
    dates, current = {}, start
    for key in phases:
        length = max(1, round(total * PHASE_SHARE.get(key, 0.1)))
        dates[key] = (current, current + timedelta(days=length - 1))
        current += timedelta(days=length)
    return dates


def plan_build(*, answers: Answers, language: str, start: date, plan_query: str = "") -> Plan:
    """The proposed process for the answers (see the module), starting on `start`."""
    weights = PlannerWeights.load()
    scorer = _Scorer(answers=answers, weights=weights, language=language)
    sheets = method_sheets()
    links = _sheets_in_language(sheets, language)
    phase_terms = list(Phase.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("sort_order"))
    phase_labels = vocabulary_labels(model=Phase, language=language)
    phase_sheets = ToolboxSheetPage.objects.live().filter(kind=SheetKind.PHASE, locale__language_code=language)
    phase_sheet_by_key: dict[str, RelatedLink] = {}
    for sheet, link in zip(phase_sheets.prefetch_related("phases"), page_links(pages=phase_sheets), strict=False):
        for term in sheet.phases.all():
            phase_sheet_by_key.setdefault(term.key, link)
    fits = {
        sheet.pk: scorer.fit(sheet, links[sheet.translation_key]) for sheet in sheets if sheet.translation_key in links
    }
    lots = list(
        PurchasingLot.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .prefetch_related("phases")
        .order_by("number")
    )
    lot_labels = vocabulary_labels(model=PurchasingLot, language=language)
    centre = PurchasingCentrePage.objects.live().filter(locale__language_code=language).first()
    providers = list(
        Provider.objects.prefetch_related(Prefetch("methods", queryset=ToolboxSheetPage.objects.only("pk"))).order_by(
            "name"
        )
    )
    dates = _phase_dates(phases=[term.key for term in phase_terms], start=start, time=answers.time)
    phases = []
    for term in phase_terms:
        candidates = [fits[sheet.pk] for sheet in sheets if sheet.pk in fits and term in sheet.phases.all()]
        ranked = sorted(candidates, key=lambda fit: (-fit.score, fit.link.title))[: weights.methods_per_phase]
        chosen = {fit.pk for fit in ranked}
        phase_lots = [
            (
                lot.number,
                lot_labels.get(lot.key, lot.label),
                centre.route_url("lot", number=lot.number) if centre else "",
            )
            for lot in lots
            if term in lot.phases.all()
        ]
        masters = [
            provider.related_link(centre)
            for provider in providers
            if centre is not None and any(method.pk in chosen for method in provider.methods.all())
        ][:PROVIDERS_SHOWN]
        phases.append(
            PlanPhase(
                key=term.key,
                label=phase_labels.get(term.key, term.label),
                sheet=phase_sheet_by_key.get(term.key),
                methods=ranked,
                lots=phase_lots,
                providers=masters,
                starts=dates[term.key][0],
                ends=dates[term.key][1],
            )
        )
    top = [phase.methods[0].slug for phase in phases if phase.methods]
    initiatives, map_url = similar_initiatives(answers=answers, methods=list(dict.fromkeys(top)), language=language)
    request_url = ""
    if centre is not None:
        query: list[tuple[str, str | int]] = [
            ("lot", number) for number in sorted({n for phase in phases for n, _l, _u in phase.lots if n != 1})
        ]
        query += [
            ("budget", answers.budget),
            *(("language", code) for code in answers.languages if code != OTHER_LANGUAGE),
        ]
        query.append(("plan", plan_query))
        request_url = f"{centre.route_url('request')}?{urlencode(query)}"
    return Plan(
        phases=phases,
        warnings=warnings(answers=answers, language=language),
        initiatives=initiatives,
        map_url=map_url,
        trainings=trainings(language=language, methods={fit.pk for phase in phases for fit in phase.methods}),
        eligibility=eligibility_hint(organiser=answers.organiser),
        request_url=request_url,
        checklist=checklist(),
    )


def eligibility_hint(*, organiser: str) -> str:
    if organiser == Organiser.PUBLIC_BODY:
        return _("As a public body in the Region, you can order from the purchasing centre's providers directly.")
    if organiser == Organiser.NON_PROFIT:
        return _("An association can order if it carries out a task of municipal or regional interest: check it.")
    return _("A citizen collective may be eligible: the Participation service confirms it case by case.")


def similar_initiatives(*, answers: Answers, methods: list[str], language: str) -> tuple[list[RelatedLink], str]:
    """Published initiatives with a similar design (same influence, methods of the plan, format, territory, audiences),
    most shared terms first, and the map filtered by the influence and the plan's methods."""
    map_page = Initiative.map_page(language)
    if map_page is None:
        return [], ""
    candidates = (
        Initiative.objects.published()
        .filter(Q(participation_level__key=answers.level) | Q(methods__slug__in=methods))
        .distinct()
        .select_related("participation_level", "format", "geographic_scope")
        .prefetch_related("methods", "audiences", "translations")
    )

    def shared(initiative: Initiative) -> int:
        count = int(initiative.participation_level is not None and initiative.participation_level.key == answers.level)
        count += sum(1 for method in initiative.methods.all() if method.slug in methods)
        count += int(initiative.format is not None and initiative.format.key == answers.format)
        count += int(initiative.geographic_scope is not None and initiative.geographic_scope.key == answers.scope)
        count += sum(1 for audience in initiative.audiences.all() if audience.key in answers.audiences)
        return count

    ranked = sorted(candidates, key=lambda i: (-shared(i), -(i.start_date or date.min).toordinal(), i.pk))
    links = [initiative.related_link(map_page, language) for initiative in ranked[:SIMILAR_SHOWN]]
    query = urlencode([("level", answers.level), *(("method", slug) for slug in methods)])
    return links, f"{map_page.url}?{query}"


def trainings(*, language: str, methods: set[int]) -> list[RelatedLink]:
    """Upcoming trainings, those about the plan's methods (their sheets, edited on the original event) first."""
    network = NetworkPage.objects.live().filter(locale__language_code=language).first()
    if network is None:
        return []
    events = list(
        events_upcoming(network=network)
        .filter(event_type__in=TRAINING_TYPES)
        .prefetch_related("alias_of__sheets", "sheets")[: TRAININGS_SHOWN * 4]
    )

    def about_the_plan(event: EventPage) -> bool:
        original = event.alias_of if event.alias_of_id else event
        return any(sheet.pk in methods for sheet in original.sheets.all())

    ranked = sorted(events, key=lambda event: not about_the_plan(event))[:TRAININGS_SHOWN]
    return page_links(pages=ranked)


def plan_summary_text(*, path: str, language: str, start: date) -> str:
    """A plan as plain text, in `language`, for the purchasing centre's request form (the person sees it there, the
    service receives it): the answers, the phases with their dates, methods and lots, and the warnings. `path` must
    be the plan's address on this site in that language (`/fr/planifier/plan/?…`) with every answer valid; anything
    else gives an empty text."""
    address = urlsplit(path)
    with translation.override(language):
        if address.scheme or address.netloc or address.path != reverse("planner_result"):
            return ""
        forms_, first_invalid, answers = answers_read(QueryDict(address.query))
        if answers is None or first_invalid is not None:
            return ""
        plan = plan_build(answers=answers, language=language, start=start, plan_query=path)
        return render_to_string(
            "planner/plan_summary.txt",
            {"plan": plan, "answers": answers, "rows": [(form.title, form.summary()) for form in forms_]},
        ).strip()
