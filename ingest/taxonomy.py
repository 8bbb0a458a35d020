"""Alias tables users can extend: organisations (short forms, pre-reform names), incident types,
expert fields (with the incident types and hazards each serves) and hazards (risk sources).

Read from CSV files in a taxonomy directory (corpus/taxonomy by default). Lookup is by longest
match so that 区消防救援支队 is not read as 区消防.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.places import places_of

# Words that start a place's name in a table without naming one ("事发地街道", "各街镇").
_GENERIC_PLACE = re.compile(r"^(?:[区市县镇各]|属地|事发地|所在地)")


def norm(text: str) -> str:
    """NFKC (full-width → half-width), no whitespace; the key every lookup uses."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


@dataclass
class Entry:
    name: str
    aliases: list[str] = field(default_factory=list)
    former_names: list[str] = field(default_factory=list)
    parent: str | None = None
    kind: str = ""
    # Links to other lexicons by canonical name, e.g. {"incident_types": [...], "hazards": [...]}
    related: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Lexicon:
    """Canonical names with every surface form that points at them."""
    entries: dict[str, Entry] = field(default_factory=dict)
    _surface: dict[str, str] = field(default_factory=dict)  # norm(surface) -> canonical
    _pattern: re.Pattern[str] | None = None
    # Structures derived from the entries for matching (see `derived`); dropped on `add`.
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def add(self, entry: Entry) -> None:
        self.entries[entry.name] = entry
        for s in [entry.name, *entry.aliases, *entry.former_names]:
            self._surface.setdefault(norm(s), entry.name)
        self._pattern = None
        self._derived.clear()

    def derived(self, key: str, build: Callable[[Lexicon], Any]) -> Any:
        """`build(self)`, made once per lexicon (an index over its surfaces) and kept until an
        entry is added; documents share it, as `Taxonomy.for_document` shares the lexicon."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]

    def canonical(self, surface: str) -> str | None:
        return self._surface.get(norm(surface))

    def surfaces(self) -> list[str]:
        return sorted(self._surface, key=len, reverse=True)

    def find_all(self, text: str) -> list[tuple[int, int, str, str]]:
        """Non-overlapping (start, end, surface, canonical) in `text`, longest first.

        Matching runs on the NFKC text; NFKC keeps CJK text length, so offsets map back.
        """
        if not self._surface:
            return []
        if self._pattern is None:
            self._pattern = re.compile("|".join(re.escape(s) for s in self.surfaces()))
        key = unicodedata.normalize("NFKC", text)
        if len(key) != len(text):
            key = text  # rare width-changing characters: fall back to raw matching
        return [(m.start(), m.end(), text[m.start():m.end()], self._surface[m.group(0)])
                for m in self._pattern.finditer(key)]

    def is_former(self, surface: str) -> bool:
        name = self.canonical(surface)
        return bool(name) and norm(surface) in {norm(f) for f in self.entries[name].former_names}


@dataclass
class Taxonomy:
    organizations: Lexicon
    incident_types: Lexicon
    source_dir: str | None = None
    fields: Lexicon = field(default_factory=Lexicon)  # expert specialities (fields.csv)
    hazards: Lexicon = field(default_factory=Lexicon)  # risk sources (hazards.csv)

    @property
    def home_places(self) -> set[str]:
        """The places the organisation table describes: those its names and aliases start with
        ("某区应急管理局" → 某区) and those that are units of it (北塘镇, 新华街道)."""
        return self.organizations.derived("home_places", _home_places)

    def for_document(self, title: str) -> "Taxonomy":
        """The tables that apply to a document: all of them within the organisation table's own
        jurisdiction (or a document naming no place); elsewhere (another city's, a province's,
        a national document) no organisation aliases, so that "市应急局" or "城运中心" keep the
        document's own names instead of becoming this district's units."""
        chain = places_of(title)
        home = self.home_places
        if not chain or not home or home & set(chain):
            return self
        return replace(self, organizations=Lexicon())

    def incident_ancestors(self, name: str) -> list[str]:
        out, seen = [], {name}
        entry = self.incident_types.entries.get(name)
        while entry and entry.parent and entry.parent not in seen:
            out.append(entry.parent)
            seen.add(entry.parent)
            entry = self.incident_types.entries.get(entry.parent)
        return out


def load_taxonomy(directory: Path | None) -> Taxonomy:
    orgs, incidents, fields, hazards = Lexicon(), Lexicon(), Lexicon(), Lexicon()
    if directory is not None:
        org_file = directory / "organizations.csv"
        if org_file.is_file():
            for row in _rows(org_file):
                orgs.add(Entry(name=row["name"].strip(), aliases=_split(row.get("aliases")),
                               former_names=_split(row.get("former_names")),
                               kind=(row.get("kind") or "").strip()))
        inc_file = directory / "incident_types.csv"
        if inc_file.is_file():
            for row in _rows(inc_file):
                incidents.add(Entry(name=row["name"].strip(), aliases=_split(row.get("aliases")),
                                    parent=(row.get("parent") or "").strip() or None))
        field_file = directory / "fields.csv"
        if field_file.is_file():
            for row in _rows(field_file):
                fields.add(Entry(name=row["name"].strip(), aliases=_split(row.get("aliases")),
                                 related={"incident_types": _split(row.get("incident_types")),
                                          "hazards": _split(row.get("hazards"))}))
        hazard_file = directory / "hazards.csv"
        if hazard_file.is_file():
            for row in _rows(hazard_file):
                hazards.add(Entry(name=row["name"].strip(), aliases=_split(row.get("aliases")),
                                  related={"incident_types": _split(row.get("incident_types"))}))
    return Taxonomy(organizations=orgs, incident_types=incidents,
                    source_dir=str(directory) if directory is not None else None,
                    fields=fields, hazards=hazards)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if (r.get("name") or "").strip()
                and not r["name"].lstrip().startswith("#")]


def _home_places(orgs: Lexicon) -> set[str]:
    return {p for e in orgs.entries.values() for surface in (e.name, *e.aliases)
            for p in places_of(surface) if not _GENERIC_PLACE.match(p)}
