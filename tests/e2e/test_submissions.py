"""“Share an initiative” (issue #5) in a browser: the whole journey with the keyboard only, without JavaScript, the
map pin, axe on every step in FR, NL and EN, save and continue later, and a refused image.

The server sends its emails to files (config/settings/e2e.py): the tests read the links in them like a person would.
"""

import email
import re
import uuid
from email import policy

import pytest
from PIL import Image

from participation.core.content import content_read
from tests.e2e.conftest import LANGUAGES, ROOT, axe_violations

pytestmark = pytest.mark.e2e
SHARE = content_read(ROOT / "participation/submissions/content/share-page.yaml")["translations"]
STEPS = ["about", "place", "how", "story", "images", "contact"]
LAT_RANGE = (50.76, 50.92)
LON_RANGE = (4.24, 4.48)
NEXT = "main form button[name=action][value=next]"
ACTIVE_ID = "document.activeElement ? document.activeElement.id : null"


def share_url(server_url, language):
    return f"{server_url}/{language}/{SHARE[language]['slug']}/"


def route(language, name, **kwargs):
    """A route's address under the share page, in `language`'s words (formulaire/, formulier/, form/)."""
    from django.utils import translation

    from participation.submissions.models import SharePage

    with translation.override(language):
        return SharePage.get_resolver().reverse(name, **kwargs)


def new_address():
    return f"share-{uuid.uuid4().hex[:10]}@example.org"


def jpeg(path, colour=(30, 120, 200)):
    Image.new("RGB", (120, 80), colour).save(path, "JPEG")
    return path


def assert_on_step(page, server_url, language, step):
    assert page.url == share_url(server_url, language) + route(language, "step", step=step), page.url


def wait_for_step(page, base, step):
    # Exact: a form sent after following a link of the error summary must not carry its #id_… to the next page.
    page.wait_for_url(base + route(base.split("/")[3], "step", step=step))


# The outbox: one file per connection, each holding one or more messages separated by a line of 79 dashes.


def messages_to(outbox_dir, address):
    found = []
    for path in sorted(outbox_dir.glob("*")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk.strip(), policy=policy.default)
                if address in str(message["To"]):
                    found.append(message)
    return found


def link_in_email(outbox_dir, address, language, name):
    """The one link to the share page's route `name` (in `language`'s words) in the one e-mail sent to `address`."""
    messages = messages_to(outbox_dir, address)
    assert len(messages) == 1, f"expected one email to {address}, got {len(messages)}"
    body = messages[0].get_body(preferencelist=("plain",)).get_content()
    links = re.findall(rf"https?://\S+/{re.escape(route(language, name))}\?token=\S+", body)
    assert len(links) == 1, body
    return links[0]


# Keyboard helpers: real Tab navigation, with a bound so that an unreachable element fails instead of looping.


def tab_to(page, selector, *, limit=250):
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def focused_is(page, selector):
    return page.evaluate("(selector) => document.activeElement.matches(selector)", selector)


# Filling a step quickly (the tests that are not about that step).

ANSWERS = {
    "about": {
        "fill": {
            "#id_title": "Budget participatif de Forest",
            "#id_summary": "Les habitants ont choisi 12 projets.",
            "#id_organisers": "Commune de Forest",
        },
        "select": {"#id_organiser_type": {"index": 1}},
        "check": ["#id_organiser_scope_0", "#id_status_2"],
    },
    "place": {"fill": {"#id_latitude": "50.8467", "#id_longitude": "4.3525"}, "check": ["#id_communes_0"]},
    "how": {"check": ["#id_themes_0", "#id_participation_level_0"]},
    "story": {"fill": {"#id_problems_objectives": "Rendre le budget communal plus lisible."}},
    "images": {},
    "contact": {"fill": {"#id_contact_name": "Alex Dupont"}, "check": ["#id_consent"]},
}


def send(page):
    """Send the step with "Save and continue" and wait for the answer, which may be the same address (errors)."""
    with page.expect_navigation():
        page.click(NEXT)


