"""Phases in the order of a process on every list, the method profile's new attributes, and a method sheet's links
to the providers who master it and the lots of its phases."""

import pytest
from django.conf import settings

from conftest import fresh
from participation.core.models import Audience, Phase, PurchasingLot, SheetCategory
from participation.core.services import page_create
from participation.providers.models import Provider, ProviderText, PurchasingCentrePage
from participation.toolbox.tests.factories import sections, sheet_create, toolbox_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return fresh(module_homes)


@pytest.fixture(scope="module")
def module_toolbox(module_homes):
    """The toolbox with five phase sheets and a method, built once for the module (each test's changes are undone)."""
    index = toolbox_index(module_homes["fr"])
    category = SheetCategory.objects.get(key="phases", locale__language_code=settings.LANGUAGE_CODE)
    # Created in alphabetical order, which is not the process's.
    for title, slug, phase in [
        ("Cadrage", "cadrage", "framing"),
        ("Déploiement et animation", "deploiement", "deployment-facilitation"),
        ("Devoir de suite", "devoir-de-suite", "feedback"),
        ("Évaluation", "evaluation", "evaluation"),
        ("Conception", "conception", "design"),
    ]:
        sheet_create(
            index,
            title=title,
            slug=slug,
            kind="phase",
            category=category,
            body=sections(["other"]),
            profile={"phases": [phase]},
        )
    method = sheet_create(
        index,
        title="World café",
        slug="world-cafe",
        profile={"phases": ["framing", "design", "deployment-facilitation"], "audiences": ["all-residents"]},
    )
    method.language_handling = "parallel-groups"
    method.save_revision().publish()
    return index


@pytest.fixture
def toolbox(module_toolbox, db):
    return fresh(module_toolbox)


def test_phase_sheets_are_listed_in_process_order(client, toolbox):
    html = client.get("/fr/outils/?type=phase").content.decode()
    positions = [
        html.index(f"/fr/outils/{slug}/")
        for slug in ["cadrage", "conception", "deploiement", "devoir-de-suite", "evaluation"]
    ]
    assert positions == sorted(positions)


def test_the_phase_order_is_an_editable_field_filled_by_the_migration():
    phases = Phase.objects.filter(locale__language_code="fr").order_by("sort_order")
    assert [phase.key for phase in phases] == [
        "framing",
        "design",
        "mobilisation-communication",
        "deployment-facilitation",
        "feedback",
        "evaluation",
    ]
    assert "sort_order" in [panel.field_name for panel in Phase.panels]


def test_the_phase_filter_follows_the_process_order(client, toolbox):
    html = client.get("/fr/outils/").content.decode()
    labels = [
        "Cadrage",
        "Conception",
        "Mobilisation et communication",
        "Déploiement et animation",
        "Devoir de suite",
        "Évaluation",
    ]
    panel = html.split('name="phase"', 1)[1]
    positions = [panel.index(label) for label in labels]
    assert positions == sorted(positions)


def test_a_method_sheet_shows_its_audiences_and_how_it_handles_languages(client, toolbox):
    html = client.get("/en/toolbox/world-cafe/").content.decode()
    if "Audiences it suits" not in html:  # the English address of an untranslated sheet is its alias
        html = client.get("/fr/outils/world-cafe/").content.decode()
        assert "Publics auxquels elle convient" in html and "Tous les habitants" in html
        assert "Des groupes ou des tables par langue" in html
    else:
        assert "All residents" in html


def test_hard_to_reach_groups_are_marked_in_the_vocabulary():
    hard = set(Audience.objects.filter(locale__language_code="fr", hard_to_reach=True).values_list("key", flat=True))
    assert {"older-people", "newcomers-migrants", "low-income"} <= hard
    assert "experts" not in hard


def test_a_method_sheet_links_the_providers_who_master_it_and_the_lots_of_its_phases(client, toolbox, site_homes):
    centre = page_create(
        parent=site_homes["fr"],
        page=PurchasingCentrePage(
            title="Centrale de marchés",
            slug="centrale-de-marches",
            lead="Six lots.",
            steps_heading="Comment commander",
            faq_heading="Questions",
        ),
    )
    method = toolbox.get_children().get(slug="world-cafe").specific
    provider = Provider(name="Atelier Démo", slug="atelier-demo", is_demo=True)
    provider.lots.set(PurchasingLot.objects.filter(number=3, locale__language_code="fr"))
    provider.methods.set([method])
    provider.texts = [ProviderText(language="fr", description="Démo.", services="Animation")]
    provider.save()
    html = client.get("/fr/outils/world-cafe/").content.decode()
    provider_url = centre.route_url("provider", slug="atelier-demo")
    assert f'href="{provider_url}"' in html
    assert f"{centre.route_url('directory')}?method=world-cafe" in html
    # Its phases (framing, design, deployment) are delivered by lots 1, 2 and 3.
    for number in (1, 2, 3):
        assert f'href="{centre.route_url("lot", number=number)}"' in html
    assert f'href="{centre.route_url("lot", number=6)}"' not in html
    # And back: the provider's page lists the method.
    assert 'href="/fr/outils/world-cafe/"' in client.get(provider_url).content.decode()


def test_process_types_methods_and_phases_link_each_other(client, toolbox):
    category = SheetCategory.objects.get(key="process-types", locale__language_code=settings.LANGUAGE_CODE)
    sheet_create(
        toolbox,
        title="Consultation",
        slug="consultation",
        kind="process-type",
        category=category,
        body=sections(["other"]),
        profile={"levels": ["consultation"]},
    )
    sheet_create(
        toolbox,
        title="Co-décision",
        slug="co-decision",
        kind="process-type",
        category=category,
        body=sections(["other"]),
        profile={"levels": ["co-decision"]},
    )
    sheet_create(toolbox, title="Enquête", slug="enquete", profile={"levels": ["consultation"], "phases": ["framing"]})
    world_cafe = toolbox.get_children().get(slug="world-cafe").specific
    world_cafe.levels.set(_levels(["consultation", "concertation"]))
    world_cafe.phases.set(
        Phase.objects.filter(
            key__in=["framing", "design", "deployment-facilitation", "feedback"], locale__language_code="fr"
        )
    )
    world_cafe.save_revision().publish()

    process_type = client.get("/fr/outils/consultation/").content.decode()
    methods = process_type.split('id="methods-heading"', 1)[1].split("</section>", 1)[0]
    assert 'href="/fr/outils/enquete/"' in methods and 'href="/fr/outils/world-cafe/"' in methods
    assert "/fr/outils/?type=method&amp;level=consultation" in methods
    assert 'id="methods-heading"' not in client.get("/fr/outils/co-decision/").content.decode()

    phase = client.get("/fr/outils/cadrage/").content.decode().split('id="methods-heading"', 1)[1]
    assert 'href="/fr/outils/world-cafe/"' in phase.split("</section>", 1)[0]

    method = client.get("/fr/outils/world-cafe/").content.decode()
    types = method.split('id="process-types-heading"', 1)[1].split("</section>", 1)[0]
    assert 'href="/fr/outils/consultation/"' in types and "co-decision" not in types
    phases = method.split('id="phases-heading"', 1)[1].split("</section>", 1)[0]
    # In the process's order, whatever their titles.
    assert phases.index("/cadrage/") < phases.index("/conception/") < phases.index("/deploiement/")
    assert phases.index("/deploiement/") < phases.index("/devoir-de-suite/")


def _levels(keys):
    from participation.core.models import ParticipationLevel

    return ParticipationLevel.objects.filter(key__in=keys, locale__language_code="fr")
