"""Lead-unit answers from real graph facts: the incident's own plan speaks first, and plans that
disagree are named, not hidden. Written through the real ingest pipeline into ArcadeDB."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from retrieval.assistant import Assistant

PLANS = {
    "答测_总体应急预案.txt": "示例区答测突发事件总体应急预案\n三、分类应对\n（一）答测爆燃事故：区答测应急局牵头，区答测公安局配合。\n",
    "答测_专项应急预案.txt": "示例区答测爆燃事故专项应急预案\n二、组织体系\n答测爆燃事故由区答测应急局牵头处置，区答测消防局、区答测卫健委等单位配合。\n",
    "答测_街道应急预案.txt": "示例区答测街道突发事件应急预案\n三、处置\n辖区答测爆燃事故由答测街道办事处牵头，区答测应急局配合。\n",
}


@pytest.fixture(scope="module")
def assistant(graph_store, tmp_path_factory) -> Assistant:
    folder = tmp_path_factory.mktemp("answer-plans")
    for name, text in PLANS.items():
        (folder / name).write_text(text, "utf-8")
    orgs = Lexicon()
    for name in ["区答测应急局", "区答测公安局", "区答测消防局", "区答测卫健委", "答测街道办事处"]:
        orgs.add(Entry(name=name))
    incidents = Lexicon()
    incidents.add(Entry(name="答测爆燃事故", aliases=["答测爆燃"]))
    report = ingest_paths([folder], graph_store, Taxonomy(orgs, incidents))
    assert not report.failed, report.failed
    yield Assistant(graph_store)
    for name in PLANS:
        graph_store.delete_document(name)


def test_own_special_plan_answers_first_and_disagreement_is_named(assistant):
    a = assistant.ask("答测爆燃事故谁牵头？")
    assert a.intent == "lead_unit"
    assert a.answer.startswith("答测爆燃事故由区答测应急局牵头处置，")
    assert "《示例区答测爆燃事故专项应急预案》" in a.answer
    assert "注意" in a.answer and "答测街道办事处" in a.answer  # the street plan says otherwise
    assert a.citations[0].doc_id == "答测_专项应急预案.txt"
    assert a.citations[0].quote == "答测爆燃事故由区答测应急局牵头处置，区答测消防局、区答测卫健委等单位配合。"
    assert {f.subject for f in a.facts if f.relation == "LEADS"} >= {"区答测应急局", "答测街道办事处"}


def test_support_units_question(assistant):
    a = assistant.ask("答测爆燃哪些单位配合？")
    assert a.intent == "support_units"
    assert "区答测消防局" in a.answer and "区答测卫健委" in a.answer