def fill_step(page, step, *, address=None):
    answers = ANSWERS[step]
    for selector, value in answers.get("fill", {}).items():
        page.fill(selector, value)
    for selector, option in answers.get("select", {}).items():
        page.select_option(selector, **option)
    for selector in answers.get("check", []):
        page.check(selector)
    if step == "contact":
        page.fill("#id_contact_email", address or new_address())
    send(page)


def start(page, server_url, language, *, until, address=None):
    """Open the form and complete every step before `until` (a step key, or "review")."""
    page.goto(share_url(server_url, language) + route(language, "start"))
    for step in STEPS[: STEPS.index(until) if until in STEPS else None]:
        assert_on_step(page, server_url, language, step)
        fill_step(page, step, address=address)
    assert_on_step(page, server_url, language, until)


# 1. The whole journey, in French, with the keyboard only.


def test_whole_journey_with_the_keyboard_only(page, server_url, outbox_dir, tmp_path):
    address = new_address()
    base = share_url(server_url, "fr")
    page.goto(base)
    tab_to(page, f"main a[href$='/{route('fr', 'start')}']")
    page.keyboard.press("Enter")
    wait_for_step(page, base, "about")
    title = page.title()

    # Step 1, sent with required fields empty: the error summary takes the focus and links to each invalid field.
    tab_to(page, "#id_title")
    page.keyboard.type("Budget participatif de Forest")
    page.keyboard.press("Tab")
    assert focused_is(page, "#id_summary")
    page.keyboard.type("Les habitants ont choisi 12 projets pour leur quartier.")
    page.keyboard.press("Shift+Tab")
    assert focused_is(page, "#id_title")
    page.keyboard.press("Enter")  # implicit submission: the first button, "Save and continue"
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert_on_step(page, server_url, "fr", "about")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    targets = [
        href[1:] for href in summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    ]
    assert targets == ["id_organisers", "id_organiser_type", "id_organiser_scope_0", "id_status_0"]
    for target in targets:
        field = page.locator(f"#{target}")
        assert field.count() == 1
        assert field.evaluate("element => element.closest('.field').classList.contains('field--error')"), target
    assert page.locator("#id_organisers").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_title").input_value() == "Budget participatif de Forest"
    assert page.locator("#id_summary").input_value() == "Les habitants ont choisi 12 projets pour leur quartier."
    assert page.title() != title and page.title().endswith(title)  # "Error: " before the usual title

    # Corrected with the keyboard: the summary's first link leads to the field.
    page.keyboard.press("Tab")
    assert focused_is(page, "#error-summary a[href='#id_organisers']")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{ACTIVE_ID} === 'id_organisers'")
    page.keyboard.type("Commune de Forest")
    page.keyboard.press("Tab")
    assert focused_is(page, "#id_organiser_type")
    page.keyboard.press("ArrowDown")  # a closed select: the arrow picks the next option
    assert page.locator("#id_organiser_type").input_value() != ""
    page.keyboard.press("Tab")
    assert focused_is(page, "#id_organiser_scope_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_status_0")
    page.keyboard.press("ArrowDown")  # in a radio group, the arrows move and select
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_status_2").is_checked()
    assert page.locator("#id_organiser_scope_0").is_checked()
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    wait_for_step(page, base, "place")

    # Step 2: a point outside the Region is refused, then a point in Brussels is accepted.
    tab_to(page, "#id_communes_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_latitude")
    page.keyboard.type("51.2")
    page.keyboard.press("Tab")
    assert focused_is(page, "#id_longitude")
    page.keyboard.type("4.4")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert_on_step(page, server_url, "fr", "place")
    assert page.locator("#error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "#id_latitude"
    ]
    assert page.locator("#id_communes_0").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{ACTIVE_ID} === 'id_latitude'")
    page.keyboard.press("Control+A")
    page.keyboard.type("50.8467")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("4.3525")
    page.keyboard.press("Enter")
    wait_for_step(page, base, "how")

    # Step 3: checkboxes with Space, the radio group with Space on its first option.
    tab_to(page, "#id_themes_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_participation_level_0")
    page.keyboard.press("Space")
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    wait_for_step(page, base, "story")

    tab_to(page, "#id_problems_objectives")
    page.keyboard.type("Rendre le budget communal plus lisible.")
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    wait_for_step(page, base, "images")

    # Step 5: the file input is reached with Tab; the file itself is given to it (a native dialog, not the page).
    tab_to(page, "#id_image_1")
    page.locator("#id_image_1").set_input_files(jpeg(tmp_path / "assemblee.jpg"))
    page.keyboard.press("Tab")
    assert focused_is(page, "#id_alt_new_1")
    page.keyboard.type("Des habitants votent dans une salle communale.")
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    wait_for_step(page, base, "contact")

    tab_to(page, "#id_contact_name")
    page.keyboard.type("Alex Dupont")
    page.keyboard.press("Tab")
    assert focused_is(page, "#id_contact_email")
    page.keyboard.type(address)
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    assert page.locator("#id_consent").is_checked()
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    wait_for_step(page, base, "review")

    # The review shows the answers and the image with its alternative text; sending leads to "Check your mailbox".
    main = page.locator("main")
    assert "Budget participatif de Forest" in main.inner_text()
    assert "Commune de Forest" in main.inner_text()
    assert page.locator("main img[alt='Des habitants votent dans une salle communale.']").count() == 1
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(base + route("fr", "sent"))
    assert address in main.inner_text()

    response = page.goto(link_in_email(outbox_dir, address, "fr", "confirm"))
    assert response.status == 200
    assert page.url.startswith(base + route("fr", "confirm"))
    assert page.locator("main a[href='/fr/initiatives/']").count() == 1  # "Explore the map of initiatives"
    assert axe_violations(page) == []


