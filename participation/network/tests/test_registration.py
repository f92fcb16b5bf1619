from html import unescape

import pytest
from django.core import mail
from icalendar import Calendar

from conftest import fresh
from participation.core.services import page_create
from participation.network import services
from participation.network.models import EventPage, Registration
from participation.network.tests.conftest import SITE, person, register
from participation.network.tests.factories import EventPageFactory, NetworkPageFactory

pytestmark = pytest.mark.django_db


# The home pages, the network page and an event are built once for the module; each test's registrations and changes
# are undone after it. The race for the last seat needs real commits: it has a module of its own
# (test_registration_race.py).
@pytest.fixture(scope="module")
def module_network(module_homes):
    return page_create(parent=module_homes["fr"], page=NetworkPageFactory())


@pytest.fixture(scope="module")
def module_event(module_network):
    return page_create(parent=module_network, page=EventPageFactory())


@pytest.fixture
def network(module_network, db):
    return fresh(module_network)


@pytest.fixture
def event(module_event, db):
    return fresh(module_event)


def form_data(number):
    return {**person(number), "consent": "on"}


def test_registration_gives_a_seat_then_the_waiting_list_when_full(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = register(event, 1)
        second = register(event, 2, language="nl")
        third = register(event, 3, language="en")
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    assert [message.to for message in mail.outbox] == [[f"person{n}@example.org"] for n in (1, 2, 3)]
    confirmed, dutch, waiting = mail.outbox
    assert confirmed.subject.startswith("Votre place est réservée") or "Your seat" in confirmed.subject
    assert len(confirmed.attachments) == 1 and not waiting.attachments
    filename, _content, mimetype = confirmed.attachments[0]
    assert mimetype.startswith("text/calendar") and filename.endswith(".ics")
    assert f"{event.route_url('cancel')}?token={first.token}" in confirmed.body
    assert "/nl/" in dutch.body and "/fr/" not in dutch.body
    assert "1" in waiting.body and f"token={third.token}" in waiting.body


def test_confirmation_attachment_is_a_valid_calendar_in_brussels_time(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, 1)
    calendar = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"{event.translation_key}@participation.brussels"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert vevent.decoded("DTSTART") == event.sessions.first().starts_at
    assert vevent.decoded("DTSTAMP").utcoffset().total_seconds() == 0
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Brussels"


def test_same_email_cannot_register_twice(event):
    register(event, 1)
    with pytest.raises(services.AlreadyRegistered):
        register(event, 1)


def test_cancellation_promotes_the_first_person_waiting_and_emails_them(event, django_capture_on_commit_callbacks):
    first, _second, third, fourth = (register(event, n) for n in (1, 2, 3, 4))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first, site_url=SITE)
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["person1@example.org"] == "cancelled"
    assert statuses["person3@example.org"] == "confirmed"
    assert statuses["person4@example.org"] == "waiting"
    recipients = {message.to[0]: message for message in mail.outbox}
    assert set(recipients) == {"person1@example.org", "person3@example.org"}
    assert recipients["person3@example.org"].attachments
    third.refresh_from_db()
    assert third.confirmed_at is not None and fourth.status == "waiting"


def test_raising_the_capacity_gives_the_new_seats_to_the_waiting_list(event):
    for n in (1, 2, 3, 4):
        register(event, n)
    event.capacity = 3
    event.save_revision().publish()
    promoted = services.waiting_list_promote(event=event, site_url=SITE)
    assert [r.email for r in promoted] == ["person3@example.org"]


def test_registration_closes_at_the_deadline(network):
    from django.utils import timezone

    from participation.core.services import page_create

    event = EventPageFactory(in_days=2)
    event.registration_deadline = timezone.now() - timezone.timedelta(hours=1)
    page_create(parent=network, page=event)
    with pytest.raises(services.RegistrationClosed) as raised:
        register(event, 1)
    assert raised.value.state == "deadline-passed"


def test_registration_closes_when_full_without_waiting_list(network):
    from participation.core.services import page_create

    event = page_create(parent=network, page=EventPageFactory(capacity=1, waiting_list=False))
    register(event, 1)
    with pytest.raises(services.RegistrationClosed):
        register(event, 2)


def test_registration_in_another_language_counts_on_the_same_seats(event):
    dutch = EventPage.objects.get(translation_key=event.translation_key, locale__language_code="nl")
    register(dutch, 1, language="nl")
    register(event, 2)
    third = register(dutch, 3, language="nl")
    assert third.status == "waiting"
    assert Registration.objects.filter(event=event).count() == 3


def test_form_with_errors_shows_every_value_and_a_linked_summary(client, event):
    data = {"name": "Ana <b>Peeters</b>", "email": "not-an-address", "organisation": "", "consent": ""}
    response = client.post(event.route_url("register"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_email"' in html and 'href="#id_organisation"' in html and 'href="#id_consent"' in html
    assert 'value="Ana &lt;b&gt;Peeters&lt;/b&gt;"' in html
    assert 'value="not-an-address"' in html
    assert Registration.objects.count() == 0


def test_registration_through_the_page_then_cancel_link(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/{event.get_parent().slug}/{event.slug}/register/", form_data(1))
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.language == "en" and registration.status == "confirmed"
    assert "Your seat is booked" in mail.outbox[0].subject
    cancel_url = f"{event.route_url('cancel')}?token={registration.token}"
    assert client.get(cancel_url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "confirmed", "opening the link must not cancel"
    assert client.post(event.route_url("cancel"), {"token": registration.token}).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(f"{event.route_url('cancel')}?token=forged").status_code == 404


def test_personal_data_never_appear_on_public_pages(client, event):
    register(event, 1)
    for url in [
        event.url,
        event.route_url("register"),
        f"{event.url}ics/",
        event.get_parent().specific.route_url("calendar"),
    ]:
        content = client.get(url).content.decode()
        assert "person1@example.org" not in content and "Person 1" not in content


# What people see (issue 16): the cancellation says what happened to the seat; registering twice offers the e-mail.


def test_cancelling_says_what_happens_to_the_seat(client, event, django_capture_on_commit_callbacks):
    alone = register(event, 1)
    html = unescape(client.post(event.route_url("cancel"), {"token": alone.token}).content.decode())
    assert "votre place est de nouveau libre" in html
    assert "liste d'attente" not in html
    seated, _other, waiting = register(event, 2), register(event, 3), register(event, 4)
    assert waiting.status == "waiting"
    html = unescape(client.post(event.route_url("cancel"), {"token": waiting.token}).content.decode())
    assert "Vous avez quitté la liste d'attente" in html
    waiting_again = register(event, 5)
    html = unescape(client.post(event.route_url("cancel"), {"token": seated.token}).content.decode())
    assert "votre place revient à la première personne de la liste d'attente" in html
    waiting_again.refresh_from_db()
    assert waiting_again.status == "confirmed"


def test_registering_twice_offers_to_send_the_confirmation_again(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(event.route_url("register"), form_data(1))
    mail.outbox.clear()
    html = unescape(client.post(event.route_url("register"), form_data(1)).content.decode())
    assert "déjà inscrite à cet événement" in html
    assert 'name="action" value="resend"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.route_url("register"), {"action": "resend", "email": "person1@example.org"})
    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [["person1@example.org"]]
    assert mail.outbox[0].attachments
    # An address that is not registered gets nothing, and the page says the same thing (no one learns who is).
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        other = client.post(event.route_url("register"), {"action": "resend", "email": "nobody@example.org"})
    assert other.status_code == 200 and mail.outbox == []
