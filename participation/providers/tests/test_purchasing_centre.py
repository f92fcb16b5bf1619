from html import escape

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import translation

from conftest import fresh, query_count
from participation.core.models import CANONICAL_TERMS, PurchasingLot
from participation.core.services import page_create
from participation.core.tests.html import elements
from participation.providers.models import Provider, ProviderText, PurchasingCentrePage, RequestStatus, SupportRequest
from participation.providers.selectors import Eligibility, eligibility_outcome
from participation.providers.services import support_request_status_notify

pytestmark = pytest.mark.django_db
BASE = "/fr/centrale-de-marches/"
NEXT_STEPS = (
    "Next steps: the service contacts you to assess your needs together, then drafts the specifications for the lots "
    "you need, and you order from the chosen provider. You will receive an email each time your request moves to a "
    "new step."
)


@pytest.fixture(scope="module")
def module_centre(module_homes):
    page = PurchasingCentrePage(
        title="Centrale de marchés",
        slug="centrale-de-marches",
        lead="Des prestataires qualifiés.",
        sections=[("section", {"heading": "Qu'est-ce que c'est ?", "body": "<p>Un catalogue.</p>"})],
        steps_heading="Comment commander",
        steps=[("step", {"title": "Écrire au service", "text": "Décrivez votre projet."})],
        faq_heading="Questions",
        faq=[("question", {"question": "Qui paie ?", "answer": "<p>L'organisme qui commande.</p>"})],
    )
    return page_create(parent=module_homes["fr"], page=page)


@pytest.fixture
def centre(module_centre, db):
    return fresh(module_centre)


def provider_create(name, lots, languages=("fr",), **fields):
    from wagtail.models import Locale

    provider = Provider(name=name, slug=name.lower().replace(" ", "-"), **fields)
    provider.lots.set(PurchasingLot.objects.filter(number__in=lots, **CANONICAL_TERMS))
    provider.working_languages.set(Locale.objects.filter(language_code__in=languages))
    provider.texts = [
        ProviderText(language="fr", description=f"{name} décrit en français.", services="Animation\nSynthèse")
    ]
    provider.save()
    return provider


@pytest.fixture(scope="module")
def module_providers(module_centre):
    return {
        "callida": provider_create("Callida", [3], languages=()),
        "tilleul": provider_create(
            "Atelier Tilleul", [2, 3], languages=("fr", "nl", "en"), is_demo=True, email="contact@tilleul.example.org"
        ),
        "canal": provider_create("Canal Commun", [4], languages=("nl",), is_demo=True),
    }


@pytest.fixture
def providers(module_providers, db):
    return fresh(module_providers)


@pytest.mark.parametrize(
    ("organisation_type", "in_region", "purpose", "expected"),
    [
        ("regional-administration", True, True, Eligibility.ELIGIBLE),
        ("municipal-administration", True, True, Eligibility.ELIGIBLE),
        ("public-interest", True, True, Eligibility.ELIGIBLE),
        ("citizen-collective", True, True, Eligibility.TO_CONFIRM),
        ("other", True, True, Eligibility.NOT_ELIGIBLE),
        ("municipal-administration", False, True, Eligibility.NOT_ELIGIBLE),
        ("municipal-administration", True, False, Eligibility.NOT_ELIGIBLE),
    ],
)
def test_eligibility_outcomes(organisation_type, in_region, purpose, expected):
    assert (
        eligibility_outcome(organisation_type=organisation_type, in_region=in_region, purpose_participation=purpose)
        == expected
    )


def test_eligibility_page_answers_and_tells_what_to_do(client, centre):
    html = client.get(
        f"{BASE}qui-peut-commander/?organisation_type=citizen-collective&in_region=yes&purpose=yes"
    ).content.decode()
    assert elements(html, "div", class_="outcome outcome--to-confirm", role="status")
    assert elements(html, "a", class_="button", href=f"{BASE}demande/")
    refused = client.get(
        f"{BASE}qui-peut-commander/?organisation_type=other&in_region=yes&purpose=yes"
    ).content.decode()
    assert elements(refused, "div", class_="outcome outcome--not-eligible", role="status")
    invalid = client.get(f"{BASE}qui-peut-commander/?organisation_type=nonsense&in_region=maybe")
    assert invalid.status_code == 200
    assert elements(invalid.content.decode(), "div", id="error-summary")


