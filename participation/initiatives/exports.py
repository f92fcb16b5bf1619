"""The open exports of the map's initiatives (the same filters as the map): GeoJSON and CSV, public facts only,
under the platform's open-data licence, streamed as the database is read (memory stays flat whatever their size).
The CSV's columns are described in FR, NL and EN by CSVW metadata (`csv_metadata`), which each CSV links to
(docs/decisions/0021-open-data-exports-and-catalogue.md)."""

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.translation import get_language, gettext_lazy

from participation.core.csv_files import csv_response
from participation.core.text import in_every_language
from participation.initiatives import schema, selectors
from participation.initiatives.models.records import Initiative

# Features written together as one piece of the response (fewer, larger writes to the network).
FEATURES_PER_PIECE = 200
CSV_METADATA_TYPE = "application/csvm+json"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def geojson_pieces(*, rows: Iterable[dict[str, Any]], licence: dict[str, str]) -> Iterator[bytes]:
    """A GeoJSON FeatureCollection written piece by piece: the collection's head, the features, its end."""
    head = _compact({"type": "FeatureCollection", "license": licence["name"], "license_url": licence["url"]})
    yield (head[:-1] + ',"features":[').encode()
    rows = iter(rows)
    first = True
    while piece := list(islice(rows, FEATURES_PER_PIECE)):
        features = ",".join(
            _compact(
                {
                    "type": "Feature",
                    "id": row["id"],
                    "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                    "properties": row,
                }
            )
            for row in piece
        )
        yield (features if first else "," + features).encode()
        first = False
    yield b"]}"


def initiatives_response(*, request, index, export_format):
    """The initiatives the query string selects, as a GeoJSON or CSV file."""
    _state, _query, initiatives = selectors.initiative_selection(params=request.GET)
    rows = selectors.initiative_export_rows(
        initiatives=initiatives,
        language=get_language(),
        index=index,
        absolute=request.build_absolute_uri,
    )
    licence = settings.DATA_LICENCE
    if export_format == "geojson":
        response = StreamingHttpResponse(
            geojson_pieces(rows=rows, licence=licence), content_type="application/geo+json"
        )
        response["Content-Disposition"] = 'attachment; filename="initiatives.geojson"'
        response["Link"] = f'<{licence["url"]}>; rel="license"'
        return response
    response = csv_response(
        filename="initiatives.csv",
        header=selectors.EXPORT_FIELDS,
        rows=([_csv_cell(row[column]) for column in selectors.EXPORT_FIELDS] for row in rows),
    )
    metadata = request.build_absolute_uri(index.route_url("export_csv_metadata"))
    response["Link"] = f'<{licence["url"]}>; rel="license", <{metadata}>; rel="describedby"; type="{CSV_METADATA_TYPE}"'
    return response


LIST_SEPARATOR = "|"


def _csv_cell(value: Any) -> Any:
    return LIST_SEPARATOR.join(value) if isinstance(value, list) else value


