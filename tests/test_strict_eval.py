"""The strict figures every change is judged by (DESIGN.md): a direct answer must state the asked
fact in its first sentence; a wrong direct answer is the worst outcome.

- the real set: the five real plans of ../shared/data/real and the three laws of
  ../shared/data/regulations, ingested together with the sample corpus into one data dir, asked
  the 71 shared questions and the 170 of corpus/eval/real_qa.jsonl;
- the sample set: corpus/eval/dev_qa.jsonl on the session's sample store (other tests add the
  three laws to it, which makes some article questions harder).

The floors are the figures reached so far, kept from sliding back; the targets of issue 12
(real: right >= 85%, wrong <= 2%; sample: right >= 95%, wrong <= 1%) are not reached yet.
"""
from __future__ import annotations

import pytest

from tests.fixtures_e2e import CORPUS, REGULATIONS, ROOT, assistant_over

REAL = ROOT.parent / "shared" / "data" / "real"


def _report(items, ask):
    from retrieval.evaluate import evaluate, render

    report = evaluate(items, ask)
    print("\n" + render(report))
    for f in report.failures:
        if f["outcome"] == "answered_wrong":
            print("直接回答错误：", f["id"], f["question"], "→", f["got"]["answer"][:80])
    return report


@pytest.fixture(scope="module")
def real_assistant(tmp_path_factory, embedding_model_dir):
    if not (REAL / "docs").is_dir() or not REGULATIONS.is_dir():
        pytest.skip(f"{REAL} or {REGULATIONS} not found")
    with assistant_over([CORPUS, REAL / "docs", REGULATIONS],
                        tmp_path_factory.mktemp("real-and-sample"), embedding_model_dir) as assistant:
        yield assistant


def test_real_documents_strict_floors(real_assistant):
    from retrieval.evaluate import load_qa

    items = load_qa(REAL / "qa.jsonl") + load_qa(ROOT / "corpus" / "eval" / "real_qa.jsonl")
    report = _report(items, lambda q: real_assistant.ask(q, show_phones=True))
    assert report.total == 241
    # 5 of 241 today (176 right), 3 of them the plan's own wording where the gold answer
    # paraphrases it
    assert report.outcome_rate("answered_wrong") <= 0.025
    assert report.outcome_rate("answered_right") >= 0.70


def test_real_annex_grades_and_starts_levels(real_assistant):
    """A department plan's 附件2 lists each level's conditions under "Ⅲ级（较大）": a figure or a
    duration is graded by them, and who starts the level comes from the plan's 4.3."""
    a = real_assistant.ask("港口事故造成死亡失踪5人，按港口预案是几级？")
    assert a.status == "answered" and "较大" in a.answer.split("。")[0]
    a = real_assistant.ask("港口客运站运行中断，部分旅客滞留，预计8小时恢复，按广西港口预案对应几级响应？")
    assert a.status == "answered" and "四级响应" in a.answer.split("。")[0]
    a = real_assistant.ask("广西港口突发事件领导小组办公室设在哪个处？")
    assert a.status == "answered" and "交通运输厅水运管理处" in a.answer.split("。")[0]


def test_sample_district_strict_floors(corpus_assistant):
    from retrieval.evaluate import load_qa

    report = _report(load_qa(CORPUS / "eval" / "dev_qa.jsonl"),
                     lambda q: corpus_assistant.ask(q, show_phones=True))
    # 370 right, 5 wrong of 422 on the sample corpus alone (yingji eval); 366 and 10 on this
    # store, which holds the three laws as well
    assert report.outcome_rate("answered_wrong") <= 0.025
    assert report.outcome_rate("answered_right") >= 0.86
    assert report.accuracy >= 0.96  # the lenient figure
