"""consistency answers over the whole sample corpus, asked in words of our own (not the dev QA
set's): each names the inconsistency found by the checks and cites both clauses."""
from __future__ import annotations

import re

import pytest

from retrieval.router import route

pytestmark = pytest.mark.usefixtures("corpus_assistant")


def _ok(ans, *words):
    text = re.sub(r"\s+", "", ans.answer)
    assert ans.intent == "consistency", ans
    assert all(w in text for w in words), ans.answer
    assert ans.citations and all(c.quote and c.doc_id for c in ans.citations)


def test_routes() -> None:
    assert route("两份预案对这件事的说法一致吗") == "consistency"
    assert route("这条依据现在还适用吗") == "consistency"
    assert route("清单里有没有这一条职责") == "consistency"
    assert route("地铁站踩踏谁牵头") == "lead_unit"  # a plain lead question stays a lead question


def test_swapped_lead_between_two_special_plans(corpus_assistant) -> None:
    ans = corpus_assistant.ask("地铁站里发生踩踏，地下空间预案和踩踏预案定的牵头部门对得上吗？")
    _ok(ans, "不一致", "区建管委", "区公安分局")
    docs = {c.doc_id for c in ans.citations}
    assert {"underground_space_plan.docx", "crowd_crush_plan.md"} <= docs


def test_outdated_unit_name_named_in_quotes(corpus_assistant) -> None:
    ans = corpus_assistant.ask("南苑街道预案写的“区人防办”这个叫法现在还对吗？")
    _ok(ans, "区民防办")
    assert ans.citations[0].doc_id == "nanyuan_street_plan.txt"


def test_article_that_does_not_exist(corpus_assistant) -> None:
    ans = corpus_assistant.ask("发改委责任清单里写的物资储备管理办法第三十二条，引得对吗？")
    _ok(ans, "第三十二条", "28条")


def test_response_levels_leaving_a_case_uncovered(corpus_assistant) -> None:
    ans = corpus_assistant.ask("燃气预案的四级和三级响应之间有没有空档？")
    _ok(ans, "空档", "死亡1人")
    assert ans.citations[0].doc_id == "gas_plan.docx"


def test_plans_that_agree_are_called_consistent(corpus_assistant) -> None:
    ans = corpus_assistant.ask("城镇燃气事故由谁牵头，燃气专项预案和总体预案一致吗？")
    _ok(ans, "一致", "区建管委")
    assert "不一致" not in ans.answer


def test_a_cited_article_is_answered_on_that_article_only(corpus_assistant) -> None:
    ans = corpus_assistant.ask("综合预案引用《生产安全事故应急条例》第四十二条，这一条对吗？")
    _ok(ans, "第四十二条")
    assert "无法核对" in ans.answer or "该条不存在" in ans.answer  # text not ingested / ingested
    assert ans.citations[0].doc_id == "production_safety_plan.html"
    assert "第四十二条" in ans.citations[0].quote


def test_a_statement_of_one_document_set_against_another(corpus_assistant) -> None:
    ans = corpus_assistant.ask("新华街道的预案讲街道不另设专家库，跟专家库管理办法说的一样吗？")
    _ok(ans, "区应急委办公室")
    assert ans.citations[0].quote == "街道不单独设立专家库。"
    assert ans.citations[1].doc_id == "expert_library_measures.docx"


def test_hazard_without_expert_cites_the_field_list(corpus_assistant) -> None:
    ans = corpus_assistant.ask("哪些风险源在专家库里没有对口专家？")
    _ok(ans, "锂电池储能电站")
    assert any("专业领域设置" in c.quote for c in ans.citations)


def test_two_named_plans_compared_at_the_level_both_write(corpus_assistant) -> None:
    ans = corpus_assistant.ask("电梯里有人被困，特种设备预案和总体预案规定的牵头部门一致吗？")
    _ok(ans, "一致", "区市场监管局", "特种设备事故")
    assert [c.doc_id for c in ans.citations][:2] == ["special_equipment_plan.txt", "general_plan.docx"]
