"""The alias tables are data a bureau replaces (YINGJI_TAXONOMY_DIR), not what the product
knows: with an empty taxonomy dir the real plans of ../shared/data/real are still read into
working-group leads, command posts, grading thresholds and response starters."""
from __future__ import annotations

import pytest

from tests.fixtures_e2e import ROOT, assistant_over

REAL_DOCS = ROOT.parent / "shared" / "data" / "real" / "docs"


@pytest.fixture(scope="module")
def bare_assistant(tmp_path_factory, embedding_model_dir):
    if not REAL_DOCS.is_dir():
        pytest.skip(f"{REAL_DOCS} not found")
    empty = tmp_path_factory.mktemp("empty-taxonomy")
    with assistant_over([REAL_DOCS], tmp_path_factory.mktemp("real-bare"), embedding_model_dir,
                        taxonomy_dir=empty) as assistant:
        yield assistant


@pytest.mark.parametrize("question, expected", [
    ("川沙新镇生产安全事故应急救援指挥部的综合协调组由谁负责？", "新镇安委办、城运中心"),  # lead
    ("港口突发事件应急时，应急指挥组组长是谁？", "水运管理处负责人"),  # command post
    ("港口事故造成死亡失踪5人，按港口预案是几级？", "较大"),  # grading by thresholds
    ("公路水运工程Ⅱ级应急响应由谁启动？", "领导小组"),  # response starter
])
def test_real_plans_are_read_without_any_alias_table(bare_assistant, question, expected):
    a = bare_assistant.ask(question)
    assert a.status == "answered", a.answer
    assert expected in a.answer.split("。")[0], a.answer
    assert a.citations and all(c.quote for c in a.citations)
