"""Property tests from the served OpenAPI document (schemathesis): no input gives a 5xx, every answer
matches its documented status, content type and schema. Bounded: 40 examples per read operation, 25 uploads
with an editor key, 30 s per request (no hypothesis deadline: a shared test machine is too noisy for one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import EDITOR_KEY, Server, keys_file, make_archive, start_server

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]




@pytest.fixture(scope="module")
def api_schema(server: Server) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_gives_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS, timeout=30)


@pytest.fixture(scope="module")
def write_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.schemas.BaseSchema]:
    """POST /bulletins with an editor key, on a server of its own (the uploads change its archive)."""
    base = tmp_path_factory.mktemp("api-write")
    data, index = make_archive(base)
    server = start_server(index, data, keys_file(base))
    yield schemathesis.openapi.from_url(server.url + "/openapi.json").include(method="POST")
    server.stop()


writes = schemathesis.pytest.from_fixture("write_schema")


@writes.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_upload_gives_a_server_error(case: schemathesis.Case) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {EDITOR_KEY}"}
    case.call_and_validate(checks=CHECKS, timeout=60)
