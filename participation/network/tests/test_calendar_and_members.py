import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar
from wagtail.documents import get_document_model

from conftest import query_count
from participation.core.services import page_create
from participation.network import services
from participation.network.models import MembersAreaPage, MembershipRequest, MembershipStatus
from participation.network.tests.conftest import person
from participation.network.tests.factories import EventPageFactory
from participation.network.viewsets import attendees_export_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return module_homes


SITE = "http://testserver"


def test_calendar_lists_upcoming_and_past_and_filters_by_type(client, network):
    page_create(parent=network, page=EventPageFactory(title="Visite à venir", slug="visite", event_type="field-visit"))
    page_create(parent=network, page=EventPageFactory(title="Atelier à venir", slug="atelier-futur"))
    page_create(parent=network, page=EventPageFactory(title="Atelier passé", slug="atelier-passe", in_days=-30))
    upcoming = client.get(f"{network.route_url('calendar')}").content.decode()
    assert "Visite à venir" in upcoming and "Atelier à venir" in upcoming and "Atelier passé" not in upcoming
    assert 'type="text/calendar"' in upcoming and f'href="{network.route_url("feed")}"' in upcoming
    filtered = client.get(f"{network.route_url('calendar')}?type=field-visit").content.decode()
    assert "Visite à venir" in filtered and "Atelier à venir" not in filtered
    past = client.get(f"{network.route_url('past')}").content.decode()
    assert "Atelier passé" in past and "Visite à venir" not in past
    assert client.get(f"{network.route_url('calendar')}?type=unknown&theme=nope&page=99").status_code == 200


def test_an_event_links_each_theme_to_the_calendar_filtered_by_it(client, network):
    from participation.core.models import CANONICAL_TERMS, Theme

    mobility, housing = (Theme.objects.get(key=key, **CANONICAL_TERMS) for key in ("mobility", "housing"))
    event = page_create(parent=network, page=EventPageFactory(title="Atelier mobilité", slug="atelier-mobilite"))
    event.themes.set([mobility, housing])
    event.save_revision().publish()
    other = page_create(parent=network, page=EventPageFactory(title="Atelier logement", slug="atelier-logement"))
    other.themes.set([housing])
    other.save_revision().publish()
    html = client.get(event.url).content.decode()
    calendar = network.route_url("calendar")
    assert f'<a href="{calendar}?theme=mobility">Mobilité' in html
    assert f'<a href="{calendar}?theme=housing">Logement' in html
    # The other side: the calendar filtered by the theme lists the event (and only the events on that theme).
    filtered = client.get(f"{calendar}?theme=mobility").content.decode()
    assert "Atelier mobilité" in filtered and "Atelier logement" not in filtered
    before = query_count(client, event.url)
    event.themes.add(Theme.objects.get(key="environment-climate", **CANONICAL_TERMS))
    event.save_revision().publish()
    assert query_count(client, event.url) == before


def test_ical_feeds_parse_with_one_event_per_session_and_stable_uids(client, network):
    event = page_create(parent=network, page=EventPageFactory(title="Visite", slug="visite", event_type="field-visit"))
    page_create(parent=network, page=EventPageFactory(title="Atelier", slug="atelier"))
    response = client.get(f"{network.route_url('feed')}")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert sorted(str(v["SUMMARY"]) for v in calendar.walk("VEVENT")) == ["Atelier", "Visite"]
    by_type = Calendar.from_ical(client.get(f"{network.route_url('type_feed', event_type='field-visit')}").content)
    assert [str(v["UID"]) for v in by_type.walk("VEVENT")] == [f"{event.translation_key}@participation.brussels"]
    assert client.get(f"{network.route_url('type_feed', event_type='not-a-type')}").status_code == 404
    english = Calendar.from_ical(client.get(f"/en/{network.slug}/visite/ics/").content)
    assert str(english.walk("VEVENT")[0]["UID"]) == f"{event.translation_key}@participation.brussels"
    single = client.get(f"{event.url}ics/")
    assert single["Content-Disposition"] == 'attachment; filename="visite.ics"'


