"""The planner's pages: one question per step in the address, the summary with its change links, the plan, its
calendar file, and what a tampered or stale address gets (the right step, a translated message, never an error)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.core.tests.html import elements

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ANSWERS = (
    "objective=react&decision=Le+r%C3%A9am%C3%A9nagement+du+parc&level=consultation&audience=all-residents"
    "&audience=older-people&size=large&scope=neighbourhood&time=1-3-months&budget=under-5k&format=online"
    "&language=fr&language=nl&complexity=medium&polarisation=medium&organiser=public-body"
)
STEP_FIELDS = [
    {"objective": "react"},
    {"level": "consultation"},
    {"audience": ["all-residents", "older-people"], "size": "large"},
    {"scope": "neighbourhood"},
    {"time": "1-3-months"},
    {"budget": "under-5k"},
    {"format": "online"},
    {"language": ["fr", "nl"]},
    {"complexity": "medium", "polarisation": "medium"},
    {"organiser": "public-body"},
]


def form_data(html):
    """What the browser would send from the page's GET form: its hidden fields."""
    return {
        name: [
            value for n, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html) if n == name
        ]
        for name in set(re.findall(r'<input type="hidden" name="([^"]+)"', html))
    }


@pytest.mark.parametrize(
    ("address", "question"),
    [("/fr/planifier/", "Question 1 sur 10"), ("/nl/plannen/", "Vraag 1 van 10"), ("/en/plan/", "Question 1 of 10")],
)
def test_the_planner_has_an_address_in_each_language(client, toolbox_demo_content, address, question):
    response = client.get(address)
    assert response.status_code == 200
    assert question in response.content.decode()
    assert 'method="get"' in response.content.decode()


def test_the_whole_journey_works_without_javascript(client, toolbox_demo_content):
    """Each step's GET form carries the earlier answers: answering the ten questions in turn reaches the summary."""
    data = {}
    html = client.get("/en/plan/").content.decode()
    for number, answers in enumerate(STEP_FIELDS, start=1):
        assert f"Question {number} of 10" in html
        data = {**form_data(html), **answers}
        response = client.get("/en/plan/", data)
        assert response.status_code == 200
        html = response.content.decode()
    assert "<h1>Your answers</h1>" in html
    change_links = re.findall(r'href="(/en/plan/\?[^"]+)">Change', html)
    assert len(change_links) == 10
    result = re.search(r'href="(/en/plan/result/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    plan = client.get(result)
    assert plan.status_code == 200
    assert "Your proposed process" in plan.content.decode()


def test_a_change_link_returns_to_the_summary(client, toolbox_demo_content):
    html = client.get(f"/en/plan/?{ANSWERS}&step=summary").content.decode()
    change = re.findall(r'href="(/en/plan/\?[^"]+)">Change', html)[4].replace("&amp;", "&")
    assert "step=5" in change and "return=summary" in change
    step = client.get(change).content.decode()
    assert 'value="summary"' in step
    assert 'id="id_time_1" checked' in step or "checked" in step
    data = {**form_data(step), "time": "3-6-months"}
    summary = client.get("/en/plan/", data).content.decode()
    assert "<h1>Your answers</h1>" in summary
    assert "Three to six months" in summary


def test_an_empty_answer_shows_the_error_summary_on_that_step(client, toolbox_demo_content):
    response = client.get("/fr/planifier/?step=2&from=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Question 1 sur 10" in html
    assert "error-summary" in html
    assert "Choisissez une réponse à «\u202fObjectif\u202f»." in html
    assert "L'adresse était incomplète" not in html  # the person's own submission, not a stale address


@pytest.mark.parametrize(
    ("query", "step", "message"),
    [
        (ANSWERS.replace("level=consultation", "level=referendum") + "&step=summary", 2, "This answer is not one of"),
        (ANSWERS.replace("size=large", "size=large&size=small") + "&step=summary", 3, "several answers"),
        (ANSWERS.replace("time=1-3-months", "") + "&step=summary", 5, "Choose an answer"),
        (ANSWERS.replace("Le+r%C3%A9am%C3%A9nagement+du+parc", "x" * 5000) + "&step=summary", 1, "at most 300"),
        (ANSWERS + "&" + "&".join(["audience=all-residents"] * 40) + "&step=summary", 3, "too many answers"),
    ],
)
def test_a_tampered_address_leads_back_to_the_step_with_a_message(client, toolbox_demo_content, query, step, message):
    response = client.get(f"/en/plan/?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Question {step} of 10" in html
    assert "The address was incomplete or held an answer we do not know." in html
    assert message in html


@pytest.mark.parametrize("step", ["999", "-1", "abc", "summary%00"])
def test_an_unknown_step_is_never_an_error(client, toolbox_demo_content, step):
    response = client.get(f"/en/plan/?{ANSWERS}&step={step}")
    assert response.status_code == 200
    assert "The address asked for a question we do not know" in response.content.decode()


def test_a_stale_plan_address_leads_to_the_missing_step(client, toolbox_demo_content):
    response = client.get("/nl/plannen/plan/?" + ANSWERS.replace("&budget=under-5k", ""))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["step"] == ["6"]
    assert query["from"] == ["plan"]
    page = client.get(response["Location"]).content.decode()
    assert "Vraag 6 van 10" in page
    assert "Het adres was onvolledig" in page


def test_the_plan_lists_the_phases_in_process_order_with_reasons_and_warnings(client, toolbox_demo_content):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/fr/planifier/plan/?{ANSWERS}")
    html = response.content.decode()
    assert response.status_code == 200
    titles = [re.sub(r"\s+", " ", t).strip() for t in re.findall(r'<h3 class="plan-phase__title">\s*([^<]+)', html)]
    assert titles == [
        "Cadrage",
        "Conception",
        "Mobilisation et communication",
        "Déploiement et animation",
        "Devoir de suite",
        "Évaluation",
    ]
    assert "Pourquoi elle convient" in html
    assert "uniquement en ligne n&#x27;atteindra pas ces publics\u202f: personnes âgées" in html
    assert "Le réaménagement du parc" in html
    assert "/fr/planifier/etapes.ics?" in html
    assert len(queries) < 75, len(queries)  # on a cold cache; the next test counts a warm one


def test_the_plan_query_count_does_not_grow_with_the_answers(client, toolbox_demo_content):
    counts = []
    client.get(f"/en/plan/result/?{ANSWERS}")  # the vocabularies' labels cached, as on a running site
    for audiences in (["all-residents"], ["all-residents", "older-people", "children", "women", "low-income"]):
        query = ANSWERS.replace(
            "audience=all-residents&audience=older-people", "&".join(f"audience={a}" for a in audiences)
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/en/plan/result/?{query}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_milestones_are_a_calendar_file(client, toolbox_demo_content):
    response = client.get(f"/en/plan/milestones.ics?{ANSWERS}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 6
    assert "SUMMARY:Phase: Framing" in body
    assert "DTSTART;VALUE=DATE:" in body


def test_the_home_page_and_the_toolbox_lead_to_the_planner(client, toolbox_demo_content):
    home = client.get("/nl/").content.decode()
    assert 'href="/nl/plannen/"' in home
    toolbox = client.get("/fr/outils/").content.decode()
    assert 'href="/fr/planifier/"' in toolbox


def test_the_plan_page_is_accessible_markup(client, toolbox_demo_content):
    html = client.get(f"/en/plan/result/?{ANSWERS}").content.decode()
    assert len(elements(html, "h1")) == 1
    assert 'lang="en"' in html
