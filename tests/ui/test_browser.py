"""End to end: `yingji ui` in a subprocess, driven in headless Chromium through Playwright.

Uses Debian's chromium (installed by `make browser`), never a browser downloaded by Playwright.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.fixtures_e2e import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("YINGJI_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOT = ROOT / "build" / "screenshots" / "chat.png"
QUESTION = "危险化学品事故由哪个单位牵头？"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"yingji ui exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"yingji ui not healthy after {timeout}s")


@pytest.fixture
def app_url(ingested, cli_env):
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    port = _free_port()
    log = ROOT / "build" / "screenshots" / "ui.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "ui", "--data-dir", cli_env["YINGJI_DATA_DIR"],
             "--port", str(port)],
            env=cli_env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _screenshot(page) -> None:
    """Full page: Streamlit scrolls inside its main block, so grow the viewport to fit it first."""
    height = 0
    for _ in range(5):  # until the layout stops growing (the graph sizes itself late)
        page.wait_for_timeout(500)
        needed = page.evaluate(
            "Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
            "[data-testid=stMainBlockContainer]')].map(e => e.scrollHeight), 800)") + 200
        if needed <= height:
            break
        height = min(int(needed), 8000)
        page.set_viewport_size({"width": 1280, "height": height})
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_chat_in_chromium(app_url):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing in CI: `make browser` should have installed it")
        pytest.skip(f"{CHROMIUM} not installed (run `make browser`)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
            page.goto(app_url)
            box = page.get_by_test_id("stChatInputTextArea")
            expect(box).to_be_visible(timeout=60_000)
            box.fill(QUESTION)
            box.press("Enter")
            answer = page.get_by_test_id("stChatMessage").filter(
                has=page.get_by_test_id("stChatMessageAvatarAssistant")).last
            expect(answer).to_contain_text("牵头", timeout=120_000)
            citations = answer.get_by_test_id("stExpander").filter(has_text="引用依据")
            expect(citations).to_be_visible(timeout=10_000)
            expect(citations.get_by_test_id("stCaptionContainer").first).not_to_be_empty()
            graph = answer.get_by_test_id("stExpander").filter(has_text="事实图")
            svg = graph.get_by_test_id("stGraphVizChart").locator("svg")
            if not svg.is_visible():  # a large graph starts folded: open it for the screenshot
                graph.locator("summary").click()
            expect(svg).to_be_visible(timeout=30_000)
            _screenshot(page)
        finally:
            browser.close()
    print(f"screenshot: {SCREENSHOT}")
    assert SCREENSHOT.stat().st_size > 20_000
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
