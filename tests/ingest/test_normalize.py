"""Organisation names as real documents spell them → one canonical unit, every guess reported."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.normalize import collect_matches, match_org
from ingest.pipeline import build_batch
from ingest.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(ROOT / "corpus" / "taxonomy")


@pytest.mark.parametrize("surface, canonical, method", [
    ("区应急管理局", "区应急管理局", "alias"),
    ("示例区民政局", "区民政局", "rule"),        # the district's own name before 区X局
    ("区财政局等部门", "区财政局", "rule"),        # trailing 等部门
    ("区应急管理局等单位", "区应急管理局", "rule"),
    ("各街道镇", "各街道（镇）", "rule"),          # （镇） written without brackets
    ("各街道(镇)", "各街道（镇）", "alias"),       # half-width brackets
    ("东湖街道办", "东湖街道", "rule"),
    ("区市场监督局", "区市场监管局", "fuzzy"),     # a shortened name no table lists
    ("区安监局", "区应急管理局", "former"),        # renamed unit
])
def test_surface_forms_map_to_the_canonical_unit(taxonomy, surface, canonical, method):
    m = match_org(surface, taxonomy)
    assert m is not None and (m.canonical, m.method) == (canonical, method)


@pytest.mark.parametrize("surface", ["区退役军人事务局", "区税务局", "区城管执法局", "区交通委"])
def test_units_missing_from_the_table_are_not_forced_onto_a_neighbour(taxonomy, surface):
    assert match_org(surface, taxonomy) is None


def test_a_remit_in_brackets_is_kept_as_scope(taxonomy):
    m = match_org("区建管委(水务)", taxonomy)
    assert (m.canonical, m.scope) == ("区建管委", "水务")
    m = match_org("区安监局（危化行业）", taxonomy)
    assert (m.canonical, m.scope, m.former) == ("区应急管理局", "危化行业", "区安监局")
    # a remark in brackets is not a remit
    assert match_org("区卫生健康委（分别牵头）", taxonomy).scope == ""


def test_mappings_are_collected_only_inside_an_ingest(taxonomy):
    match_org("示例区民政局", taxonomy)  # outside: nothing recorded, nothing raised
    with collect_matches() as notes:
        match_org("示例区民政局", taxonomy)
        match_org("区应急管理局", taxonomy)
    assert [(n.surface, n.canonical) for n in notes] == [("示例区民政局", "区民政局")]


PLAN = """示例区城市内涝专项应急预案（试行）
一、职责分工
城市内涝由示例区排水管理所牵头处置，区建管委(排水设施)、区市场监督局等部门配合。
地下通道积水由区安监局牵头，区建交委配合。
"""


def test_plan_facts_use_canonical_units_with_scope_old_name_and_warnings(tmp_path, taxonomy):
    f = tmp_path / "内涝预案.txt"
    f.write_text(PLAN, "utf-8")
    batch, warnings = build_batch(f, taxonomy)
    orgs = {n.key for n in batch.nodes if n.label == "Organization"}
    assert orgs <= set(taxonomy.organizations.entries), orgs  # no near-duplicate units
    first = {(r.type, r.start.key): r for r in batch.relationships
             if r.type in ("LEADS", "SUPPORTS") and r.provenance.quote.startswith("城市内涝")}
    assert ("LEADS", "区排水管理所") in first and ("SUPPORTS", "区市场监管局") in first
    assert first[("SUPPORTS", "区建管委")].props["scope"] == "排水设施"
    assert "org_surface" not in first[("SUPPORTS", "区建管委")].props
    old = {(r.start.key, r.props.get("org_surface")) for r in batch.relationships
           if r.provenance.quote.startswith("地下通道")}
    assert old == {("区应急管理局", "区安监局"), ("区建管委", "区建交委")}
    text = "\n".join(warnings)
    for surface, canonical in (("示例区排水管理所", "区排水管理所"), ("区市场监督局", "区市场监管局"),
                               ("区安监局", "区应急管理局")):
        assert f"“{surface}”" in text and f"“{canonical}”" in text and "内涝预案.txt" in text


def test_outdated_names_in_a_corpus_plan_are_kept_on_every_kind_of_fact(taxonomy):
    batch, warnings = build_batch(ROOT / "corpus" / "plans" / "nanyuan_street_plan.txt", taxonomy)
    old = [r for r in batch.relationships if r.props.get("org_surface")]
    assert {r.props["org_surface"] for r in old} >= {"区安监局", "区人防办", "区食药监局", "区卫计委"}
    for r in old:
        org = r.start.key if r.start.label == "Organization" else r.end.key
        assert taxonomy.organizations.canonical(r.props["org_surface"]) == org
        assert r.props["org_surface"] in r.provenance.quote
    assert sum("为旧称" in w for w in warnings) == 4
