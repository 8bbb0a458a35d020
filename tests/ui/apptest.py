"""Building an AppTest of the Streamlit app over a given data dir (shared by the page tests)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.fixtures_e2e import ROOT

ENTRY = ROOT / "ui" / "app.py"


def make_app(monkeypatch, data_dir: str, model_dir: str, role: str | None = None,
             key_file: Path | None = None) -> AppTest:
    """The app over data_dir; with a role, signed in with a key of that role (written to
    key_file, or to a key file of its own)."""
    monkeypatch.setenv("YINGJI_DATA_DIR", data_dir)
    monkeypatch.setenv("YINGJI_MODEL_DIR", model_dir)
    if role and key_file is None:
        key_file = Path(tempfile.mkdtemp(prefix="yingji-keys-")) / "keys.toml"
    if role:
        key_file.write_text(f'[keys.test]\nrole = "{role}"\nkey = "{role}-test-key"\n',
                            encoding="utf-8")
    if key_file:
        monkeypatch.setenv("YINGJI_API_KEYS", str(key_file))
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ENTRY), default_timeout=180)
    if role:
        app.session_state["yingji_api_key"] = f"{role}-test-key"
    return app

