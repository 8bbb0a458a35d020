"""Organisation names as documents write them → canonical names from the alias table.

Real documents spell units in ways the alias table cannot list in advance: "某区民政局" where
the table has 区民政局, "区建管委(水务)" with a remit in brackets, "各街道(镇)" with mixed-width
brackets, typos such as "区市场监督局". Mapping them here keeps one Organization node per unit.
Every mapping that is not an exact alias is recorded as a note, so the pipeline can report it
as an ingest warning naming the document, the surface form and the canonical name chosen; a
renamed unit (a former name in organizations.csv) is recorded too, so the fact can keep the
outdated name it was written with.
"""
from __future__ import annotations

import contextlib
import contextvars
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
import weakref

from ingest.taxonomy import Lexicon, Taxonomy, norm
from kg.model import Relationship

log = logging.getLogger(__name__)

# The minimum character-bigram Dice similarity for a fuzzy match, and how far the best
# canonical must lead the runner-up: a near tie is two different units, not a typo.
FUZZY_MIN = 0.65
FUZZY_MARGIN = 0.1

_TAIL = re.compile(r"(?:等(?:相关|有关)?(?:成员)?(?:单位|部门)?)$")
_SCOPE = re.compile(r"[(]([^()]{1,12})[)]$")  # on the NFKC form: brackets are half-width
_BRACKETS = re.compile(r"[()（）]")
_NOT_SCOPE = re.compile(r"牵头|负责|配合|协助|参与|分别|共同")  # "（分别牵头）" is no remit
_TOWN_OFFICE = re.compile(r"(街道|镇)(?:办事处|办|人民政府|政府)$")


@dataclass(frozen=True)
class OrgMatch:
    """How one surface form was mapped. `method`: alias | former | rule | fuzzy (of the unit
    name itself); `scope` is a remit in brackets after it; `former` the outdated name used."""
    surface: str
    canonical: str
    method: str
    scope: str = ""
    score: float = 1.0
    former: str = ""

    @property
    def needs_warning(self) -> bool:
        return self.method in ("rule", "fuzzy", "former")

    def warning(self, doc_id: str) -> str:
        if self.method == "former":
            return (f"{doc_id}：机构“{self.surface}”为旧称，已按现名“{self.canonical}”入库"
                    f"（事实保留旧称）")
        how = "规则" if self.method == "rule" else f"相似度 {self.score:.2f}"
        return (f"{doc_id}：机构名称“{self.surface}”不在别名表中，按{how}对应为"
                f"“{self.canonical}”")


# Notes of the document being extracted. A context variable, not a module list: each ingest
# (thread or task) collects its own, and nothing is recorded outside `collect_matches()`.
_notes: contextvars.ContextVar[list[OrgMatch] | None] = contextvars.ContextVar(
    "org_match_notes", default=None)


@contextlib.contextmanager
def collect_matches() -> Iterator[list[OrgMatch]]:
    """Collect the non-trivial organisation mappings made while extracting one document."""
    notes: list[OrgMatch] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


def _record(match: OrgMatch) -> OrgMatch:
    notes = _notes.get()
    if notes is not None and (match.method != "alias" or match.scope) and match not in notes:
        notes.append(match)
        if match.needs_warning:
            log.info("organisation %s → %s (%s)", match.surface, match.canonical, match.method)
    return match


def char_bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


@dataclass
class _Index:
    """Derived lookups of one lexicon: loose keys and bigrams of every surface."""
    loose: dict[str, str]  # loose key -> canonical (only unambiguous keys)
    bigrams: list[tuple[str, set[str], str]]  # (norm surface, bigrams, canonical)
    district_prefixes: tuple[str, ...]  # "某区": a district name the table itself writes


# Derived lookups per lexicon object. Lexicon is a mutable dataclass (unhashable), so the cache
# is keyed by identity and size and holds a weak reference; it is a cache, not state.
_INDEXES: dict[int, tuple[weakref.ref, int, _Index]] = {}


def _index(lexicon: Lexicon) -> _Index:
    cached = _INDEXES.get(id(lexicon))
    if cached and cached[0]() is lexicon and cached[1] == len(lexicon._surface):
        return cached[2]
    idx = _build_index(lexicon)
    _INDEXES[id(lexicon)] = (weakref.ref(lexicon), len(lexicon._surface), idx)
    return idx


def _build_index(lexicon: Lexicon) -> _Index:
    surfaces = {s: lexicon._surface[s] for s in lexicon.surfaces()}
    prefixes = set()
    for s in surfaces:
        m = re.match(r"^(.{1,6}?区)(区?.+)$", s)
        if m and m.group(1) != "区" and ("区" + m.group(2).removeprefix("区")) in surfaces:
            prefixes.add(m.group(1))
    idx = _Index(loose={}, bigrams=[], district_prefixes=tuple(sorted(prefixes, key=len,
                                                                         reverse=True)))
    ambiguous: set[str] = set()
    for s, canonical in surfaces.items():
        key = _loose(s, idx.district_prefixes)
        if idx.loose.get(key, canonical) != canonical:
            ambiguous.add(key)
        idx.loose[key] = canonical
        idx.bigrams.append((s, char_bigrams(s), canonical))
    for key in ambiguous:
        del idx.loose[key]
    return idx


