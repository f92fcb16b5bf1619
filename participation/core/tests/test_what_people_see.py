"""What people see, across the site (issue 16): forms that declare their personal data and say what they need, dates
and decimals as Belgians write them, the catalogues' French typography and Dutch form of address, announcements that
do not go stale, e-mails that can be answered, and the home page's sections."""

import datetime
import re
from decimal import Decimal
from email.utils import parseaddr

import pytest
from babel.messages.pofile import read_po
from django import forms
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from participation.core import selectors
from participation.core.blocks import BodyBlock
from participation.core.forms import BelgianDateField, DecimalCommaField, SiteFormMixin
from participation.core.mail import mail_send
from participation.core.models import StandardPage
from participation.core.services import page_create


def _catalogue(code):
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "locale" / code / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def _strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_french_catalogue_puts_a_narrow_no_break_space_before_high_punctuation():
    wrong = [
        text
        for message in _catalogue("fr")
        if message.id
        for text in _strings(message)
        if re.search(r" [:;?!](\s|$)|« | »", text)
    ]
    assert wrong == []


def test_dutch_catalogue_addresses_people_as_u():
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
    wrong = [text for message in _catalogue("nl") if message.id for text in _strings(message) if informal.search(text)]
    assert wrong == []


def _public_forms():
    import participation.network.forms
    import participation.newsletter.forms
    import participation.providers.forms
    import participation.submissions.forms  # noqa: F401

    found, todo = set(), list(SiteFormMixin.__subclasses__())
    while todo:
        form_class = todo.pop()
        found.add(form_class)
        todo += form_class.__subclasses__()
    return [f for f in found if issubclass(f, forms.BaseForm) and not f.__name__.startswith("_")]


PERSONAL = {"name", "contact_name", "email", "contact_email", "phone", "organisation", "contact_organisation"}


@pytest.fixture
def site_homes(module_homes, db):
    """The home pages, built once for the module (what a test changes is rolled back after it)."""
    return module_homes


def _instantiate(form_class):
    if "AuthenticationForm" in [c.__name__ for c in form_class.__mro__]:
        return form_class(None)
    if "SetPasswordForm" in [c.__name__ for c in form_class.__mro__]:
        from django.contrib.auth import get_user_model

        return form_class(get_user_model()(username="someone"))
    return form_class()


@pytest.mark.django_db
def test_every_personal_data_field_declares_its_purpose_and_the_phone_is_a_tel_input(site_homes):
    checked = 0
    for form_class in _public_forms():
        form = _instantiate(form_class)
        for name, field in form.fields.items():
            if name in PERSONAL:
                checked += 1
                assert field.widget.attrs.get("autocomplete"), (form_class.__name__, name)
            if name == "phone":
                assert field.widget.input_type == "tel"
            assert "autofocus" not in field.widget.attrs, (form_class.__name__, name)
    assert checked >= 8


@pytest.mark.django_db
def test_no_required_field_answers_this_field_is_required(site_homes):
    default = str(forms.Field.default_error_messages["required"])
    for form_class in _public_forms():
        form = _instantiate(form_class)
        for name, field in form.fields.items():
            if field.required:
                assert str(field.error_messages["required"]) != default, (form_class.__name__, name)


@pytest.mark.django_db
def test_every_consent_checkbox_links_to_the_privacy_notice(client, site_homes):
    notice = page_create(
        parent=site_homes["fr"],
        page=StandardPage(title="Vie privée", slug="vie-privee", lead="La vie privée.", body=[]),
    )
    consents = [form_class for form_class in _public_forms() if "consent" in form_class.base_fields]
    assert len(consents) >= 3
    with translation.override("fr"):
        for form_class in consents:
            html = str(form_class()["consent"].as_field_group())
            assert f'href="{notice.url}"' in html, form_class.__name__


@pytest.mark.parametrize("typed", ["31/03/2025", "31-03-2025", "31.03.2025", "31 / 03 / 2025", "2025-03-31"])
def test_dates_are_read_as_belgians_write_them(typed):
    assert BelgianDateField().clean(typed) == datetime.date(2025, 3, 31)


def test_a_date_is_shown_back_day_first_and_a_wrong_one_says_how_to_write_it():
    field = BelgianDateField()
    assert field.prepare_value(datetime.date(2025, 3, 1)) == "01/03/2025"
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as error:
            field.clean("03/31/2025")
        assert "day/month/year" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["50,8625", "50.8625", " 50,8625 "])
def test_decimals_take_the_belgian_comma(typed):
    assert DecimalCommaField(max_digits=9, decimal_places=6).clean(typed) == Decimal("50.8625")


def test_emails_are_answered_by_the_service_in_the_readers_language_and_signed_in_it():
    mail_send(template="newsletter/email/confirm", recipient="a@example.org", language="nl", context={"link": "x"})
    mail_send(template="newsletter/email/confirm", recipient="b@example.org", language="fr", context={"link": "x"})
    dutch, french = mail.outbox
    assert dutch.extra_headers["Reply-To"] == settings.PARTICIPATION_CONTACT_EMAILS["nl"]
    assert french.extra_headers["Reply-To"] == settings.PARTICIPATION_CONTACT_EMAILS["fr"]
    assert parseaddr(dutch.from_email)[0] == "participatie.brussels"
    assert parseaddr(french.from_email)[0] == "participation.brussels"


