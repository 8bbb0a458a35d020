"""Statement comparison: "A预案说……，这和B一致吗？" when no check finding is about it.

The question names two documents (by the distinctive words of their titles) and a statement.
The answer quotes the sentence of the first-named document that says the statement, then the
provision of the other document on the same subject (scored on the statement and on the
paragraph around the first quote), side by side. The checks found no conflict between them,
so the verdict is "未发现不一致", with both texts to confirm against.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from kg.checks.text import sentences
from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers._match import bigrams
from retrieval.contract import Answer, Citation

# Words of a comparison question that are not its statement.
_FRAME = bigrams("说的写的规定这和这跟和跟与一致吗是否一致一样吗对得上吗矛盾冲突里面")
_KINDS = ("plan", "regulation", "duty_list")


@dataclass
class Named:
    doc_id: str
    title: str
    matched: dict[str, float]  # title bigrams found in the question, with their weight
    span: tuple[int, int]  # the stretch of the question that names the title
    only: bool = False  # no other title holds all of its words ("交通综合预案": 交通 and 综合)

    @property
    def weight(self) -> float:
        return sum(self.matched.values())


def named_documents(text: str, docs: list[dict]) -> list[Named]:
    """Documents the question names, best first: each title's bigrams weighted by how few
    titles share them (区名/应急/预案 count little, 新华/专家库 much)."""
    titled = [(d["doc_id"], d["title"]) for d in docs if d.get("title")]
    df: dict[str, int] = {}
    for _, t in titled:
        for g in bigrams(t):
            df[g] = df.get(g, 0) + 1
    n = len(titled) or 1
    q = bigrams(text)
    out = []
    for doc_id, title in titled:
        core = re.sub(r"[^\u4e00-\u9fff]", "", bare_title(title))
        kind = core[-2:]  # 预案, 办法, 清单, 规定: a name ends with what the document is
        matched = {g: math.log((n + 1) / df[g]) for g in bigrams(title) & q}
        span = _span(text, matched, kind) if kind in matched else None
        if span is not None:
            named = {g: w for g, w in matched.items() if g in text[span[0]:span[1]]}
            words = {g for g in named if g != kind and df[g] <= n / 2}  # 应急 names no title
            only = len(words) >= 2 and sum(1 for _, t in titled if words <= bigrams(t)) == 1
            out.append(Named(doc_id=doc_id, title=title, matched=named, span=span, only=only))
    return sorted(out, key=lambda d: -d.weight)


def bare_title(title: str) -> str:
    """Without an editor's 【…】 before it and a bracketed note after it ("（试行）", "（主要内容）"):
    what is left ends with the kind word."""
    title = re.sub(r"^【[^】]*】", "", title.strip())
    return re.sub(r"(?:（[^（）]*）|\([^()]*\))$", "", title) or title


def _span(text: str, matched: dict[str, float], kind: str) -> tuple[int, int] | None:
    """The heaviest run of title bigrams in the question that ends a name with the title's kind
    word (one stray character allowed inside: "新华街道的预案" names 《…新华街道突发事件应急预案》)."""
    runs: list[tuple[float, int, int]] = []
    for i in range(len(text) - 1):
        g = text[i:i + 2]
        if g not in matched:
            continue
        if runs and i <= runs[-1][2] + 1:  # at most one stray character after the run before
            w, a, _ = runs[-1]
            runs[-1] = (w + matched[g], a, i + 2)
        else:
            runs.append((matched[g], i, i + 2))
    runs = [r for r in runs if kind in text[r[1]:r[2]]]
    return max(runs)[1:] if runs else None


def name_floor(n_docs: int) -> float:
    """Weight of two title bigrams that only two of the titles share: enough to name one."""
    return 2 * math.log((n_docs + 1) / 2)


def _names(weights: list[float], n_docs: int) -> bool:
    """Enough to name one title: `name_floor` reached, or a bigram no other title has."""
    return bool(weights) and (sum(weights) >= name_floor(n_docs)
                              or max(weights) >= math.log(n_docs + 1) - 1e-9)


def is_named(d: Named, n_docs: int) -> bool:
    """Named for sure ("新华街道预案", "总体预案" by the one title holding 总体, "交通综合预案" by
    the one title holding both 交通 and 综合)."""
    return d.only or _names(list(d.matched.values()), n_docs)


def two_documents(text: str, docs: list[dict]) -> tuple[Named, Named] | None:
    """(the document said to state something, the one it is compared with), by the order the
    question names them; each named by wording the other's title does not explain."""
    n = len(docs)
    named = named_documents(text, docs)
    if not named or not is_named(named[0], n):
        return None
    first = named[0]

    def extra(d: Named) -> list[float]:
        return [w for g, w in d.matched.items() if g not in first.matched]

    rest = sorted(named[1:], key=lambda d: -sum(extra(d)))
    if not rest or not _names(extra(rest[0]), n):
        return None
    second = rest[0]
    return (first, second) if first.span <= second.span else (second, first)


