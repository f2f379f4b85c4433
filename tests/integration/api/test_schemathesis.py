"""Property-based conformance: schemathesis generates requests from the OpenAPI document and
checks every answer — no server error, a documented status code, a body that matches the
documented schema, the documented content type and headers.

The schema is loaded from the app in a fixture (the catalog database exists only at test time)
and each operation is driven through its Hypothesis strategy; the operations are listed here so
that a new endpoint without a line below fails `test_every_operation_is_checked`.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)
from sqlalchemy import Engine

from alrim.eligibility.profile_input import profile_schema

pytestmark = [pytest.mark.storage, pytest.mark.slow]

OPERATIONS = [
    ("GET", "/api/v1/services"),
    ("GET", "/api/v1/services/{service_id}"),
    ("GET", "/api/v1/categories"),
    ("GET", "/api/v1/agencies"),
    ("GET", "/api/v1/regions"),
    ("POST", "/api/v1/eligibility"),
    ("GET", "/api/v1/changes"),
    ("GET", "/api/v1/export.csv"),
    ("GET", "/api/v1/export.jsonl"),
]
WITH_PARAMETERS = [op for op in OPERATIONS if op != ("GET", "/api/v1/categories")]
OPTIONAL_OPERATIONS = {  # written by the search engineer; checked when present
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/search/suggest"),
}
EXAMPLES = {"/api/v1/export.csv": 5, "/api/v1/export.jsonl": 5}  # whole-catalog downloads

# A schema-valid request may still be refused for what it *means* (a region name that names no
# region, a cursor from another listing, a profile whose birth date follows its as_of day):
# JSON Schema cannot say that. Such a refusal must be a 422 with one of these error codes; a
# refusal for anything else is a schema that promises more than the API accepts.
SEMANTIC_422 = {
    "/api/v1/services": {"unknown_region", "ambiguous_region", "invalid_cursor"},
    "/api/v1/services/{service_id}": {"unknown_field"},
    "/api/v1/eligibility": {"invalid_profile"},
    "/api/v1/changes": {"invalid_cursor"},
    "/api/v1/search": {"unknown_region", "ambiguous_region"},
}


@pytest.fixture(scope="module")
def api_schema(catalog_app: FastAPI, catalog_engine: Engine) -> Any:
    from alrim.services.eligibility import get_eligibility

    get_eligibility(catalog_engine)  # built once (seconds) before requests with a timeout
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", catalog_app)


def _documented(api_schema: Any) -> set[tuple[str, str]]:
    return {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}


def test_every_operation_is_checked(api_schema: Any) -> None:
    documented = _documented(api_schema)
    assert set(OPERATIONS) <= documented
    assert documented - set(OPERATIONS) <= OPTIONAL_OPERATIONS


def _breaks_profile_schema(body: Any) -> bool:
    validator = jsonschema.Draft202012Validator(
        profile_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return not validator.is_valid(body)


def _conforms(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]
    semantic = SEMANTIC_422.get(path, set())

    @settings(
        max_examples=EXAMPLES.get(path, 25),
        deadline=None,
        derandomize=True,  # the same examples on every run: a failure is reproducible
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call()
        if mode is GenerationMode.POSITIVE and response.status_code == 422:
            case.validate_response(response, excluded_checks=[positive_data_acceptance])
            code = response.json()["error"]["code"]
            assert code in semantic, f"schema-valid request refused with {code}: {response.text}"
        elif mode is GenerationMode.NEGATIVE:
            # Over HTTP every query value is a string: `?support_type=false` is a category
            # named "false", not the boolean schemathesis meant, and an object or a null cannot
            # be written at all. Garbage must still never cause a server error or an
            # undocumented answer, and a body that breaks the profile schema is refused.
            case.validate_response(response, excluded_checks=[negative_data_rejection])
            if method == "POST" and _breaks_profile_schema(case.body):
                assert response.status_code in (413, 422), response.text
        else:
            case.validate_response(response)

    run()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_document(api_schema: Any, method: str, path: str) -> None:
    _conforms(api_schema, method, path, GenerationMode.POSITIVE)


@pytest.mark.parametrize(
    ("method", "path"), WITH_PARAMETERS, ids=[f"{m} {p}" for m, p in WITH_PARAMETERS]
)
def test_invalid_requests_are_refused_cleanly(api_schema: Any, method: str, path: str) -> None:
    _conforms(api_schema, method, path, GenerationMode.NEGATIVE)


@pytest.mark.parametrize(
    ("method", "path"),
    sorted(OPTIONAL_OPERATIONS),
    ids=[f"{m} {p}" for m, p in sorted(OPTIONAL_OPERATIONS)],
)
def test_search_operations_conform_when_present(api_schema: Any, method: str, path: str) -> None:
    if (method, path) not in _documented(api_schema):
        pytest.skip(f"{method} {path} is not served (alrim.api.routers.search)")
    _conforms(api_schema, method, path, GenerationMode.POSITIVE)
    _conforms(api_schema, method, path, GenerationMode.NEGATIVE)


def test_the_document_is_openapi_3_1_with_the_schema_families(catalog_app: FastAPI) -> None:
    document = catalog_app.openapi()
    assert document["openapi"].startswith("3.1")
    names = set(document["components"]["schemas"])
    assert {"ServicePublic", "ServiceSummary", "EligibilityResult", "ErrorBody"} <= names
