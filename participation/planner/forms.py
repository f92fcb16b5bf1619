"""The planner's questions: one form per step, read from the address (the answers live in the query string).

Each step's fields are query parameters named after the question (`objective`, `level`, `audience`…); values are
stable vocabulary keys. A step form is bound to the whole query string: a value that is unknown, repeated where one
is expected, or too long is an error of that step, so a tampered or stale address leads back to the step to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.core.forms import SiteFormMixin
from participation.core.models import (
    Audience,
    BudgetBand,
    Format,
    GeographicScope,
    GroupSize,
    IssueComplexity,
    ParticipationLevel,
    PolarisationLevel,
)
from participation.core.selectors import vocabulary_terms
from participation.toolbox.models import MethodObjective

DECISION_MAX = 300


class Objective:
    """The first question's answers: the objectives method sheets record (`ToolboxSheetPage.objectives`), asked in
    the words of someone planning a process."""

    EXPLORE = MethodObjective.EXPLORE
    REACT = MethodObjective.REACT
    DESIGN = MethodObjective.DESIGN
    DECIDE = MethodObjective.DECIDE
    DIALOGUE = MethodObjective.DIALOGUE

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [
            (Objective.EXPLORE, _("Understand needs and gather ideas before a project exists")),
            (Objective.REACT, _("Gather opinions on a project or a plan already drafted")),
            (Objective.DESIGN, _("Design a project or a place together")),
            (Objective.DECIDE, _("Choose or prioritise: decide how a budget or a choice is made")),
            (Objective.DIALOGUE, _("Keep a lasting dialogue with a neighbourhood or a group")),
        ]


class TimeAvailable:
    UNDER_1_MONTH = "under-1-month"
    MONTHS_1_3 = "1-3-months"
    MONTHS_3_6 = "3-6-months"
    OVER_6_MONTHS = "over-6-months"
    # The longest method (rank of the time-needed vocabulary: hours 0, days 1, weeks 2, months 3) that fits, and the
    # length of the whole process in days (for the milestones).
    FITS = {UNDER_1_MONTH: 1, MONTHS_1_3: 2, MONTHS_3_6: 3, OVER_6_MONTHS: 3}
    DAYS = {UNDER_1_MONTH: 28, MONTHS_1_3: 91, MONTHS_3_6: 182, OVER_6_MONTHS: 273}

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [
            (TimeAvailable.UNDER_1_MONTH, _("Less than a month")),
            (TimeAvailable.MONTHS_1_3, _("One to three months")),
            (TimeAvailable.MONTHS_3_6, _("Three to six months")),
            (TimeAvailable.OVER_6_MONTHS, _("More than six months")),
        ]


class Organiser:
    PUBLIC_BODY = "public-body"
    NON_PROFIT = "non-profit"
    CITIZEN_COLLECTIVE = "citizen-collective"

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [
            (Organiser.PUBLIC_BODY, _("A public body (commune, CPAS, regional body, parliament…)")),
            (Organiser.NON_PROFIT, _("An association (non-profit)")),
            (Organiser.CITIZEN_COLLECTIVE, _("A citizen collective")),
        ]


OTHER_LANGUAGE = "other"

# What each level of influence means for the people taking part (IAP2 spectrum, in the platform's words).
LEVEL_EXPLAINED = {
    "information": gettext_lazy("people are told what is decided and why; they do not change it"),
    "consultation": gettext_lazy("people give their opinion; you decide and say what you did with it"),
    "concertation": gettext_lazy("people work with you throughout; their concerns shape the options"),
    "co-construction": gettext_lazy("people design the solutions with you; you adopt them as far as possible"),
    "co-decision": gettext_lazy("people decide, or decide with you; you carry out their decision"),
}


def _terms(model: Any, exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(term.key, term.label) for term in vocabulary_terms(model=model) if term.key not in exclude]


class StepForm(SiteFormMixin, forms.Form):
    """One question. Subclasses set `key` (its address in the steps), `title` and their fields; `choices()` fills the
    fields' choices in the active language when the form is made."""

    key = ""
    title: Any = ""
    multiple: tuple[str, ...] = ()

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for name, choices in self.field_choices().items():
            self.fields[name].choices = choices
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("This answer is not one of the choices: choose again.")

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.data:
            for name, field in self.fields.items():
                values = self.data.getlist(name)
                if name not in self.multiple and len(values) > 1:
                    self.add_error(name, _("The address gives several answers to this question: choose one."))
                elif name in self.multiple and len(values) > len(getattr(field, "choices", ())):
                    self.add_error(name, _("The address gives too many answers to this question: choose again."))
        return cleaned

    def summary(self) -> list[tuple[str, str]]:
        """(question, answer in words) of each field answered, for the summary and the plan."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not value:
                continue
            labels = dict(getattr(field, "choices", ()))
            text = (
                ", ".join(str(labels.get(v, v)) for v in value) if isinstance(value, list) else labels.get(value, value)
            )
            rows.append((str(field.label), str(text)))
        return rows


def _radio(label: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, widget=forms.RadioSelect, **kwargs)


def _checkboxes(label: Any, **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, widget=forms.CheckboxSelectMultiple, **kwargs)


class ObjectiveStep(StepForm):
    key = "objective"
    title = gettext_lazy("What is the process for?")
    objective = _radio(gettext_lazy("Objective"))
    decision = forms.CharField(
        label=gettext_lazy("The decision at stake"),
        required=False,
        max_length=DECISION_MAX,
        help_text=gettext_lazy(
            "In one sentence: what will be decided, by whom. For example: the redesign of the park."
        ),
    )

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"objective": Objective.choices()}


class LevelStep(StepForm):
    key = "influence"
    title = gettext_lazy("How much influence do the participants really have?")
    level = _radio(
        gettext_lazy("Influence offered"),
        help_text=gettext_lazy("Promise only what you can keep: people remember a promise that was not kept."),
    )

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {
            "level": [
                (key, f"{label}: {LEVEL_EXPLAINED[key]}")
                for key, label in _terms(ParticipationLevel)
                if key in LEVEL_EXPLAINED
            ]
        }


class ParticipantsStep(StepForm):
    key = "participants"
    title = gettext_lazy("Who must take part, and roughly how many?")
    multiple = ("audience",)
    audience = _checkboxes(
        gettext_lazy("Audiences"),
        help_text=gettext_lazy("Tick every group whose voice you need, especially the ones seldom heard."),
    )
    size = _radio(gettext_lazy("Number of participants"))

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"audience": _terms(Audience), "size": _terms(GroupSize)}


class TerritoryStep(StepForm):
    key = "territory"
    title = gettext_lazy("Which territory does it concern?")
    scope = _radio(gettext_lazy("Territory"))

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"scope": _terms(GeographicScope)}


class TimeStep(StepForm):
    key = "time"
    title = gettext_lazy("How much time do you have, from framing to feedback?")
    time = _radio(gettext_lazy("Time available"))

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"time": TimeAvailable.choices()}


class BudgetStep(StepForm):
    key = "budget"
    title = gettext_lazy("What budget can the process count on?")
    budget = _radio(
        gettext_lazy("Budget"),
        help_text=gettext_lazy("Everything included: venues, facilitation, interpreting, communication, feedback."),
    )

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"budget": _terms(BudgetBand)}


class FormatStep(StepForm):
    key = "format"
    title = gettext_lazy("Online, face-to-face or both?")
    format = _radio(gettext_lazy("Format"))

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"format": _terms(Format)}


class LanguagesStep(StepForm):
    key = "languages"
    title = gettext_lazy("In which languages must people be able to take part?")
    multiple = ("language",)
    language = _checkboxes(gettext_lazy("Languages"))

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {
            "language": [
                *((code, _(name)) for code, name in settings.LANGUAGES),
                (OTHER_LANGUAGE, _("Other languages")),
            ]
        }


class TopicStep(StepForm):
    key = "topic"
    title = gettext_lazy("How complex and how contested is the topic?")
    complexity = _radio(gettext_lazy("Complexity"))
    polarisation = _radio(gettext_lazy("How contested it is"))

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"complexity": _terms(IssueComplexity), "polarisation": _terms(PolarisationLevel)}


class OrganiserStep(StepForm):
    key = "organiser"
    title = gettext_lazy("Who organises the process?")
    organiser = _radio(gettext_lazy("Organiser"))

    def field_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {"organiser": Organiser.choices()}


STEPS: list[type[StepForm]] = [
    ObjectiveStep,
    LevelStep,
    ParticipantsStep,
    TerritoryStep,
    TimeStep,
    BudgetStep,
    FormatStep,
    LanguagesStep,
    TopicStep,
    OrganiserStep,
]
ANSWER_PARAMS = [name for step in STEPS for name in step.base_fields]


@dataclass
class Answers:
    objective: str
    decision: str
    level: str
    audiences: list[str]
    size: str
    scope: str
    time: str
    budget: str
    format: str
    languages: list[str]
    complexity: str
    polarisation: str
    organiser: str


def answers_read(params: QueryDict) -> tuple[list[StepForm], int | None, Answers | None]:
    """Every step's form bound to the address, the index of the first step not (validly) answered, and the answers
    when every step is."""
    forms_ = [step(params) for step in STEPS]
    first_invalid = next((index for index, form in enumerate(forms_) if not form.is_valid()), None)
    if first_invalid is not None:
        return forms_, first_invalid, None
    data: dict[str, Any] = {}
    for form in forms_:
        data.update(form.cleaned_data)
    answers = Answers(
        objective=data["objective"],
        decision=data["decision"],
        level=data["level"],
        audiences=list(dict.fromkeys(data["audience"])),
        size=data["size"],
        scope=data["scope"],
        time=data["time"],
        budget=data["budget"],
        format=data["format"],
        languages=list(dict.fromkeys(data["language"])),
        complexity=data["complexity"],
        polarisation=data["polarisation"],
        organiser=data["organiser"],
    )
    return forms_, None, answers


def answers_query(params: QueryDict, *, without: tuple[str, ...] = ()) -> QueryDict:
    """The answers of an address (its known parameters only, in the steps' order), for links between the steps."""
    query = QueryDict(mutable=True)
    for name in ANSWER_PARAMS:
        values = [value[:DECISION_MAX] for value in params.getlist(name) if value]
        if values and name not in without:
            query.setlist(name, values)
    return query
