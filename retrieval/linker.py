"""Entity linking against a gazetteer built from the graph (names and aliases).

Longest surface match wins; when nothing matches exactly, character-bigram overlap with the
known names picks the closest incident type (colloquial descriptions rarely match exactly).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from retrieval.normalize import char_bigrams
from retrieval.contract import Entity


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))



# Generic words that carry no incident meaning in a surface form.
_GENERIC = set("事故事件灾害突发应急处置")


@dataclass
class Gazetteer:
    """surface → (type, canonical name)."""
    surfaces: dict[str, tuple[str, str]] = field(default_factory=dict)
    categories: dict[str, list[str]] = field(default_factory=dict)  # incident type → ancestors
    _pattern: re.Pattern[str] | None = None

    def add(self, type_: str, name: str, aliases: list[str] | None = None) -> None:
        for s in [name, *(aliases or [])]:
            k = _key(s)
            if len(k) >= 2:
                self.surfaces.setdefault(k, (type_, name))
        self._pattern = None

    def names(self, type_: str) -> set[str]:
        return {n for t, n in self.surfaces.values() if t == type_}

    def link(self, question: str) -> list[Entity]:
        if not self.surfaces:
            return []
        if self._pattern is None:
            self._pattern = re.compile("|".join(
                re.escape(s) for s in sorted(self.surfaces, key=len, reverse=True)))
        out: list[Entity] = []
        for m in self._pattern.finditer(_key(question)):
            type_, name = self.surfaces[m.group(0)]
            if not any(e.type == type_ and e.name == name for e in out):
                out.append(Entity(type=type_, name=name, surface=m.group(0)))
        return out

    def closest(self, question: str, type_: str, min_overlap: int = 2) -> Entity | None:
        """Best bigram-overlap match of `type_`, ignoring generic words."""
        q = {b for b in char_bigrams(question) if not set(b) <= _GENERIC}
        best: tuple[float, str, str] | None = None
        for surface, (t, name) in self.surfaces.items():
            if t != type_:
                continue
            s = {b for b in char_bigrams(surface) if not set(b) <= _GENERIC}
            hit = len(q & s)
            if hit >= min_overlap:
                score = hit / len(s) if s else 0.0
                if best is None or score > best[0]:
                    best = (score, name, surface)
        return Entity(type=type_, name=best[1], surface=best[2]) if best else None
