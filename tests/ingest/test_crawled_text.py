"""Text as it arrives from the web and from copy-paste: headings lost, numbering "(1)…(11)" with
half- and full-width brackets mixed, sentences wrapped onto the next line, tables exported as
tab- or space-aligned text. The snippets are written for these tests, not taken from the corpus.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import build_batch
from ingest.readers import read_document
from ingest.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]

CRAWLED_PLAN = """当前位置：首页 > 政务公开 > 应急管理 > 应急预案
示例区城市运行突发事件分类应对工作预案
发布日期：2024-03-08  信息来源：区应急管理局  字号：大 中 小
为规范本区各类突发事件的先期处置和分类应对，明确各相关部门职责，
结合本区实际，制定本预案。
本区突发事件按类别分别由下列单位牵头应对：
(1)道路交通事故：由区公安分局牵头，区卫生健康委、区建管委配合。
（2）城镇燃气事故：区建管委牵头处置，示例燃气有限公司、区消防救援局
配合。
(3）地下空间事故，由区民防办牵头，区房管局、各街道（镇）协助。
(4)突发环境事件由区生态环境局牵头处置，区水务局、区应急管理局
等部门配合开展应急监测和污染处置。
（5)食物中毒事件：区市场监督局牵头，区卫计委配合。
（6）电梯困人：区市场监管局牵头，物业服务企业、维保单位配合。
(7)大面积停电事件：区发展和改革委员会牵头，区供电公司配合。
(8)树木倒伏：区绿化市容局牵头，区城运中心配合。
(9)危化品泄漏：区应急管理局牵头，区消防救援支队、区生态环境局配合。
(10)学校食堂食物中毒：区教育局会同区市场监管局牵头，区卫生健康委配合。
(11)群体性事件：区公安分局牵头，区信访办、事发地街道（镇）配合。
分享到：  打印本页  关闭窗口
"""

# (label, incident type, leads, supports)
EXPECTED = [
    ("(1)", "道路交通事故", {"区公安分局"}, {"区卫生健康委", "区建管委"}),
    ("（2）", "城镇燃气事故", {"区建管委"}, {"示例燃气有限公司", "区消防救援局"}),
    ("(3）", "地下空间事故", {"区民防办"}, {"区房管局", "各街道（镇）"}),
    ("(4)", "突发环境事件", {"区生态环境局"}, {"区水务局", "区应急管理局"}),
    ("（5)", "食品安全事件", {"区市场监管局"}, {"区卫生健康委"}),
    ("（6）", "电梯安全事故", {"区市场监管局"}, {"物业服务企业", "电梯维护保养单位"}),
    ("(7)", "大面积停电事件", {"区发展改革委"}, {"示例供电公司"}),
    ("(8)", "树木倒伏", {"区绿化市容局"}, {"区城运中心"}),
    ("(9)", "危险化学品事故", {"区应急管理局"}, {"区消防救援局", "区生态环境局"}),
    ("(10)", "学校食堂食品安全事件", {"区教育局", "区市场监管局"}, {"区卫生健康委"}),
    ("(11)", "群体性事件", {"区公安分局"}, {"区信访办", "各街道（镇）"}),
]


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(ROOT / "corpus" / "taxonomy")


@pytest.fixture()
def crawled(tmp_path):
    f = tmp_path / "crawled_plan.txt"
    f.write_text(CRAWLED_PLAN, "utf-8")
    return f


def test_wrapped_sentences_are_joined_and_say_so(crawled):
    doc = read_document(crawled)
    texts = [b.text for b in doc.blocks]
    assert "（2）城镇燃气事故：区建管委牵头处置，示例燃气有限公司、区消防救援局配合。" in texts
    assert ("为规范本区各类突发事件的先期处置和分类应对，明确各相关部门职责，结合本区实际，"
            "制定本预案。") in texts
    joined = next(b for b in doc.blocks if b.text.startswith("(4)"))
    assert joined.position == "第11-12行（跨行拼接）"
    # numbered lines and the page furniture stay lines of their own
    assert sum(t.startswith(("(", "（")) for t in texts) == 11
    assert doc.title == "示例区城市运行突发事件分类应对工作预案"


def test_eleven_items_with_mixed_brackets_become_sections(crawled, taxonomy):
    batch, _ = build_batch(crawled, taxonomy, kind="plan")
    labels = [n.props["label"] for n in batch.nodes if n.label == "Section" and n.props["label"]]
    assert labels == [e[0] for e in EXPECTED]


def test_lead_and_support_units_come_out_right(crawled, taxonomy):
    batch, warnings = build_batch(crawled, taxonomy, kind="plan")
    by_section: dict[str, tuple[str, set[str], set[str]]] = {}
    for r in batch.relationships:
        if r.type in ("LEADS", "SUPPORTS"):
            inc, leads, sups = by_section.setdefault(r.provenance.section, (r.end.key, set(), set()))
            assert r.end.key == inc
            (leads if r.type == "LEADS" else sups).add(r.start.key)
    got = [(path, *by_section.get(path, ("", set(), set()))) for path, *_ in EXPECTED]
    assert got == EXPECTED
    # every quote is verbatim in what the reader produced
    text = read_document(crawled).full_text()
    assert all(r.provenance.quote in text for r in batch.relationships)
    # guessed and outdated unit names are reported with the document
    assert any("区市场监督局" in w and "区市场监管局" in w and "crawled_plan.txt" in w
               for w in warnings)
    assert any("区消防救援支队" in w for w in warnings)


DUTY_LIST_HEADER = ["序号", "事项名称", "职责内容", "实施依据", "责任科室", "配合单位"]
DUTY_LIST_ROWS = [
    ["1", "安全生产综合监督管理", "指导协调全区安全生产工作，组织开展安全生产巡查和考核",
     "《中华人民共和国安全生产法》第十条", "综合监管科", "区各行业主管部门"],
    ["2", "危险化学品安全监管", "负责危险化学品生产、经营企业安全生产监督检查",
     "《危险化学品安全管理条例》第六条", "危化监管科", "区公安分局"],
    ["3", "应急预案管理", "组织编制区总体应急预案和安全生产类专项预案，指导应急预案演练",
     "《中华人民共和国突发事件应对法》第二十六条", "应急预案科", "各街道（镇）"],
]


def _padded(cells: list[str]) -> str:
    return "".join(c + " " * (4 + max(0, 24 - 2 * len(c))) for c in cells).rstrip()


@pytest.mark.parametrize("layout", ["tabs", "spaces"])
def test_duty_list_exported_to_text_keeps_its_rows(tmp_path, taxonomy, layout):
    join = "\t".join if layout == "tabs" else _padded
    body = "\n".join(join(r) for r in [DUTY_LIST_HEADER, *DUTY_LIST_ROWS])
    f = tmp_path / f"责任清单_{layout}.txt"
    f.write_text(f"示例区应急管理局责任清单\n（2024年版）\n\n{body}\n\n制表：区应急管理局办公室\n",
                 "gb18030")
    doc = read_document(f)
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [DUTY_LIST_HEADER, *DUTY_LIST_ROWS]
    assert doc.blocks[-1].kind == "paragraph"  # the footer is not a row

    batch, _ = build_batch(f, taxonomy, kind="duty_list")
    duties = [r for r in batch.relationships if r.type == "HAS_DUTY"]
    assert {r.start.key for r in duties} == {"区应急管理局"}
    names = {n.props.get("name") or n.props.get("事项名称") for n in batch.nodes
             if n.label == "Responsibility"}
    assert names == {r[1] for r in DUTY_LIST_ROWS}
    text = doc.full_text()
    assert all(r.provenance.quote in text for r in batch.relationships)
