"""Which documents a question is about: the jurisdictions it names and the titles it names.

A duty officer who asks "港口突发事件应急时……" or "按川沙新镇预案……" wants that place's or that
plan's rule, not a similar rule of another district. The places are learned from the stored
documents' titles and issuers (their leading place name: 广西壮族自治区, 川沙新镇, 国家), with the
short forms people say (广西, 川沙); nothing here knows any particular place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.places import ETHNIC, NATIONAL, NATIONAL_WORDS, SUFFIX, places_of  # noqa: F401
from retrieval.answers._match import bigrams
from retrieval.answers.statements import bare_title, is_named, named_documents

# What a document is ("……预案", "……规定"): never alone what names one.
_KIND_WORDS = {"预案", "办法", "规定", "清单", "条例", "规则", "名册", "细则", "方案", "制度", "通知"}
_NOT_AFTER_PLACE = set("路街巷弄港河浜湾桥")


def quoted_place_grams(text: str) -> set[str]:
    """The bigrams of the places the titles a text quotes start with ("《某区……预案》" → 某区): they
    say whose document it is, not which one."""
    return {g for title in re.findall(r"《([^》]+)》", text) for p in places_of(title)
            for g in bigrams(p)}


def district_core(name: str) -> str:
    """A unit's name without the district or county it belongs to ("某区应急管理局", "区应急管理局"
    → 应急管理局); a town's or street's name stays."""
    chain = places_of(name)
    if chain and chain[0] != NATIONAL and chain[0][-1] in "区县市旗":
        return name[len(chain[0]):]
    return name[1:] if name.startswith("区") else name


def short_forms(place: str) -> set[str]:
    """广西壮族自治区 → {广西壮族自治区, 广西}; 川沙新镇 → {川沙新镇, 川沙}."""
    if place == NATIONAL:
        return set(NATIONAL_WORDS)
    out = {place}
    core = re.sub(rf"(?:{SUFFIX})$", "", place)
    if len(ETHNIC.sub("", core)) >= 2:
        core = ETHNIC.sub("", core)
    if len(core) >= 2:
        out.add(core)
    return out


@dataclass
class Scope:
    """The documents a question names by place or by title (empty: it names none)."""
    places: set[str] = field(default_factory=set)
    by_place: set[str] = field(default_factory=set)  # doc ids of the named places
    by_title: set[str] = field(default_factory=set)  # doc ids of the named titles
    words: set[str] = field(default_factory=set)  # the question's bigrams that name them
    # documents whose title alone holds a word of the question ("港口" of the port plan): not a
    # scope (the question does not name the plan), a preference when sentences tie
    topic: set[str] = field(default_factory=set)

    @property
    def docs(self) -> set[str]:
        """The named titles within the named places; either alone when they do not meet."""
        both = self.by_place & self.by_title
        return both or self.by_place or self.by_title

    def allows(self, doc_id: str) -> bool:
        """A source the question's own scope admits (any, when it names none)."""
        return not self.named or doc_id in self.docs

    @property
    def named(self) -> bool:
        return bool(self.by_place or self.by_title)


class ScopeIndex:
    """Places and titles of the stored documents, built once per state of the store.

    A place admits its own documents, those of the places inside it, and those of the places
    it lies in (a town's question may be answered by its district's plan, not by another
    district's); the nesting is read off titles such as "某区东湖街道……"."""

    def __init__(self, docs: list[dict]):
        self._docs = [d for d in docs if d.get("doc_id")]
        chains: dict[str, list[list[str]]] = {}
        parent: dict[str, str] = {}
        for d in self._docs:
            for text in (d.get("title"), d.get("issuer")):
                chain = places_of(text or "")
                if chain:
                    chains.setdefault(d["doc_id"], []).append(chain)
                    parent.update({inner: outer for outer, inner in zip(chain, chain[1:])})

        def lineage(place: str) -> list[str]:
            out = [place]
            while out[-1] in parent and parent[out[-1]] not in out:
                out.append(parent[out[-1]])
            return out

        below: dict[str, set[str]] = {}  # place → doc ids in it or in places inside it
        own: dict[str, set[str]] = {}  # place → doc ids whose innermost place it is
        for doc_id, cs in chains.items():
            for chain in cs:
                own.setdefault(chain[-1], set()).add(doc_id)
                for p in lineage(chain[-1]):
                    below.setdefault(p, set()).add(doc_id)
        self._places: dict[str, set[str]] = {}  # surface → admitted doc ids
        self._short: set[str] = set()  # surfaces that are short forms (川沙 of 川沙新镇)
        for place, docs_in in below.items():
            admitted = set(docs_in)
            for outer in lineage(place)[1:]:
                admitted |= own.get(outer, set())
            for s in short_forms(place):
                self._places.setdefault(s, set()).update(admitted)
                if s != place:
                    self._short.add(s)
        self._titled = [d for d in self._docs if d.get("title")]
        self._df: dict[str, int] = {}
        for d in self._titled:
            for g in bigrams(d["title"]):
                self._df[g] = self._df.get(g, 0) + 1
        bare = {d["doc_id"]: bare_title(d["title"]) for d in self._titled}
        self._bare = bare
        # a longer surface holding a shorter one (川沙新镇 ⊃ 川沙) is the same mention
        self._surfaces = sorted(self._places, key=len, reverse=True)

    def scope(self, question: str) -> Scope:
        out = Scope()
        taken: list[tuple[int, int]] = []
        for s in self._surfaces:
            for m in re.finditer(re.escape(s), question):
                if any(a <= m.start() and m.end() <= b for a, b in taken):
                    continue
                if s in self._short and question[m.end():m.end() + 1] in _NOT_AFTER_PLACE:
                    continue  # 新华路, 北塘港: a road or a river named after the place
                taken.append((m.start(), m.end()))
                out.places.add(s)
                out.by_place |= self._places[s]
                out.words |= bigrams(s)
        # A title is named only by words no other title has ("港口预案", "安全生产法"), or by
        # words no other title has together ("交通综合预案"); "部门预案" or "总体预案" speak of a
        # kind of plan, not of one document.
        for d in named_documents(question, self._titled):
            if ((d.only or any(self._df.get(g, 0) == 1 and g not in _KIND_WORDS
                               for g in d.matched)) and is_named(d, len(self._titled))):
                out.by_title.add(d.doc_id)
                out.words |= set(d.matched)
        out.topic = self._topic(question, out.words)
        return out

    def _topic(self, question: str, named: set[str]) -> set[str]:
        """The documents whose title alone holds a word of the question (jieba words, so that
        危险物品 is not 危险化学品's 危险 by a cross-word bigram)."""
        from retrieval.lexical_index import tokenize

        out: set[str] = set()
        for word in tokenize(question):
            if len(word) < 2 or word in _KIND_WORDS or bigrams(word) <= named:
                continue
            holders = [doc for doc, title in self._bare.items() if word in title]
            if len(holders) == 1:
                out.add(holders[0])
        return out
