"""Twelve Brussels situations pinned against the demo method sheets: the methods the planner ranks first for the
deployment phase, a method it must propose in another phase, and the warnings it gives. The attributes come from the
sheets (content/sheets/*.yaml), the weights from the admin's defaults: a change to either shows here."""

from datetime import date

import pytest
from django.utils import translation

from participation.core.models import GeographicScope
from participation.initiatives.tests.factories import initiative_create, term
from participation.planner.forms import Answers
from participation.planner.models import PlannerWeights
from participation.planner.selectors import plan_build
from participation.toolbox.models import ToolboxSheetPage

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BASE = {"decision": "", "languages": ["fr", "nl"], "organiser": "public-body"}
# name: (answers, top methods of the deployment phase (French slugs, any order), {phase: a method it proposes},
# warnings)
SCENARIOS = {
    "park redesign: consulting residents in a commune": (
        {
            "objective": "react",
            "level": "consultation",
            "audiences": ["all-residents", "families", "older-people"],
            "size": "large",
            "scope": "neighbourhood",
            "time": "1-3-months",
            "budget": "5k-25k",
            "format": "hybrid",
            "complexity": "medium",
            "polarisation": "medium",
        },
        {"plateforme-de-consultation-en-ligne", "enquete-par-questionnaire", "reunion-publique-d-information"},
        {"framing": "enquete-par-questionnaire", "design": "amenagement-temporaire-et-test"},
        set(),
    ),
    "citizen panel on a regional plan": (
        {
            "objective": "design",
            "level": "co-construction",
            "audiences": ["all-residents", "low-income", "newcomers-migrants"],
            "size": "medium",
            "scope": "region",
            "time": "3-6-months",
            "budget": "over-100k",
            "format": "face-to-face",
            "complexity": "very-high",
            "polarisation": "high",
        },
        # The objective (design) brings in the trial layout: the sheets do not record the scale they suit yet.
        {"assemblee-citoyenne", "amenagement-temporaire-et-test", "commission-deliberative"},
        {"feedback": "assemblee-citoyenne"},
        set(),
    ),
    "participatory budget in a neighbourhood contract": (
        {
            "objective": "decide",
            "level": "co-decision",
            "audiences": ["all-residents", "young-people", "associations"],
            "size": "large",
            "scope": "neighbourhood",
            "time": "over-6-months",
            "budget": "25k-100k",
            "format": "hybrid",
            "complexity": "low",
            "polarisation": "low",
        },
        {"budget-participatif", "plateforme-de-consultation-en-ligne", "conseil-de-quartier"},
        {"mobilisation-communication": "budget-participatif", "feedback": "budget-participatif"},
        set(),
    ),
    "co-designing a school yard with children": (
        {
            "objective": "design",
            "level": "co-construction",
            "audiences": ["children", "families"],
            "size": "small",
            "scope": "building-street",
            "time": "3-6-months",
            "budget": "5k-25k",
            "format": "face-to-face",
            "languages": ["fr"],
            "complexity": "low",
            "polarisation": "none",
        },
        {"cartographie-participative", "atelier-de-co-conception", "marche-exploratoire"},
        {"framing": "cartographie-participative", "evaluation": "marche-exploratoire"},
        set(),
    ),
    "a collective's neighbourhood survey on a small budget": (
        {
            "objective": "explore",
            "level": "consultation",
            "audiences": ["all-residents"],
            "size": "large",
            "scope": "neighbourhood",
            "time": "under-1-month",
            "budget": "under-5k",
            "format": "hybrid",
            "complexity": "low",
            "polarisation": "none",
            "organiser": "citizen-collective",
        },
        {"enquete-par-questionnaire", "world-cafe", "cartographie-participative"},
        {"evaluation": "enquete-par-questionnaire"},
        {"no-interpreting-budget"},
    ),
    "a deliberative committee of the Parliament": (
        {
            "objective": "decide",
            "level": "concertation",
            "audiences": ["all-residents"],
            "size": "medium",
            "scope": "region",
            "time": "3-6-months",
            "budget": "over-100k",
            "format": "face-to-face",
            "complexity": "high",
            "polarisation": "high",
        },
        # The objective (decide) sets the deliberative methods apart from a trial layout (they were alike on paper
        # before the sheets recorded their objectives).
        {"assemblee-citoyenne", "commission-deliberative", "panel-citoyen"},
        {"feedback": "commission-deliberative"},
        set(),
    ),
    "a bilingual consultation on a mobility plan": (
        {
            "objective": "react",
            "level": "consultation",
            "audiences": ["all-residents", "local-businesses"],
            "size": "unlimited",
            "scope": "commune",
            "time": "1-3-months",
            "budget": "25k-100k",
            "format": "hybrid",
            "complexity": "high",
            "polarisation": "high",
        },
        {"fishbowl-debat-en-aquarium", "amenagement-temporaire-et-test", "panel-citoyen"},
        {"mobilisation-communication": "plateforme-de-consultation-en-ligne"},
        set(),
    ),
    "an online-only consultation that must still reach older residents": (
        {
            "objective": "react",
            "level": "consultation",
            "audiences": ["older-people"],
            "size": "large",
            "scope": "commune",
            "time": "1-3-months",
            "budget": "5k-25k",
            "format": "online",
            "complexity": "medium",
            "polarisation": "low",
        },
        {"groupe-de-discussion", "plateforme-de-consultation-en-ligne", "enquete-par-questionnaire"},
        {"framing": "groupe-de-discussion"},
        {"online-only-hard-to-reach"},
    ),
    "an exploratory walk on the safety of a square with women": (
        {
            "objective": "explore",
            "level": "consultation",
            "audiences": ["women"],
            "size": "small",
            "scope": "building-street",
            "time": "under-1-month",
            "budget": "under-5k",
            "format": "face-to-face",
            "languages": ["fr", "nl", "other"],
            "complexity": "low",
            "polarisation": "medium",
            "organiser": "non-profit",
        },
        {"marche-exploratoire", "groupe-de-discussion", "cartographie-participative"},
        {"framing": "marche-exploratoire", "evaluation": "marche-exploratoire"},
        {"no-interpreting-budget"},
    ),
    "a lasting dialogue with a neighbourhood": (
        {
            "objective": "dialogue",
            "level": "concertation",
            "audiences": ["all-residents", "newcomers-migrants"],
            "size": "medium",
            "scope": "neighbourhood",
            "time": "over-6-months",
            "budget": "5k-25k",
            "format": "face-to-face",
            "complexity": "medium",
            "polarisation": "low",
        },
        {"atelier-de-co-conception", "conseil-de-quartier", "commission-de-quartier-et-assemblee-generale"},
        {"feedback": "conseil-de-quartier", "design": "commission-de-quartier-et-assemblee-generale"},
        set(),
    ),
    "informing several communes about a building site": (
        {
            "objective": "react",
            "level": "information",
            "audiences": ["all-residents", "local-businesses"],
            "size": "large",
            "scope": "several-communes",
            "time": "under-1-month",
            "budget": "under-5k",
            "format": "face-to-face",
            "complexity": "medium",
            "polarisation": "medium",
        },
        {"reunion-publique-d-information", "fishbowl-debat-en-aquarium", "enquete-par-questionnaire"},
        {"mobilisation-communication": "reunion-publique-d-information"},
        {"no-interpreting-budget", "large-group-small-budget"},
    ),
    "a collective promising co-decision in a hurry, online": (
        {
            "objective": "decide",
            "level": "co-decision",
            "audiences": ["all-residents", "low-income"],
            "size": "medium",
            "scope": "building-street",
            "time": "under-1-month",
            "budget": "under-5k",
            "format": "online",
            "complexity": "low",
            "polarisation": "low",
            "organiser": "citizen-collective",
        },
        {"cartographie-participative", "budget-participatif", "plateforme-de-consultation-en-ligne"},
        {"framing": "cartographie-participative"},
        {"influence-without-means", "online-only-hard-to-reach", "no-interpreting-budget", "collective-co-decision"},
    ),
}


