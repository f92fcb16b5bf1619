"""An event links the toolbox sheets it covers, and a sheet lists its upcoming events and trainings: both ways."""

import pytest

from participation.core.services import page_create
from participation.network.tests.factories import EventPageFactory
from participation.toolbox.tests.factories import sheet_create, toolbox_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return module_homes


def test_an_event_and_the_sheets_it_covers_link_each_other(client, network, site_homes):
    toolbox = toolbox_index(site_homes["fr"])
    sheet = sheet_create(toolbox, title="Panel citoyen", slug="panel-citoyen")
    other = sheet_create(toolbox, title="World café", slug="world-cafe")
    upcoming = EventPageFactory.build(title="Cas pratiques : recruter un panel", slug="cas-pratiques", in_days=10)
    upcoming.sheets = [sheet]
    upcoming = page_create(parent=network, page=upcoming)
    past = EventPageFactory.build(title="Un atelier passé", slug="atelier-passe", in_days=-10)
    past.sheets = [sheet]
    page_create(parent=network, page=past)

    event_html = client.get(upcoming.url).content.decode()
    assert f'href="{sheet.url}"' in event_html
    assert f'href="{other.url}"' not in event_html

    sheet_html = client.get(sheet.url).content.decode()
    assert f'href="{upcoming.url}"' in sheet_html
    assert "atelier-passe" not in sheet_html  # only what is still to come
    assert "cas-pratiques" not in client.get(other.url).content.decode()


def test_the_planner_proposes_first_the_trainings_about_the_plans_methods(network, site_homes):
    from participation.network.models import EventType
    from participation.planner.selectors import trainings

    toolbox = toolbox_index(site_homes["fr"])
    panel = sheet_create(toolbox, title="Panel citoyen", slug="panel-citoyen")
    sooner = EventPageFactory.build(title="Formation générale", slug="generale", in_days=5)
    sooner.event_type = EventType.PEER_TRAINING
    page_create(parent=network, page=sooner)
    later = EventPageFactory.build(title="Recruter un panel", slug="panel", in_days=20)
    later.event_type = EventType.PRACTICAL_CASES
    later.sheets = [panel]
    page_create(parent=network, page=later)
    assert [link.title for link in trainings(language="fr", methods={panel.pk})] == [
        "Recruter un panel",
        "Formation générale",
    ]
    assert next(link.title for link in trainings(language="fr", methods=set())) == "Formation générale"
