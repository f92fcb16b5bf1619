import json
import re
from email.utils import format_datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from conftest import LATE_EVENING_UTC, fresh
from participation.api.http import cursor_encode
from participation.api.tests.conftest import PRIVATE_EMAIL
from participation.core.models import TranslationRecord
from participation.initiatives.models import Initiative
from participation.network.models import Registration
from participation.newsletter.models import Subscriber
from participation.providers.models import SupportRequest

pytestmark = pytest.mark.django_db

LISTS = ["initiatives", "initiatives.geojson", "sheets", "articles", "events", "providers"]


def get(client, url, **headers):
    return client.get(url, headers=headers)


def ids(response):
    data = response.json()
    return [item["id"] for item in data.get("items", data.get("features", []))]


def problem(response, status, parameter=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["type"].endswith(f"#problem-{status}")
    if parameter is not None:
        assert [error["parameter"] for error in body["errors"]] == [parameter]
    return body


# The same records as the map.


def map_ids(client, query):
    html = client.get(f"/fr/initiatives/?{query}").content.decode()
    return sorted({int(pk) for pk in re.findall(r'href="/fr/initiatives/(\d+)-', html)})


@pytest.mark.parametrize(
    "query",
    [
        "",
        "theme=mobility",
        "commune=schaerbeek",
        "theme=mobility&commune=schaerbeek",
        "theme=culture-heritage&theme=mobility",
        "status=finished&year=2022",
        "q=plein",
    ],
)
def test_initiatives_are_the_maps_for_the_same_filters(client, api_site, query):
    expected = map_ids(client, query)
    api = sorted(ids(get(client, f"/api/v1/initiatives?{query}&limit=100")))
    geojson = sorted(ids(get(client, f"/api/v1/initiatives.geojson?{query}&limit=100")))
    export = sorted(
        feature["id"]
        for feature in json.loads(client.get(f"/fr/initiatives/export/geojson/?{query}").getvalue())["features"]
    )
    assert api == geojson == export == expected
    if query == "":
        assert len(api) == 3  # the unpublished initiative is left out


def test_an_initiative_carries_its_pages_language_and_provenance(client, api_site):
    dutch_only = api_site["initiatives"][2]
    item = get(client, f"/api/v1/initiatives/{dutch_only.pk}?lang=nl").json()
    assert item["title"] == "Een buurtfeest" and item["text_language"] == "nl"
    assert item["url"] == item["html_urls"]["nl"]
    assert item["html_urls"]["fr"].startswith("http://testserver/fr/initiatives/")
    assert item["html_urls"]["en"].startswith("http://testserver/en/initiatives/")
    for url in item["html_urls"].values():
        assert client.get(url.removeprefix("http://testserver")).status_code == 200
    english = get(
        client, f"/api/v1/initiatives/{api_site['initiatives'][0].pk}", **{"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert english["Content-Language"] == "en"
    assert english.json()["text_language"] == "fr"  # not translated into English: the original, and it says so
    assert english.json()["provenance"] is None  # no record of where the text comes from: none is claimed
    TranslationRecord.objects.create(
        content_type=ContentType.objects.get_for_model(Initiative),
        object_key=str(dutch_only.pk),
        language="nl",
        provenance="machine_checked",
        translated_at=LATE_EVENING_UTC,
    )
    checked = get(client, f"/api/v1/initiatives/{dutch_only.pk}?lang=nl").json()
    # The date of the Region's day: half past midnight in Brussels, though still 1 March in UTC.
    assert checked["provenance"] == {"kind": "machine_checked", "date": "2026-03-02"}


def test_geojson_features_are_points_with_the_items_properties(client, api_site):
    response = get(client, "/api/v1/initiatives.geojson?commune=ixelles")
    assert response["Content-Type"].startswith("application/geo+json")
    feature = response.json()["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.3525, 50.8467]}
    assert feature["properties"]["communes"] == ["ixelles"]


# Every kind of item.


def test_method_sheets_carry_their_structured_attributes(client, api_site):
    items = get(client, "/api/v1/sheets?type=method").json()["items"]
    assert [item["title"] for item in items] == ["Panel citoyen"]
    method = items[0]["method"]
    assert method["group_sizes"] == ["small"] and method["formats"] == ["face-to-face"]
    assert method["language_handling"] == "parallel-groups"
    assert items[0]["levels"] == ["consultation"]
    other = get(client, f"/api/v1/sheets/{api_site['sheets'][1].translation_key}?lang=nl").json()
    assert other["kind"] == "phase" and other["method"] is None
    assert other["text_language"] == "fr" and other["url"] == other["html_urls"]["nl"]
    assert other["provenance"]["kind"] == "original"


def test_events_carry_their_calendar_file_and_only_a_public_online_address(client, api_site):
    items = get(client, "/api/v1/events?lang=en").json()["items"]
    assert len(items) == 2
    assert all(item["online_url"] is None for item in items)
    assert {item["place"]["name"] if item["place"] else None for item in items} == {None, "Maison de la participation"}
    assert client.get(items[0]["ical_url"].removeprefix("http://testserver"))["Content-Type"].startswith(
        "text/calendar"
    )
    assert items[0]["text_language"] == "fr" and items[0]["url"] == items[0]["html_urls"]["en"]


def test_providers_lots_communes_and_vocabularies(client, api_site):
    providers = get(client, "/api/v1/providers?lot=facilitation&lang=nl").json()["items"]
    assert [provider["name"] for provider in providers] == ["Callida", "Atelier Tilleul"]
    assert providers[0]["description"] == "Callida in het Nederlands." and providers[0]["text_language"] == "nl"
    lots = get(client, "/api/v1/lots?lang=nl").json()["items"]
    assert [lot["number"] for lot in lots] == [1, 2, 3, 4, 5, 6]
    assert lots[2]["providers"] == 2 and lots[2]["text_language"] == "nl"
    communes = get(client, "/api/v1/communes?lang=nl").json()["items"]
    assert len(communes) == 19
    schaerbeek = next(commune for commune in communes if commune["key"] == "schaerbeek")
    assert (
        schaerbeek["label"] == "Schaarbeek" and schaerbeek["initiatives"] == 2 and schaerbeek["postcodes"] == ["1030"]
    )
    vocabularies = get(client, "/api/v1/vocabularies?lang=en").json()["items"]
    names = {vocabulary["name"] for vocabulary in vocabularies}
    assert {"theme", "phase", "participation-level", "purchasing-lot", "group-size", "commune"} <= names
    theme = get(client, "/api/v1/vocabularies/theme?lang=en").json()
    assert {"key": "mobility", "label": "Mobility"}.items() <= theme["terms"][1].items()


# Pages of results.


@pytest.mark.parametrize("resource", LISTS)
def test_cursor_pages_walk_every_item_once_in_a_stable_order(client, api_site, resource):
    everything = ids(get(client, f"/api/v1/{resource}?limit=100"))
    seen, url = [], f"/api/v1/{resource}?limit=1"
    while url:
        response = get(client, url)
        seen += ids(response)
        url = response.json()["next"]
        if url:
            assert response["Link"] == f'<{url}>; rel="next"'
            url = url.removeprefix("http://testserver")
    assert seen == everything and len(seen) >= 2


def test_query_count_does_not_grow_with_the_page(client, api_site, django_assert_num_queries):
    from conftest import query_count

    for resource in LISTS:
        small = query_count(client, f"/api/v1/{resource}?limit=1")
        with django_assert_num_queries(small):
            assert len(ids(get(client, f"/api/v1/{resource}?limit=100"))) >= 2


# HTTP: caching, CORS, rate limit.


def test_etag_and_last_modified_answer_304(client, api_site):
    response = get(client, "/api/v1/initiatives")
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "Accept-Language" in response["Vary"]
    assert get(client, "/api/v1/initiatives", **{"If-None-Match": response["ETag"]}).status_code == 304
    later = format_datetime(timezone.now() + timezone.timedelta(minutes=1), usegmt=True)
    assert get(client, "/api/v1/initiatives", **{"If-Modified-Since": later}).status_code == 304
    assert get(client, "/api/v1/initiatives?lang=nl", **{"If-None-Match": response["ETag"]}).status_code == 200
    initiative = fresh(api_site["initiatives"][1])
    initiative.organisers = "Changed"
    initiative.save()
    assert get(client, "/api/v1/initiatives", **{"If-None-Match": response["ETag"]}).status_code == 200


def test_cors_lets_any_site_read(client, api_site):
    response = get(client, "/api/v1/sheets", Origin="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/sheets",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_rate_limit_answers_429_with_retry_after(client, api_site, settings):
    settings.API_RATE_PER_ADDRESS = "3/m"
    for _attempt in range(3):
        assert get(client, "/api/v1/lots").status_code == 200
    response = get(client, "/api/v1/lots?lang=nl")
    problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Content-Language"] == "nl" and response.json()["title"] == "Te veel verzoeken"


# Bad input: a problem document that says what is wrong, never a 500.


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("colour=blue", "colour"),
        ("theme=unknown-theme", "theme"),
        ("cursor=not-a-cursor", "cursor"),
        (f"cursor={cursor_encode(5)[:-2]}", "cursor"),
        ("cursor=djE6LTE", "cursor"),  # "v1:-1"
        ("limit=0", "limit"),
        ("limit=100000000000000000000", "limit"),
        ("limit=ten", "limit"),
        ("lang=de", "lang"),
        ("q=" + "x" * 201, "q"),
        ("q=%00drop", "q"),
        ("commune=%27%3B%20DROP%20TABLE%20initiatives%3B--", "commune"),
        ("theme=%F0%9F%92%A5", "theme"),
    ],
)
def test_bad_input_is_a_400_problem_naming_the_parameter(client, api_site, query, parameter):
    problem(get(client, f"/api/v1/initiatives?{query}"), 400, parameter)


def test_hostile_keywords_find_nothing_without_failing(client, api_site):
    for keywords in ["' OR 1=1 --", "<script>alert(1)</script>", "\u202e", "NEAR(a b)", '"unbalanced', "a*"]:
        response = client.get("/api/v1/initiatives", {"q": keywords})
        assert response.status_code == 200, (keywords, response.content)


def test_problems_are_in_the_language_asked_for(client, api_site):
    body = problem(get(client, "/api/v1/sheets?lang=fr&colour=blue"), 400, "colour")
    assert body["title"] == "La requête n’est pas valide"
    assert "/fr/donnees-ouvertes/api/" in body["type"]


def test_unknown_addresses_and_items_are_404_problems(client, api_site):
    problem(get(client, "/api/v1/nothing-here"), 404)
    problem(get(client, "/api/v1/initiatives/999999"), 404)
    problem(get(client, f"/api/v1/initiatives/{api_site['initiatives'][3].pk}"), 404)  # not published
    problem(get(client, "/api/v1/sheets/6f1c9a43-1111-4c1e-9a43-6f1c9a431111"), 404)
    problem(get(client, "/api/v1/vocabularies/colours"), 404)
    problem(get(client, "/api/v1/sheets/not-a-key"), 400)


# Never personal data.


def test_no_personal_data_anywhere(client, api_site):
    event = api_site["events"][0]
    Registration.objects.create(
        event=event,
        status="confirmed",
        name="Registered Person",
        email="registered@example.org",
        organisation="Secret Org",
        needs="Secret needs",
        language="fr",
    )
    Subscriber.objects.create(email="subscriber@example.org", language="fr")
    SupportRequest.objects.create(
        reference="R-1",
        language="fr",
        organisation="Requesting Org",
        organisation_type="commune",
        contact_name="Requester Person",
        email="requester@example.org",
        project_summary="Secret project",
    )
    article = fresh(api_site["articles"][2])
    members = Group.objects.get_or_create(name="Network members")[0]
    for version in Page.objects.filter(translation_key=article.translation_key):  # as the members' area is
        restriction = PageViewRestriction.objects.create(page=version, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(members)

    answers = []
    for resource in [*LISTS, "lots", "communes", "vocabularies", ""]:
        for lang in ("fr", "nl", "en"):
            suffix = "&limit=100" if resource in LISTS else ""
            response = get(client, f"/api/v1/{resource}?lang={lang}{suffix}")
            assert response.status_code == 200
            answers.append(response.content.decode())
    text = json.dumps(answers)
    for secret in [
        PRIVATE_EMAIL,
        "Private Person",
        "Private Organisation",
        "registered@example.org",
        "Registered Person",
        "Secret needs",
        "subscriber@example.org",
        "requester@example.org",
        "Requester Person",
        "Secret project",
        "contact@tilleul.example",
        "meet.example.org/secret",
        article.title,
        "contact_email",
        "contact_name",
    ]:
        assert secret not in text, secret
    assert "Article 1" in text  # the other articles are there
