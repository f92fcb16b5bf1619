"""The open exports of the map's initiatives (the same filters as the map): GeoJSON and CSV, public facts only,
under the platform's open-data licence."""

import csv
import json

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language

from participation.initiatives import selectors


def initiatives_response(*, request, index, export_format):
    """The initiatives the query string selects, as a GeoJSON or CSV file."""
    _state, _query, initiatives = selectors.initiative_selection(params=request.GET)
    rows = selectors.initiative_export_rows(
        initiatives=initiatives.order_by("pk"),
        language=get_language(),
        index=index,
        absolute=request.build_absolute_uri,
    )
    licence = settings.DATA_LICENCE
    if export_format == "geojson":
        collection = {
            "type": "FeatureCollection",
            "license": licence["name"],
            "license_url": licence["url"],
            "features": [
                {
                    "type": "Feature",
                    "id": row["id"],
                    "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                    "properties": row,
                }
                for row in rows
            ],
        }
        response = HttpResponse(
            json.dumps(collection, ensure_ascii=False, separators=(",", ":")), content_type="application/geo+json"
        )
        filename = "initiatives.geojson"
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=selectors.EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "|".join(value) if isinstance(value, list) else value for key, value in row.items()})
        filename = "initiatives.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{licence["url"]}>; rel="license"'
    return response