# The CSV's columns: what each holds, said in every language of the platform (the titles are the fields' names).
_INITIATIVE = Initiative._meta
COLUMN_DESCRIPTIONS = {
    "id": gettext_lazy("Number of the initiative on the platform; stable."),
    "url": gettext_lazy("Address of the initiative's page on the platform, in the language of this file."),
    "title": gettext_lazy("Title of the initiative, in the language given by text_language."),
    "summary": gettext_lazy("Short summary of the initiative, in the language given by text_language."),
    "text_language": gettext_lazy(
        "Language of the title and summary (fr, nl or en): the file's language when a text exists in it, the "
        "initiative's original language otherwise."
    ),
    "text_provenance": gettext_lazy(
        "Where the title and summary come from: original (written in that language), human (translated by a "
        "person), machine (machine translation) or machine_checked (machine translation checked by a person)."
    ),
    "text_provenance_date": gettext_lazy("Date of that translation (ISO 8601); empty for an original text."),
    "original_language": gettext_lazy("Language in which the initiative was first described (fr, nl or en)."),
    "communes": gettext_lazy("Keys of the Brussels communes concerned, separated by |."),
    "latitude": gettext_lazy("Latitude of the initiative's place (WGS 84, decimal degrees)."),
    "longitude": gettext_lazy("Longitude of the initiative's place (WGS 84, decimal degrees)."),
    "geographic_scope": gettext_lazy("Key of the geographic scope (neighbourhood, commune, Region…)."),
    "organisers": gettext_lazy("Names of the organisers, as written in the original language."),
    "organiser_type": gettext_lazy("Key of the type of organiser."),
    "organiser_scope": gettext_lazy("Scope of the organiser: municipal or regional."),
    "partners": gettext_lazy("Partners, as written in the original language."),
    "themes": gettext_lazy("Keys of the themes, separated by |."),
    "participation_level": gettext_lazy("Key of the level of participation (inform, consult, … co-decide)."),
    "methods": gettext_lazy("Methods used: slugs of the toolbox's method sheets (in French), separated by |."),
    "audiences": gettext_lazy("Keys of the audiences reached, separated by |."),
    "recruitment": gettext_lazy("Key of the way participants were recruited."),
    "participants_count": gettext_lazy("Number of participants; empty when unknown."),
    "format": gettext_lazy("Key of the format: in person, online or hybrid."),
    "process_languages": gettext_lazy("Languages in which the process took place (fr, nl, en), separated by |."),
    "start_date": gettext_lazy("Start date (ISO 8601); empty when unknown."),
    "end_date": gettext_lazy("End date (ISO 8601); empty when unknown or not ended."),
    "status": gettext_lazy("Status: planned, ongoing or finished; empty when unknown."),
    "budget_band": gettext_lazy("Key of the budget band."),
    "providers": gettext_lazy("Providers involved, as written in the original language."),
    "purchasing_lot": gettext_lazy("Number (1 to 6) of the purchasing centre's lot used; empty when none."),
    "evaluation": gettext_lazy("Kind of evaluation: none, self, external or participatory; empty when unknown."),
    "impact_evidence": gettext_lazy("Whether there is evidence of impact (True or False); empty when unknown."),
    "last_verified": gettext_lazy("Date on which the information was last verified (ISO 8601)."),
    "is_demo": gettext_lazy("True for demo content invented to show the platform, False for a real initiative."),
}
COLUMN_TITLES = {
    "id": gettext_lazy("identifier"),
    "url": gettext_lazy("address"),
    "title": gettext_lazy("title"),
    "summary": gettext_lazy("short summary"),
    "text_language": gettext_lazy("language of the text"),
    "text_provenance": gettext_lazy("provenance of the text"),
    "text_provenance_date": gettext_lazy("date of the translation"),
}
LIST_COLUMNS = {"communes", "themes", "methods", "audiences", "process_languages"}
DATATYPES = {
    "id": "integer",
    "url": "anyURI",
    "latitude": "decimal",
    "longitude": "decimal",
    "participants_count": "nonNegativeInteger",
    "purchasing_lot": "integer",
    "start_date": "date",
    "end_date": "date",
    "last_verified": "date",
    "text_provenance_date": "date",
    "impact_evidence": {"base": "boolean", "format": "True|False"},
    "is_demo": {"base": "boolean", "format": "True|False"},
}


def _column_title(name: str) -> Any:
    return COLUMN_TITLES.get(name) or _INITIATIVE.get_field(schema.BY_NAME[name].name).verbose_name


def csv_metadata(*, csv_url: str, page_url: str, licence: dict[str, str]) -> dict[str, Any]:
    """The CSVW metadata (W3C "Metadata Vocabulary for Tabular Data") of the initiatives' CSV: each column's name,
    title and description in every language, its datatype, the list separator; the licence."""
    columns = []
    for name in selectors.EXPORT_FIELDS:
        column: dict[str, Any] = {
            "name": name,
            "titles": {"und": name, **in_every_language(_column_title(name))},
            "dc:description": [
                {"@value": text, "@language": code}
                for code, text in in_every_language(COLUMN_DESCRIPTIONS[name]).items()
            ],
            "datatype": DATATYPES.get(name, "string"),
        }
        if name in LIST_COLUMNS:
            column["separator"] = LIST_SEPARATOR
        columns.append(column)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_url,
        "dc:title": [
            {"@value": text, "@language": code}
            for code, text in in_every_language(gettext_lazy("Participatory initiatives in Brussels")).items()
        ],
        "dc:description": [
            {"@value": text, "@language": code}
            for code, text in in_every_language(
                gettext_lazy(
                    "The initiatives of the map of participation.brussels, one per row, with the same filters as the "
                    "map (query string). Text cells that would start with =, +, -, @, a tab or a carriage return are "
                    "written after an apostrophe, so that no spreadsheet reads them as formulas."
                )
            ).items()
        ],
        "dc:license": {"@id": licence["url"]},
        "dcat:landingPage": {"@id": page_url},
        "dialect": {"encoding": "utf-8", "header": True, "lineTerminators": ["\n"]},
        "tableSchema": {"columns": columns, "primaryKey": "id"},
    }
