"""Property test of the API against its own OpenAPI spec (schemathesis): whatever the spec
admits — and what it does not — no request gets a 5xx. Runs over the ingested sample corpus
with a viewer and a duty officer key (and none); writes (upload, delete) are refused by role,
so the shared corpus store is never changed. Examples are bounded to keep this under a minute."""
from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from kg.settings import Settings
from tests.fixtures_e2e import CORPUS
from ui.api import create_app

# Answering and checking are slower than browsing: fewer examples there.
EXAMPLES = {"POST /ask": 12, "POST /duty-card": 8, "GET /experts": 12, "POST /check": 2}
DEFAULT_EXAMPLES = 20
KEYS = ({"X-API-Key": "s-viewer"}, {"Authorization": "Bearer s-officer"}, {})


@pytest.fixture(scope="module")
def app(ingested, cli_env, tmp_path_factory):
    from fastapi.testclient import TestClient

    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    tmp = tmp_path_factory.mktemp("api-schema")
    keys = tmp / "keys.toml"
    keys.write_text('[keys.v]\nrole = "viewer"\nkey = "s-viewer"\n'
                    '[keys.o]\nrole = "duty_officer"\nkey = "s-officer"\n', encoding="utf-8")
    app = create_app(Settings(data_dir=Path(cli_env["YINGJI_DATA_DIR"]),
                              model_dir=Path(cli_env["YINGJI_MODEL_DIR"]),
                              taxonomy_dir=CORPUS / "taxonomy", api_keys=keys,
                              audit_log=tmp / "audit.jsonl"))
    with TestClient(app) as client:  # the lifespan: store and assistant open for every call
        # Load the embedding model and passage indexes once, before the clock of each example.
        client.post("/ask", json={"question": "今天下午的天气怎么样"}, headers={"X-API-Key": "s-viewer"})
        yield app


def test_no_server_errors(app) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    seen: list[str] = []
    failures: list[str] = []
    for result in schema.get_all_operations():
        op = result.ok()
        label = f"{op.method.upper()} {op.path}"
        seen.append(label)

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES.get(label, DEFAULT_EXAMPLES), deadline=None,
                  database=None, suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            if label == "POST /check" and isinstance(case.body, dict):
                case.body["semantic"] = False  # the embedding comparison is the checks' own test
            # A check reads the whole store whatever the role: one authorised caller is enough.
            for headers in (KEYS[0], KEYS[2]) if label == "POST /check" else KEYS:
                response = case.call(headers=headers, timeout=120)
                if response.status_code >= 500:
                    failures.append(f"{label} {headers} → {response.status_code}: "
                                    f"{case.as_curl_command()}\n{response.text[:300]}")
                assert response.status_code < 500, failures[-1]
                if headers and op.method.upper() in ("POST", "DELETE") and "/documents" in op.path:
                    assert response.status_code in (401, 403, 413, 422), response.text

        run()
    assert {"POST /ask", "GET /experts", "GET /plans/{doc_id}", "POST /documents",
            "GET /graph/neighbourhood"} <= set(seen)
    assert not failures, "\n".join(failures)
