"""The API as an attacker meets it, over real HTTP (uvicorn on loopback): bodies are never read
before the key (and, for uploads, the role) is checked; every body is bounded while it streams,
chunked or not; traversal and injection strings change nothing. Each refusal is in Chinese."""
from __future__ import annotations

import http.client
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest

from ui.api import create_app
from tests.reliability.live_api import serving

ADMIN = {"X-API-Key": "x-admin"}
VIEWER = {"X-API-Key": "x-viewer"}
KEYS = '[keys.a]\nrole = "admin"\nkey = "x-admin"\n[keys.v]\nrole = "viewer"\nkey = "x-viewer"\n'
UPLOAD_MB = 1.0


@pytest.fixture(scope="module")
def settings(kg_settings, embedding_model_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("abuse")
    (tmp / "keys.toml").write_text(KEYS, encoding="utf-8")
    return kg_settings.model_copy(update={
        "model_dir": embedding_model_dir, "api_keys": tmp / "keys.toml",
        "audit_log": tmp / "audit.jsonl", "upload_max_mb": UPLOAD_MB,
        "taxonomy_dir": Path(__file__).resolve().parents[2] / "corpus" / "taxonomy"})


@pytest.fixture(scope="module")
def base(settings):
    with serving(create_app(settings)) as url:
        yield url


def _chunked_post(base: str, path: str, headers: dict, total_mb: float) -> tuple[int, str, float]:
    """POST a multipart body of `total_mb` in chunks (no Content-Length), as fast as the server
    takes it; returns (status, detail, MB the client got to send before the answer)."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    conn.putrequest("POST", path)
    for k, v in {"Transfer-Encoding": "chunked", **headers,
                 "Content-Type": "multipart/form-data; boundary=XyZ"}.items():
        conn.putheader(k, v)
    conn.endheaders()
    head = b'--XyZ\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
    chunk = "应急预案正文。".encode() * 9000
    sent = 0
    try:
        conn.send(b"%x\r\n%s\r\n" % (len(head), head))
        while sent < total_mb * 1024 * 1024:
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        conn.send(b"0\r\n\r\n")
    except OSError:  # the server answered and hung up: what we wanted
        pass
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response.status, body, sent / 1024 / 1024


@pytest.mark.parametrize("headers, path, status, word", [
    ({}, "/documents", 401, "密钥"),
    ({"X-API-Key": "guess"}, "/documents", 401, "密钥"),
    (VIEWER, "/documents", 403, "无权"),
    (ADMIN, "/documents", 413, "过大"),
    (VIEWER, "/check", 413, "过大"),
    (VIEWER, "/ask", 413, "过大"),
])
def test_chunked_oversize_is_refused_before_it_is_read(base, settings, headers, path, status,
                                                       word) -> None:
    uploads = settings.data_dir / "uploads"
    before = sorted(uploads.glob("*")) if uploads.exists() else []
    got, body, sent_mb = _chunked_post(base, path, headers, total_mb=300)
    assert got == status and word in body, (got, body)
    assert sent_mb < 30, f"the server read {sent_mb:.0f} MB before refusing"
    assert (sorted(uploads.glob("*")) if uploads.exists() else []) == before


def test_declared_oversize_and_bad_length(base) -> None:
    big = b"x" * int((UPLOAD_MB + 0.2) * 1024 * 1024)
    r = httpx.post(f"{base}/documents", headers=ADMIN, files={"files": ("a.txt", big)})
    assert r.status_code == 413 and "过大" in r.json()["detail"]
    r = httpx.post(f"{base}/documents", files={"files": ("a.txt", big)})
    assert r.status_code == 401  # no key: refused before the size is even considered
    r = httpx.post(f"{base}/ask", headers=VIEWER, json={"question": "燃" * 200_000})
    assert r.status_code == 413


@pytest.mark.parametrize("doc_id", ["../keys.toml", "..%2F..%2Fetc%2Fpasswd", "%2e%2e/x.txt",
                                    "....//x.txt", "/etc/passwd", "C:\\Windows\\win.ini"])
def test_traversal_in_document_ids_touches_nothing(base, settings, doc_id) -> None:
    keys = Path(settings.api_keys)
    r = httpx.delete(f"{base}/documents/{doc_id}", headers=ADMIN)
    assert r.status_code in (404, 405), r.text
    assert keys.is_file()
    assert httpx.get(f"{base}/plans/{doc_id}", headers=VIEWER).status_code == 404


INJECTIONS = ["' OR 1=1 --", "\") RETURN 1 //", "}) MATCH (n) DETACH DELETE n //",
              "<script>alert(1)</script>", "${jndi:ldap://x}", "燃气\u202e泄漏", "a" * 500,
              "MATCH (n) RETURN n", "1; DROP TABLE documents", "%00", "{{7*7}}"]


def test_injection_strings_are_harmless(base) -> None:
    docs = httpx.get(f"{base}/plans", params={"kind": "all"}, headers=VIEWER).json()
    for text in INJECTIONS:
        for r in (httpx.post(f"{base}/ask", headers=VIEWER, json={"question": text}, timeout=120),
                  httpx.get(f"{base}/experts", headers=VIEWER, params={"field": text[:100]}),
                  httpx.get(f"{base}/graph/neighbourhood", headers=VIEWER,
                            params={"entity": text[:200]}),
                  httpx.get(f"{base}/plans/{quote(text, safe='')}", headers=VIEWER)):
            assert r.status_code < 500, (text, r.request.url, r.text)
    assert httpx.get(f"{base}/plans", params={"kind": "all"}, headers=VIEWER).json() == docs


def test_refusals_are_audited(base, settings) -> None:
    httpx.post(f"{base}/documents", files={"files": ("a.txt", b"x")})
    time.sleep(0.2)
    lines = Path(settings.audit_log).read_text("utf-8").splitlines()
    assert any('"status": 401' in ln and '"/documents"' in ln for ln in lines)
    assert not any("x-admin" in ln or "x-viewer" in ln for ln in lines)


def test_failed_reupload_keeps_the_good_file(base, settings) -> None:
    name = "复传预案.txt"
    good = "示例县暴雨灾害专项应急预案\n\n1 总则\n暴雨灾害由示例县水务局牵头处置。\n".encode()
    r = httpx.post(f"{base}/documents", headers=ADMIN, files={"files": (name, good)}, timeout=600)
    assert r.status_code == 200 and r.json()["files"][0]["status"] == "ingested", r.text
    bad = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8  # an image named .txt
    r = httpx.post(f"{base}/documents", headers=ADMIN, files={"files": (name, bad)}, timeout=600)
    [f] = r.json()["files"]
    assert f["status"] == "failed" and name in f["error"]
    assert str(settings.data_dir) not in r.text and "/tmp" not in r.text
    uploads = settings.data_dir / "uploads"
    assert (uploads / name).read_bytes() == good
    assert not list(uploads.glob(".previous-*"))
    assert httpx.delete(f"{base}/documents/{name}", headers=ADMIN).status_code == 200
