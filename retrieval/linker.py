"""Entity linking against a gazetteer built from the graph (names and aliases).

Three steps, cheapest first:
1. exact surfaces, longest match wins (incident types and organisations; then hazards, expert
   fields, plan and regulation titles in a second pass, so that they never hide an incident type);
   when the question as asked names no incident type, its colloquial rewrite is tried
   (retrieval.normalize.colloquial: 煤气味很重 → 燃气泄漏);
2. `closest`: when still nothing, the nearest incident type by embedding (SemanticLinker: the
   question against every name and alias, accepted only with a rank margin calibrated
   leave-one-out on the aliases themselves); the model is loaded only when this step runs;
3. character-bigram overlap with the known names, the old fallback.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from retrieval.contract import Entity
from retrieval.normalize import char_bigrams, colloquial


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# Generic words that carry no incident meaning in a surface form.
_GENERIC = set("事故事件灾害突发应急处置")

# Types linked in the first pass (they compete for the same characters); the rest come after.
PRIMARY_TYPES = ("IncidentType", "Organization")

# Words that say what is asked, not what happened: removed before embedding a question.
_ASKING = re.compile(
    r"请问|你好|麻烦|现在|刚才|刚刚|报告|报警|接到|群众|市民|居民反映|反映|有人说|"
    r"谁(?:来)?(?:牵头|负责|处置|管|配合)?|哪(?:个|些|位|一个|份|部)?(?:单位|部门|预案|专家|人)?|"
    r"什么|怎么办|怎么|如何|应该|需要|要|该|用|找|请|启动|适用|依据|按照?|牵头|配合|协助|"
    r"负责|处置|预案|专家|物资|队伍|响应|级别|等级|条款|吗|呢|啊|吧|[？?！!。，,、；;：:]")


@dataclass
class SemanticLinker:
    """Nearest incident type by embedding, with a calibrated acceptance margin.

    mE5 cosines of short Chinese phrases sit in a narrow band (0.82–0.98), so a raw threshold
    means little; what separates right from wrong is the gap between the best type and the
    runner-up. `calibrate` finds, leave-one-out over the aliases (each alias linked against all
    other surfaces, as if it were unknown), the smallest gap at which links are right at least
    `precision` of the time; a link whose gap is below it is refused.
    """
    embedder_factory: Callable[[], object]
    surfaces: list[tuple[str, str]]  # (surface, canonical name)
    ancestors: dict[str, list[str]] = field(default_factory=dict)
    precision: float = 0.9
    margin: float | None = None
    loo_accuracy: float | None = None
    _matrix: np.ndarray | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # One question asks `closest` several times (each answer module that needs the incident):
    # encode it once.
    _recent: dict[str, np.ndarray] = field(default_factory=dict)

    def _ready(self) -> np.ndarray:
        if self._matrix is None:
            with self._lock:
                if self._matrix is None:
                    emb = self.embedder_factory()
                    m = emb.encode_queries([s for s, _ in self.surfaces])
                    self.calibrate(m)
                    self._matrix = m
        return self._matrix

    def _ok(self, got: str, want: str) -> bool:
        """Right, or a parent type of the right one (a coarser but true answer)."""
        return got == want or got in self.ancestors.get(want, [])

    def _rank(self, sims: np.ndarray, skip: int | None = None) -> list[tuple[str, float]]:
        best: dict[str, float] = {}
        for i in np.argsort(-sims)[:60]:
            if i == skip:
                continue
            name = self.surfaces[i][1]
            if name not in best:
                best[name] = float(sims[i])
        return sorted(best.items(), key=lambda x: -x[1])

    def calibrate(self, m: np.ndarray) -> None:
        names = [n for _, n in self.surfaces]
        sims = m @ m.T
        results: list[tuple[float, bool]] = []
        for i, (surface, name) in enumerate(self.surfaces):
            if names.count(name) < 2:  # a name with no other surface cannot be found LOO
                continue
            ranked = self._rank(sims[i], skip=i)
            if len(ranked) < 2:
                continue
            gap = ranked[0][1] - ranked[1][1]
            results.append((gap, self._ok(ranked[0][0], name)))
        if not results:
            self.margin = 0.05
            return
        self.loo_accuracy = sum(ok for _, ok in results) / len(results)
        results.sort(key=lambda x: -x[0])  # widest gaps first
        margin, right = results[0][0], 0
        for n, (gap, ok) in enumerate(results, 1):
            right += ok
            if right / n >= self.precision:
                margin = gap
        self.margin = margin

    def nearest(self, text: str) -> tuple[str, float, float] | None:
        """(name, cosine, gap to the runner-up) when the gap clears the calibrated margin."""
        core = _ASKING.sub("", text) or text
        if len(core) < 2:
            return None
        m = self._ready()
        qv = self._recent.get(core)
        if qv is None:
            qv = self.embedder_factory().encode_queries([core])[0]
            if len(self._recent) >= 64:
                self._recent.pop(next(iter(self._recent)))
            self._recent[core] = qv
        ranked = self._rank(m @ qv)
        if not ranked:
            return None
        gap = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0.0)
        if self.margin is not None and gap < self.margin:
            return None
        return ranked[0][0], ranked[0][1], gap


@dataclass
class Gazetteer:
    """surface → (type, canonical name)."""
    surfaces: dict[str, tuple[str, str]] = field(default_factory=dict)
    categories: dict[str, list[str]] = field(default_factory=dict)  # incident type → ancestors
    secondary: dict[str, tuple[str, str]] = field(default_factory=dict)  # hazards, fields, titles
    doc_ids: dict[str, str] = field(default_factory=dict)  # plan/regulation title → doc_id
    hazard_incidents: dict[str, list[str]] = field(default_factory=dict)  # hazard → INVOLVES it
    semantic: SemanticLinker | None = None
    shorthand: dict[str, str] = field(default_factory=dict)  # learned from alias pairs
    _pattern: re.Pattern[str] | None = None
    _pattern2: re.Pattern[str] | None = None

    def add(self, type_: str, name: str, aliases: list[str] | None = None) -> None:
        table = self.surfaces if type_ in PRIMARY_TYPES else self.secondary
        for s in [name, *(aliases or [])]:
            k = _key(s)
            if len(k) >= 2:
                table.setdefault(k, (type_, name))
        self._pattern = self._pattern2 = None

    def names(self, type_: str) -> set[str]:
        return {n for t, n in [*self.surfaces.values(), *self.secondary.values()] if t == type_}

    def aliases(self, type_: str) -> list[tuple[str, str]]:
        """(surface, canonical name) of one type, in insertion order."""
        return [(s, n) for s, (t, n) in [*self.surfaces.items(), *self.secondary.items()]
                if t == type_]

    def user_words(self) -> list[str]:
        """Every surface, for the segmenter's user dictionary (jieba)."""
        return sorted({*self.surfaces, *self.secondary})

    @staticmethod
    def _compile(table: dict[str, tuple[str, str]]) -> re.Pattern[str] | None:
        if not table:
            return None
        return re.compile("|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))

    def _scan(self, text: str, table: dict, pattern: re.Pattern[str] | None,
              out: list[Entity]) -> None:
        if pattern is None:
            return
        for m in pattern.finditer(text):
            type_, name = table[m.group(0)]
            if not any(e.type == type_ and e.name == name for e in out):
                out.append(Entity(type=type_, name=name, surface=m.group(0)))

    def link(self, question: str) -> list[Entity]:
        if self._pattern is None and self.surfaces:
            self._pattern = self._compile(self.surfaces)
        if self._pattern2 is None and self.secondary:
            self._pattern2 = self._compile(self.secondary)
        text = _key(question)
        out: list[Entity] = []
        self._scan(text, self.surfaces, self._pattern, out)
        if not any(e.type == "IncidentType" for e in out):
            spoken = colloquial(text)
            if spoken != text:
                found: list[Entity] = []
                self._scan(spoken, self.surfaces, self._pattern, found)
                out = [self.refine(e, text) for e in found if e.type == "IncidentType"] + out
        self._scan(text, self.secondary, self._pattern2, out)
        return out

    def closest(self, question: str, type_: str, min_overlap: int = 2) -> Entity | None:
        """The nearest `type_` when no surface matched. For incident types: a near-complete
        bigram match of some alias; the type a named hazard implies; the embedding neighbour
        (when an embedder is attached and the match clears its calibrated margin); a weaker
        bigram match. Each is refined to a subtype the wording names more closely."""
        scored = self._bigram(question, type_, min_overlap)
        strong = scored is not None and scored[0] >= 0.75
        if type_ != "IncidentType" or strong:
            return scored[1] if scored else None
        implied = self.implied_incident(question)
        if implied is not None:
            return self.refine(implied, question)
        if self.semantic is not None:
            try:
                hit = self.semantic.nearest(colloquial(_key(question)))
            except Exception:  # no model on disk: the bigram fallback still answers
                hit = None
            if hit is not None:
                return self.refine(Entity(type=type_, name=hit[0], surface=""), question)
        return scored[1] if scored else None

    def refine(self, entity: Entity, question: str) -> Entity:
        """A subtype of `entity` whose alias the question's wording overlaps best, if any."""
        scored = self._bigram(question, entity.type, 2)
        if scored and entity.name in self.categories.get(scored[1].name, []):
            return scored[1]
        return entity

    def implied_incident(self, question: str) -> Entity | None:
        """The incident type a named hazard implies (储罐区 → 危险化学品事故): the one type that
        involves it, or the nearest common parent of several."""
        for e in self.link(question):
            if e.type != "Hazard":
                continue
            types = self.hazard_incidents.get(e.name) or []
            if not types:
                continue
            cats = self.categories
            for t in types:  # one type that is, or is a parent of, all the others
                if all(t == u or t in cats.get(u, []) for u in types):
                    return Entity(type="IncidentType", name=t, surface=e.surface)
            common = [c for c in cats.get(types[0], [])
                      if all(c in cats.get(u, []) for u in types[1:])]
            if common and cats.get(common[0]):  # a shared parent below the top categories
                return Entity(type="IncidentType", name=common[0], surface=e.surface)
        return None

    def closest_bigram(self, question: str, type_: str, min_overlap: int = 2) -> Entity | None:
        """Best bigram-overlap match of `type_`, ignoring generic words."""
        scored = self._bigram(question, type_, min_overlap)
        return scored[1] if scored else None

    def _bigram(self, question: str, type_: str, min_overlap: int) -> tuple[float, Entity] | None:
        q = {b for b in char_bigrams(question) if not set(b) <= _GENERIC}
        best: tuple[float, str, str] | None = None
        for surface, (t, name) in [*self.surfaces.items(), *self.secondary.items()]:
            if t != type_:
                continue
            s = {b for b in char_bigrams(surface) if not set(b) <= _GENERIC}
            hit = len(q & s)
            if hit >= min_overlap:
                score = hit / len(s) if s else 0.0
                if best is None or score > best[0]:
                    best = (score, name, surface)
        return (best[0], Entity(type=type_, name=best[1], surface=best[2])) if best else None