# 2. Without JavaScript.


def test_every_step_works_without_javascript(new_context, server_url, outbox_dir, tmp_path):
    context = new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    address = new_address()
    try:
        page.goto(share_url(server_url, "en"))
        with page.expect_navigation():
            page.locator(f"main a[href$='/{route('en', 'start')}']").click()
        assert_on_step(page, server_url, "en", "about")
        fill_step(page, "about")

        assert_on_step(page, server_url, "en", "place")
        assert page.locator("#pin-map").is_hidden()
        page.check("#id_communes_0")
        page.fill("#id_address", "Place Flagey, Ixelles")  # an address alone is enough
        send(page)

        assert_on_step(page, server_url, "en", "how")
        fill_step(page, "how")
        fill_step(page, "story")
        assert_on_step(page, server_url, "en", "images")
        page.set_input_files("#id_image_1", jpeg(tmp_path / "flagey.jpg"))
        page.fill("#id_alt_new_1", "The square during the public meeting.")
        send(page)
        assert_on_step(page, server_url, "en", "contact")
        fill_step(page, "contact", address=address)

        assert_on_step(page, server_url, "en", "review")
        assert "Place Flagey, Ixelles" in page.locator("main").inner_text()
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.url == share_url(server_url, "en") + "sent/"
        assert address in page.locator("main").inner_text()
        assert link_in_email(outbox_dir, address, "en", "confirm")
    finally:
        context.close()


# 3. The map pin, with JavaScript (tiles cannot load here: the map works without them).


def test_clicking_the_map_places_the_pin_in_brussels(page, server_url):
    start(page, server_url, "fr", until="place")
    pin_map = page.locator("#pin-map")
    pin_map.wait_for(state="visible")
    assert pin_map.get_attribute("role") == "region"
    assert page.locator("#id_latitude").input_value() == ""
    box = pin_map.bounding_box()
    pin_map.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    assert LAT_RANGE[0] < latitude < LAT_RANGE[1]
    assert LON_RANGE[0] < longitude < LON_RANGE[1]
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert page.locator("#pin-status").inner_text() == ""
    page.check("#id_communes_0")
    send(page)
    assert_on_step(page, server_url, "fr", "how")  # the position from the map is accepted


# 4. axe-core on every page of the form, in each language.