@pytest.mark.django_db
def test_a_dated_announcement_disappears_after_its_day_and_is_listed_for_editors(client, site_homes):
    today = timezone.localdate()
    page = page_create(
        parent=site_homes["fr"],
        page=StandardPage(
            title="Réseau",
            slug="annonces",
            lead="Des annonces.",
            body=[
                ("announcement", {"text": "<p>Programme à venir</p>", "show_until": today}),
                ("announcement", {"text": "<p>Programme périmé</p>", "show_until": today - datetime.timedelta(1)}),
            ],
        ),
    )
    html = client.get(page.url).content.decode()
    assert "Programme à venir" in html and "Programme périmé" not in html
    expired = selectors.announcements_expired()
    assert [(item.pk, until) for item, until in expired] == [(page.pk, today - datetime.timedelta(1))]
    assert "announcement" in BodyBlock.base_blocks


@pytest.mark.django_db
def test_the_404_page_gives_the_address_of_its_language(client, site_homes):
    # The page's own text (the footer gives both addresses, each with its language).
    dutch = client.get("/nl/bestaat-niet/").content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    french = client.get("/fr/nexiste-pas/").content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert settings.PARTICIPATION_CONTACT_EMAILS["nl"] in dutch
    assert settings.PARTICIPATION_CONTACT_EMAILS["fr"] not in dutch
    assert settings.PARTICIPATION_CONTACT_EMAILS["fr"] in french


@pytest.mark.django_db
def test_header_has_a_menu_that_folds_without_javascript_and_a_logo(client, site_homes):
    html = client.get("/fr/").content.decode()
    assert '<details class="site-menu">' in html
    assert 'class="site-menu__toggle"' in html
    assert "img/logo" in html
    # The footer's sitemap link does not lead people to raw XML.
    assert "sitemap.xml" not in html.split('<footer class="site-footer">', 1)[1]


@pytest.mark.django_db
def test_the_home_page_invites_with_events_articles_real_initiatives_and_search(client, site_homes):
    from participation.articles.models import ArticleIndexPage, ArticlePage
    from participation.initiatives.tests.factories import initiative_create, map_page
    from participation.network.tests.factories import EventPageFactory, NetworkPageFactory

    home = site_homes["fr"]
    articles = page_create(parent=home, page=ArticleIndexPage(title="Articles", slug="articles", lead="Les articles."))
    page_create(
        parent=articles,
        page=ArticlePage(
            title="Un article récent",
            slug="article-recent",
            lead="Chapeau.",
            date=timezone.localdate(),
            author="Service Participation",
            body=[("paragraph", "<p>Texte.</p>")],
        ),
    )
    network = page_create(parent=home, page=NetworkPageFactory())
    page_create(parent=network, page=EventPageFactory(title="Atelier à venir", slug="atelier-a-venir"))
    map_page(home)
    initiative_create(titles={"fr": "Une initiative réelle"})
    initiative_create(titles={"fr": "Une initiative inventée"}, is_demo=True)
    html = client.get(home.url).content.decode()
    for heading in ("Événements et formations à venir", "Derniers articles", "Initiatives bruxelloises"):
        assert heading in html
    assert "Atelier à venir" in html and "Un article récent" in html and "Une initiative réelle" in html
    assert "Une initiative inventée" not in html, "demo initiatives are never featured"
    assert 'action="/fr/recherche/"' in html


@pytest.mark.django_db
def test_the_home_page_features_the_latest_initiatives_and_the_undated_last(client, site_homes):
    from participation.initiatives.tests.factories import initiative_create, map_page

    map_page(site_homes["fr"])
    initiative_create(titles={"fr": "Sans date"}, start_date=None)
    for year in (2021, 2023, 2025):
        initiative_create(titles={"fr": f"Initiative de {year}"}, start_date=datetime.date(year, 3, 1))
    html = client.get(site_homes["fr"].url).content.decode()
    titles = [title for title in ("Initiative de 2025", "Initiative de 2023", "Initiative de 2021") if title in html]
    assert titles == ["Initiative de 2025", "Initiative de 2023", "Initiative de 2021"]
    assert html.index("Initiative de 2025") < html.index("Initiative de 2023") < html.index("Initiative de 2021")
    assert "Sans date" not in html


def test_french_dates_write_the_first_of_the_month_as_an_ordinal():
    from django.template import Context, Template

    template = Template('{{ day|date:"j F Y" }} · {{ other|date:"j F Y" }} · {{ day|date:"d/m/Y" }}')
    context = Context({"day": datetime.date(2026, 6, 1), "other": datetime.date(2026, 6, 11)})
    with translation.override("fr"):
        assert template.render(context) == "1er juin 2026 · 11 juin 2026 · 01/06/2026"
    with translation.override("nl"):
        assert template.render(context).startswith("1 juni 2026")


def test_french_writes_language_names_in_lower_case_inside_a_sentence():
    from participation.core.text import language_name_in_text

    with translation.override("fr"):
        assert language_name_in_text("nl") == "néerlandais"
    with translation.override("nl"):
        assert language_name_in_text("fr") == "Frans"


def _content_strings(language):
    """Every text of the demo content in `language` (the `fr:`/`nl:`/`en:` parts of the YAML files)."""
    from pathlib import Path

    from participation.core.content import content_read

    def walk(node, current=None):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, key if key in ("fr", "nl", "en") else current)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, current)
        elif isinstance(node, str) and current == language:
            yield node

    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.glob("*/content/**/*.yaml")):
        yield from ((path.name, text) for text in walk(content_read(path)))


def test_french_content_puts_a_narrow_no_break_space_before_high_punctuation():
    wrong = [(name, text[:80]) for name, text in _content_strings("fr") if re.search(r"[ ][:;?!](\s|$|<)|« | »", text)]
    assert wrong == []


def test_dutch_content_addresses_people_as_u():
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
    # The French words of a quoted workshop ("où je m'assieds") are in French blocks, never in Dutch ones.
    wrong = [(name, text[:80]) for name, text in _content_strings("nl") if informal.search(text)]
    assert wrong == []
