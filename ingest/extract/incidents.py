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
_TITLES = re.compile(r"《[^》]*》")
_INCLUDES = re.compile(r"[（(](?:含|包括|包含)[^）)]*[)）]")
_INCIDENT_TAIL = re.compile(
    r"([\u4e00-\u9fa5A-Za-z0-9（）()、]{2,24}?(?:事故|事件|灾害|险情|灾情|疫情|防台|防汛))")
MIN_COVERAGE = 0.6
# Phrases that point at incidents without naming a type: "下列事故", "处置的事故".
_VAGUE = re.compile(r"^(?:下列|上述|以下|各类|其他|有关|相关|本|该|此类|这类)|的")


# Bigrams every incident name shares; they say nothing about which type is meant.
_GENERIC = {"突发", "发事", "事件", "事故", "灾害", "安全", "全事", "生产", "产安", "故灾",
            "应急", "处置", "发生", "生的"}


def _bigrams(text: str) -> list[str]:
    t = _PUNCT.sub("", text)
    return [b for b in (t[i:i + 2] for i in range(len(t) - 1)) if b not in _GENERIC]


def _match(phrase_bigrams: set[str], surface: str) -> tuple[int, float]:
    """(bigrams of `surface` found in the phrase, their share of the surface's bigrams)."""
    grams = set(_bigrams(surface))
    if not grams:
        return 0, 0.0
    common = len(grams & phrase_bigrams)
    return common, common / len(grams)


def best_type(phrase: str, taxonomy: Taxonomy, exact: str | None = None) -> str | None:
    """Highest common×coverage wins; then a subtype of the winner that matches
    bigrams more (or as many, covering most of its name) replaces it ("住宅小区修缮、装修施工安全事故" is the 修缮 subtype of 施工安全事故)."""
    grams = set(_bigrams(phrase))
    scored: dict[str, tuple[int, float]] = {}
    for name, entry in taxonomy.incident_types.entries.items():
        matches = [m for m in (_match(grams, s) for s in [name, *entry.aliases])
                   if m[1] >= MIN_COVERAGE]
        if matches:
            scored[name] = max(matches, key=lambda m: m[0] * m[1])
    if not scored:
        return None
    if exact in scored:
        # The phrase spells a type out ("……等供排水事故"): only a subtype that matches strictly
        # more of the phrase replaces it.
        best = exact
        children = [n for n in scored if best in taxonomy.incident_ancestors(n)
                    and scored[n][0] > scored[best][0]]
    else:
        best = max(scored, key=lambda n: scored[n][0] * scored[n][1])
        children = [n for n in scored if best in taxonomy.incident_ancestors(n)
                    and (scored[n][0] > scored[best][0]
                         or (scored[n][0] == scored[best][0] and scored[n][1] >= 0.75))]
    return max(children, key=lambda n: scored[n][0]) if children else best


def _list_items(phrase: str, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """A bare list of short names ("高层住宅火灾、电动自行车火灾") names one type per item."""
    if re.search(r"的|发生|等", phrase) or len(phrase) > 40:
        return []
    parts = [p for p in re.split(r"[、和及/]", phrase) if p.strip()]
    if len(parts) < 2 or any(len(p) > 12 for p in parts):
        return []
    out: list[tuple[str, str]] = []
    for p in parts:
        name = best_type(p, taxonomy)
        if name is None:
            return []
        if name not in [c for _, c in out]:
            out.append((p, name))
    return out if len(out) >= 2 else []


def find_incidents(text: str, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """[(surface, canonical)] named in `text`; empty when it names none."""
    phrase = _TITLES.sub("", _INCLUDES.sub("", text))  # 《…总体应急预案》 names a plan, not an incident
    lex = taxonomy.incident_types
    exact = [(s, c) for _, _, s, c in lex.find_all(phrase) if len(s) >= 4]
    distinct: list[tuple[str, str]] = []
    for s, c in exact:
        if c not in [d[1] for d in distinct]:
            distinct.append((s, c))
    if len(distinct) < 2:
        distinct = _list_items(phrase, taxonomy) or distinct
    if len(distinct) >= 2:
        ancestors = {a for _, c in distinct for a in taxonomy.incident_ancestors(c)}
        return [(s, c) for s, c in distinct if c not in ancestors]
    tail = _INCIDENT_TAIL.search(phrase)
    surface = (tail.group(1).lstrip("（(、 ") if tail else phrase.strip())
    if lex.entries:
        name = best_type(phrase, taxonomy, distinct[0][1] if distinct else None)
        if name:
            return [(distinct[0][0] if distinct else surface, name)]
    if tail and not _VAGUE.search(surface) and not taxonomy.organizations.find_all(surface):
        return [(surface, surface)]  # a type the table does not know: kept as written
    return []