def answers(**values):
    return Answers(**{**BASE, **values})


def plan_for(values, language="fr"):
    return plan_build(answers=answers(**values), language=language, start=date(2027, 1, 4))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_gets_its_methods_and_warnings(toolbox_demo_content, name):
    values, deployment, elsewhere, expected_warnings = SCENARIOS[name]
    plan = plan_for(values)
    phases = {phase.key: phase for phase in plan.phases}
    assert list(phases) == [
        "framing",
        "design",
        "mobilisation-communication",
        "deployment-facilitation",
        "feedback",
        "evaluation",
    ]
    assert all(1 <= len(phase.methods) <= 3 for phase in plan.phases)
    assert {fit.slug for fit in phases["deployment-facilitation"].methods} == deployment
    for phase, slug in elsewhere.items():
        assert slug in [fit.slug for fit in phases[phase].methods], phase
    assert {warning.key for warning in plan.warnings} == expected_warnings
    for phase in plan.phases:
        scores = [fit.score for fit in phase.methods]
        assert scores == sorted(scores, reverse=True)
        assert all(fit.reasons for fit in phase.methods), "every proposed method says why it fits"


def test_every_answer_set_gets_a_plan_even_when_nothing_fits_well(toolbox_demo_content):
    plan = plan_for(
        {
            "objective": "explore",
            "level": "information",
            "audiences": ["experts"],
            "size": "individuals",
            "scope": "region",
            "time": "under-1-month",
            "budget": "under-5k",
            "format": "online",
            "complexity": "very-high",
            "polarisation": "high",
            "organiser": "citizen-collective",
        }
    )
    assert all(phase.methods for phase in plan.phases)
    assert {"contested-small-budget", "region-in-a-hurry"} <= {warning.key for warning in plan.warnings}
    limits = [limit for phase in plan.phases for fit in phase.methods for limit in fit.limits]
    assert limits, "what fits less is said"


