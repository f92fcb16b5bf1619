"""A small site for the API's tests, built once per module: sheets (a method with its profile), initiatives on the
map, articles, events, providers — and private data beside them (contacts, a registration, a subscriber, a support
request, a members-only page) that the API must never show."""

import datetime

import pytest
from django.conf import settings
from wagtail.models import Locale

from conftest import committed
from participation.articles.models import ArticleIndexPage, ArticlePage
from participation.core.models import CANONICAL_TERMS, PurchasingLot, SheetCategory, Theme
from participation.core.services import page_create
from participation.initiatives.tests.factories import initiative_create, map_page
from participation.network.tests.factories import EventPageFactory, NetworkPageFactory
from participation.providers.models import Provider, ProviderText, PurchasingCentrePage
from participation.toolbox.tests.factories import sheet_create, toolbox_index

PRIVATE_EMAIL = "private.person@example.org"


def _centre(home):
    page = PurchasingCentrePage(
        title="Centrale de marchés",
        slug="centrale-de-marches",
        lead="Des prestataires qualifiés.",
        steps_heading="Comment commander",
        faq_heading="Questions",
    )
    return page_create(parent=home, page=page)


def _provider(name, lots, **fields):
    provider = Provider(name=name, slug=name.lower().replace(" ", "-"), **fields)
    provider.lots.set(PurchasingLot.objects.filter(number__in=lots, **CANONICAL_TERMS))
    provider.working_languages.set(Locale.objects.filter(language_code__in=["fr", "nl"]))
    provider.texts = [
        ProviderText(language="fr", description=f"{name} en français.", services="Animation\nSynthèse"),
        ProviderText(language="nl", description=f"{name} in het Nederlands.", services="Begeleiding"),
    ]
    provider.save()
    return provider


@pytest.fixture(scope="module")
def api_site(module_homes):
    home = module_homes["fr"]
    with committed():
        toolbox = toolbox_index(home)
        method = sheet_create(
            toolbox,
            title="Panel citoyen",
            slug="panel-citoyen",
            profile={"levels": ["consultation"], "group_sizes": ["small"], "formats": ["face-to-face"]},
            language_handling="parallel-groups",
        )
        sheets = [
            method,
            sheet_create(
                toolbox,
                title="Cadrage",
                slug="cadrage",
                kind="phase",
                category=SheetCategory.objects.get(key="phases", **CANONICAL_TERMS),
            ),
        ]
        index = map_page(home)
        initiatives = [
            initiative_create(communes=("ixelles",), themes=("mobility",), methods=[method], start_date=None),
            initiative_create(communes=("schaerbeek",), themes=("mobility", "environment-climate")),
            initiative_create(
                communes=("schaerbeek",),
                themes=("culture-heritage",),
                titles={"nl": "Een buurtfeest", "fr": "Une fête"},
            ),
            initiative_create(communes=("ixelles",), themes=("culture-heritage",), live=False),
        ]
        articles_index = page_create(
            parent=home, page=ArticleIndexPage(title="Articles", slug="articles", lead="Des articles.")
        )
        articles = []
        for number in range(3):
            article = ArticlePage(
                title=f"Article {number}",
                slug=f"article-{number}",
                lead="Chapeau",
                date=datetime.date(2025, 1, 1 + number),
                author="Service Participation",
                body=[("paragraph", "<p>Texte.</p>")],
            )
            article.themes.set(Theme.objects.filter(key="mobility", **CANONICAL_TERMS))
            articles.append(page_create(parent=articles_index, page=article))
        network = page_create(parent=home, page=NetworkPageFactory())
        events = [
            page_create(
                parent=network,
                page=EventPageFactory(online_url="https://meet.example.org/secret", online_url_public=False),
            ),
            page_create(parent=network, page=EventPageFactory(venue_name="Maison de la participation")),
        ]
        centre = _centre(home)
        providers = [_provider("Callida", [3]), _provider("Atelier Tilleul", [2, 3], email="contact@tilleul.example")]
    return {
        "home": home,
        "sheets": sheets,
        "map": index,
        "initiatives": initiatives,
        "articles": articles,
        "events": events,
        "network": network,
        "centre": centre,
        "providers": providers,
        "language": settings.LANGUAGE_CODE,
    }
