"""Which incident type(s) a phrase names, against the taxonomy.

Plans name subtypes in their own words ("住宅小区修缮、装修施工安全事故", "加油站、加气站发生的
火灾、爆炸事故"), so exact alias hits are not enough: every type is scored by how many of its
surface forms' character bigrams the phrase contains, weighted by coverage, and the best wins.
A phrase that lists several types by their exact names ("传染病疫情、群体性不明原因疾病") names
them all.
"""
from __future__ import annotations

import re

from ingest.taxonomy import Lexicon, Taxonomy

_PUNCT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
_TITLES = re.compile(r"《[^》]*》")
_INCLUDES = re.compile(r"[（(](?:含|包括|包含)[^）)]*[)）]")
_INCIDENT_TAIL = re.compile(
    r"([\u4e00-\u9fa5A-Za-z0-9（）()、]{2,24}?(?:事故|事件|灾害|险情|灾情|疫情|防台|防汛))")
MIN_COVERAGE = 0.6
# Phrases that point at incidents without naming a type: "下列事故", "处置的事故".
_VAGUE = re.compile(r"^(?:下列|上述|以下|各类|其他|有关|相关|本|该|此类|这类)|的")


# Words for what happened, beyond the generic 事故/事件.
_SPECIFIC_EVENT = re.compile(
    r"泄漏|爆炸|爆燃|着火|起火|火灾|坍塌|倒塌|塌方|坠落|倾覆|中毒|窒息|踩踏|困人|爆管|污染|受淹|"
    r"积水|进水|停电|停水|停气|渗漏|管涌|决口|漫溢|破裂")

# Bigrams every incident name shares; they say nothing about which type is meant.
_GENERIC = {"突发", "发事", "事件", "事故", "灾害", "安全", "全事", "生产", "产安", "故灾",
            "应急", "处置", "发生", "生的"}


def _bigrams(text: str) -> list[str]:
    t = _PUNCT.sub("", text)
    return [b for b in (t[i:i + 2] for i in range(len(t) - 1)) if b not in _GENERIC]


def _event_grams(surface: str) -> set[str]:
    """Bigrams of `surface` that carry what happened ("泄漏" in "管道燃气泄漏")."""
    t = _PUNCT.sub("", surface)
    spans = [range(m.start(), m.end()) for m in _SPECIFIC_EVENT.finditer(t)]
    return {t[i:i + 2] for i in range(len(t) - 1)
            if any(i in r or i + 1 in r for r in spans)} - _GENERIC


class _SurfaceIndex:
    """Every type's name and aliases with their bigrams, and which surfaces hold each bigram:
    a phrase is scored only against surfaces sharing a bigram with it (a surface sharing none
    has coverage 0, and its event bigrams are among its bigrams).

    A surface scores (bigrams of it found in the phrase, their share of its bigrams). A surface
    that names an event ("管道燃气泄漏") does not match a phrase that only shares its object
    ("管道燃气"): at least one of its event bigrams must be there.
    """

    def __init__(self, lex: Lexicon):
        self.owner: list[str] = []  # surface id -> type name; ids follow the table's order
        self.size: list[int] = []  # bigrams of the surface
        self.events: list[frozenset[str]] = []
        self.holders: dict[str, list[int]] = {}  # bigram -> surface ids holding it
        for name, entry in lex.entries.items():
            for surface in [name, *entry.aliases]:
                grams = set(_bigrams(surface))
                if not grams:
                    continue
                sid = len(self.owner)
                self.owner.append(name)
                self.size.append(len(grams))
                self.events.append(frozenset(_event_grams(surface)))
                for g in grams:
                    self.holders.setdefault(g, []).append(sid)

    def scores(self, grams: set[str]) -> dict[str, tuple[int, float]]:
        """Each type's best surface score, for the types whose surface reaches MIN_COVERAGE."""
        common: dict[int, int] = {}
        for g in grams:
            for sid in self.holders.get(g, ()):
                common[sid] = common.get(sid, 0) + 1
        scored: dict[str, tuple[int, float]] = {}
        for sid in sorted(common):  # table order: the first of equal surfaces wins, as max()
            events = self.events[sid]
            if events and not events & grams:
                continue
            m = (common[sid], common[sid] / self.size[sid])
            if m[1] < MIN_COVERAGE:
                continue
            name = self.owner[sid]
            if name not in scored or m[0] * m[1] > scored[name][0] * scored[name][1]:
                scored[name] = m  # types come in the table's order, as scored one by one
        return scored


