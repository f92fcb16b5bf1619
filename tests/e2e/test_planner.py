"""The participation planner in a browser, in FR, NL and EN, on the demo content: axe (WCAG 2.1 A/AA) at every step,
on the summary, on the plan and with errors shown; the whole journey by keyboard only; the journey without
JavaScript; the page at 320 px without sideways scrolling; the printed handout on one to three A4 pages."""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from participation.planner.tests.test_scenarios import BASE, SCENARIOS
from tests.e2e.conftest import LANGUAGES, axe_violations, page_width

pytestmark = pytest.mark.e2e
PLANNER = {"fr": "planifier", "nl": "plannen", "en": "plan"}
# Per step: the values to choose (radio buttons and checkboxes by their value).
CHOICES = [
    ["react"],
    ["consultation"],
    ["all-residents", "older-people", "large"],
    ["neighbourhood"],
    ["1-3-months"],
    ["5k-25k"],
    ["online"],
    ["fr", "nl"],
    ["medium", "low"],
    ["public-body"],
]


def answer_step(page, values, *, keyboard=False):
    """Choose the step's answers (each fieldset in turn, so values shared by two questions go to the right one)."""
    fieldsets = page.locator("main form fieldset")
    remaining = list(values)
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        for value in list(remaining):
            option = fieldset.locator(f'input[value="{value}"]')
            if option.count():
                if keyboard:
                    option.focus()
                    page.keyboard.press("Space")
                else:
                    option.check()
                remaining.remove(value)
                if option.get_attribute("type") == "radio":
                    break
    assert not remaining, remaining


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_step_the_summary_and_the_plan_pass_axe(page, server_url, language):
    page.goto(f"{server_url}/{language}/{PLANNER[language]}/")
    for number, values in enumerate(CHOICES, start=1):
        expect(page.locator("h1")).to_contain_text(str(number))
        assert axe_violations(page) == [], f"step {number}"
        answer_step(page, values)
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .planner-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("main a.button").click()
    expect(page.locator(".plan-phase")).to_have_count(6)
    assert page.locator(".plan__warnings li").count() >= 1  # online only, with older residents
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_errors_and_a_tampered_address_pass_axe(page, server_url, language):
    page.goto(f"{server_url}/{language}/{PLANNER[language]}/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{server_url}/{language}/{PLANNER[language]}/?objective=react&level=referendum&step=summary")
    expect(page.locator(".notice--warning")).to_be_visible()
    expect(page.locator(".field--error")).to_have_count(1)
    assert axe_violations(page) == []


def test_the_whole_journey_by_keyboard_only(page, server_url):
    page.goto(f"{server_url}/en/plan/")
    for number, values in enumerate(CHOICES, start=1):
        expect(page.locator("main h1")).to_contain_text(f"Question {number} of 10")
        answer_step(page, values, keyboard=True)
        page.locator("main form button[type=submit]").focus()
        page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("Your answers")
    page.locator("main a.button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("Your proposed process")
    # The focus is visible on the plan's links.
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_the_journey_without_javascript_and_at_320_px(new_context, server_url):
    context = new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(f"{server_url}/fr/planifier/")
    for values in CHOICES:
        answer_step(page, values)
        page.locator("main form button[type=submit]").click()
        assert page_width(page) <= 320
    page.locator("main a.button").click()
    expect(page).to_have_url(re.compile(r"/fr/planifier/plan/\?"))
    assert page_width(page) <= 320
    request = page.locator("a", has_text="Demander un accompagnement avec ce plan")
    request.click()
    # The request carries the plan itself, shown as it will be sent.
    expect(page.locator(".attached-plan__text")).to_contain_text("planifier/plan/")
    expect(page.locator(".attached-plan__text")).to_contain_text("6. Évaluation")
    assert page_width(page) <= 320


def pdf_pages(pdf):
    """The number of pages of a PDF that Chromium wrote (one page object each; the page tree is "/Type /Pages")."""
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def plan_query(values):
    answers = {**BASE, "decision": "", **values}
    params = {"audiences": "audience", "languages": "language"}
    pairs = []
    for name, value in answers.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((params.get(name, name), item))
    return urlencode(pairs)


def test_the_printed_handout_of_every_pinned_scenario_fits_on_three_a4_pages(page, server_url):
    """French is the longest language here; the largest plan (most reasons, lots and providers) must stay at three
    pages, with the phases and the checklist printed and the navigation and the share field left out."""
    pages = {}
    for name, (values, *_) in SCENARIOS.items():
        page.goto(f"{server_url}/fr/planifier/plan/?{plan_query(values)}")
        expect(page.locator(".plan-phase")).to_have_count(6)
        pages[name] = pdf_pages(page.pdf(format="A4"))
    largest = max(pages, key=pages.get)
    assert 1 <= pages[largest] <= 3, pages
    page.emulate_media(media="print")
    expect(page.locator(".plan-phase").first).to_be_visible()
    expect(page.locator(".plan__checklist")).to_be_visible()
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(page.locator(".plan__share")).to_be_hidden()
