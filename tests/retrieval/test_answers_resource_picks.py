"""resource answers that pick Resource nodes by what they serve, through the real ingest pipeline
into ArcadeDB: a designated hospital from its plan's table row, the teams of every plan serving
the asked incident, and the regulation given over to shelters answering a shelter's capacity.
The plans are fictional (区测乙), written for these tests."""
from __future__ import annotations

import pytest

from ingest.pipeline import ingest_paths
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from retrieval.answers import resource_pick as rp
from retrieval.assistant import Assistant

MEDICAL = (
    "示例区测乙卫生健康局医疗救援部门应急预案\n"
    "五、应急处置\n"
    "伤员分流：氨气中毒伤员送测乙第一医院，骨折伤员送测乙康复医院。\n"
    "七、保障措施\n"
    "（一）队伍保障\n"
    "区测乙急救站配备救护车12辆。\n"
    "（二）定点医院\n"
    "| 医院 | 地址 | 承担任务 | 应急床位 |\n"
    "|---|---|---|---|\n"
    "| 测乙第一医院 | 湖心路9号 | 氨气中毒、烧伤救治 | 50张 |\n"
    "| 测乙康复医院 | 湖心路77号 | 骨折伤员康复 | 30张 |\n"
    "| 区测乙联系电话 | 值班室 | — | — |\n")
GAS = (
    "示例区测乙氨气泄漏事故专项应急预案\n"
    "二、组织体系\n"
    "测乙氨气泄漏事故由区测乙应急局牵头处置。\n"
    "八、保障措施\n"
    "8.1 区测乙消防站为处置主力；测乙冷链有限公司专职救援队（15人）作为企业救援力量。\n"
    "8.2 测乙第一医院为氨气中毒伤员定点救治医院。\n")
SAFETY = (
    "示例区测乙安全生产事故综合应急预案\n"
    "二、组织体系\n"
    "测乙安全生产事故由区测乙应急局牵头处置。\n"
    "九、保障措施\n"
    "区测乙消防站承担综合救援；测乙冷链有限公司专职消防队（15人）作为测乙氨气泄漏事故专业救援力量；"
    "区测乙建设局组建测乙工程抢险队（40人）。\n")
SHELTERS = (
    "示例区测乙避难场所管理办法\n"
    "第一条　为规范避难场所管理，制定本办法。\n"
    "第二条　全区现有避难场所5处，其中测乙湖滨公园为Ⅱ类避难场所。\n"
    "测乙湖滨公园的基本情况：有效面积约1.1万平方米，可容纳约3600人。\n"
    "第三条　本办法自印发之日起施行。\n")
CITY = (
    "示例区测乙总体应急预案\n"
    "一、总则\n"
    "本预案适用于本区各类突发事件。\n"
    "九、保障措施\n"
    "全区建成避难场所5处，测乙湖滨公园等为Ⅱ类避难场所。\n")


@pytest.fixture(scope="module")
def assistant(graph_store, tmp_path_factory) -> Assistant:
    folder = tmp_path_factory.mktemp("resource-picks")
    files = {"测乙_医疗预案.md": MEDICAL, "测乙_氨气预案.txt": GAS, "测乙_安全预案.txt": SAFETY,
             "测乙_避难办法.txt": SHELTERS, "测乙_总体预案.txt": CITY}
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    orgs = Lexicon()
    for name in ["区测乙应急局", "区测乙卫生健康局", "区测乙建设局", "测乙冷链有限公司"]:
        orgs.add(Entry(name=name))
    incidents = Lexicon()
    incidents.add(Entry(name="事故灾难"))
    incidents.add(Entry(name="测乙安全生产事故", parent="事故灾难"))
    incidents.add(Entry(name="测乙氨气泄漏事故", parent="事故灾难", aliases=["测乙氨气泄漏"]))
    report = ingest_paths([folder], graph_store, Taxonomy(orgs, incidents))
    assert not report.failed, report.failed
    yield Assistant(graph_store)
    for name in files:
        graph_store.delete_document(name)


