import pytest

pytestmark = pytest.mark.django_db


def test_smoke(api_site, client):
    for url in [
        "/api/v1/",
        "/api/v1/initiatives?limit=2",
        "/api/v1/initiatives.geojson?limit=2",
        "/api/v1/sheets?limit=2&type=method",
        "/api/v1/articles?limit=2",
        "/api/v1/events?limit=2",
        "/api/v1/providers?limit=2",
        "/api/v1/lots",
        "/api/v1/communes",
        "/api/v1/vocabularies",
        "/api/v1/vocabularies/theme",
        "/api/v1/openapi.json",
        "/api/v1/initiatives?bogus=1",
        "/api/v1/initiatives?cursor=zz",
        "/api/v1/initiatives?limit=1000",
        "/api/v1/initiatives?lang=de",
        "/api/v1/nothing",
        "/fr/donnees-ouvertes/api/",
        "/en/open-data/api/",
    ]:
        r = client.get(url)
        print(url, r.status_code, r["Content-Type"], r.content[:500])
