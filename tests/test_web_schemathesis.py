"""Property-based API tests: schemathesis generates requests from the app's own OpenAPI schema and
checks the answers against it (status codes, content types, response schemas) and that no request,
however odd, makes the server fail. Runs as a logged-in analyst with the session's CSRF token, on a
private copy of the example store."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from web_helpers import add_users, client, copy_store, login

from frontwatch.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
EXAMPLES = int(os.environ.get("FRONTWATCH_SCHEMATHESIS_EXAMPLES", "8"))  # more for a longer hunt


@pytest.fixture(scope="module")
def analyst_app(example_store_url: str, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Any, dict[str, str]]:
    url = copy_store(example_store_url, tmp_path_factory.mktemp("schemathesis"))
    add_users(url)
    c = client(url)
    csrf = login(c, "ana")
    headers = {"X-CSRF-Token": csrf, "Cookie": f"fw_session={c.cookies['fw_session']}"}
    return c.app, headers


# The schema comes from an app on an empty throwaway store (the schema does not depend on the data);
# every case is then sent to the app on the example store (`app=`), logged in as the analyst.
# (/openapi.json answers only loopback clients when there are no users, and the ASGI test client is not one)
schema = schemathesis.openapi.from_dict(
    create_app(f"sqlite:///{Path(tempfile.mkdtemp(prefix='fw-schema-')) / 'schema.db'}").openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, analyst_app: tuple[Any, dict[str, str]]) -> None:
    app, headers = analyst_app
    if case.path == "/api/screen":
        if not _screening_installed():
            pytest.skip("frontwatch.screen is not installed (the endpoint answers 503 by design)")
        # any text is schema-valid, but a text that is not the format it claims (json, eml) is refused
        case.call_and_validate(headers=headers, app=app, excluded_checks=[positive_data_acceptance])
        return
    case.call_and_validate(headers=headers, app=app)


def _screening_installed() -> bool:
    try:
        from frontwatch.screen import screen_text  # noqa: F401
    except ImportError:
        return False
    return True


def test_schema_documents_every_api_route(analyst_app: tuple[Any, dict[str, str]]) -> None:
    app, _ = analyst_app
    paths = app.openapi()["paths"]
    for path in ("/api/search", "/api/entities", "/api/entities/{entity_id}", "/api/claims",
                 "/api/claims/{claim_id}", "/api/documents/{document_id}", "/api/graph/neighbors/{entity_id}",
                 "/api/graph/path", "/api/graph/network", "/api/places", "/api/timeline", "/api/export",
                 "/api/audit", "/api/claims/{claim_id}/review", "/api/entities/merge",
                 "/api/entities/{entity_id}/split", "/api/entities/{entity_id}/review",
                 "/api/audit/{audit_id}/undo", "/api/screen", "/api/me", "/api/health"):
        assert path in paths, path
    assert not any(p.startswith(("/login", "/logout", "/docs")) for p in paths)


def test_openapi_errors_are_detail_strings(analyst_app: tuple[Any, dict[str, str]]) -> None:
    app, _ = analyst_app
    error = app.openapi()["components"]["schemas"]["HTTPValidationError"]
    assert error["properties"]["detail"] == {"type": "string"}