@pytest.fixture
def area(network):
    return page_create(
        parent=network, page=MembersAreaPage(title="Espace membres", slug="espace-membres", lead="Membres")
    )


@pytest.fixture
def members_document():
    _group, collection = services.members_space_ensure()
    document = get_document_model()(title="Slides", collection=collection)
    document.file.save("slides.txt", ContentFile(b"secret slides"), save=False)
    document.save()
    return document


def membership(**fields):
    return MembershipRequest.objects.create(
        **{
            "name": "Ana Peeters",
            "email": "ana@example.org",
            "kind": "public-officer",
            "organisation": "Commune de Forest",
            "language": "nl",
            "in_directory": True,
            **fields,
        }
    )


def test_anonymous_and_non_members_never_reach_the_members_area_or_its_files(client, area, members_document):
    for language in ("fr", "nl", "en"):
        page = MembersAreaPage.objects.get(translation_key=area.translation_key, locale__language_code=language)
        for url in (page.url, page.route_url("directory")):
            response = client.get(url)
            assert response.status_code == 302, url
            with translation.override(language):
                assert response["Location"].startswith(reverse("network_sign_in")), response["Location"]
    document_response = client.get(members_document.url)
    assert document_response.status_code == 302
    assert client.get(f"/media/{members_document.file.name}").status_code == 404
    outsider = get_user_model().objects.create_user("outsider", "outsider@example.org", "a-long-password-1")
    client.force_login(outsider)
    assert client.get(area.url).status_code == 302
    assert client.get(members_document.url).status_code == 302
    with translation.override("fr"):
        notice = gettext(
            "You are signed in, but your account does not give access to the members' area. Sign in with your "
            "member account, or request membership."
        )
    assert notice in client.get(reverse("network_sign_in")).content.decode()


def test_approval_creates_the_member_who_sets_a_password_and_reaches_members_content(
    client, area, members_document, django_capture_on_commit_callbacks
):
    request = membership()
    request.status = MembershipStatus.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(membership=request, previous_status=MembershipStatus.PENDING, site_url=SITE)
    user = get_user_model().objects.get(email="ana@example.org")
    assert user.groups.filter(name="Network members").exists() and not user.has_usable_password()
    message = mail.outbox[-1]
    assert message.to == ["ana@example.org"] and "/nl/" in message.body
    with translation.override("nl"):
        reset_prefix = reverse("network_password_reset").removeprefix("/nl/")
    assert reset_prefix == "account/wachtwoord/", "the Dutch address is translated"
    link = next(line for line in message.body.splitlines() if reset_prefix in line and line.startswith(SITE))
    response = client.get(link.removeprefix(SITE), follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "a-really-long-pass-42", "new_password2": "a-really-long-pass-42"})
    with translation.override("nl"):
        sign_in = reverse("network_sign_in")
    response = client.post(sign_in, {"username": "ANA@example.org", "password": "a-really-long-pass-42"})
    assert response.status_code == 302
    assert client.get(area.url).status_code == 200
    document = client.get(members_document.url)
    assert document.status_code == 200 and b"".join(document.streaming_content) == b"secret slides"
    directory = client.get(area.route_url("directory")).content.decode()
    assert "Ana Peeters" in directory


def test_directory_only_shows_members_who_opted_in(client, area):
    listed, hidden = (
        membership(name="Listed Person", email="a@example.org"),
        membership(name="Hidden Person", email="b@example.org", in_directory=False),
    )
    for item in (listed, hidden):
        services.membership_approve(membership=item, site_url=SITE)
    client.force_login(listed.user)
    html = client.get(area.route_url("directory")).content.decode()
    assert "Listed Person" in html and "Hidden Person" not in html


