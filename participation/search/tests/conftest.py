"""A small site in three languages, built once per module, whose search index is built as it is in use: by the
updates that run when each item is committed (`committed`)."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale, PageViewRestriction

from conftest import committed, fresh
from participation.core import models as vocabularies
from participation.core.services import page_create, page_translation_save
from participation.core.tests.factories import StandardPageFactory
from participation.initiatives.tests.factories import initiative_create, map_page, term
from participation.network.selectors import MEMBERS_GROUP
from participation.network.services import members_group_ensure
from participation.toolbox.tests.factories import sections, sheet_create, toolbox_index

# Texts of their own, so that only what a case names matches (the factories' defaults share words).
SHEET = {"kind": "introduction", "body": sections(kinds=["other"], words=3)}


def _sheets(index):
    consultation = sheet_create(
        index,
        **SHEET,
        profile={"levels": ["consultation"]},
        title="Consultation",
        slug="consultation",
        lead="La consultation recueille l'avis des habitants sur un projet.",
    )
    page_create_translations(
        consultation,
        nl={"title": "Raadpleging", "slug": "raadpleging", "lead": "Een raadpleging vraagt de mening van bewoners."},
        en={
            "title": "Consultation",
            "slug": "consultation",
            "lead": "Consultation asks residents for their opinion: the first step of participation.",
        },
    )
    deliberation = sheet_create(
        index, **SHEET, title="Délibération citoyenne", slug="deliberation", lead="Un panel tiré au sort délibère."
    )
    budget = sheet_create(
        index, **SHEET, title="Budget participatif", slug="budget-participatif", lead="Les habitants votent."
    )
    page_create_translations(
        budget,
        nl={"title": "Burgerbegroting", "slug": "burgerbegroting", "lead": "Bewoners stemmen over projecten."},
        en={"title": "Participatory budgeting", "slug": "participatory-budgeting", "lead": "Residents vote."},
    )
    return {"consultation": consultation, "deliberation": deliberation, "budget": budget}


def page_create_translations(page, **translations):
    for code, fields in translations.items():
        page_translation_save(source=page, locale=Locale.objects.get(language_code=code), fields=fields)


def _initiative(**fields):
    fields.setdefault("participation_level", term(vocabularies.ParticipationLevel, "information"))
    return initiative_create(audiences=(), **fields)


def _initiatives(sheets):
    return {
        "school": _initiative(
            titles={"fr": "Une école ouverte au quartier", "nl": "Een open school voor de wijken"},
            communes=("schaerbeek",),
            themes=("education-youth",),
            methods=(sheets["budget"],),
        ),
        "youth": _initiative(
            titles={"nl": "Wijkbudget voor de jeugd"},
            original_language="nl",
            communes=("anderlecht",),
            themes=("neighbourhood-social-cohesion",),
        ),
        "mobility": _initiative(
            titles={"fr": "Consultations sur la mobilité"},
            communes=("ixelles",),
            themes=("mobility",),
            participation_level=term(vocabularies.ParticipationLevel, "consultation"),
        ),
        "panel": _initiative(titles={"fr": "Panel citoyen de Jette"}, communes=("jette",), themes=("housing",)),
        "reversed": _initiative(
            titles={"fr": "Un citoyen au panel du climat"}, communes=("jette",), themes=("housing",)
        ),
        "draft": _initiative(titles={"fr": "Brouillon secret"}, live=False),
    }


@pytest.fixture(scope="module")
def module_site(module_homes):
    with committed():
        sheets = _sheets(toolbox_index(module_homes["fr"]))
        map_page(module_homes["fr"])
        initiatives = _initiatives(sheets)
        members_page = page_create(
            parent=module_homes["fr"],
            page=StandardPageFactory(
                title="Compte rendu réservé", slug="reserve", lead="Un compte rendu confidentiel."
            ),
        )
        restriction = PageViewRestriction.objects.create(page=members_page, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(members_group_ensure())
    return {**sheets, **initiatives, "members_page": members_page}


@pytest.fixture
def site(module_site, db):
    return fresh(module_site)


@pytest.fixture
def member(db):
    user = get_user_model().objects.create_user(username="member", email="member@example.org", password="x")
    user.groups.add(members_group_ensure())
    assert user.groups.filter(name=MEMBERS_GROUP).exists()
    return user
