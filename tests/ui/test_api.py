"""The HTTP API with TestClient over the ingested sample corpus (the session `ingested`
fixture, no second ingest): keys and roles (401/403), phones masked for viewers and shown to
duty officers, every read endpoint, Chinese errors for bad input, and the audit log."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.settings import Settings
from tests.fixtures_e2e import CORPUS
from ui.api import create_app

KEYS = """
[keys.desk-viewer]
role = "viewer"
key = "viewer-7f3a"

[keys.desk-officer]
role = "duty_officer"
sha256 = "{officer}"

[keys.desk-admin]
role = "admin"
key = "admin-91c2"
"""
VIEWER = {"X-API-Key": "viewer-7f3a"}
OFFICER = {"Authorization": "Bearer officer-5d0e"}
ADMIN = {"X-API-Key": "admin-91c2"}
MASKED = re.compile(r"^\d{3,4}\*{4}\d{4}(?:-\d+)?$")
FULL = re.compile(r"^\d[\d-]{6,}$")


@pytest.fixture(scope="module")
def api(ingested, cli_env, tmp_path_factory) -> TestClient:
    from ui.roles import hash_key

    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    tmp = tmp_path_factory.mktemp("api")
    keys = tmp / "keys.toml"
    keys.write_text(KEYS.format(officer=hash_key("officer-5d0e")), encoding="utf-8")
    settings = Settings(data_dir=Path(cli_env["YINGJI_DATA_DIR"]),
                        model_dir=Path(cli_env["YINGJI_MODEL_DIR"]),
                        taxonomy_dir=CORPUS / "taxonomy", api_keys=keys,
                        audit_log=tmp / "audit.jsonl")
    with TestClient(create_app(settings)) as client:
        yield client


def _phones(answer: dict) -> list[str]:
    return [p for e in answer["experts"] for p in e["phones"]]


# ---------------------------------------------------------------- keys and roles

@pytest.mark.parametrize("method, path, body", [
    ("post", "/ask", {"question": "燃气泄漏谁牵头？"}),
    ("post", "/duty-card", {"incident": "小区燃气泄漏"}),
    ("get", "/experts", None), ("get", "/plans", None),
    ("get", "/plans/experts_export.csv", None),
    ("get", "/graph/neighbourhood?entity=区应急管理局", None),
    ("delete", "/documents/x.txt", None),
])
def test_no_key_or_unknown_key_is_401(api, method, path, body) -> None:
    kwargs = {"json": body} if body else {}
    for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}):
        r = getattr(api, method)(path, headers=headers, **kwargs)
        assert r.status_code == 401, (path, headers)
        assert "密钥" in r.json()["detail"]


def test_health_and_docs_need_no_key(api) -> None:
    h = api.get("/healthz").json()
    assert h["status"] == "ok" and h["graph"] and h["documents"] > 10
    spec = api.get("/openapi.json").json()
    assert {"/ask", "/duty-card", "/experts", "/plans", "/plans/{doc_id}", "/documents",
            "/documents/{doc_id}", "/graph/neighbourhood", "/healthz"} <= set(spec["paths"])
    assert api.get("/docs").status_code == 200


@pytest.mark.parametrize("headers", [VIEWER, OFFICER])
def test_only_admin_manages_documents(api, headers) -> None:
    r = api.post("/documents", files={"files": ("a.txt", "预案".encode())}, headers=headers)
    assert r.status_code == 403 and "无权" in r.json()["detail"]
    assert api.delete("/documents/a.txt", headers=headers).status_code == 403


# ---------------------------------------------------------------- phones by role

def test_ask_masks_phones_for_viewers_only(api) -> None:
    q = {"question": "液氨储罐泄漏需要找哪些专家？"}  # wording not in the QA sets
    viewer = api.post("/ask", json=q, headers=VIEWER).json()
    officer = api.post("/ask", json=q, headers=OFFICER).json()
    assert viewer["intent"] == officer["intent"] == "expert"
    assert viewer["status"] == officer["status"] == "answered"
    assert _phones(viewer) and all(MASKED.match(p) for p in _phones(viewer))
    assert _phones(officer) and all(FULL.match(p) for p in _phones(officer))
    assert [e["name"] for e in viewer["experts"]] == [e["name"] for e in officer["experts"]]
    full = set(_phones(officer))
    assert not any(p in c["quote"] for c in viewer["citations"] for p in full)


def test_duty_card_masks_by_role(api) -> None:
    body = {"incident": "商场地下车库燃气管线破裂"}
    viewer = api.post("/duty-card", json=body, headers=VIEWER).json()
    admin = api.post("/duty-card", json=body, headers=ADMIN).json()
    assert viewer["intent"] == "duty_card" and "牵头" in viewer["answer"]
    assert viewer["citations"] and all(c["quote"] for c in viewer["citations"])
    assert _phones(viewer) and all(MASKED.match(p) for p in _phones(viewer))
    assert _phones(admin) and all(FULL.match(p) for p in _phones(admin))


def test_experts_search_by_role(api) -> None:
    params = {"incident": "化工厂储罐起火", "availability": "7×24", "limit": 3}
    viewer = api.get("/experts", params=params, headers=VIEWER).json()
    officer = api.get("/experts", params=params, headers=OFFICER).json()
    assert 1 <= len(viewer["experts"]) <= 3 and viewer["total"] >= len(viewer["experts"])
    top = viewer["experts"][0]
    assert top["why"] and top["matched_fields"] and top["sources"]
    assert all("24" in e["availability"] for e in viewer["experts"])
    assert all(MASKED.match(p) for e in viewer["experts"] for p in e["phones"])
    assert all(FULL.match(p) for e in officer["experts"] for p in e["phones"])
    by_field = api.get("/experts", params={"field": "心理"}, headers=VIEWER).json()
    assert by_field["experts"] and all(
        any("心理" in f for f in e["matched_fields"]) for e in by_field["experts"])
    none = api.get("/experts", params={"field": "插花艺术"}, headers=VIEWER).json()
    assert none["experts"] == [] and "没有" in none["note"]


def test_roster_detail_masked_for_viewer(api) -> None:
    viewer = api.get("/plans/experts_export.csv", headers=VIEWER)
    officer = api.get("/plans/experts_export.csv", headers=OFFICER)
    assert viewer.status_code == officer.status_code == 200
    assert re.search(r"1[3-9]\d{9}", officer.text)
    assert not re.search(r"1[3-9]\d{9}", viewer.text)
    assert "****" in viewer.json()["section_list"][0]["text"]


# ---------------------------------------------------------------- library and graph

def test_plans_list_and_detail(api) -> None:
    plans = api.get("/plans", headers=VIEWER).json()
    assert len(plans) >= 10 and all(p["kind"] == "plan" for p in plans)
    general = next(p for p in plans if p["level"] == "总体")
    assert general["sections"] > 0 and general["facts"] == sum(general["facts_by_type"].values())
    everything = api.get("/plans", params={"kind": "all"}, headers=VIEWER).json()
    assert {"regulation", "duty_list", "expert_roster"} <= {d["kind"] for d in everything}
    d = api.get(f"/plans/{general['doc_id']}", headers=VIEWER).json()
    assert d["title"] == general["title"] and len(d["section_list"]) == general["sections"]
    assert [s["ord"] for s in d["section_list"]] == sorted(s["ord"] for s in d["section_list"])
    assert d["fact_list"] and all(f["quote"] and f["section"] for f in d["fact_list"]
                                  if f["relation"] in ("LEADS", "SUPPORTS"))
    r = api.get("/plans/没有这个预案.docx", headers=VIEWER)
    assert r.status_code == 404 and "未找到" in r.json()["detail"]
    assert api.get("/plans", params={"kind": "memo"}, headers=VIEWER).status_code == 422


def test_graph_neighbourhood(api) -> None:
    g = api.get("/graph/neighbourhood", params={"entity": "区应急管理局", "limit": 12},
                headers=VIEWER).json()
    assert len(g["edges"]) == 12 and g["truncated"]
    ids = {n["id"] for n in g["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids and e["doc_id"] for e in g["edges"])
    assert [n["id"] for n in g["nodes"] if n["centre"]] == ["区应急管理局"]
    r = api.get("/graph/neighbourhood", params={"entity": "火星基地"}, headers=VIEWER)
    assert r.status_code == 404 and "火星基地" in r.json()["detail"]
    assert api.get("/graph/neighbourhood", params={"entity": "x", "limit": 999},
                   headers=VIEWER).status_code == 422


@pytest.mark.parametrize("body, word", [
    ({}, "缺少"), ({"question": "   "}, "不能为空"), ({"question": "问" * 501}, "过长"),
    ({"question": 42}, "字符串"),
])
def test_bad_input_is_422_in_chinese(api, body, word) -> None:
    r = api.post("/ask", json=body, headers=VIEWER)
    assert r.status_code == 422 and word in r.json()["detail"]
    r = api.post("/ask", content=b"{not json", headers={**VIEWER, "content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"]


def test_unknown_path_and_method_in_chinese(api) -> None:
    assert api.get("/nowhere").json()["detail"] == "未找到该接口或资源。"
    assert api.put("/ask", headers=VIEWER).json()["detail"] == "不支持该请求方法。"


def test_audit_log_lines(api) -> None:
    api.get("/plans", headers=OFFICER)
    api.get("/plans")
    path = api.app.state.settings.audit_log_file
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    ok, refused = lines[-2], lines[-1]
    assert (ok["key_id"], ok["role"], ok["method"], ok["path"], ok["status"]) == (
        "desk-officer", "duty_officer", "GET", "/plans", 200)
    assert ok["latency_ms"] >= 0 and ok["time"].endswith("+00:00")
    assert (refused["key_id"], refused["role"], refused["status"]) == (None, None, 401)
    text = path.read_text(encoding="utf-8")
    assert not any(k in text for k in ("officer-5d0e", "viewer-7f3a", "admin-91c2"))


# ---------------------------------------------------------------- consistency checks

def test_check_whole_store_and_errors(api) -> None:
    r = api.post("/check", headers=VIEWER, data={"semantic": "false", "severity": "error"})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["scope"] == "全库" and report["rules"]
    assert all(f["severity"] == "error" and f["clauses"] for f in report["findings"])
    r = api.post("/check", headers=VIEWER, data={"rules": "lead_conflict,没有这条规则"})
    assert r.status_code == 400 and "未知的检查规则" in r.json()["detail"]
    r = api.post("/check", headers=VIEWER, data={"severity": "fatal"})
    assert r.status_code == 422
    assert api.post("/check", data={"semantic": "false"}).status_code == 401


def test_check_a_draft_without_ingesting_it(api) -> None:
    draft = ("示例区桥梁垮塌事故专项应急预案（征求意见稿）\n一、总则\n（一）适用范围\n"
             "本预案适用于本区桥梁垮塌事故。\n二、组织体系\n"
             "桥梁垮塌事故由区安全生产监督管理局牵头处置，区公安分局配合。\n").encode("utf-8")
    r = api.post("/check", headers=VIEWER, data={"semantic": "false"},
                 files={"draft": ("桥梁草案.txt", draft)})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["draft"] == "桥梁草案.txt"
    assert all("桥梁草案.txt" in {c["doc_id"] for c in f["clauses"]} for f in report["findings"])
    assert api.get("/plans/桥梁草案.txt", headers=VIEWER).status_code == 404  # never ingested
    r = api.post("/check", headers=VIEWER, files={"draft": ("草案.exe", b"MZ")})
    assert r.status_code == 400 and "不支持的文件格式" in r.json()["detail"]
