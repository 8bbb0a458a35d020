"""Building an AppTest of the Streamlit app over a given data dir (shared by the page tests)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.fixtures_e2e import ROOT

ENTRY = ROOT / "ui" / "app.py"


def make_app(monkeypatch, data_dir: str, model_dir: str, role: str | None = None,
             key_file: str | None = None) -> AppTest:
    monkeypatch.setenv("YINGJI_DATA_DIR", data_dir)
    monkeypatch.setenv("YINGJI_MODEL_DIR", model_dir)
    if key_file:
        monkeypatch.setenv("YINGJI_API_KEYS", key_file)
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ENTRY), default_timeout=180)
    if role:
        app.session_state["yingji_role"] = role
    return app

