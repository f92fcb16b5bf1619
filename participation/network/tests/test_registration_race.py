"""Two people who register for the last seat at the same moment: one gets it, the other the waiting list. The
registrations run in threads, each with its own connection, and need real commits: the test has a module of its own
(the other registration tests share their pages inside one transaction)."""

import pytest

from conftest import at_the_same_moment
from participation.core.services import page_create
from participation.network.models import Registration, RegistrationStatus
from participation.network.tests.conftest import register
from participation.network.tests.factories import EventPageFactory, NetworkPageFactory


@pytest.mark.django_db(transaction=True)
def test_two_people_never_both_get_the_last_seat(site_homes):
    network = page_create(parent=site_homes["fr"], page=NetworkPageFactory())
    event = page_create(parent=network, page=EventPageFactory(capacity=1))
    results, errors = at_the_same_moment(lambda number: register(event, number).status, 8)
    assert errors == []
    assert sorted(results) == ["confirmed"] + ["waiting"] * 7
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 1
