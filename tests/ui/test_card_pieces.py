"""The pure pieces behind the duty desk pages, without a graph or a browser: the card's lines and
tables, its export, the plan reader's HTML, the reload-proof session record and key entries."""
from __future__ import annotations

import io
import tomllib

from ui import card_export, card_view, plan_text
from ui.roles import RoleConfigError, key_entry, parse_keys
from ui.session_cache import SessionCache

CARD = {
    "question": "危险化学品仓库起火了",
    "answer": "【仓库火灾事故】涉及：危险化学品\n牵头/配合：区应急管理局牵头。[1][2]\n"
              "响应级别（待核实）：未能确定。[3]",
    "citations": [{"title": "《甲预案》", "section": "2.3", "quote": "甲由区应急管理局牵头。"},
                  {"title": "乙预案", "section": "三", "quote": "乙。"},
                  {"title": "丙预案", "section": "6.1", "quote": "丙。"}],
    "experts": [{"name": "周<立>衡", "organisation": "化工研究院", "fields": ["危险化学品"],
                 "availability": "7×24", "phone": "13955551207", "why": "领域对口", "refs": [4]}],
    "resources": [{"name": "特勤站", "kind": "队伍", "capacity": None, "managed_by": "区消防"}],
}


def test_card_lines_carry_label_status_and_refs():
    head, lines = card_view.split_card(CARD["answer"])
    assert head == "【仓库火灾事故】涉及：危险化学品"
    assert [(ln.label, ln.sure) for ln in lines] == [("牵头/配合", True), ("响应级别", False)]
    assert lines[0].text.endswith("[1][2]")


def test_phones_are_tel_links_only_when_the_role_may_see_them():
    shown = card_view.experts_html(CARD["experts"], can_call=True)
    assert '<a href="tel:13955551207">' in shown and "周&lt;立&gt;衡" in shown and "[4]" in shown
    masked = dict(CARD["experts"][0], phone="139****1207")
    hidden = card_view.experts_html([masked], can_call=False)
    assert "tel:" not in hidden and "139****1207" in hidden
    # a masked number never becomes a link, whatever the role
    assert "tel:" not in card_view.experts_html([masked], can_call=True)
    table = card_view.resources_html(CARD["resources"])
    assert "<th>管理单位</th>" in table and "capacity" not in table and "managed_by" not in table


def test_card_exports_as_text_and_docx_with_numbered_citations():
    text = card_export.card_text(CARD)
    assert "[1]《甲预案》2.3：甲由区应急管理局牵头。" in text and "周<立>衡" in text
    from docx import Document

    doc = Document(io.BytesIO(card_export.card_docx(CARD)))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "值班卡片" and "牵头/配合：区应急管理局牵头。[1][2]" in paras
    assert "[3]《丙预案》6.1：丙。" in paras
    assert [c.text for c in doc.tables[0].rows[0].cells][:2] == ["姓名", "单位"]


def test_plan_reader_marks_the_term_and_escapes_the_text():
    sections = [{"path": "首部", "heading": "某预案", "text": "（示例）"},
                {"path": "一", "heading": "总则", "text": "一、总则"},
                {"path": "一/（一）", "heading": "目的", "text": "（一）目的\n防范<燃气>事故。\n燃气安全。"}]
    doc = plan_text.document_html(sections, "燃气")
    assert "<h3>一、总则</h3>" in doc and "<h4>（一）目的</h4>" in doc
    assert "防范&lt;<mark>燃气</mark>&gt;事故。" in doc and doc.count("<mark>") == 2
    assert doc.index("总则") < doc.index("目的")  # reading order, one document


def test_a_session_record_lives_until_its_lifetime_ends():
    now = [0.0]
    cache = SessionCache(hours=1, clock=lambda: now[0])
    history: list = []
    token = cache.new(key="k", history=history)
    history.append(("问", "答"))
    now[0] = 3000
    assert cache.get(token).history == [("问", "答")] and cache.get(token).key == "k"
    now[0] = 3000 + 3601
    assert cache.get(token) is None and cache.get("guess") is None
    other = cache.new()
    cache.end(other)
    assert cache.get(other) is None


def test_key_entries_take_a_name():
    entry = key_entry("s3cret", "duty_officer", "值班台 1")
    ring = parse_keys(tomllib.loads(entry))
    assert ring.keys[0].key_id == "值班台 1" and ring.keys[0].role == "duty_officer"
    assert ring.lookup("s3cret") is not None and "s3cret" not in entry
    try:
        key_entry("k", "root", "x")
    except RoleConfigError:
        pass
    else:
        raise AssertionError("an unknown role is refused")
