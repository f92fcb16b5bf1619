import datetime
import json
import re

import pytest
from django.conf import settings
from wagtail.models import Locale

from conftest import fresh
from participation.core.services import page_translation_save
from participation.core.tests.html import elements
from participation.initiatives.tests.factories import initiative_create, map_page
from participation.toolbox.tests.factories import sections, sheet_create, toolbox_index

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def module_setup(module_homes):
    toolbox = toolbox_index(module_homes["fr"])
    sheet = sheet_create(toolbox, title="World café", slug="world-cafe")
    index = map_page(module_homes["fr"])
    for code, slug in (("nl", "initiatieven"), ("en", "initiatives")):
        page_translation_save(
            source=index, locale=Locale.objects.get(language_code=code), fields={"slug": slug, "title": slug}
        )
    nl = Locale.objects.get(language_code="nl")
    page_translation_save(source=toolbox, locale=nl, fields={"slug": "toolbox", "title": "Toolbox"})
    page_translation_save(source=sheet, locale=nl, fields={"slug": "wereldcafe", "title": "Wereldcafé"})
    initiative = initiative_create(
        titles={"fr": "Une place pour tous", "nl": "Een plein voor iedereen"},
        methods=(sheet,),
        steps=[(datetime.date(2022, 4, 2), {"fr": "Marche exploratoire", "nl": "Verkenningswandeling"})],
    )
    return {"toolbox": toolbox, "sheet": sheet, "initiative": initiative}


@pytest.fixture
def setup(module_setup, db):
    return fresh(module_setup)


def detail_url(initiative, language="fr"):
    prefix = {"fr": "/fr/initiatives/", "nl": "/nl/initiatieven/", "en": "/en/initiatives/"}[language]
    return f"{prefix}{initiative.pk}-{initiative.text(language).slug}/"


def test_detail_shows_public_fields_timeline_methods_and_json_ld(client, setup):
    initiative = setup["initiative"]
    response = client.get(detail_url(initiative))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Une place pour tous" in html and "Problèmes Une place pour tous" in html
    assert "Marche exploratoire" in html
    assert elements(html, "a", href="/fr/outils/world-cafe/")
    assert initiative.organisers in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Une place pour tous"
    assert data["location"]["geo"]["latitude"] == 50.8467
    for private in ("Private Person", "private.person@example.org", "Private Organisation"):
        assert private not in html


def test_detail_in_dutch_links_the_dutch_method_sheet(client, setup):
    html = client.get(detail_url(setup["initiative"], "nl")).content.decode()
    assert "Een plein voor iedereen" in html
    assert elements(html, "a", href="/nl/toolbox/wereldcafe/")
    assert "Verkenningswandeling" in html


def test_detail_without_translation_shows_original_with_notice_and_lang(client, setup):
    html = client.get(detail_url(setup["initiative"], "en")).content.decode()
    assert '<html lang="en">' in html
    assert elements(html, "h1", lang="fr")
    assert elements(html, "div", class_="notice notice--language", role="note")
    assert "does not exist in English yet" in html


def test_dutch_text_without_sections_falls_back_to_original_sections(client, setup):
    html = client.get(detail_url(setup["initiative"], "nl")).content.decode()
    assert elements(html, "h1", lang="nl")
    assert elements(html, "div", lang="fr")
    assert "Problèmes Une place pour tous" in html


def test_wrong_slug_redirects_to_the_address_of_the_language(client, setup):
    response = client.get(f"/nl/initiatieven/{setup['initiative'].pk}-anything/")
    assert response.status_code == 301
    assert response["Location"] == detail_url(setup["initiative"], "nl")


def test_switcher_on_a_detail_page_leads_to_the_same_initiative(client, setup):
    html = client.get(detail_url(setup["initiative"])).content.decode()
    links = {a["hreflang"]: a["href"] for a in elements(html, "a") if "hreflang" in a}
    assert links["nl"] == f"/language/nl/?next={detail_url(setup['initiative'], 'nl')}"
    alternates = {link["hreflang"] for link in elements(html, "link", rel="alternate") if "hreflang" in link}
    assert alternates == {"fr", "nl", "x-default"}


