import pytest

from participation.core.services import page_create
from participation.network import services
from participation.network.tests.factories import EventPageFactory, NetworkPageFactory


@pytest.fixture
def network(site_homes):
    return page_create(parent=site_homes["fr"], page=NetworkPageFactory())


@pytest.fixture
def event(network):
    return page_create(parent=network, page=EventPageFactory())


SITE = "http://testserver"
PERSON = {"name": "Ana Peeters", "organisation": "Commune de Forest", "role": "Agente", "needs": "Végétarien"}


def person(number):
    return {**PERSON, "name": f"Person {number}", "email": f"person{number}@example.org"}


def register(event, number, language="fr"):
    """Person `number` registers for `event` (as the form's service does)."""
    return services.registration_create(event=event, data=person(number), language=language, site_url=SITE)
