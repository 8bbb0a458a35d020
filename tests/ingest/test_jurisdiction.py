"""The organisation table describes one jurisdiction (the one its names start with, and the
towns and streets it lists as units). A document of another place keeps its own unit names: a
city's 市应急局 is not the district's 区应急管理局, a town's 城运中心 not the district's."""
from pathlib import Path

import pytest

from ingest.pipeline import build_batch
from ingest.taxonomy import load_taxonomy

TAXONOMY = Path(__file__).resolve().parents[2] / "corpus" / "taxonomy"

PLAN = """{place}危险化学品事故应急预案
一、组织指挥
（一）{place}危险化学品事故应急指挥部
总指挥由分管副{head}长担任。
二、工作组
抢险救援组：由应急局牵头，城运中心、消防救援支队参加，负责现场抢险。
"""


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(TAXONOMY)


def _orgs(tmp_path: Path, taxonomy, place: str, head: str) -> set[str]:
    """The units the plan's facts name: organisation nodes and the group's members."""
    f = tmp_path / f"{place}.txt"
    f.write_text(PLAN.format(place=place, head=head[-1]), encoding="utf-8")
    batch, _ = build_batch(f, taxonomy)
    return ({n.key for n in batch.nodes if n.label == "Organization"}
            | {m for n in batch.nodes if n.label == "Role" for m in n.props.get("members", [])})


def test_the_tables_jurisdiction_is_read_from_its_own_names(taxonomy):
    home = taxonomy.home_places
    assert home and all(not p.startswith(("各", "事发地", "属地")) for p in home)
    some_home = sorted(home)[0]
    assert taxonomy.for_document(f"{some_home}防汛防台专项应急预案") is taxonomy
    assert taxonomy.for_document("专家库信息导出") is taxonomy  # no place named: ours
    other = taxonomy.for_document("滨江市危险化学品事故应急预案")
    assert not other.organizations.entries and other.incident_types.entries


def test_another_citys_units_keep_their_names(tmp_path, taxonomy):
    orgs = _orgs(tmp_path, taxonomy, "滨江市", "市")
    assert {"应急局", "城运中心", "消防救援支队"} <= orgs
    assert not orgs & set(taxonomy.organizations.entries)  # nothing mapped onto the table's


def test_a_document_of_the_tables_own_place_is_mapped(tmp_path, taxonomy):
    place = next(p for p in sorted(taxonomy.home_places) if p.endswith(("区", "县")))
    orgs = _orgs(tmp_path, taxonomy, place, "区")
    assert orgs & set(taxonomy.organizations.entries)
