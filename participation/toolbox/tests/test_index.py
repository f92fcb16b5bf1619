import pytest
from django.conf import settings

from conftest import fresh, query_count
from participation.core.models import SheetCategory
from participation.core.tests.html import elements
from participation.toolbox.tests.factories import sections, sheet_create, toolbox_index

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def module_toolbox(module_homes):
    index = toolbox_index(module_homes["fr"])
    category = SheetCategory.objects.get(key="phases", locale__language_code=settings.LANGUAGE_CODE)
    sheet_create(
        index,
        title="World café",
        slug="world-cafe",
        profile={
            "levels": ["consultation", "concertation"],
            "phases": ["deployment-facilitation"],
            "group_sizes": ["medium", "large"],
            "budget_bands": ["under-5k"],
            "time_needed": "hours",
            "formats": ["face-to-face"],
        },
    )
    sheet_create(
        index,
        title="Budget participatif",
        slug="budget-participatif",
        profile={
            "levels": ["co-decision"],
            "phases": ["deployment-facilitation", "feedback"],
            "group_sizes": ["unlimited"],
            "budget_bands": ["over-100k"],
            "time_needed": "months",
            "formats": ["hybrid", "online"],
        },
    )
    sheet_create(
        index,
        title="Cadrage",
        slug="cadrage",
        kind="phase",
        category=category,
        body=sections(["other"]),
        profile={"phases": ["framing"]},
    )
    return index


@pytest.fixture
def toolbox(module_toolbox, db):
    return fresh(module_toolbox)


def titles(response):
    return sorted(
        a["href"].rstrip("/").rsplit("/", 1)[1]
        for a in elements(response.content.decode(), "a")
        if "/outils/" in a.get("href", "") and a["href"].count("/") == 4
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["budget-participatif", "cadrage", "world-cafe"]),
        ("type=phase", ["cadrage"]),
        ("type=method", ["budget-participatif", "world-cafe"]),
        ("category=phases", ["cadrage"]),
        ("level=consultation", ["world-cafe"]),
        ("phase=feedback", ["budget-participatif"]),
        ("phase=deployment-facilitation", ["budget-participatif", "world-cafe"]),
        ("size=medium", ["world-cafe"]),
        ("budget=over-100k", ["budget-participatif"]),
        ("time=hours", ["world-cafe"]),
        ("format=online", ["budget-participatif"]),
    ],
)
def test_each_filter_alone(client, toolbox, query, expected):
    response = client.get(f"/fr/outils/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_filters_combine_across_groups_and_widen_within_a_group(client, toolbox):
    assert titles(client.get("/fr/outils/?type=method&phase=deployment-facilitation&format=face-to-face")) == [
        "world-cafe"
    ]
    assert titles(client.get("/fr/outils/?level=consultation&level=co-decision")) == [
        "budget-participatif",
        "world-cafe",
    ]
    assert titles(client.get("/fr/outils/?level=consultation&format=online")) == []


@pytest.mark.parametrize(
    "query", ["level=nonsense", "type=<script>", "phase=", "size=medium&size=huge", "page=-1&level[]=x"]
)
def test_invalid_filter_values_are_ignored(client, toolbox, query):
    response = client.get(f"/fr/outils/?{query}")
    assert response.status_code == 200
    valid = "size=medium" in query
    assert titles(response) == (["world-cafe"] if valid else ["budget-participatif", "cadrage", "world-cafe"])


def test_result_count_is_announced_and_in_the_title(client, toolbox):
    html = client.get("/fr/outils/?type=method").content.decode()
    heading = elements(html, "h2", id="results-heading")[0]
    assert heading["aria-live"] == "polite"
    assert "2 fiches" in html.split('id="results-heading"')[1].split("</h2>")[0]
    assert "<title>" in html and "2 fiches" in html.split("<title>")[1].split("</title>")[0]


def test_filter_form_keeps_its_state_in_the_address(client, toolbox):
    html = client.get("/fr/outils/?level=consultation&format=face-to-face").content.decode()
    checked = {(i["name"], i["value"]) for i in elements(html, "input", type="checkbox") if "checked" in i}
    assert checked == {("level", "consultation"), ("format", "face-to-face")}
    assert elements(html, "form", method="get")


def test_empty_result_tells_how_to_widen_the_search(client, toolbox):
    html = client.get("/fr/outils/?level=consultation&format=online").content.decode()
    removable = {a["href"] for a in elements(html, "a", class_="tag tag--removable")}
    assert removable == {"?format=online", "?level=consultation"}
    assert "Aucune fiche ne correspond" in html


def test_index_runs_a_constant_number_of_queries(client, toolbox):
    before = query_count(client, "/fr/outils/?level=consultation")
    for n in range(6):
        sheet_create(toolbox, title=f"Extra {n}", profile={"levels": ["consultation"], "formats": ["online"]})
    assert query_count(client, "/fr/outils/?level=consultation") == before
