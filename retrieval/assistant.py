"""One question in, one cited answer out: graph facts first, document text second.

Long-lived processes (API, chat) keep one Assistant; it notices when another process
re-ingested (index stamp changed) and reloads its gazetteer and passage indexes.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Protocol

from kg.store import GraphStore
from retrieval import off_topic
from retrieval.contract import Answer, Citation, first_sentence
from retrieval.full_names import explain, with_notes
from retrieval.passages import strip_number
from retrieval.answers import Query
from retrieval.answers.experts import mask_phones_in_text
from retrieval.answers.named_docs import complete as with_named_documents
from retrieval.answers.registry import routes
from retrieval.linker import Gazetteer, SemanticLinker
from retrieval.normalize import learn_shorthand, normalize_question
from retrieval.reader import ask_parts, rank, read
from retrieval.router import route
from retrieval.scope import Scope, ScopeIndex
from retrieval.trust import fits_ask, holds_up, in_scope, makes_claim, outdone


class Passage(Protocol):
    doc_id: str
    title: str
    section: str
    text: str
    score: float


class PassageSearch(Protocol):
    def search(self, question: str, k: int = 5) -> list[Passage]: ...


# --- entity linking: gazetteer from the graph (owned by the linking work; keep delimited) ---
_TITLE_PREFIX = re.compile(r"^(?:中华人民共和国|[^区县市《》]{1,6}?[区县市](?=[^区县市]))")


def title_aliases(title: str) -> list[str]:
    """Short forms people use for a plan or law title: without the 某区/中华人民共和国 prefix,
    and 专项预案 for 专项应急预案."""
    out: list[str] = []
    short = _TITLE_PREFIX.sub("", title)
    for t in (title, short):
        if t != title and len(t) >= 5:
            out.append(t)
        if "应急预案" in t and len(t) > 6:
            out.append(t.replace("应急预案", "预案"))
    return [a for a in dict.fromkeys(out) if a != title]


_SEMANTIC_CACHE: dict[tuple, SemanticLinker] = {}


def build_gazetteer(store: GraphStore, embedder: Callable[[], object] | None = None) -> Gazetteer:
    """Incident types (aliases, categories) and organisations link first; hazards, expert fields,
    plan and regulation titles after them. With `embedder`, incident types unmatched by any
    surface are linked by embedding (the model loads on the first such question only)."""
    g = Gazetteer()
    for row in store.query("incident_type_names"):
        g.add("IncidentType", row["name"], row.get("aliases") or [])
        g.categories[row["name"]] = list(row.get("categories") or [])
    for row in store.query("organization_names"):
        g.add("Organization", row["name"], row.get("aliases") or [])
    for row in store.query("linkable_names"):
        name, label = row["name"], row["label"]
        if not name:
            continue
        if label in ("Plan", "Regulation"):
            g.add(label, name, title_aliases(name))
            if row.get("doc_id"):
                g.doc_ids[name] = row["doc_id"]
        else:
            g.add(label, name, row.get("aliases") or [])
            if label == "Hazard" and row.get("incidents"):
                g.hazard_incidents[name] = list(dict.fromkeys(row["incidents"]))
    g.shorthand = learn_shorthand([(s, n) for t in ("IncidentType", "Hazard", "Field")
                                   for s, n in g.aliases(t)])
    try:
        from retrieval.lexical_index import add_words

        add_words(g.user_words())
    except Exception:  # the segmenter is optional for linking itself
        pass
    if embedder is not None:
        surfaces = g.aliases("IncidentType")
        key = (id(embedder), tuple(surfaces))
        if key not in _SEMANTIC_CACHE:  # re-embedding ~600 aliases on every reload is waste
            _SEMANTIC_CACHE.clear()
            _SEMANTIC_CACHE[key] = SemanticLinker(embedder, surfaces, ancestors=g.categories)
        g.semantic = _SEMANTIC_CACHE[key]
    return g
# --- end entity linking ---


class Assistant:
    def __init__(self, store: GraphStore, passages: Callable[[], PassageSearch] | None = None,
                 generation: Callable[[], object] | None = None,
                 embedder: Callable[[], object] | None = None):
        """`passages` builds the text search lazily (it loads the embedding model);
        `generation` returns a token that changes whenever the stored data changed;
        `embedder` returns the (lazily loading) Embedder the linker may use for questions no
        gazetteer surface links — None: linking by surfaces and bigrams only."""
        self._store = store
        self._embedder_factory = embedder
        self._passages_factory = passages
        self._passages: PassageSearch | None = None
        self._generation = generation or (lambda: None)
        self._seen_generation: object = object()
        self._gazetteer: Gazetteer | None = None
        self._scopes = ScopeIndex([])
        self._issuers: dict[str, str] = {}
        # Asking is thread-safe (a web server's threads share one Assistant): the lock only
        # guards rebuilding what the questions read, once per data change, never an answer.
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        gen = self._generation()
        if gen == self._seen_generation and self._gazetteer is not None:
            return
        with self._lock:
            if gen == self._seen_generation and self._gazetteer is not None:
                return  # another thread rebuilt it while this one waited
            gazetteer = build_gazetteer(self._store, self._embedder_factory)
            docs = self._store.query("document_list", kind=None, doc_id=None)
            self._scopes = ScopeIndex(docs)
            self._issuers = {d["doc_id"]: d.get("issuer") or "" for d in docs if d.get("doc_id")}
            self._gazetteer = gazetteer
            self._seen_generation = gen

    def ask(self, question: str, *, show_phones: bool = False, intent: str | None = None
            ) -> Answer:
        """`show_phones`: the asker may see experts' full phone numbers (masked otherwise);
        `intent`: answer as this question type instead of routing (the API's duty card)."""
        start = time.perf_counter()
        answer = self._answer(question, show_phones, intent)
        if answer.status != "answered" and self._off_topic(question, answer):
            answer = off_topic.answer(question, answer.entities)
        if answer.status == "answered" and answer.citations:
            answer = self._named_fully(answer)
        answer.latency_ms = round((time.perf_counter() - start) * 1000, 1)
        return answer

    def _off_topic(self, question: str, answer: Answer) -> bool:
        """No word of the question is one the documents use (retrieval/off_topic.py)."""
        search = self._search()
        if search is None or not hasattr(search, "bigram_df") or self._gazetteer is None:
            return False
        q = normalize_question(question, self._gazetteer.shorthand)
        df, n = search.bigram_df()
        return off_topic.is_off_topic(q, df, n, named=self._scopes.scope(q).named,
                                      surfaces=[e.surface for e in answer.entities])

    def _named_fully(self, answer: Answer) -> Answer:
        """The answer saying which unit a short name in its first sentence means, as its cited
        document defines it ("领导小组" → its full name) or as the document's issuing department
        owns it (its bare 处)."""
        search = self._search()
        doc_id = answer.citations[0].doc_id
        forms = search.short_forms(doc_id) if hasattr(search, "short_forms") else {}
        notes = explain(first_sentence(answer.answer), forms, self._issuers.get(doc_id, ""))
        return answer.model_copy(update={"answer": with_notes(answer.answer, notes)}) if notes else answer

    def warm(self) -> None:
        """Load what a first question would otherwise wait for — the embedding model, the text
        indexes, the gazetteer, the word tables — by answering one question nobody sees."""
        try:
            self.ask("应急预案由谁负责解释？")
        except Exception:  # noqa: BLE001 - a failed warm-up leaves the first question to load
            logging.getLogger(__name__).warning("预热失败，首个问题将稍慢", exc_info=True)

    def gazetteer(self) -> Gazetteer:
        """The linker's names, rebuilt when the stored data changed (structured searches)."""
        self._refresh()
        assert self._gazetteer is not None
        return self._gazetteer

    def _answer(self, question: str, show_phones: bool = False,
                forced: str | None = None) -> Answer:
        self._refresh()
        assert self._gazetteer is not None
        q = normalize_question(question, self._gazetteer.shorthand)
        if not q:
            return Answer(question=question, intent="empty", answer="请输入问题。")
        intent = forced or route(q)
        entities = self._gazetteer.link(q)
        query = Query(question=question, text=q, intent=intent, entities=entities,
                      gazetteer=self._gazetteer, show_phones=show_phones)
        scope = self._scopes.scope(q)
        ans = None
        for route_intent, _, _, module in routes():
            if route_intent == intent:
                ans = module.answer(self._store, query)
                break
        ranked, graph_evidence = None, None
        if ans is not None:
            ans = with_named_documents(self._store, query, ans)
            if holds_up(ans, scope) and fits_ask(q, ans):
                ranked = self._rank(q, scope)
                if ranked is None or not outdone(q, ans, ranked[0], scope, ranked[1], entities):
                    return ans
            elif ans.status == "answered" and not makes_claim(ans) and in_scope(ans, scope):
                # "预案未写明……" with its sources: the honest evidence the graph has, unless a
                # document sentence does answer
                graph_evidence = ans.model_copy(update={"status": "evidence"})
        shown = (lambda t: t) if show_phones else mask_phones_in_text
        reading = self._read(question, q, intent, entities, scope, shown, ranked)
        if reading is not None:
            return reading
        if graph_evidence is not None:
            return graph_evidence
        kept = [c for c in (ans.citations if ans else []) if scope.allows(c.doc_id)][:2]
        return with_named_documents(
            self._store, query,
            self._fallback(question, q, intent, entities, show_phones, scope, kept))

    def _search(self):
        if self._passages is None and self._passages_factory is not None:
            with self._lock:
                if self._passages is None:
                    self._passages = self._passages_factory()
        return self._passages

    def _rank(self, q: str, scope: Scope):
        """(the reader's ranked clauses, the word statistics), or None without a text search."""
        search = self._search()
        if search is None or not hasattr(search, "sections"):
            return None
        df = search.bigram_df()
        cands = rank(q, search.sections(q), scope, df, scope.words)
        return cands, df

    def _read(self, question: str, q: str, intent: str, entities, scope: Scope,
              shown: Callable[[str], str], ranked=None) -> Answer | None:
        """A direct answer read off one document clause, when one clearly answers."""
        parts = ask_parts(q)
        readings = []
        for part in parts:
            got_ranked = (ranked if len(parts) == 1 and ranked else self._rank(part, scope))
            if got_ranked is None:
                return None
            got = read(part, got_ranked[0], scope.topic)
            if got is None:
                return None  # each part answered, or the evidence for all of them
            readings.append(got)
        cites = list({(doc, section, quote): Citation(
            doc_id=doc, title=g.title, section=section, quote=shown(quote))
            for g in readings
            for doc, section, quote in [(g.doc_id, g.lead_section, g.lead)] * bool(g.lead)
            + [(g.doc_id, g.section, g.sentence)]}.values())
        stated = "；".join(f"{shown(g.clause).rstrip('。；;')}（《{g.title}》{g.section}）"
                          for g in readings)
        quotes = "\n".join(f"原文：{shown(strip_number(c.quote))}" for c in cites)
        return Answer(question=question, intent=intent, status="answered", entities=entities,
                      answer=f"{stated}。\n{quotes}", citations=cites)

    def _fallback(self, question: str, q: str, intent: str, entities,
                  show_phones: bool = False, scope: Scope | None = None,
                  kept: list[Citation] | None = None) -> Answer:
        """No direct answer: say so, and give the most relevant sentences, verbatim, from what
        the question names (the graph answer's own sources within it first)."""
        kept = list(kept or [])
        search = self._search()
        if search is None and not kept:
            return Answer(question=question, intent=intent, entities=entities, status="not_found",
                          answer="未在知识图谱中找到直接答案，且未加载文本检索。")
        hits = search.search(q, k=12 if scope and scope.named else 3) if search else []
        if scope is not None and scope.named:
            hits = [h for h in hits if scope.allows(h.doc_id)] or hits
        if not hits and not kept:
            return Answer(question=question, intent=intent, entities=entities, status="not_found",
                          answer="未在知识图谱和文档中找到相关内容。")
        # A passage may be a roster row: its phone numbers are masked like the expert answers'.
        shown = (lambda t: t) if show_phones else mask_phones_in_text
        cites = kept + [Citation(doc_id=h.doc_id, title=h.title, section=h.section,
                                 quote=shown(h.text)) for h in hits[:3]]
        lines = [f"{i}.《{c.title}》{c.section}：{c.quote}" for i, c in enumerate(cites, 1)]
        text = "未能确定直接答案。以下是最相关的条文：\n" + "\n".join(lines)
        return Answer(question=question, intent="passages" if intent == "passages" else intent,
                      status="evidence", entities=entities, answer=text, citations=cites)