def statement_grams(text: str, a: Named, b: Named) -> set[str]:
    """The question's bigrams outside the two titles' names and the comparison frame."""
    (a0, a1), (b0, b1) = sorted([a.span, b.span])
    return (bigrams(text[:a0]) | bigrams(text[a1:b0]) | bigrams(text[b1:])) - _FRAME


def best_sentence(grams: set[str], candidates: list[tuple[str, str]],
                  context: set[str] = frozenset()) -> tuple[str, str, float] | None:
    """(section, sentence, hits): the sentence sharing most of the statement (counted twice) and
    of its context, for its length (a long article shares something with everything)."""
    best, top = None, 0.0
    for section, s in candidates:
        sg = bigrams(s)
        hits = 2 * len(grams & sg) + len(context & sg)
        score = hits / max(len(sg), 20) ** 0.3
        if hits and score > top:
            best, top = (section, s, hits), score
    return best


def _sentences(store: GraphStore, doc_id: str) -> list[tuple[str, str, str]]:
    """(section path, sentence, whole section text) of one document."""
    out = []
    for r in store.query("document_sections", doc_id=doc_id):
        for _, s in sentences(r.get("text") or ""):
            if len(s) >= 6:
                out.append((r.get("path") or "", s, r.get("text") or ""))
    return out


def named_pair(store: GraphStore, query: Query) -> tuple[Named, Named] | None:
    docs = [d for d in store.query("documents") if d.get("kind") in _KINDS]
    return two_documents(query.text, docs)


def answer(store: GraphStore, query: Query,
           pair: tuple[Named, Named] | None = None) -> Answer | None:
    pair = pair or named_pair(store, query)
    if pair is None:
        return None
    a, b = pair
    grams = statement_grams(query.text, a, b)
    if len(grams) < 2:
        return None
    in_a = _sentences(store, a.doc_id)
    said = best_sentence(grams, [(sec, s) for sec, s, _ in in_a])
    if said is None or said[2] < 4:
        return None
    paragraph = next(t for sec, s, t in in_a if sec == said[0] and s == said[1])
    context = bigrams(paragraph) - set(a.matched)
    found = best_sentence(grams, [(sec, s) for sec, s, _ in _sentences(store, b.doc_id)], context)
    if found is None:
        return None
    cites = [Citation(doc_id=a.doc_id, title=a.title, section=said[0], quote=said[1]),
             Citation(doc_id=b.doc_id, title=b.title, section=found[0], quote=found[1])]
    same = [s for sec, s, _ in in_a if sec == said[0]]
    after = same[same.index(said[1]) + 1:][:1]  # what the statement goes on to say
    more = f"（接着写明：“{after[0]}”）" if after else ""
    if after:
        cites.append(Citation(doc_id=a.doc_id, title=a.title, section=said[0], quote=after[0]))
    text = (f"未发现不一致。《{a.title}》{said[0]}写明：“{said[1]}”{more}"
            f"《{b.title}》{found[0]}的相关规定是：“{found[1]}”"
            "一致性检查没有发现两者冲突，请对照以上原文确认。")
    return Answer(question=query.question, intent="consistency", entities=query.entities,
                  answer=text, citations=cites)