def test_unpublished_initiative_is_not_found(client, setup):
    pending = initiative_create(titles={"fr": "Pas encore"}, live=False)
    assert client.get(f"/fr/initiatives/{pending.pk}-pas-encore/").status_code == 404


def test_outdated_information_is_flagged(client, setup):
    initiative = setup["initiative"]
    initiative.last_verified = datetime.date.today() - datetime.timedelta(days=400)
    initiative.save()
    assert elements(
        client.get(detail_url(initiative)).content.decode(), "div", class_="notice notice--warning", role="note"
    )


def test_related_initiatives_are_ranked_by_the_terms_they_share(client, setup):
    initiative = setup["initiative"]
    theme_keys = [theme.key for theme in initiative.themes.all()]
    same_commune = initiative_create(titles={"fr": "Même commune"}, communes=("ixelles",), themes=("housing",))
    same_method = initiative_create(
        titles={"fr": "Même méthode"}, communes=("uccle",), themes=("housing",), methods=(setup["sheet"],)
    )
    method_and_theme = initiative_create(
        titles={"fr": "Méthode et thème"}, communes=("evere",), themes=theme_keys[:1], methods=(setup["sheet"],)
    )
    unrelated = initiative_create(titles={"fr": "Sans lien"}, communes=("evere",), themes=("digital",))
    html = client.get(detail_url(initiative)).content.decode()
    related = html.split('id="related-heading"')[1]
    # A shared method (3) and theme (2) above a method alone (3) above a commune alone (1); never the unrelated one.
    positions = [related.index(title) for title in ("Méthode et thème", "Même méthode", "Même commune")]
    assert positions == sorted(positions)
    assert "Sans lien" not in related
    assert elements(related, "a", href=f"/fr/initiatives/?method={setup['sheet'].slug}")
    assert unrelated.pk and same_method.pk and same_commune.pk and method_and_theme.pk


def test_method_sheet_shows_the_initiatives_that_used_it_in_each_language(client, setup):
    fr = client.get("/fr/outils/world-cafe/").content.decode()
    assert elements(fr, "a", href=detail_url(setup["initiative"]))
    nl = client.get("/nl/toolbox/wereldcafe/").content.decode()
    assert elements(nl, "a", href=detail_url(setup["initiative"], "nl"))


def test_process_type_sheet_shows_the_initiatives_at_its_level(client, setup):
    from participation.core.models import SheetCategory

    category = SheetCategory.objects.get(key="process-types", locale__language_code=settings.LANGUAGE_CODE)
    sheet_create(
        setup["toolbox"],
        title="Consultation",
        slug="consultation",
        kind="process-type",
        category=category,
        body=sections(["other"]),
        profile={"levels": ["consultation"]},
    )
    html = client.get("/fr/outils/consultation/").content.decode()
    assert elements(html, "a", href=detail_url(setup["initiative"]))


def test_commune_page_lists_its_initiatives_with_key_figures(client, setup):
    initiative_create(titles={"fr": "Ailleurs"}, communes=("evere",))
    html = client.get("/fr/initiatives/communes/ixelles/").content.decode()
    assert "Une place pour tous" in html and "Ailleurs" not in html
    assert elements(html, "a", href="/fr/initiatives/?commune=ixelles")
    assert client.get("/fr/initiatives/communes/atlantis/").status_code == 404


def test_statistics_page_has_a_data_table_per_chart(client, setup):
    initiative_create(titles={"fr": "Deuxième"}, communes=("ixelles", "evere"))
    html = client.get("/fr/initiatives/statistiques/").content.decode()
    assert len(elements(html, "table", class_="bar-chart__table")) == 5
    ixelles_row = re.search(r"<th scope=\"row\">Ixelles</th>\s*<td class=\"bar-chart__count\">(\d+)</td>", html)
    assert ixelles_row and ixelles_row.group(1) == "2"


