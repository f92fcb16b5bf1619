"""Every page type of the site, in FR, NL and EN, as people see it:

- at 320 px wide nothing scrolls sideways (WCAG 1.4.10) and every picture fits its column; at 1280 px no picture
  slides under a neighbour (each page type in each language);
- every page has its own canonical address and a description for search engines;
- the HTML of every page type validates with the Nu Html Checker (all pages saved, then one Java run);
- the focus of every kind of control can be seen: the pixels that change when it takes the focus contrast at least
  3:1 with what they were, over at least a 2 px perimeter (WCAG 2.4.7, 1.4.11; measured on screenshots).
"""

import http.cookiejar
import re
import subprocess
import urllib.parse
import urllib.request
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from PIL import Image

from participation.articles.models import ArticleIndexPage
from participation.core.content import content_read
from participation.initiatives.models import InitiativeIndexPage
from participation.network.models import NetworkPage
from participation.providers.models import PurchasingCentrePage
from participation.submissions.models import SharePage
from tests.e2e.conftest import LANGUAGES, ROOT, page_width

pytestmark = pytest.mark.e2e
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker runs once, on some hundred pages: Java's quick compiler alone (no optimising second tier, whose threads
# used half of its CPU on so short a run) and its simplest garbage collector check them with half the CPU (8.4 -> 4.1 s
# measured on 120 pages). The quick compiler's frames are larger: the schema's recursion needs a bigger stack.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]


def _slugs(path):
    return {code: text["slug"] for code, text in content_read(ROOT / path)["translations"].items()}


PAGES = _slugs("participation/core/content/pages/accessibility.yaml")
TOOLBOX = _slugs("participation/toolbox/content/index.yaml")
WORLD_CAFE = _slugs("participation/toolbox/content/sheets/world-cafe.yaml")
WHY = _slugs("participation/toolbox/content/sheets/why-participate.yaml")
MAP = _slugs("participation/initiatives/content/index.yaml")
CENTRE = _slugs("participation/providers/content/centre.yaml")
ARTICLES = _slugs("participation/articles/content/index.yaml")
BOCKSTAEL_ARTICLE = _slugs("participation/articles/content/open-jury-bockstael.yaml")
NETWORK = _slugs("participation/network/content/network-page.yaml")
SHARE = _slugs("participation/submissions/content/share-page.yaml")


def route(model, language, name, **kwargs):
    """A route's address under its page, in `language`'s words (the page's own address comes first)."""
    with translation.override(language):
        return model.get_resolver().reverse(name, **kwargs)


# page type → language → address (a string, or "discover:<list address>|<css of the link to follow>")
PAGE_TYPES = {
    "home": lambda lang: f"/{lang}/",
    "standard-page": lambda lang: f"/{lang}/{PAGES[lang]}/",
    "fallback-page": lambda lang: f"/{lang}/page-test-francais/",
    "not-found": lambda lang: f"/{lang}/this-page-does-not-exist/",
    "search": lambda lang: f"/{lang}/{route_search(lang)}?q=park",
    "toolbox": lambda lang: f"/{lang}/{TOOLBOX[lang]}/?type=method",
    "method-sheet": lambda lang: f"/{lang}/{TOOLBOX[lang]}/{WORLD_CAFE[lang]}/",
    "introductory-sheet": lambda lang: f"/{lang}/{TOOLBOX[lang]}/{WHY[lang]}/",
    "map": lambda lang: f"/{lang}/{MAP[lang]}/?theme=mobility",
    "initiative-with-photos": lambda lang: f"discover:/{lang}/{MAP[lang]}/?q=Bockstael|.card__title a",
    "commune": lambda lang: f"/{lang}/{MAP[lang]}/{route(InitiativeIndexPage, lang, 'commune', key='schaerbeek')}",
    "statistics": lambda lang: f"/{lang}/{MAP[lang]}/{route(InitiativeIndexPage, lang, 'statistics')}",
    "purchasing-centre": lambda lang: f"/{lang}/{CENTRE[lang]}/",
    "providers": lambda lang: f"/{lang}/{CENTRE[lang]}/{route(PurchasingCentrePage, lang, 'directory')}",
    "provider": lambda lang: f"/{lang}/{CENTRE[lang]}/{route(PurchasingCentrePage, lang, 'provider', slug='callida')}",
    "lot": lambda lang: f"/{lang}/{CENTRE[lang]}/{route(PurchasingCentrePage, lang, 'lot', number=3)}",
    "eligibility-answer": lambda lang: (
        f"/{lang}/{CENTRE[lang]}/{route(PurchasingCentrePage, lang, 'eligibility')}"
        "?organisation_type=municipality&in_region=yes&purpose=yes"
    ),
    "support-request": lambda lang: f"/{lang}/{CENTRE[lang]}/{route(PurchasingCentrePage, lang, 'request')}",
    "articles": lambda lang: f"/{lang}/{ARTICLES[lang]}/",
    "article-with-photo": lambda lang: f"/{lang}/{ARTICLES[lang]}/{BOCKSTAEL_ARTICLE[lang]}/",
    "theme": lambda lang: f"/{lang}/{ARTICLES[lang]}/{route(ArticleIndexPage, lang, 'theme', key='mobility')}",
    "newsletter": lambda lang: f"/{lang}/{ARTICLES[lang]}/{route(ArticleIndexPage, lang, 'newsletter')}",
    "network": lambda lang: f"/{lang}/{NETWORK[lang]}/",
    "events": lambda lang: f"/{lang}/{NETWORK[lang]}/{route(NetworkPage, lang, 'calendar')}",
    "event": lambda lang: f"discover:/{lang}/{NETWORK[lang]}/{route(NetworkPage, lang, 'calendar')}|.card__title a",
    "membership": lambda lang: f"/{lang}/{NETWORK[lang]}/{route(NetworkPage, lang, 'join')}",
    "sign-in": lambda lang: f"/{lang}/{route_sign_in(lang)}",
    "share": lambda lang: f"/{lang}/{SHARE[lang]}/",
    "share-first-step": lambda lang: f"/{lang}/{SHARE[lang]}/{route(SharePage, lang, 'step', step='about')}",
}
# Page types whose pictures are checked at 1280 px too.
WITH_PICTURES = {"initiative-with-photos", "article-with-photo"}