def test_the_hospital_whose_table_row_covers_the_need_answers(assistant):
    a = assistant.ask("氨气中毒的病人该往哪家医院送？")
    assert a.intent == "resource"
    assert [r["name"] for r in a.resources] == ["测乙第一医院"]
    assert a.answer.split("；")[0].endswith("测乙第一医院（湖心路9号，氨气中毒、烧伤救治，50张）")
    assert a.citations[0].quote == "| 测乙第一医院 | 湖心路9号 | 氨气中毒、烧伤救治 | 50张 |"
    # the plan sentence designating the same hospital comes with it
    assert any("测乙第一医院为氨气中毒伤员定点救治医院" in c.quote for c in a.citations[1:])
    # and so does the response chapter's 分流 rule, outside the 保障 chapter
    assert any("氨气中毒伤员送测乙第一医院" in c.quote for c in a.citations[1:])


def test_teams_serving_the_incident_come_from_every_plan(assistant):
    a = assistant.ask("测乙氨气泄漏有没有企业的专业救援队可以调？")
    assert a.intent == "resource"
    assert "测乙冷链有限公司专职救援队" in a.answer
    assert "测乙冷链有限公司专职消防队" in a.answer  # the safety plan assigns it by its clause
    listed = a.answer.partition("可调用的队伍")[2]
    assert "测乙工程抢险队" not in listed  # not the asked incident's, nor a company's
    docs = {c.doc_id for c in a.citations}
    assert {"测乙_氨气预案.txt", "测乙_安全预案.txt"} <= docs


def test_the_regulation_on_shelters_answers_their_capacity(assistant):
    a = assistant.ask("湖滨公园避难场所能装多少人？")
    assert a.intent == "resource"
    assert a.citations[0].doc_id == "测乙_避难办法.txt"
    assert "可容纳约3600人" in a.citations[0].quote


def test_asked_kind_reads_the_question_not_a_mention():
    assert rp.asked_kind("烧伤的孩子应该送到哪家医院？") == "医院"
    assert rp.asked_kind("停电了医院要发电车，有几台？") is None
    assert rp.asked_kind("燃气爆炸有哪些专业抢险队？") == "队伍"
    assert rp.asked_kind("抢险队驻在哪里？") is None


def _pick(name: str, kind: str, **kw) -> rp.Pick:
    return rp.Pick(name=name, kind=kind, doc_id=kw.pop("doc", "p.txt"), title="t", section="1",
                   quote=kw.pop("quote", name), **kw)


def test_hospitals_by_the_longest_need_they_state():
    burns = _pick("镇中心卫生院", "医院", props={"speciality": "烧伤、溺水伤员初步救治"})
    gas = _pick("市第三医院", "医院", props={"speciality": "一氧化碳中毒高压氧治疗"})
    picks = [burns, gas, _pick("镇社区卫生站", "队伍")]
    assert rp.hospitals(picks, "一氧化碳中毒的人送哪家医院", {"氧化", "化碳", "中毒"}) == [gas]
    assert rp.need(gas, "煤气一氧化碳中毒送哪") == "一氧化碳中毒"
    assert rp.hospitals(picks, "骨折的人送哪家医院", {"骨折"}) == []  # nobody states it


def test_teams_of_the_incident_and_of_companies():
    company = _pick("甲化工厂专职救援队", "队伍", serves=["危险化学品事故"])
    public = _pick("镇应急救援队", "队伍", serves=["危险化学品事故"])
    other = _pick("乙公司抢修队", "队伍", serves=["城镇燃气事故"])
    picks = [company, public, other]
    assert rp.teams(picks, "危化品泄漏有哪些救援队？", {"危险化学品事故"}) == [company, public]
    assert rp.teams(picks, "有没有企业救援队可以调", {"危险化学品事故"}) == [company]


def test_a_table_narrows_to_the_row_the_question_names():
    from retrieval.answers.resources import _row_named
    table = ("表4 镇避难场所\n名称　地址　容纳人数\n柳岸广场　河西路2号　约900人\n"
             "柳岸中学　河西路40号　约600人\n镇文化站　中街5号　约200人")
    assert _row_named("柳岸中学能住多少人？", table) == "柳岸中学　河西路40号　约600人"
    assert _row_named("柳岸的避难场所能住多少人？", table) == table  # two rows say 柳岸
