"""The API keeps its own OpenAPI promises (schemathesis, every check, bounded examples): what
the schema admits is accepted — blank or control-character text is excluded by the schema
itself — and every response, the Chinese 422 body included, matches its declared schema."""
from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from ui.api import create_app

CHECKED = {"POST /ask": 10, "POST /duty-card": 6, "GET /experts": 15,
           "GET /graph/neighbourhood": 15, "GET /plans": 10, "GET /plans/{doc_id}": 10,
           "GET /healthz": 5}


@pytest.fixture(scope="module")
def app(kg_settings, embedding_model_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("conformance")
    (tmp / "keys.toml").write_text('[keys.v]\nrole = "viewer"\nkey = "s-viewer"\n', encoding="utf-8")
    app = create_app(kg_settings.model_copy(update={
        "model_dir": embedding_model_dir, "api_keys": tmp / "keys.toml",
        "audit_log": tmp / "audit.jsonl",
        "taxonomy_dir": Path(__file__).resolve().parents[2] / "corpus" / "taxonomy"}))
    with TestClient(app) as client:
        client.post("/ask", json={"question": "燃气泄漏谁牵头？"}, headers={"X-API-Key": "s-viewer"})
        yield app


def test_responses_match_the_schema(app) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        op = result.ok()
        label = f"{op.method.upper()} {op.path}"
        if label not in CHECKED:
            continue

        @given(case=op.as_strategy())
        @settings(max_examples=CHECKED[label], deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            try:
                case.call_and_validate(headers={"X-API-Key": "s-viewer"})
            except Exception as e:  # noqa: BLE001 - collected, reported together
                failures.setdefault(label, str(e)[:1500])

        run()
    assert not failures, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