def route_search(language):
    from django.urls import reverse

    with translation.override(language):
        return reverse("search").split("/", 2)[2]


def route_sign_in(language):
    from django.urls import reverse

    with translation.override(language):
        return reverse("network_sign_in").split("/", 2)[2]


def resolve(server_url, address):
    """The address of a page type: a fixed one, or the first link a list shows."""
    if not address.startswith("discover:"):
        return address
    list_address, css = address.removeprefix("discover:").split("|")
    with urllib.request.urlopen(server_url + list_address) as response:
        link = BeautifulSoup(response.read(), "html.parser").select_one(css)
    assert link is not None, f"no {css} on {list_address}"
    return link["href"]


# -- The Nu Html Checker over every page type (and a form with errors), in one Java run. -------------------------
# The module's longest test comes first: the run's last browser tests are the short ones below, and the workers end
# together (each browser test is a unit of the schedule, in the file's order: root conftest.py).


def _opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _post_form(opener, url, data):
    """Send a page's form as a browser would (the CSRF token from the page); return the answer's HTML."""
    with opener.open(url) as response:
        token = BeautifulSoup(response.read(), "html.parser").select_one("main form [name=csrfmiddlewaretoken]")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token["value"], **data}).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})
    with opener.open(request) as response:
        return response.read()


def test_every_page_type_is_valid_html(server_url, tmp_path):
    if not VNU.exists():
        pytest.fail("The Nu Html Checker is missing: run `npm ci` (package vnu-jar)")
    saved = []
    for page_type, address in PAGE_TYPES.items():
        for language in LANGUAGES:
            path = resolve(server_url, address(language))
            try:
                with urllib.request.urlopen(server_url + path) as response:
                    html = response.read()
            except urllib.error.HTTPError as error:  # the 404 page
                html = error.read()
            target = tmp_path / f"{page_type}-{language}.html"
            target.write_bytes(html)
            saved.append(target)
    for language in LANGUAGES:
        # Forms sent with errors, and the share form's later steps (a draft exists once the first step is sent).
        opener = _opener()
        request_url = server_url + PAGE_TYPES["support-request"](language)
        (tmp_path / f"request-errors-{language}.html").write_bytes(_post_form(opener, request_url, {"phone": "x"}))
        share = server_url + PAGE_TYPES["share-first-step"](language)
        (tmp_path / f"share-errors-{language}.html").write_bytes(_post_form(opener, share, {"action": "next"}))
        for step in ("place", "how", "story", "images", "contact", "review"):
            with opener.open(share.replace("/about/", f"/{step}/")) as response:
                (tmp_path / f"share-{step}-{language}.html").write_bytes(response.read())
        saved += sorted(tmp_path.glob(f"*-{language}.html"))
    result = subprocess.run(
        ["java", *JAVA_OPTIONS, "-jar", str(VNU), "--errors-only", "--stdout", *sorted({str(p) for p in saved})],
        capture_output=True,
        text=True,
    )
    errors = [line.replace(f"file:{tmp_path}/", "") for line in result.stdout.splitlines() if line.strip()]
    assert errors == [], "\n".join(errors[:40])
    assert result.returncode == 0, result.stderr[-2000:]


