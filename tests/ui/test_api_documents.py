"""Document management through the API in its own data dir (the session ArcadeDB server of
tests/fixtures_kg.py, one small document, never the corpus): upload and ingest with the
per-file result, delete, upload limits and bad files, admin only."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.settings import Settings
from tests.kg.conformance import uid
from ui.api import create_app

ADMIN = {"X-API-Key": "k-admin"}
PLAN = """示例县洪涝灾害专项应急预案

1 总则
1.1 适用范围
本预案适用于示例县行政区域内洪涝灾害的预防和应急处置工作。
2 组织指挥体系
2.1 县防汛抗旱指挥部
洪涝灾害由示例县水利局牵头处置，示例县气象局、示例县公安局、示例县交通运输局配合。
3 应急保障
3.1 物资保障
县水利局在城东仓库储备冲锋舟6艘、救生衣300件。
"""


@pytest.fixture(scope="module")
def settings(kg_settings, embedding_model_dir, tmp_path_factory) -> Settings:
    tmp = tmp_path_factory.mktemp("api-docs")
    keys = tmp / "keys.toml"
    keys.write_text('[keys.ops]\nrole = "admin"\nkey = "k-admin"\n'
                    '[keys.desk]\nrole = "duty_officer"\nkey = "k-officer"\n', encoding="utf-8")
    return kg_settings.model_copy(update={
        "model_dir": embedding_model_dir, "api_keys": keys, "audit_log": tmp / "audit.jsonl",
        "upload_max_mb": 0.05, "taxonomy_dir": Path(__file__).resolve().parents[2] / "corpus" / "taxonomy"})


@pytest.fixture(scope="module")
def api(settings) -> TestClient:
    with TestClient(create_app(settings)) as client:
        yield client


def test_upload_ingest_then_delete(api, settings) -> None:
    name = f"{uid('洪涝')}.txt"
    r = api.post("/documents", headers=ADMIN,
                 files={"files": (name, PLAN.encode("gb18030"), "text/plain")})
    assert r.status_code == 200, r.text
    body = r.json()
    [f] = body["files"]
    assert (f["path"], f["doc_id"], f["status"], f["kind"]) == (name, name, "ingested", "plan")
    assert body["ingested"] == 1 and body["failed"] == 0 and f["sections"] >= 3
    assert (settings.data_dir / "uploads" / name).is_file()
    detail = api.get(f"/plans/{name}", headers=ADMIN).json()
    assert detail["title"] == "示例县洪涝灾害专项应急预案"
    assert any("县水利局牵头" in s["text"] for s in detail["section_list"])
    lead = [x for x in detail["fact_list"] if x["relation"] == "LEADS"]
    assert lead and "水利局" in lead[0]["subject"] and "牵头" in lead[0]["quote"]
    # The same app answers from the new document at once (its linker reloads on the change).
    answer = api.post("/ask", json={"question": "县里发洪水了由哪个单位牵头？"}, headers=ADMIN).json()
    assert "水利局" in answer["answer"] and any(c["doc_id"] == name for c in answer["citations"])
    again = api.post("/documents", headers=ADMIN, files={"files": (name, PLAN.encode("gb18030"))})
    assert again.json()["files"][0]["status"] == "unchanged"

    r = api.delete(f"/documents/{name}", headers=ADMIN)
    assert r.status_code == 200 and r.json()["deleted"] is True
    assert not (settings.data_dir / "uploads" / name).exists()
    assert api.get(f"/plans/{name}", headers=ADMIN).status_code == 404
    r = api.delete(f"/documents/{name}", headers=ADMIN)
    assert r.status_code == 404 and "未找到" in r.json()["detail"]


def test_upload_too_large_is_413(api, settings) -> None:
    big = ("洪涝灾害由县水利局牵头处置。\n" * 4000).encode("utf-8")  # > 0.05 MB
    r = api.post("/documents", headers=ADMIN, files={"files": ("big.txt", big)})
    assert r.status_code == 413 and "过大" in r.json()["detail"]
    assert not (settings.data_dir / "uploads" / "big.txt").exists()


def test_upload_too_large_without_length_is_413(api, settings) -> None:
    """A chunked body announces no length: the limit holds while the file is saved."""
    boundary = "b0undary"
    big = b"x" * 60_000
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"chunked.txt\"\r\n\r\n").encode()
    payload = head + big + f"\r\n--{boundary}--\r\n".encode()

    def chunks():
        for i in range(0, len(payload), 8192):
            yield payload[i:i + 8192]

    r = api.post("/documents", headers={**ADMIN, "content-type":
                                        f"multipart/form-data; boundary={boundary}"},
                 content=chunks())
    assert r.status_code == 413
    assert not (settings.data_dir / "uploads" / "chunked.txt").exists()


@pytest.mark.parametrize("name, data, word", [
    ("notes.exe", b"MZ", "不支持的文件格式"),
    ("empty.txt", b"", "为空"),
    (".hidden.txt", "预案".encode(), "文件名无效"),
])
def test_bad_uploads_are_400(api, settings, name, data, word) -> None:
    r = api.post("/documents", headers=ADMIN, files={"files": (name, data)})
    assert r.status_code == 400 and word in r.json()["detail"]
    assert not any((settings.data_dir / "uploads").glob("*.exe"))


def test_path_in_file_name_is_dropped(api, settings) -> None:
    name = f"{uid('预案')}.md"
    r = api.post("/documents", headers=ADMIN,
                 files={"files": (f"../../{name}", "# 示例县防汛值班制度\n\n值班员负责记录雨情。\n".encode())})
    assert r.status_code == 200, r.text
    assert r.json()["files"][0]["path"] == name
    assert (settings.data_dir / "uploads" / name).is_file()
    assert api.delete(f"/documents/{name}", headers=ADMIN).status_code == 200


def test_upload_needs_a_file(api) -> None:
    r = api.post("/documents", headers=ADMIN, data={"force": "true"})
    assert r.status_code == 422 and "files" in r.json()["detail"]