def _loose(key: str, prefixes: tuple[str, ...]) -> str:
    """Drop what does not tell units apart: the district's own name, brackets, a trailing 等."""
    for p in prefixes:
        if key.startswith(p):
            key = "区" + key[len(p):].removeprefix("区")
            break
    key = _BRACKETS.sub("", _TAIL.sub("", key))
    return _TOWN_OFFICE.sub(r"\1", key)  # 东湖街道办(事处), 北塘镇(人民)政府: the same town


def match_org(surface: str, taxonomy: Taxonomy, *, fuzzy: bool = True) -> OrgMatch | None:
    """Map one organisation name to its canonical name, or None when nothing fits well enough.

    Order: exact alias or former name; a known unit followed by its remit in brackets; rules
    (district prefix, trailing 等, bracket variants); character-bigram similarity (`fuzzy`).
    """
    lex = taxonomy.organizations
    surface = surface.strip()
    key = norm(surface)
    if not key or not lex.entries:
        return None
    canonical = lex.canonical(key)
    if canonical:
        if lex.is_former(key):
            return _record(OrgMatch(surface, canonical, "former", former=surface))
        return _record(OrgMatch(surface, canonical, "alias"))
    if key.count("(") != key.count(")") and surface.strip("()（）") != surface:
        # "区文化旅游局）": a bracketed list of units cut at its end
        return match_org(surface.strip("()（）"), taxonomy, fuzzy=fuzzy)
    scope = _SCOPE.search(key)
    if scope:
        inner = match_org(surface[:scope.start()], taxonomy, fuzzy=fuzzy)
        if inner:
            remit = "" if _NOT_SCOPE.search(scope.group(1)) else scope.group(1)
            return _record(OrgMatch(surface, inner.canonical, inner.method, scope=remit,
                                    score=inner.score, former=inner.former))
    idx = _index(lex)
    loose = idx.loose.get(_loose(key, idx.district_prefixes))
    if loose:
        return _record(OrgMatch(surface, loose, "rule"))
    if not fuzzy or len(key) < 3:
        return None
    grams = char_bigrams(key)
    best: dict[str, float] = {}
    for s, s_grams, name in idx.bigrams:
        if s[-1] != key[-1]:
            continue  # 局 is not 委, 中心 is not 队: the unit type must agree
        score = _dice(grams, s_grams)
        if score > best.get(name, 0.0):
            best[name] = score
    ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < FUZZY_MIN:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FUZZY_MARGIN:
        return None
    return _record(OrgMatch(surface, ranked[0][0], "fuzzy", score=ranked[0][1]))


def annotate(relationships: list[Relationship], notes: list[OrgMatch],
             taxonomy: Taxonomy | None = None) -> None:
    """Put what a mapping dropped back onto the facts it produced: the remit in brackets as
    `scope`, an outdated unit name as `org_surface` (a fact's `surface` already names the
    incident as written). A fact gets them when its quote contains the surface form.

    With `taxonomy`, quotes are also scanned for former names of the fact's unit, so facts of
    extractors that looked names up without `match_org` keep the outdated name too; each such
    name is added to `notes` (and so reported once per document).
    """
    by_org: dict[str, list[OrgMatch]] = {}
    for n in notes:
        by_org.setdefault(n.canonical, []).append(n)
    lex = taxonomy.organizations if taxonomy is not None else None
    for r in relationships:
        orgs = [ref.key for ref in (r.start, r.end) if ref.label == "Organization"]
        if len(orgs) != 1:
            continue
        quote = norm(r.provenance.quote)
        for n in by_org.get(orgs[0], []):
            if norm(n.surface) not in quote:
                continue
            if n.scope and not r.props.get("scope"):
                r.props["scope"] = n.scope
            if n.former and "org_surface" not in r.props:
                r.props["org_surface"] = n.former
        if lex is None or "org_surface" in r.props:
            continue
        for _, _, surface, canonical in lex.find_all(r.provenance.quote):
            if canonical == orgs[0] and lex.is_former(surface):
                r.props["org_surface"] = surface
                note = OrgMatch(surface, canonical, "former", former=surface)
                if note not in notes:
                    notes.append(note)
                    by_org.setdefault(canonical, []).append(note)
                break


def warnings_for(doc_id: str, notes: list[OrgMatch]) -> list[str]:
    """One warning per distinct surface form that needed more than the alias table."""
    out: list[str] = []
    for n in notes:
        w = n.warning(doc_id) if n.needs_warning else ""
        if w and w not in out:
            out.append(w)
    return out
