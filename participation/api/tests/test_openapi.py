"""The API against its own OpenAPI document: schemathesis generates requests for every operation from the document
(valid ones, and invalid ones that the API must refuse with a 4xx), sends them through Django's test client, and
checks every answer: never a server error, a status, media type, headers and body that the document declares."""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 15


def test_openapi_document_declares_3_1_and_is_valid(client):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    response = client.get("/api/v1/openapi.json")
    document = response.json()
    assert document["openapi"].startswith("3.1")
    validate(document, cls=OpenAPIV31SpecValidator)
    paths = document["paths"]
    assert {"/api/v1/initiatives", "/api/v1/initiatives.geojson", "/api/v1/sheets", "/api/v1/events"} <= set(paths)
    problem = paths["/api/v1/initiatives"]["get"]["responses"]["400"]["content"]
    assert list(problem) == ["application/problem+json"]


def _send(client, case):
    """The case as a request through Django's test client, and its answer as schemathesis reads one."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    headers = {name: value for name, value in (kwargs.get("headers") or {}).items() if name.lower() != "user-agent"}
    prepared = requests.Request(
        method=kwargs["method"], url=kwargs["url"], params=kwargs.get("params"), headers=headers
    ).prepare()
    path_and_query = prepared.path_url
    path, _, query = path_and_query.partition("?")
    answer = client.generic(kwargs["method"], path, QUERY_STRING=query, headers=headers)
    return Response(
        status_code=answer.status_code,
        headers={name: [value] for name, value in answer.headers.items()},
        content=answer.content,
        request=prepared,
        elapsed=0.0,
        verify=False,
    )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_its_document_says(api_site, client, mode):
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json())
    checks = CONFORMANCE + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            nonlocal tried
            tried += 1
            case.validate_response(_send(client, case), checks=checks)

        check()
    assert tried > 100