def test_sitemap_lists_initiatives_in_their_languages_communes_and_statistics(client, setup):
    initiative = setup["initiative"]
    body = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://testserver{detail_url(initiative)}</loc>" in body
    assert f"<loc>http://testserver{detail_url(initiative, 'nl')}</loc>" in body
    assert f"/en/initiatives/{initiative.pk}-" not in body  # no English text: the English page is a fallback
    assert "<loc>http://testserver/nl/initiatieven/gemeenten/elsene/</loc>" in body
    assert "<loc>http://testserver/en/initiatives/statistics/</loc>" in body


def test_editors_manage_initiatives_in_the_admin(client, setup):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    editors = Group.objects.get(name="Editors")
    assert {"add_initiative", "change_initiative"} <= set(editors.permissions.values_list("codename", flat=True))
    user = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-password-1")
    user.groups.add(editors)
    client.force_login(user)
    listing = client.get("/admin/snippets/initiatives/initiative/?status=finished&q=place")
    assert listing.status_code == 200
    assert "Une place pour tous" in listing.content.decode()
    initiative = setup["initiative"]
    assert client.get(f"/admin/snippets/initiatives/initiative/edit/{initiative.pk}/").status_code == 200
    initiative.save_revision(user=user)
    history = client.get(f"/admin/snippets/initiatives/initiative/history/{initiative.pk}/")
    assert history.status_code == 200
    assert Permission.objects.filter(codename="delete_initiative", group=editors).exists() is False


def test_statistics_page_links_every_commune_page(client, setup):
    html = client.get("/nl/initiatieven/statistieken/").content.decode()
    links = [a["href"] for a in elements(html, "a") if "/gemeenten/" in a.get("href", "")]
    assert len(links) == 19
    assert "/nl/initiatieven/gemeenten/elsene/" in links


def test_method_sheet_lists_the_initiatives_that_used_it_and_the_map_filtered_by_it(client, setup):
    initiative = setup["initiative"]
    html = client.get("/fr/outils/world-cafe/").content.decode()
    section = html.split('id="examples-heading"')[1].split("</section>")[0]
    assert f'href="{detail_url(initiative)}"' in section and "Une place pour tous" in section
    assert 'href="/fr/initiatives/?method=world-cafe"' in section
    dutch = client.get("/nl/toolbox/wereldcafe/").content.decode()
    section = dutch.split('id="examples-heading"')[1].split("</section>")[0]
    assert "Een plein voor iedereen" in section and 'href="{}"'.format(detail_url(initiative, "nl")) in section
    assert 'href="/nl/initiatieven/?method=world-cafe"' in section


def test_sheet_without_examples_has_no_examples_section(client, setup):
    initiative = setup["initiative"]
    initiative.unpublish()
    assert 'id="examples-heading"' not in client.get("/fr/outils/world-cafe/").content.decode()


# What people see (issue 16): addresses in each language, figures that say when they come from demo content, cards
# and key figures that read well, text in another language marked as such.


def test_statistics_and_commune_addresses_are_in_each_language_and_the_old_ones_redirect(client, setup):
    assert client.get("/nl/initiatieven/statistieken/").status_code == 200
    assert client.get("/nl/initiatieven/gemeenten/elsene/").status_code == 200
    for old, new in (
        ("/nl/initiatieven/statistics/", "/nl/initiatieven/statistieken/"),
        ("/nl/initiatieven/communes/ixelles/", "/nl/initiatieven/gemeenten/elsene/"),
        ("/nl/initiatieven/gemeenten/ixelles/", "/nl/initiatieven/gemeenten/elsene/"),
        ("/fr/initiatives/communes/bruxelles/", "/fr/initiatives/communes/bruxelles-ville/"),
        ("/fr/initiatives/statistics/?x=1", "/fr/initiatives/statistiques/?x=1"),
    ):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get("/nl/initiatieven/gemeenten/atlantis/").status_code == 404


