"""End to end: `yingji ui` in a subprocess, driven in headless Chromium through Playwright.

Uses Debian's chromium (installed by `make browser`), never a browser downloaded by Playwright.
"""
from __future__ import annotations

import os
import re
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
SCREENSHOTS = ROOT / "build" / "screenshots"
SCREENSHOT = SCREENSHOTS / "chat.png"  # the duty card, as the officer sees it at 1280×900
PLANS_SHOT = SCREENSHOTS / "plans.png"
INCIDENT = "危险化学品仓库起火了"


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


KEYS = '[keys.desk]\nrole = "duty_officer"\nkey = "browser-duty-key"\n'
LOCAL = re.compile(r"^(?:https?://(?:127\.0\.0\.1|localhost)[:/]|data:|blob:|about:)")


@pytest.fixture
def app_url(ingested, cli_env, tmp_path):
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    port = _free_port()
    log = ROOT / "build" / "screenshots" / "ui.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    keys = tmp_path / "keys.toml"
    keys.write_text(KEYS, encoding="utf-8")
    env = {**cli_env, "YINGJI_API_KEYS": str(keys)}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "ui", "--data-dir", cli_env["YINGJI_DATA_DIR"],
             "--port", str(port)],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
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


def _ask(page, text: str):
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")
    return page.get_by_test_id("stChatMessage").filter(
        has=page.get_by_test_id("stChatMessageAvatarAssistant")).last


def _card(page, n: int):
    from playwright.sync_api import expect

    card = page.locator(f".st-key-duty_card_{n}")
    expect(card.locator(".card-table").first).to_be_visible(timeout=120_000)
    return card


def _duty_desk(page, expect) -> None:
    """Viewer: the off-topic answer and a card with masked phones. Duty officer: login
    feedback, a card with tel: links that fits the screen, surviving a reload."""
    side = page.get_by_test_id("stSidebar")
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=60_000)
    expect(_ask(page, "明天天气怎么样")).to_contain_text("超出知识库范围", timeout=120_000)
    _ask(page, "某小区燃气泄漏")
    card = _card(page, 1)
    masked = card.locator(".card-table").first.inner_text()
    assert "****" in masked and card.locator("a[href^='tel:']").count() == 0
    side.locator("input[type=password]").fill("browser-duty-key")
    side.get_by_role("button", name="登录").click()
    expect(side).to_contain_text("登录成功：值班员", timeout=30_000)
    _ask(page, INCIDENT)
    card = _card(page, 2)  # the conversation goes on after signing in
    expect(card.locator("a[href^='tel:']").first).to_be_visible()
    lines = [t for t in card.locator("[data-testid=stMarkdownContainer] p").all_inner_texts()
             if "有出处" in t or "待核实" in t]
    assert len(lines) >= 4 and all(re.search(r"(\[\d+\])+$", t.strip()) for t in lines), lines
    expect(card).to_contain_text("危险化学品")
    citations = page.get_by_test_id("stExpander").filter(has_text="引用依据").last
    expect(citations.get_by_test_id("stCaptionContainer").first).not_to_be_empty()
    page.wait_for_timeout(1500)  # the page settles (it scrolls as late parts render)
    assert card.bounding_box()["height"] <= 900 - 120  # above the chat box of a 1280×900 screen
    page.evaluate("document.querySelector('.st-key-duty_card_2').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))  # the screen as the officer sees it
    page.reload()
    expect(page.locator(".st-key-duty_card_2")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("当前身份：值班员")


def _plan_reader(page, expect) -> None:
    """Search, the best hit shown; a click on another row shows that plan, highlighted."""
    page.get_by_test_id("stSidebar").get_by_text("预案库", exact=True).click()
    search = page.get_by_label("搜索（标题、发布单位、章节原文、事实）")
    expect(search).to_be_visible(timeout=60_000)
    search.fill("燃气")
    search.press("Enter")
    expect(page.get_by_text("包含“燃气”")).to_be_visible(timeout=60_000)
    title = page.get_by_test_id("stHeading").filter(has_text="预案").last
    first = title.inner_text()
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 35 + 17)  # the second row's check box
    expect(title).not_to_have_text(first, timeout=30_000)
    shown = title.inner_text()
    pick = page.get_by_test_id("stSelectbox").filter(has_text="查看预案").locator("input")
    expect(pick).to_have_value(shown)  # the selection and the shown plan agree
    assert page.locator(".plan-doc mark").count() > 0
    assert page.locator(".plan-doc h3").count() >= 3
    page.screenshot(path=str(PLANS_SHOT))


def test_duty_desk_in_chromium(app_url):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing in CI: `make browser` should have installed it")
        pytest.skip(f"{CHROMIUM} not installed (run `make browser`)")
    from playwright.sync_api import expect, sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.on("request", lambda r: None if LOCAL.match(r.url) else outside.append(r.url))
            page.goto(app_url)
            _duty_desk(page, expect)
            _plan_reader(page, expect)
        finally:
            browser.close()
    print(f"screenshots: {SCREENSHOT}, {PLANS_SHOT}")
    assert not outside, outside  # no request leaves the machine (tab icon, fonts)
    for shot in (SCREENSHOT, PLANS_SHOT):
        assert shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
