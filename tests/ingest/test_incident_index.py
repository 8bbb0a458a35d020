"""best_type's bigram index gives what scoring every alias surface of every type gives."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.incidents import MIN_COVERAGE, _bigrams, _event_grams, best_type, pick_type
from ingest.readers import read_document
from ingest.taxonomy import Entry, load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


def _reference(phrase: str, taxonomy, exact: str | None = None) -> str | None:
    """The straightforward reading: every phrase against every surface, bigrams recomputed."""
    def match(grams: set[str], surface: str) -> tuple[int, float]:
        own = set(_bigrams(surface))
        if not own:
            return 0, 0.0
        events = _event_grams(surface)
        if events and not events & grams:
            return 0, 0.0
        common = len(own & grams)
        return common, common / len(own)

    grams = set(_bigrams(phrase))
    scored: dict[str, tuple[int, float]] = {}
    for name, entry in taxonomy.incident_types.entries.items():
        matches = [m for m in (match(grams, s) for s in [name, *entry.aliases])
                   if m[1] >= MIN_COVERAGE]
        if matches:
            scored[name] = max(matches, key=lambda m: m[0] * m[1])
    return pick_type(scored, taxonomy, exact)  # the choice is shared; the scoring is compared


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(ROOT / "corpus" / "taxonomy")


def _phrases(taxonomy) -> list[str]:
    lex = taxonomy.incident_types
    out = [s for name, e in lex.entries.items() for s in [name, *e.aliases]]
    out += ["住宅小区修缮、装修施工安全事故", "加油站、加气站发生的火灾、爆炸事故", "管道燃气",
            "管道燃气泄漏", "电梯困人等特种设备事故", "东湖公园、体育中心、地铁站大客流拥挤踩踏",
            "危险化学品生产、经营、储存、使用和运输事故", "台风、暴雨及低洼农田受淹", "", "的"]
    for doc in ("hazchem_plan.txt", "special_equipment_plan.txt", "flood_typhoon_plan.txt"):
        text = read_document(ROOT / "corpus" / "plans" / doc).full_text()
        out += [ln[i:i + 24] for ln in text.splitlines() for i in range(0, len(ln), 12)]
    return out


def test_best_type_matches_the_reference_on_every_phrase(taxonomy):
    phrases = _phrases(taxonomy)
    assert len(phrases) > 500
    names = list(taxonomy.incident_types.entries)
    found = 0
    for p in phrases:
        expected = _reference(p, taxonomy)
        assert best_type(p, taxonomy) == expected, p
        found += expected is not None
        for exact in (names[len(p) % len(names)], expected):
            assert best_type(p, taxonomy, exact) == _reference(p, taxonomy, exact), (p, exact)
    assert found > 100


def test_the_index_is_rebuilt_when_the_lexicon_grows(taxonomy):
    tax = load_taxonomy(ROOT / "corpus" / "taxonomy")
    assert best_type("蜂群蜇人伤害", tax) is None
    tax.incident_types.add(Entry(name="蜂群蜇伤事件", aliases=["蜂群蜇人伤害"]))
    assert best_type("蜂群蜇人伤害", tax) == "蜂群蜇伤事件"