def test_the_reasons_are_words_in_the_page_language(toolbox_demo_content):
    values = SCENARIOS["an online-only consultation that must still reach older residents"][0]
    with translation.override("nl"):
        fit = plan_for(values, language="nl").phases[3].methods[0]
    assert "Ze past bij deze groepen: Ouderen." in fit.reasons
    assert fit.link.url.startswith("/nl/")


def test_a_changed_weight_changes_the_ranking(toolbox_demo_content):
    values = SCENARIOS["park redesign: consulting residents in a commune"][0]
    before = [fit.slug for fit in plan_for(values).phases[3].methods]
    weights = PlannerWeights.load()
    weights.group_size = 10
    weights.format = 0
    weights.languages = 0
    weights.save()
    after = [fit.slug for fit in plan_for(values).phases[3].methods]
    assert after != before
    top = ToolboxSheetPage.objects.get(slug=after[0], locale__language_code="fr")
    assert "large" in {size.key for size in top.group_sizes.all()}  # the size asked for now weighs most


def test_the_objective_counts_and_says_why(toolbox_demo_content):
    """The sheets record the objectives they serve (editable in the admin): the answer to the first question moves
    the ranking, and its weight is a setting like the others."""
    values = SCENARIOS["a deliberative committee of the Parliament"][0]
    with translation.override("fr"):
        deployment = plan_for(values).phases[3]
    committee = next(fit for fit in deployment.methods if fit.slug == "commission-deliberative")
    objective = "choisir ou prioriser\u202f: décider de l'usage d'un budget ou d'un choix"
    assert f"Elle sert votre objectif\u202f: {objective}." in committee.reasons
    to_explore = [fit.slug for fit in plan_for({**values, "objective": "dialogue"}).phases[3].methods]
    assert "commission-deliberative" not in to_explore
    weights = PlannerWeights.load()
    weights.objective = 0
    weights.save()
    without = [fit.slug for fit in plan_for(values).phases[3].methods]
    assert "commission-deliberative" not in without  # alike on paper to a trial layout without the objective


def test_methods_per_phase_is_a_setting(toolbox_demo_content):
    weights = PlannerWeights.load()
    weights.methods_per_phase = 1
    weights.save()
    plan = plan_for(SCENARIOS["a lasting dialogue with a neighbourhood"][0])
    assert [len(phase.methods) for phase in plan.phases] == [1] * 6


def test_brussels_experience_ranks_the_methods_used_at_the_same_scale_first(toolbox_demo_content):
    values = SCENARIOS["a deliberative committee of the Parliament"][0]
    committee = ToolboxSheetPage.objects.get(slug="commission-deliberative", locale__language_code="fr")
    region = term(GeographicScope, "region")
    for number in range(5):
        initiative_create(
            titles={"fr": f"Commission {number}"}, methods=[committee], geographic_scope=region, live=True
        )
    with translation.override("fr"):
        top = plan_for(values).phases[3].methods[0]
    assert top.slug == "commission-deliberative"
    assert "5 initiatives bruxelloises à cette échelle l’ont utilisée." in top.reasons