def test_explainer_shows_lots_steps_and_questions(client, providers):
    html = client.get(BASE).content.decode()
    assert "Écrire au service" in html and "Qui paie ?" in html
    lot_links = [a["href"] for a in elements(html, "a") if "/lots/" in a.get("href", "")]
    assert lot_links == [f"{BASE}lots/{n}/" for n in range(1, 7)]


def names(response):
    return sorted(
        a.get_text() if hasattr(a, "get_text") else a
        for a in [
            x["href"].rstrip("/").rsplit("/", 1)[1]
            for x in elements(response.content.decode(), "a")
            if "/prestataires/" in x.get("href", "") and x["href"].count("/") == 5
        ]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["atelier-tilleul", "callida", "canal-commun"]),
        ("lot=facilitation", ["atelier-tilleul", "callida"]),
        ("lot=communication", ["canal-commun"]),
        ("language=nl", ["atelier-tilleul", "canal-commun"]),
        ("language=en&lot=facilitation", ["atelier-tilleul"]),
        ("lot=evaluation", []),
        ("lot=nonsense&language=de&method=???", ["atelier-tilleul", "callida", "canal-commun"]),
    ],
)
def test_directory_filters(client, providers, query, expected):
    response = client.get(f"{BASE}prestataires/?{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_provider_page_shows_lots_languages_and_professional_contact(client, providers):
    html = client.get(f"{BASE}prestataires/atelier-tilleul/").content.decode()
    assert elements(html, "a", href="mailto:contact@tilleul.example.org")
    assert elements(html, "a", href=f"{BASE}lots/2/") and elements(html, "a", href=f"{BASE}lots/3/")
    assert elements(html, "div", class_="notice notice--demo", role="note")
    assert "notice--demo" not in client.get(f"{BASE}prestataires/callida/").content.decode()
    assert client.get(f"{BASE}prestataires/nobody/").status_code == 404


def test_lot_page_lists_its_providers(client, providers):
    html = client.get(f"{BASE}lots/3/").content.decode()
    assert elements(html, "a", href=f"{BASE}prestataires/callida/")
    assert not elements(html, "a", href=f"{BASE}prestataires/canal-commun/")
    assert client.get(f"{BASE}lots/9/").status_code == 404


def valid_request(**overrides):
    data = {
        "organisation": "Commune de Forest",
        "organisation_type": "municipal-administration",
        "contact_name": "Alex Martin",
        "email": "alex.martin@example.org",
        "project_summary": "Un panel citoyen sur le réaménagement d'une place.",
        "lots": [str(PurchasingLot.objects.get(number=3, **CANONICAL_TERMS).pk)],
        "process_languages": ["fr", "nl"],
        "start": "2027-03-01",
        "end": "2027-09-30",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_request_with_errors_keeps_every_value_and_links_each_error(client, centre):
    response = client.post(f"{BASE}demande/", valid_request(email="not-an-address", consent="", end="2026-01-01"))
    assert response.status_code == 200
    html = response.content.decode()
    summary_links = [a["href"] for a in elements(html, "a") if a.get("href", "").startswith("#id_")]
    assert summary_links == ["#id_email", "#id_end", "#id_consent"]
    assert elements(html, "input", name="organisation", value="Commune de Forest")
    assert elements(html, "input", name="email", value="not-an-address", **{"aria-invalid": "true"})
    assert escape("Un panel citoyen sur le réaménagement d'une place.") in html
    assert "checked" in elements(html, "input", name="process_languages", value="nl")[0]
    assert SupportRequest.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_request_lifecycle_with_reference_and_emails_in_the_requester_language(
    client, centre, language, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    from participation.core.services import page_translation_save

    prefix = BASE
    request_route, sent_route = {"fr": ("demande/", "envoyee/"), "nl": ("aanvraag/", "verzonden/")}.get(
        language, ("request/", "sent/")
    )
    if language != "fr":
        translation_page = page_translation_save(
            source=centre, locale=Locale.objects.get(language_code=language), fields={"slug": f"centre-{language}"}
        )
        prefix = translation_page.url
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{prefix}{request_route}", valid_request())
    assert response.status_code == 302
    assert response["Location"] == f"{prefix}{request_route}{sent_route}"
    support_request = SupportRequest.objects.get()
    assert support_request.reference.startswith("CM-") and support_request.reference.endswith("-0001")
    assert support_request.language == language
    assert support_request.status == RequestStatus.RECEIVED
    sent = client.get(response["Location"]).content.decode()
    assert support_request.reference in sent

    to_service, to_requester = mail.outbox
    assert to_service.to == [settings.PURCHASING_CENTRE_EMAIL]
    assert support_request.reference in to_service.subject and "Commune de Forest" in to_service.body
    assert to_requester.to == ["alex.martin@example.org"]
    with translation.override(language):
        assert translation.gettext(NEXT_STEPS) in to_requester.body

    second = client.post(f"{prefix}{request_route}", valid_request(organisation="CPAS de Jette"))
    assert second.status_code == 302
    assert SupportRequest.objects.get(organisation="CPAS de Jette").reference.endswith("-0002")


def test_status_change_informs_the_requester_once_and_queue_lists_it(
    client, centre, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}demande/", valid_request())
    support_request = SupportRequest.objects.get()
    mail.outbox.clear()
    moderator = get_user_model().objects.create_user("moderator", "moderator@example.org", "a-long-password-1")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    listing = client.get("/admin/snippets/providers/supportrequest/?status=received")
    assert support_request.reference in listing.content.decode()

    previous = support_request.status
    support_request.status = RequestStatus.ASSESSING
    support_request.save()
    with django_capture_on_commit_callbacks(execute=True):
        support_request_status_notify(support_request=support_request, previous_status=previous)
    (message,) = mail.outbox
    assert message.to == ["alex.martin@example.org"]
    assert support_request.reference in message.subject
    with translation.override("fr"):
        assert str(RequestStatus.ASSESSING.label) in message.body
    with django_capture_on_commit_callbacks(execute=True):
        support_request_status_notify(support_request=support_request, previous_status=support_request.status)
    assert len(mail.outbox) == 1


def test_requester_data_never_appears_on_public_pages(client, providers):
    client.post(f"{BASE}demande/", valid_request())
    for path in ("", "prestataires/", "prestataires/callida/", "lots/3/", "demande/envoyee/"):
        html = client.get(f"{BASE}{path}").content.decode()
        assert "alex.martin@example.org" not in html and "Alex Martin" not in html


def test_sitemap_lists_the_directory_providers_and_lots(client, providers):
    body = client.get("/sitemap.xml").content.decode()
    for path in ("prestataires/", "prestataires/callida/", "lots/6/", "qui-peut-commander/"):
        assert f"<loc>http://testserver{BASE}{path}</loc>" in body


def test_editing_the_status_in_the_admin_emails_the_requester(client, centre, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}demande/", valid_request())
    support_request = SupportRequest.objects.get()
    mail.outbox.clear()
    moderator = get_user_model().objects.create_user("moderator", "moderator@example.org", "a-long-password-1")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    edit_url = f"/admin/snippets/providers/supportrequest/edit/{support_request.pk}/"
    form = {
        "status": "specifications",
        "internal_notes": "Cahier des charges envoyé.",
        "organisation": support_request.organisation,
        "organisation_type": support_request.organisation_type,
        "contact_name": support_request.contact_name,
        "email": support_request.email,
        "phone": "",
        "language": support_request.language,
        "project_summary": support_request.project_summary,
        "lots": [str(lot.pk) for lot in support_request.lots.all()],
        "start": "2027-03-01",
        "end": "2027-09-30",
        "budget_band": "",
        "process_languages": '["fr", "nl"]',
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    support_request.refresh_from_db()
    assert support_request.status == "specifications"
    (message,) = mail.outbox
    assert message.to == [support_request.email]
    with translation.override("fr"):
        assert str(RequestStatus.SPECIFICATIONS.label) in message.body

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url, {**form, "internal_notes": "Relance."})
    assert len(mail.outbox) == 1


# What people see (issue 16): the centre's addresses in each language, requests that start from a lot or a provider,
# answers that reach the service, pages that lead somewhere.


def test_the_centres_addresses_are_in_each_language_and_the_english_ones_redirect(client, providers):
    assert client.get(f"{BASE}prestataires/callida/").status_code == 200
    for old, new in (
        ("providers/callida/", "prestataires/callida/"),
        ("eligibility/?organisation_type=other", "qui-peut-commander/?organisation_type=other"),
        ("request/", "demande/"),
        ("request/sent/", "demande/envoyee/"),
    ):
        response = client.get(f"{BASE}{old}")
        assert response.status_code == 301, old
        assert response["Location"] == f"{BASE}{new}"


def test_a_route_has_its_own_canonical_address_and_description(client, providers):
    soup = BeautifulSoup(client.get(f"{BASE}prestataires/callida/?lot=3").content, "html.parser")
    assert soup.select_one("link[rel=canonical]")["href"] == f"http://testserver{BASE}prestataires/callida/"
    assert "Callida" in soup.select_one("meta[name=description]")["content"]


def test_asking_for_support_from_a_lot_or_a_provider_carries_it_into_the_form(client, providers):
    lot = PurchasingLot.objects.get(number=2, **CANONICAL_TERMS)
    from_lot = BeautifulSoup(client.get(f"{BASE}demande/?lot=2").content, "html.parser")
    assert [box["value"] for box in from_lot.select("input[name=lots][checked]")] == [str(lot.pk)]
    from_provider = BeautifulSoup(client.get(f"{BASE}demande/?provider=atelier-tilleul").content, "html.parser")
    assert from_provider.select_one("select[name=provider] option[selected]").get_text(strip=True) == "Atelier Tilleul"
    assert len(from_provider.select("input[name=lots][checked]")) == 2
    # Unknown values are ignored: the form opens empty.
    assert client.get(f"{BASE}demande/?lot=99&provider=nobody").status_code == 200
    lot_page = client.get(f"{BASE}lots/2/").content.decode()
    assert elements(lot_page, "a", href=f"{BASE}demande/?lot=2")
    provider_page = client.get(f"{BASE}prestataires/callida/").content.decode()
    assert elements(provider_page, "a", href=f"{BASE}demande/?provider=callida")


def test_the_provider_wished_for_is_stored_and_replies_reach_a_person(
    client, providers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}demande/", valid_request(provider=str(providers["callida"].pk), phone="+32 2 123 45 67"))
    assert SupportRequest.objects.get().provider == providers["callida"]
    to_service, to_requester = mail.outbox
    assert "Callida" in to_service.body
    assert to_service.extra_headers["Reply-To"] == "alex.martin@example.org"
    assert to_requester.extra_headers["Reply-To"] == settings.PARTICIPATION_CONTACT_EMAILS["fr"]
    soup = BeautifulSoup(client.get(f"{BASE}demande/").content, "html.parser")
    phone = soup.select_one("input[name=phone]")
    assert phone["type"] == "tel" and phone["autocomplete"] == "tel"
    assert soup.select_one("input[name=email]")["autocomplete"] == "email"


def test_the_how_to_order_steps_lead_to_the_request_form(client, centre):
    html = client.get(BASE).content.decode()
    steps = html.split('id="steps-heading"', 1)[1]
    assert f'href="{BASE}demande/"' in steps.split("</section>", 1)[0]


def test_the_eligibility_check_sent_empty_says_what_is_missing(client, centre):
    soup = BeautifulSoup(client.get(f"{BASE}qui-peut-commander/?check=1").content, "html.parser")
    assert soup.select_one("#error-summary") is not None
    assert len(soup.select(".field__error")) == 3
    assert soup.select_one("main form input[type=hidden][name=check]") is not None


@pytest.mark.parametrize("path", ["prestataires/", "prestataires/?lot=3", "lots/3/", ""])
def test_pages_run_a_constant_number_of_queries(client, providers, path):
    before = query_count(client, f"{BASE}{path}")
    for n in range(4):
        provider_create(f"Extra {n}", [3], languages=("fr", "nl"))
    assert query_count(client, f"{BASE}{path}") == before


PLAN = (
    "/fr/planifier/plan/?objective=react&level=consultation&audience=all-residents&audience=older-people&size=large"
    "&scope=neighbourhood&time=1-3-months&budget=5k-25k&format=online&language=fr&language=nl&complexity=medium"
    "&polarisation=medium&organiser=public-body&decision=Le+r%C3%A9am%C3%A9nagement+du+parc"
)


def plan_param(plan=PLAN):
    return plan.replace("%", "%25").replace("&", "%26").replace("+", "%2B")


def test_a_request_from_the_planner_carries_the_plan(client, centre):
    """The planner's "request support" link: its lots, budget band and languages pre-filled, and the plan itself
    shown to the person as it will be sent."""
    query = f"lot=2&lot=3&lot=99&budget=5k-25k&language=fr&language=nl&language=xx&plan={plan_param()}"
    soup = BeautifulSoup(client.get(f"{BASE}demande/?{query}").content, "html.parser")
    checked = {box["value"] for box in soup.select("input[name=lots][checked]")}
    assert checked == {str(lot.pk) for lot in PurchasingLot.objects.filter(number__in=[2, 3], **CANONICAL_TERMS)}
    assert soup.select_one("select[name=budget_band] option[selected]").text.strip() == "De 5 000 à 25 000 €"
    assert {box["value"] for box in soup.select("input[name=process_languages][checked]")} == {"fr", "nl"}
    assert soup.select_one("input[type=hidden][name=plan]")["value"] == PLAN
    shown = soup.select_one(".attached-plan__text").text
    assert f"http://testserver{PLAN}" in shown
    assert "Le réaménagement du parc" in shown
    assert "1. Cadrage" in shown and "6. Évaluation" in shown  # every phase, in process order
    assert "Points d'attention" in shown  # online only with older people: the planner's warning goes too
    assert soup.select_one("textarea[name=project_summary]").text.strip() == ""  # the person's own words


def test_a_sent_request_keeps_the_plan_for_the_service_in_the_admin_and_its_email(
    client, centre, django_capture_on_commit_callbacks
):
    shown = BeautifulSoup(client.get(f"{BASE}demande/?plan={plan_param()}").content, "html.parser")
    shown = shown.select_one(".attached-plan__text").text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}demande/?plan={plan_param()}", valid_request(plan=PLAN))
    assert response.status_code == 302
    support_request = SupportRequest.objects.get()
    assert support_request.plan_summary == shown
    service_mail = next(message for message in mail.outbox if message.to == [settings.PURCHASING_CENTRE_EMAIL])
    assert shown in service_mail.body
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(editor)
    admin = client.get(f"/admin/snippets/providers/supportrequest/edit/{support_request.pk}/").content.decode()
    assert escape("Le réaménagement du parc") in admin
    assert escape(f"http://testserver{PLAN}") in admin


@pytest.mark.parametrize(
    "plan",
    [
        "//evil.example/x",
        "/fr/planifier/plan/?objective=react",  # answers missing
        "/fr/planifier/plan/?objective=nonsense&level=consultation",
        "/fr/autre-page/",
    ],
)
def test_a_plan_address_that_is_not_a_valid_plan_is_said_and_never_sent(client, centre, plan):
    soup = BeautifulSoup(
        client.get(f"{BASE}demande/?plan={plan_param(plan)}&lot=abc&budget=zzz").content, "html.parser"
    )
    assert soup.select_one(".attached-plan .notice--warning")
    assert not soup.select(".attached-plan__text")
    assert soup.select_one("textarea[name=project_summary]").text.strip() == ""
    assert not soup.select("input[name=lots][checked]")
    response = client.post(f"{BASE}demande/", valid_request(plan=plan))
    assert response.status_code == 200
    assert escape("L'adresse de votre plan n'a pas pu être lue") in response.content.decode()
    assert elements(response.content.decode(), "input", name="organisation", value="Commune de Forest")
    assert SupportRequest.objects.count() == 0


def test_a_request_without_a_plan_has_no_plan_section(client, centre):
    soup = BeautifulSoup(client.get(f"{BASE}demande/").content, "html.parser")
    assert not soup.select(".attached-plan")
    assert client.post(f"{BASE}demande/", valid_request()).status_code == 302
    assert SupportRequest.objects.get().plan_summary == ""


def test_provider_page_runs_a_constant_number_of_queries(client, providers, module_homes):
    """A provider's page costs the same whatever the number of its lots, methods and references."""
    from participation.initiatives.tests.factories import initiative_create, map_page
    from participation.toolbox.tests.factories import sheet_create, toolbox_index

    home = fresh(module_homes["fr"])
    toolbox = toolbox_index(home)
    map_page(home)
    callida = providers["callida"]

    def mastered_add(n):
        callida.methods.add(sheet_create(toolbox, title=f"Méthode {n}", slug=f"methode-{n}"))
        callida.references.add(initiative_create(titles={"fr": f"Référence {n}"}))
        callida.save()  # parental relations are written on saving

    mastered_add(0)
    url = f"{BASE}prestataires/callida/"
    before = query_count(client, url)
    for n in range(1, 4):
        mastered_add(n)
    callida.lots.add(*PurchasingLot.objects.filter(number__in=[1, 2], **CANONICAL_TERMS))
    callida.save()
    html = client.get(url).content.decode()
    assert all(f"Méthode {n}" in html and f"Référence {n}" in html for n in range(4))
    assert query_count(client, url) == before