@pytest.mark.parametrize("language", LANGUAGES)
def test_share_pages_have_no_accessibility_violations(page, server_url, language, tmp_path):
    violations = {}

    def check(name):
        assert page.locator("html").get_attribute("lang") == language
        found = axe_violations(page)
        if found:
            violations[name] = found

    page.goto(share_url(server_url, language))
    check("share page")
    with page.expect_navigation():
        page.locator(f"main a[href$='/{route(language, 'start')}']").click()
    assert_on_step(page, server_url, language, "about")
    check("about")
    page.fill("#id_title", "Panel citoyen")
    send(page)
    assert page.locator("#error-summary").is_visible()
    check("about, with errors")
    for step in STEPS:
        if step != "about":
            assert_on_step(page, server_url, language, step)
            check(step)
        if step == "images":
            page.set_input_files("#id_image_1", jpeg(tmp_path / "panel.jpg"))
            page.fill("#id_alt_new_1", "A panel around a table.")
        fill_step(page, step)
    assert_on_step(page, server_url, language, "review")
    check("review")
    page.goto(share_url(server_url, language) + route(language, "step", step="images"))
    check("images, with an image")
    with page.expect_navigation():
        page.click("main form button[name=action][value=save]")
    assert page.url == share_url(server_url, language) + route(language, "save")
    check("save and continue later")
    assert violations == {}


# 5. Save and continue later, on another device.


def test_save_and_continue_later_in_another_browser(new_context, page, server_url, outbox_dir):
    address = new_address()
    start(page, server_url, "fr", until="place")
    page.check("#id_communes_1")
    page.fill("#id_address", "Parc de Forest")
    page.fill("#id_latitude", "50.81")  # without the longitude: this step is not finished
    with page.expect_navigation():
        page.click("main form button[name=action][value=save]")
    assert page.url == share_url(server_url, "fr") + route("fr", "save")
    page.fill("#id_email", address)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert address in page.locator("main").inner_text()
    link = link_in_email(outbox_dir, address, "fr", "resume")

    context = new_context(bypass_csp=True)
    other = context.new_page()
    try:
        other.goto(link)
        assert_on_step(other, server_url, "fr", "place")  # the first step still to complete
        assert other.locator("#id_communes_1").is_checked()
        assert not other.locator("#id_communes_0").is_checked()
        assert other.locator("#id_address").input_value() == "Parc de Forest"
        assert other.locator("#id_latitude").input_value() == "50.81"
        assert other.locator("#error-summary a[href='#id_longitude']").count() == 1
        other.goto(share_url(server_url, "fr") + route("fr", "step", step="about"))
        assert other.locator("#id_title").input_value() == ANSWERS["about"]["fill"]["#id_title"]
        assert other.locator("#id_status_2").is_checked()
    finally:
        context.close()


# 6. A file that is not an image.


def test_a_file_that_is_not_an_image_is_refused_clearly(page, server_url, tmp_path):
    start(page, server_url, "nl", until="images")
    fake = tmp_path / "foto.jpg"
    fake.write_text("This is a text file, not a photo.")
    page.set_input_files("#id_image_1", fake)
    page.fill("#id_alt_new_1", "Bewoners rond een tafel.")
    page.set_input_files("#id_image_2", jpeg(tmp_path / "plein.jpg"))
    page.fill("#id_alt_new_2", "Het plein na de werken.")
    send(page)

    assert_on_step(page, server_url, "nl", "images")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.locator("#error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "#id_image_1"
    ]
    error = page.locator("#id_image_1_error")
    assert error.is_visible()
    assert page.locator("#id_image_1").get_attribute("aria-invalid") == "true"
    assert "id_image_1_error" in page.locator("#id_image_1").get_attribute("aria-describedby").split()
    # The refused file's text is kept for a new try; the valid image is stored with its text.
    assert page.locator("#id_alt_new_1").input_value() == "Bewoners rond een tafel."
    kept = page.locator(".image-list__item input[type=text]")
    assert kept.count() == 1
    assert kept.input_value() == "Het plein na de werken."
    assert axe_violations(page) == []
