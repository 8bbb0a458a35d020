"""Expert finder and expert-library rules over the whole ingested sample corpus: ranked experts
with why they matched, masked phones, roster rows as sources; rule questions answered by the
article of the expert regulation, quoted verbatim. Questions are phrased unlike dev_qa."""
from __future__ import annotations

import re

import pytest

from retrieval.answers import Query, experts
from retrieval.answers.experts import mask_phone, mask_phones_in_text
from retrieval.normalize import normalize_question

FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d-?\d{4}-?\d{4}(?!\d)")
MASKED = re.compile(r"^\d{3,4}\*{4}\d{4}(?:-\d+)?$")


@pytest.mark.parametrize("raw,masked", [
    ("13955551207", "139****1207"),
    ("139-5555-1207", "139****1207"),
    ("+86 139 5555 1207", "139****1207"),
    ("02155553301", "021****3301"),
    ("021-5555-3301-8012", "021****3301-8012"),
    ("12345", "12345"),
    ("", ""),
])
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_mask_phones_in_text_keeps_dates_and_codes() -> None:
    row = "1　AQ-001　周某　2025-01-10　139-5555-1207　021-5555-3301　13955551207"
    out = mask_phones_in_text(row)
    assert out == "1　AQ-001　周某　2025-01-10　139****1207　021****3301　139****1207"


def test_finder_ranks_field_experts_with_sources_and_masked_phones(corpus_assistant) -> None:
    ans = corpus_assistant.ask("燃气调压站那边漏气了，能请哪几位专家过来？")
    assert ans.intent == "expert"
    assert 3 <= len(ans.experts) <= 5
    for e in ans.experts:
        assert "燃气" in e["fields"] and e["status"] == "在库"
        assert e["why"] and "燃气" in e["why"]
        assert e["phone"] == "" or MASKED.match(e["phone"]), e["phone"]
        assert e["name"] in ans.answer
    # each expert's roster row is cited, and no citation or answer leaks a full mobile number
    quotes = " ".join(c.quote for c in ans.citations)
    assert all(e["name"] in quotes for e in ans.experts)
    assert not FULL_MOBILE.search(quotes) and not FULL_MOBILE.search(ans.answer)
    # the expert whose research is the regulator station comes first
    assert "调压" in ans.experts[0]["why"]


def test_availability_filter_puts_round_the_clock_experts_only(corpus_assistant) -> None:
    ans = corpus_assistant.ask("凌晨有人被困电梯里，哪位专家随时能联系上？")
    assert ans.intent == "expert" and ans.experts
    assert all("7×24" in e["availability"] for e in ans.experts)
    assert all(e["status"] == "在库" for e in ans.experts)


def test_field_asked_by_name_restricts_to_that_field(corpus_assistant) -> None:
    ans = corpus_assistant.ask("有没有懂园林绿化的专家？")
    assert ans.experts and all("园林绿化" in e["fields"] for e in ans.experts)


def test_several_hazard_fields_are_each_represented(corpus_assistant) -> None:
    ans = corpus_assistant.ask("化工区仓库起火冒黑烟，要叫哪些专家？")
    fields = {f for e in ans.experts for f in e["fields"]}
    assert {"消防", "危险化学品"} <= fields
    assert "消防" in ans.answer and "危险化学品" in ans.answer


def test_paused_expert_is_named_with_status_not_recommended(corpus_assistant) -> None:
    ans = corpus_assistant.ask("徐振东这段时间可以调用吗？")
    assert ans.intent == "expert"
    assert "暂停" in ans.answer and "不予调用" in ans.answer
    assert ans.citations and "徐振东" in ans.citations[0].quote
    finder = corpus_assistant.ask("燃气泄漏请哪几个专家？")
    assert "徐振东" not in {e["name"] for e in finder.experts}


def test_authorised_callers_get_full_phones(corpus_assistant) -> None:
    q = normalize_question("夏琳还有没有备用号码？")
    corpus_assistant.ask(q)  # loads the gazetteer
    query = Query(question=q, text=q, intent="expert", gazetteer=corpus_assistant._gazetteer)
    masked = experts.answer(corpus_assistant._store, query)
    full = experts.answer(corpus_assistant._store, query, show_phones=True)
    assert masked is not None and full is not None
    assert all(MASKED.match(p) for p in masked.experts[0]["phones"])
    assert any(re.fullmatch(r"1[3-9]\d{9}", p) for p in full.experts[0]["phones"])
    assert FULL_MOBILE.search(" ".join(c.quote for c in full.citations))


def test_a_named_expert_is_cited_from_every_roster_listing_them(corpus_assistant) -> None:
    """The export and the bureau's roster are kept apart and may disagree: quote both rows."""
    ans = corpus_assistant.ask("王启明有没有备用电话？")
    docs = {c.doc_id for c in ans.citations}
    assert len(docs) >= 2 and all("王启明" in c.quote for c in ans.citations)


@pytest.mark.parametrize("question,article,fact", [
    ("专家接到通知以后最晚多长时间要给答复？", "第十五条", "30分钟"),
    ("专家遴选几年搞一次？", "第七条", "每3年"),
    ("入库专家对职称有什么条件？", "第五条", "高级专业技术职称"),
    ("名册里专家不干了以后，他的电话号码怎么处理？", "第二十六条", "删除其手机号码"),
])
def test_rule_questions_quote_the_article(corpus_assistant, question, article, fact) -> None:
    ans = corpus_assistant.ask(question)
    assert ans.intent == "expert_rule"
    assert article in ans.answer and fact in ans.answer
    assert ans.answer.startswith("依据《") and "专家" in ans.citations[0].title
    assert any(fact in c.quote for c in ans.citations)


def test_question_the_graph_cannot_answer_falls_back(corpus_assistant) -> None:
    ans = corpus_assistant.ask("有没有懂考古文物修复的专家？")
    assert ans.experts == []
    assert ans.status != "answered" and ans.answer.startswith("未")
