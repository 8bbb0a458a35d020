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