def best_type(phrase: str, taxonomy: Taxonomy, exact: str | None = None) -> str | None:
    """Highest common×coverage wins; then a subtype of the winner that matches
    bigrams more (or as many, covering most of its name) replaces it ("住宅小区修缮、装修施工安全事故" is the 修缮 subtype of 施工安全事故)."""
    index = taxonomy.incident_types.derived("incident_bigrams", _SurfaceIndex)
    return pick_type(index.scores(set(_bigrams(phrase))), taxonomy, exact)


def pick_type(scored: dict[str, tuple[int, float]], taxonomy: Taxonomy,
              exact: str | None = None) -> str | None:
    """Of the types scored (common bigrams, coverage), the one `best_type` names."""
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


def _single(phrase: str, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """One incident phrase read as a whole: exact names, a bare list of short names, bigrams."""
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


# What makes a phrase name an event rather than a place or a thing.
EVENT_WORD = re.compile(
    r"事故|事件|灾|险情|疫情|火|爆|泄漏|中毒|踩踏|拥挤|坍塌|倒塌|塌陷|坠落|污染|困人|受淹|积水|"
    r"内涝|进水|停电|停水|停气|故障|台风|暴雨|洪|汛|地震|疾病|传染|袭击|聚集|渗漏|管涌|漫溢")
_ITEM_SPLIT = re.compile(r"以及|[、/和及与]")
# A place that heads a list item ("东岭路危险化学品运输车辆事故"): the rest is the shared head.
_PLACE_WORDS = (r"(?:大道|路|街|站|公园|园区|园|中心|广场|场所|市场|商场|景区|学校|医院|机构|小区|"
                r"楼道|车棚|楼|村|港|河道|河|桥|隧道|设施|码头|机场|工地|周边|附近|沿线)")
_PLACE = re.compile(rf"^[\u4e00-\u9fa5A-Za-z0-9]{{0,10}}?{_PLACE_WORDS}(?:内|外|里)?")
_PLACE_END = re.compile(rf"{_PLACE_WORDS}(?:内|外|里)?$")
_NOTE = re.compile(r"[（(][^（）()]*[)）]")


def _items(phrase: str) -> list[str]:
    """Coordinate items of a phrase, split outside brackets and quotes."""
    out, depth, cur, i = [], 0, "", 0
    while i < len(phrase):
        ch = phrase[i]
        depth += ch in "（(“《" and 1 or 0
        depth -= ch in "）)”》" and 1 or 0
        m = _ITEM_SPLIT.match(phrase, i) if depth == 0 else None
        if m:
            out.append(cur)
            cur, i = "", m.end()
            continue
        cur += ch
        i += 1
    out.append(cur)
    return [x.strip() for x in out if x.strip()]


def _common_type(names: list[str], taxonomy: Taxonomy) -> str | None:
    """The most specific type that is or contains every one of `names`."""
    first = names[0]
    for cand in [first, *taxonomy.incident_ancestors(first)]:
        if all(n == cand or cand in taxonomy.incident_ancestors(n) for n in names):
            return cand
    return None


def _one(phrase: str, taxonomy: Taxonomy) -> str | None:
    found = _single(phrase, taxonomy)
    return found[0][1] if len(found) == 1 and found[0][1] in taxonomy.incident_types.entries \
        else None


def _list_reading(phrase: str, taxonomy: Taxonomy) -> list[tuple[str, str]] | None:
    """A coordinate list read item by item; None when the phrase is not such a list.

    Items that name types on their own ("台风、暴雨及低洼农田受淹") give each type. Items that
    share a head — a subject written once before them ("危险化学品生产、经营、储存、使用和运输事故")
    or an event written once after a list of places ("东湖公园、体育中心、地铁站大客流拥挤踩踏")
    — are read with it; if the readings differ, the list names the type containing them all.
    """
    items = _items(phrase)
    if len(items) < 2 or any(len(x) > 30 for x in items) \
            or taxonomy.organizations.find_all(phrase):
        return None  # units joined by 和 ("区水务局和区建管委负责……") are not a list of incidents
    first, middle, last = items[0], items[1:-1], items[-1]
    short = max((len(x) for x in middle), default=len(last) if len(last) <= 3 else 0)
    subject = first[:len(first) - short] if short and len(first) > short else ""
    if subject and all(len(x) <= 4 for x in middle) and _one(subject, taxonomy):
        # Shared subject: "危险化学品" + 生产 / 经营 / … / 运输事故.
        readings = [first, *(subject + x for x in middle), subject + last]
        return _shared_head(readings, phrase, taxonomy)
    if not any(EVENT_WORD.search(x) for x in items[:-1]) and EVENT_WORD.search(last):
        place = _PLACE.match(last)
        head = last[place.end():] if place else ""
        if head and EVENT_WORD.search(head) and not EVENT_WORD.search(place.group(0)):
            return _shared_head([x + head for x in items[:-1]] + [last], phrase, taxonomy)
        # Things sharing the last item's event word ("锅炉、压力容器事故"): each its own type.
        tail = re.search(rf"(?:{EVENT_WORD.pattern})+$", last)
        if tail is None or any(_PLACE_END.search(x) for x in items[:-1]):
            return None
        readings = [x + tail.group(0) for x in items[:-1]] + [last]
        named = [_one(x, taxonomy) for x in readings]
        if not all(named):
            return None
        return _distinct(list(zip(items, named)))
    named = [_one(x, taxonomy) for x in items]
    if all(named):
        return _distinct(list(zip(items, named)))
    return None


def _distinct(pairs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for surface, name in pairs:
        if name and name not in [c for _, c in out]:
            out.append((surface, name))
    return out


def _shared_head(readings: list[str], phrase: str,
                 taxonomy: Taxonomy) -> list[tuple[str, str]] | None:
    names = [_one(r, taxonomy) for r in readings]
    names = [n for n in names if n]
    if not names:
        return None
    common = _common_type(names, taxonomy)
    return [(phrase, common)] if common else None


def find_incidents(text: str, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """[(surface, canonical)] named in `text`; empty when it names none."""
    phrase = _TITLES.sub("", _INCLUDES.sub("", text))  # 《…总体应急预案》 names a plan, not an incident
    if not taxonomy.incident_types.entries:
        return _single(phrase, taxonomy)
    bare = _NOTE.sub("", phrase)
    if bare != phrase and bare.strip():
        # "道路交通事故（涉及危险化学品运输车辆的同时按……处置）": a note in brackets
        # qualifies the type; it names another only when the text outside names none.
        found = find_incidents(bare, taxonomy)
        if found:
            return found
    if "等" in phrase:
        # "电梯困人等特种设备事故": the words after 等 name the class the examples belong to.
        after = phrase.rsplit("等", 1)[1].strip("的 ")
        named = _one(after, taxonomy) if EVENT_WORD.search(after) else None
        if named:
            return [(after, named)]
    listed = _list_reading(phrase, taxonomy)
    if listed:
        return listed
    return _single(phrase, taxonomy)


def place_subtype(places: str, parent: str, taxonomy: Taxonomy) -> str:
    """The subtype of `parent` that a list of places ("学校、幼儿园") points at.

    A row of a plan's own table often names only where ("商圈、商业街、大型商场"); the subtype
    is the one whose names share most words with the places beyond the words of `parent`
    itself. No such subtype, or a tie, leaves `parent`.
    """
    lex = taxonomy.incident_types

    def grams(name: str) -> set[str]:
        entry = lex.entries.get(name)
        return {g for s in [name, *(entry.aliases if entry else [])] for g in _bigrams(s)}

    own = grams(parent).union(*(grams(a) for a in taxonomy.incident_ancestors(parent)))
    cell = {g for item in _items(places) for g in _bigrams(item)}
    scores = sorted(((len(cell & (grams(n) - own)), n) for n in lex.entries
                     if parent in taxonomy.incident_ancestors(n)), reverse=True)
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return parent
    return scores[0][1]
