"""Which incident type(s) a phrase names, against the taxonomy.

Plans name subtypes in their own words ("住宅小区修缮、装修施工安全事故", "加油站、加气站发生的
火灾、爆炸事故"), so exact alias hits are not enough: every type is scored by how many of its
surface forms' character bigrams the phrase contains, weighted by coverage, and the best wins.
A phrase that lists several types by their exact names ("传染病疫情、群体性不明原因疾病") names
them all.
"""
from __future__ import annotations

import re

from ingest.taxonomy import Taxonomy

_PUNCT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
_INCLUDES = re.compile(r"[（(](?:含|包括|包含)[^）)]*[)）]")
_INCIDENT_TAIL = re.compile(
    r"([\u4e00-\u9fa5A-Za-z0-9（）()、]{2,24}?(?:事故|事件|灾害|险情|灾情|疫情|防台|防汛))")
MIN_COVERAGE = 0.6


def _bigrams(text: str) -> list[str]:
    t = _PUNCT.sub("", text)
    return [t[i:i + 2] for i in range(len(t) - 1)]


def _match(phrase_bigrams: set[str], surface: str) -> tuple[int, float]:
    """(bigrams of `surface` found in the phrase, their share of the surface's bigrams)."""
    grams = set(_bigrams(surface))
    if not grams:
        return 0, 0.0
    common = len(grams & phrase_bigrams)
    return common, common / len(grams)


def best_type(phrase: str, taxonomy: Taxonomy) -> str | None:
    """Highest common×coverage wins; then a subtype of the winner that matches
    bigrams more replaces it ("住宅小区修缮、装修施工安全事故" is the 修缮 subtype of 施工安全事故)."""
    grams = set(_bigrams(phrase))
    scored: dict[str, tuple[int, float]] = {}
    for name, entry in taxonomy.incident_types.entries.items():
        matches = [m for m in (_match(grams, s) for s in [name, *entry.aliases])
                   if m[1] >= MIN_COVERAGE]
        if matches:
            scored[name] = max(matches, key=lambda m: m[0] * m[1])
    if not scored:
        return None
    best = max(scored, key=lambda n: scored[n][0] * scored[n][1])
    children = [n for n in scored if best in taxonomy.incident_ancestors(n)
                and scored[n][0] > scored[best][0]]
    return max(children, key=lambda n: scored[n][0]) if children else best


def find_incidents(text: str, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """[(surface, canonical)] named in `text`; empty when it names none."""
    phrase = _INCLUDES.sub("", text)
    lex = taxonomy.incident_types
    exact = [(s, c) for _, _, s, c in lex.find_all(phrase) if len(s) >= 4]
    distinct: list[tuple[str, str]] = []
    for s, c in exact:
        if c not in [d[1] for d in distinct]:
            distinct.append((s, c))
    if len(distinct) >= 2:
        ancestors = {a for _, c in distinct for a in taxonomy.incident_ancestors(c)}
        return [(s, c) for s, c in distinct if c not in ancestors]
    tail = _INCIDENT_TAIL.search(phrase)
    surface = (tail.group(1).lstrip("（(、 ") if tail else phrase.strip())
    if lex.entries:
        name = best_type(phrase, taxonomy)
        if name:
            return [(distinct[0][0] if distinct else surface, name)]
    if tail:
        return [(surface, surface)]  # a type the table does not know: kept as written
    return []