def test_the_language_switcher_and_hreflang_lead_to_the_same_route_in_each_language(client, setup):
    html = client.get("/fr/initiatives/communes/ixelles/").content.decode()
    alternates = {
        link["hreflang"]: link["href"] for link in elements(html, "link", rel="alternate") if "hreflang" in link
    }
    assert alternates["nl"] == "http://testserver/nl/initiatieven/gemeenten/elsene/"
    assert alternates["x-default"] == "http://testserver/fr/initiatives/communes/ixelles/"
    sitemap = client.get("/sitemap.xml").content.decode()
    assert 'hreflang="x-default" href="http://testserver/fr/initiatives/communes/ixelles/"' in sitemap


def test_figures_computed_from_demo_content_say_so(client, setup):
    initiative_create(titles={"fr": "Une initiative inventée"}, is_demo=True)
    for url in ("/fr/initiatives/statistiques/", "/fr/initiatives/communes/ixelles/", "/fr/initiatives/"):
        html = client.get(url).content.decode()
        assert 'class="notice notice--demo"' in html, url
        assert "1 de ces 2 initiatives" in html, url


def test_figures_without_demo_content_have_no_demo_notice(client, setup):
    assert 'class="notice notice--demo"' not in client.get("/fr/initiatives/statistiques/").content.decode()


def test_a_region_wide_initiative_does_not_list_nineteen_communes_and_no_key_figure_is_unnamed(client, setup):
    from participation.core.models import CANONICAL_TERMS, Commune

    every = list(Commune.objects.filter(**CANONICAL_TERMS).values_list("key", flat=True))
    initiative_create(titles={"fr": "Partout à Bruxelles"}, communes=every, status="")
    html = client.get("/fr/initiatives/communes/ixelles/").content.decode()
    card = html.split("Partout à Bruxelles", 1)[1].split("</article>", 1)[0]
    assert "toute la Région" in card and "Anderlecht" not in card
    figures = html.split('class="key-figures"', 1)[1].split("</dl>", 1)[0]
    labels = re.findall(r"<dt>\s*(.*?)\s*</dt>", figures, re.S)
    assert all(label.strip() for label in labels)
    assert "Statut non précisé" in labels


def test_text_kept_in_the_original_language_says_which(client, setup):
    html = client.get(detail_url(setup["initiative"], "en")).content.decode()
    assert re.search(r'<span lang="(fr|nl)">[^<]*(Marche exploratoire|Verkenningswandeling)', html)


def test_an_initiative_links_the_providers_involved_and_the_provider_links_it_back(client, setup, module_homes):
    from participation.core.models import CANONICAL_TERMS, PurchasingLot
    from participation.core.services import page_create
    from participation.providers.models import Provider, ProviderText, PurchasingCentrePage

    centre = page_create(
        parent=fresh(module_homes["fr"]),
        page=PurchasingCentrePage(
            title="Centrale de marchés",
            slug="centrale-de-marches",
            lead="Six lots.",
            steps_heading="Comment commander",
            faq_heading="Questions",
        ),
    )
    provider = Provider(name="Atelier Démo", slug="atelier-demo", is_demo=True)
    provider.references.set([setup["initiative"]])
    provider.lots.set(PurchasingLot.objects.filter(number__in=[1, 3], **CANONICAL_TERMS))
    provider.texts = [ProviderText(language="fr", description="Démo.", services="Animation")]
    provider.save()
    provider_url = centre.route_url("provider", slug="atelier-demo")
    html = client.get(detail_url(setup["initiative"])).content.decode()
    assert f'href="{provider_url}"' in html
    assert f'href="{detail_url(setup["initiative"])}"' in client.get(provider_url).content.decode()
    # Through its providers, the initiative leads to their lots, and each lot's page back to the initiative.
    lots = html.split('id="lots-heading"')[1].split("</section>")[0]
    assert [link["href"] for link in elements(lots, "a")] == [centre.route_url("lot", number=n) for n in (1, 3)]
    for number, listed in ((1, True), (3, True), (2, False)):
        lot_page = client.get(centre.route_url("lot", number=number)).content.decode()
        assert bool(elements(lot_page, "a", href=detail_url(setup["initiative"]))) is listed
