"""API keys and roles (ui/roles.py): hashed or clear keys, constant-time lookup, permissions,
key files re-read on change, clear Chinese errors for bad files."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from ui.roles import (KeyFile, RoleConfigError, can_manage_documents, can_see_phones, hash_key,
                      load_keys, phone_redactor)

ROOT = Path(__file__).resolve().parents[2]


def test_permissions_per_role() -> None:
    assert [can_see_phones(r) for r in ("viewer", "duty_officer", "admin", None, "x")] == [
        False, True, True, False, False]
    assert [can_manage_documents(r) for r in ("viewer", "duty_officer", "admin", None)] == [
        False, False, True, False]


def test_phone_redactor_per_role() -> None:
    row = "1　赵六　燃气　在库　139-5555-1207　021-5555-3301"
    assert phone_redactor("duty_officer")(row) == row == phone_redactor("admin")(row)
    masked = phone_redactor("viewer")(row)
    assert "139****1207" in masked and "021****3301" in masked and "赵六" in masked
    assert phone_redactor(None)(row) == masked


def test_hashed_and_clear_keys(tmp_path: Path) -> None:
    f = tmp_path / "keys.toml"
    f.write_text(f'[keys.desk]\nrole = "duty_officer"\nsha256 = "{hash_key("s3cret")}"\n'
                 '[keys.trial]\nrole = "viewer"\nkey = "clear-key"\n', encoding="utf-8")
    ring = load_keys(f)
    assert ring.lookup("s3cret").key_id == "desk"
    assert ring.lookup("s3cret").role == "duty_officer"
    assert ring.lookup("clear-key").role == "viewer"
    assert ring.lookup("s3cre") is None and ring.lookup("") is None and ring.lookup(None) is None
    assert all("clear-key" not in k.model_dump_json() for k in ring.keys)


def test_example_file_parses() -> None:
    ring = load_keys(ROOT / "config" / "api_keys.example.toml")
    assert {k.role for k in ring.keys} == {"viewer", "duty_officer", "admin"}
    assert ring.lookup("demo-admin-key").role == "admin"


def test_missing_file_refuses_everyone(tmp_path: Path) -> None:
    assert load_keys(tmp_path / "none.toml").lookup("anything") is None


@pytest.mark.parametrize("text, word", [
    ('[keys.a]\nrole = "root"\nkey = "k"\n', "角色"),
    ('[keys.a]\nrole = "viewer"\n', "缺少"),
    ('[keys.a]\nrole = "viewer"\nsha256 = "abc"\n', "sha256"),
    ('keys = [1, 2]\n', "格式"),
    ('[keys.a\n', "无法读取"),
])
def test_bad_files_are_explained(tmp_path: Path, text: str, word: str) -> None:
    f = tmp_path / "k.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RoleConfigError, match=word):
        load_keys(f)


def test_key_file_reloads_when_changed(tmp_path: Path) -> None:
    f = tmp_path / "k.toml"
    kf = KeyFile(f)
    assert kf.lookup("k1") is None
    f.write_text('[keys.a]\nrole = "viewer"\nkey = "k1"\n', encoding="utf-8")
    assert kf.lookup("k1").role == "viewer"
    f.write_text('[keys.a]\nrole = "admin"\nkey = "k1"\n# longer\n', encoding="utf-8")
    os.utime(f, ns=(1, 10**18))
    assert kf.lookup("k1").role == "admin"
    f.unlink()
    assert kf.lookup("k1") is None
