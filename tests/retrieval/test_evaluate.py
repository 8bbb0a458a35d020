"""Scoring rules of `yingji eval` (DESIGN.md: correct when an accepted string occurs in the answer
after NFKC and whitespace removal; a citation counts when its quote contains the evidence)."""
from retrieval.contract import Answer, Citation
from retrieval.evaluate import QAItem, evaluate, render

ITEMS = [
    QAItem(id="1", question="危化品事故谁牵头？", type="lead_unit", accept=["区应急管理局"],
           evidence="危险化学品事故由区应急管理局牵头处置。"),
    QAItem(id="2", question="燃气泄漏谁牵头？", type="lead_unit", accept=["区建管委"],
           evidence="燃气管道泄漏事故：区建管委牵头。"),
    QAItem(id="3", question="专家聘期几年？", type="expert_rule", accept=["3年", "三年"], evidence=""),
]

ANSWERS = {
    "危化品事故谁牵头？": Answer(question="", intent="lead_unit", answer="危险化学品事故由区应急管理局 牵头处置。",
                          citations=[Citation(doc_id="d", title="t", section="2.3",
                                              quote="危险化学品事故由区应急管理局牵头处置。")],
                          latency_ms=10),
    "燃气泄漏谁牵头？": Answer(question="", intent="lead_unit", answer="由区公安分局牵头。",
                         citations=[Citation(doc_id="d", title="t", section="1", quote="无关的句子。")],
                         latency_ms=30),
    "专家聘期几年？": Answer(question="", intent="expert_rule", answer="专家聘期为３年。", latency_ms=20),
}


def test_accuracy_citations_latency_and_failures():
    report = evaluate(ITEMS, lambda q: ANSWERS[q])
    assert report.by_type["lead_unit"].total == 2 and report.by_type["lead_unit"].correct == 1
    assert report.by_type["expert_rule"].correct == 1  # full-width ３ matches after NFKC
    assert report.accuracy == 2 / 3
    assert (report.citation_correct, report.citation_total) == (1, 2)
    assert report.percentile(0.5) == 20 and report.percentile(0.95) == 30
    assert [f["id"] for f in report.failures] == ["2"]
    text = render(report)
    assert "lead_unit" in text and "66.7%" in text and "p95 30.0 ms" in text


def _ans(text: str, status: str = "answered", quotes: tuple[str, ...] = ()) -> Answer:
    return Answer(question="", intent="lead_unit", status=status, answer=text,
                  citations=[Citation(doc_id="d", title="t", section="1", quote=q) for q in quotes])


def test_strict_outcomes_judge_the_first_sentence_and_the_status():
    from retrieval.contract import first_sentence
    from retrieval.evaluate import outcome

    item = QAItem(id="s", question="港口事故谁牵头？", type="lead_unit", accept=["水运管理处"])
    assert outcome(item, _ans("由水运管理处牵头。（《港口预案》4.1）")) == "answered_right"
    # The fact only in a later sentence is a wrong direct answer, not a right one.
    assert outcome(item, _ans("由安全监督处牵头。水运管理处配合。")) == "answered_wrong"
    assert outcome(item, _ans("未能确定答案。相关条文：", "evidence",
                              ("应急指挥组组长由水运管理处负责人担任。",))) == "evidence_holds"
    assert outcome(item, _ans("未能确定答案。", "evidence", ("无关。",))) == "miss"
    assert outcome(item, _ans("未找到。", "not_found")) == "miss"
    # A title's inner punctuation does not end the first sentence.
    assert first_sentence("按《关于（试行）的通知。》执行。其余") == "按《关于（试行）的通知。》执行。"


def test_render_prints_the_strict_figures():
    items = [QAItem(id="a", question="q1", type="lead_unit", accept=["甲局"]),
             QAItem(id="b", question="q2", type="lead_unit", accept=["乙局"]),
             QAItem(id="c", question="q3", type="grading", accept=["Ⅱ级"])]
    answers = {"q1": _ans("甲局牵头。"), "q2": _ans("丙局牵头。乙局配合。"),
               "q3": _ans("未能确定。", "evidence", ("属于Ⅱ级。",))}
    report = evaluate(items, lambda q: answers[q])
    assert [report.outcome(o) for o in ("answered_right", "answered_wrong", "evidence_holds",
                                         "miss")] == [1, 1, 1, 0]
    assert {f["id"]: f["outcome"] for f in report.failures} == {"b": "answered_wrong",
                                                                 "c": "evidence_holds"}
    text = render(report)
    assert "直接回答正确 33.3%（1）" in text and "直接回答错误 33.3%（1）" in text


def test_an_accepted_number_is_not_part_of_a_longer_one():
    from retrieval.evaluate import outcome

    item = QAItem(id="n", question="5人死亡几级？", type="grading", accept=["Ⅱ级", "5人"])
    assert outcome(item, _ans("属于Ⅲ级。")) == "answered_wrong"  # NFKC: III级 holds II级
    assert outcome(item, _ans("造成15人死亡。")) == "answered_wrong"
    assert outcome(item, _ans("属于Ⅱ级（重大）。")) == "answered_right"
    assert outcome(item, _ans("造成5人死亡的属于此级。")) == "answered_right"