def test_declining_emails_the_reason_and_removes_access(client, area, django_capture_on_commit_callbacks):
    request = membership()
    services.membership_approve(membership=request, site_url=SITE)
    request.status = MembershipStatus.DECLINED
    request.decline_reason = "Reserved for Brussels bodies."
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(membership=request, previous_status=MembershipStatus.APPROVED, site_url=SITE)
    assert "Reserved for Brussels bodies." in mail.outbox[-1].body
    client.force_login(request.user)
    assert client.get(area.url).status_code == 302


def test_membership_request_form_and_admin_approval(client, network, area, django_capture_on_commit_callbacks):
    data = {"name": "Jan", "email": "jan@example.org", "kind": "citizen-collective", "organisation": "Comité"}
    response = client.post(f"/en/{network.slug}/join/", {**data, "consent": "on"})
    assert response.status_code == 302
    request = MembershipRequest.objects.get()
    assert request.language == "en" and request.status == "pending"
    moderator = get_user_model().objects.create_user("mod", "mod@example.org", "a-long-password-1")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    edit_url = f"/admin/snippets/network/membershiprequest/edit/{request.pk}/"
    assert client.get(edit_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit_url,
            {**data, "status": "approved", "decline_reason": "", "language": "en", "role": "", "motivation": ""},
        )
    request.refresh_from_db()
    assert request.status == "approved" and request.user.groups.filter(name="Network members").exists()
    assert mail.outbox[-1].subject == "Welcome to the network of participation officers"


def test_sign_in_is_throttled_per_account(client, settings):
    username = f"throttled-{uuid.uuid4().hex[:8]}@example.org"
    get_user_model().objects.create_user(username, username, "a-long-password-1")
    url = reverse("network_sign_in")
    statuses = [
        client.post(url, {"username": username, "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(12)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_sign_in_form_with_errors_has_a_summary(client):
    with translation.override("fr"):
        sign_in = reverse("network_sign_in")
    assert sign_in == "/fr/compte/connexion/"
    html = client.post(sign_in, {"username": "", "password": ""}).content.decode()
    assert 'id="error-summary"' in html and 'href="#id_username"' in html


def test_attendee_csv_is_for_organisers_only(client, event):
    services.registration_create(event=event, data=person(1), language="fr", site_url=SITE)
    hostile = {**person(2), "organisation": '=HYPERLINK("http://evil.example";"x")', "needs": "@SUM(1+1)"}
    services.registration_create(event=event, data=hostile, language="fr", site_url=SITE)
    url = attendees_export_url(event)
    client.force_login(get_user_model().objects.create_user("anon", "anon@example.org", "a-long-password-1"))
    assert client.get(url).status_code in (302, 403)
    editor = get_user_model().objects.create_user("ed", "ed@example.org", "a-long-password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("status,name,email") and "person1@example.org" in lines[1]
    assert lines[0] == "status,name,email,organisation,role,needs,language,registered_at"
    # What people typed cannot run as a formula in the organisers' spreadsheet.
    assert '"\'=HYPERLINK(""http://evil.example"";""x"")"' in lines[2] and "'@SUM(1+1)" in lines[2]
    assert (
        f"attendees-{timezone.localtime(event.starts_at).date().isoformat()}-{event.slug}.csv"
        in (response["Content-Disposition"])
    )


def test_event_editor_links_to_the_attendee_list(client, event):
    editor = get_user_model().objects.create_user("ed2", "ed2@example.org", "a-long-password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert attendees_export_url(event).replace("&", "&amp;") in html


def test_calendar_and_event_pages_run_a_constant_number_of_queries(client, network):
    event = page_create(parent=network, page=EventPageFactory(title="Visite", slug="visite"))
    urls = [network.route_url("calendar"), network.url, event.url]
    before = [query_count(client, url) for url in urls]
    for n in range(3):
        page_create(parent=network, page=EventPageFactory(title=f"Atelier {n}", slug=f"atelier-plus-{n}"))
    for n in range(2):
        services.registration_create(event=event, data=person(n), language="fr", site_url=SITE)
    assert [query_count(client, url) for url in urls] == before