# Elements wider than the window, as the test reports them.
OVERFLOWING = """(width) => Array.from(document.querySelectorAll('body *'))
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5; })
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} «${(e.textContent || '').trim().slice(0, 40)}»`)"""
# Pictures outside their column: wider than the window, or overlapping a box beside them (a key-facts aside).
PICTURES_OUT = """(width) => {
    const boxes = Array.from(document.querySelectorAll('aside, nav')).map((e) => e.getBoundingClientRect());
    return Array.from(document.querySelectorAll('main img')).filter((img) => {
        if (img.closest('.leaflet-container')) return false;  // map tiles are clipped by their map
        const r = img.getBoundingClientRect();
        if (r.width === 0) return false;
        const overlaps = boxes.some((b) => b.width > 0 && r.left < b.right && r.right > b.left
            && r.top < b.bottom && r.bottom > b.top);
        return r.right > width + 0.5 || r.left < -0.5 || overlaps;
    }).map((img) => img.getAttribute('src'));
}"""


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_fits_320_px_and_tells_search_engines_its_address(page, server_url, page_type):
    for language in LANGUAGES:
        page.set_viewport_size({"width": 320, "height": 640})
        path = resolve(server_url, PAGE_TYPES[page_type](language))
        response = page.goto(server_url + path)
        assert response.status == (404 if page_type == "not-found" else 200), path
        assert page_width(page) <= 320, (path, page.evaluate(OVERFLOWING, 320))
        assert page.evaluate(PICTURES_OUT, 320) == [], path
        if page_type in WITH_PICTURES:
            assert page.locator("main img").count() > 0
            page.set_viewport_size({"width": 1280, "height": 900})
            assert page.evaluate(PICTURES_OUT, 1280) == [], path
        if page_type != "not-found":
            # The page's own address (after a redirect from an address by key), without its query string; a page
            # not yet translated points at its original.
            canonical = page.locator("link[rel=canonical]").get_attribute("href")
            own = page.url.split("?")[0]
            original = f"{server_url}/fr/page-test-francais/"
            assert canonical == (original if page_type == "fallback-page" else own), path
            description = page.locator("meta[name=description]")
            assert description.count() == 1, path
            assert len(description.get_attribute("content").strip()) > 20, path


# -- Focus: measured on screenshots. -----------------------------------------------------------------------------

FOCUS_PAGES = {
    # page type → the controls to measure, on every background they appear on (white, the grey filter panel, the
    # blue header)
    "support-request": [
        "#id_organisation",
        "#id_organisation_type_0",
        "#id_lots_0",
        "#id_provider",
        "#id_project_summary",
        "#id_consent",
        "main form button[type=submit]",
    ],
    "toolbox": [".filter-group summary", "#filter-type-method", "#filter-q", ".filter-panel button"],
    "home": ["#site-search-q", ".site-search__button", "#home-search-q", ".home-search button"],
}


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one, other):
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_indicator(page, locator):
    """(pixels whose colour changes by ≥ 3:1 when the control takes the focus, a 2 px perimeter of the control)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    margin = 8
    clip = {
        "x": max(box["x"] - margin, 0),
        "y": max(box["y"] - margin, 0),
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    page.evaluate("document.activeElement && document.activeElement.blur()")
    before = Image.open(BytesIO(page.screenshot(clip=clip))).convert("RGB")
    # The keyboard's focus: tab onto the control from the element just before it.
    locator.evaluate("(e) => e.focus({focusVisible: true})")
    assert locator.evaluate("(e) => e.matches(':focus-visible')"), "the control does not show a keyboard focus"
    after = Image.open(BytesIO(page.screenshot(clip=clip))).convert("RGB")
    changed = sum(
        1
        for old, new in zip(before.get_flattened_data(), after.get_flattened_data(), strict=True)
        if old != new and _contrast(old, new) >= 3
    )
    # The screenshot is in device pixels (1 here): a 2 px thick perimeter of the control.
    return changed, 2 * 2 * (box["width"] + box["height"])


@pytest.mark.parametrize("page_type", FOCUS_PAGES)
def test_focus_of_every_control_contrasts_at_least_3_to_1(page, server_url, page_type):
    page.goto(server_url + resolve(server_url, PAGE_TYPES[page_type]("fr")))
    if page_type == "toolbox":
        page.locator(".filter-group").first.evaluate("(e) => e.open = true")
    weak = []
    for css in FOCUS_PAGES[page_type]:
        control = page.locator(css).first
        changed, needed = focus_indicator(page, control)
        if changed < needed:
            weak.append(f"{css}: {changed} pixels change by 3:1, {needed:.0f} needed")
    assert weak == []


def test_header_and_filters_leave_the_results_on_the_first_screen_of_a_phone(new_context, server_url):
    """At 375 px the header takes less than 130 px and, without JavaScript, the filter panel is folded: the count of
    results is on the first screen; the panel opens with its summary."""
    context = new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False)
    page = context.new_page()
    for language in LANGUAGES:
        for path in (PAGE_TYPES["map"](language), PAGE_TYPES["events"](language)):
            page.goto(server_url + path)
            assert page.locator(".site-header").bounding_box()["height"] < 130, path
            assert not page.locator(".main-nav").is_visible()
            assert page.locator("#results-heading").bounding_box()["y"] < 667 * 2, path
            assert not page.locator(".filter-panel button[type=submit]").is_visible()
            page.locator(".filter-disclosure__toggle").click()
            assert page.locator(".filter-panel button[type=submit]").is_visible()
    page.locator(".site-menu__toggle").click()
    assert page.locator(".main-nav").is_visible()
    assert re.search(r"\S", page.locator(".main-nav").inner_text())
    context.close()
