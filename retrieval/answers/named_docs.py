"""Documents a question names ("水务局清单里怎么写", "专家库管理办法是依据……", "总体预案和特种设备预案")
and the sentence of each that answers it.

A question that names a document asks what *that* document says: an answer built from other
documents' clauses is completed with the named document's own sentence, quoted verbatim.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers._match import question_bigrams
from retrieval.answers.clauses import longest_common
from retrieval.answers.experts import mask_phones_in_text
from retrieval.contract import Answer, Citation
from retrieval.normalize import char_bigrams, in_order
from retrieval.passages import answer_types, is_heading, strip_number

# What a document is called by its kind; a question names it as "<words of its title><kind>".
_KIND = re.compile(r"预案|清单|办法|规定|条例|规则|细则|名册")
_PUNCT = "，。？！；、：,.?!;:（）()"
# Words before the name that say what is done with the document, not which one it is.
_LEAD_IN = re.compile(r"^.*(?:按照|依照|依据|根据|对照|执行|启动|适用|按|用|和|与|跟|同|及|在|看)")
_DISTRICT = re.compile(r"^.{1,8}?[区县市](?=.)")
_NOTE = re.compile(r"[（(][^（）()]*[)）]")
_SENT = re.compile(r"(?<=[。！？!?；;\n])")
MIN_SHARED = 2  # question words an excerpt must share to be worth quoting


def _title_body(title: str) -> str:
    return _NOTE.sub("", _DISTRICT.sub("", title or "", count=1))


def _match(head: str, title: str) -> int:
    """How much of `head` names `title`: the longest run they share, or an abbreviation of
    three or more characters written in the title's order ("卫健委" in 卫生健康委员会)."""
    body = _title_body(title)
    best = longest_common(head, body)
    for n in range(min(len(head), 6), 2, -1):
        short = head[-n:]
        if n > best and in_order(short, body) and short[0] in body:
            return n
    return best


MAX_GROUP = 6  # "水务局清单" is the bureau's four lists; a name fitting more is no name


def named_documents(text: str, docs: list[dict[str, Any]]
                    ) -> list[tuple[list[dict[str, Any]], str]]:
    """(documents, the phrase naming them) for each name in the question: the documents that
    fit it best ("水务局清单" fits the bureau's 责任/权力/监管/任务清单 alike)."""
    out: list[tuple[list[dict[str, Any]], str]] = []
    taken: set[str] = set()
    for m in _KIND.finditer(text):
        kind = m.group(0)
        head = re.split(rf"[{_PUNCT}]|{_KIND.pattern}", text[:m.start()])[-1][-12:]
        head = _LEAD_IN.sub("", head)
        if len(head) < 2:
            continue
        scored = [(_match(head, d.get("title") or ""), d) for d in docs
                  if kind in (d.get("title") or "")]
        scored = [(s, d) for s, d in scored if s >= 2 and (s >= 3 or s >= len(head))]
        if not scored:
            continue
        top = max(s for s, _ in scored)
        best = [d for s, d in scored if s == top and d["doc_id"] not in taken]
        if best and len(best) <= MAX_GROUP:
            taken |= {d["doc_id"] for d in best}
            out.append((best, head + kind))
    return out


def _units(text: str) -> list[str]:
    return [u.strip() for u in _SENT.split(text or "") if u.strip()]


def best_sentence(sections: list[dict[str, Any]], question: str, phrase: str
                  ) -> tuple[dict[str, Any], str, float] | None:
    """The section and sentence of one document that best answer the question (the words of the
    phrase naming the document do not count: every sentence of it is "in" it)."""
    q = question_bigrams(question.replace(phrase, "，")) - char_bigrams(phrase)
    want = answer_types(question)
    best: tuple[float, dict[str, Any], str] | None = None
    for s in sections:
        for unit in _units(s.get("text") or ""):
            core = strip_number(unit)
            if is_heading(core):
                continue
            shared = len(q & char_bigrams(unicodedata.normalize("NFKC", core)))
            if shared < MIN_SHARED:
                continue
            score = (shared + (2 if want and any(w.search(core) for w in want) else 0)) \
                / max(len(core), 20) ** 0.3
            if best is None or score > best[0]:
                best = (score, s, unit)
    return (best[1], best[2], best[0]) if best else None


def complete(store: GraphStore, query: Query, answer: Answer) -> Answer:
    """The answer with a quote from each document the question names that it does not cite."""
    if not _KIND.search(query.text):
        return answer
    named = named_documents(query.text, store.query("documents"))
    cited = {c.doc_id for c in answer.citations}
    extra: list[Citation] = []
    for group, phrase in named:
        if any(d["doc_id"] in cited for d in group):
            continue
        hits = []
        for d in group:
            sections = [{**s, "doc": d} for s in store.query("document_sections", doc_id=d["doc_id"])]
            hits.append(best_sentence(sections, query.text, phrase))
        hits = [h for h in hits if h is not None]
        if not hits:
            continue
        section, sentence, _ = max(hits, key=lambda h: h[2])
        doc = section["doc"]
        if not query.show_phones:  # a roster's row holds experts' phones
            sentence = mask_phones_in_text(sentence)
        extra.append(Citation(doc_id=doc["doc_id"], title=doc["title"] or doc["doc_id"],
                              section=section.get("path") or "", quote=sentence))
    if not extra:
        return answer
    lines = [f"《{c.title}》{c.section}写明：{strip_number(c.quote)}" for c in extra]
    return answer.model_copy(update={"answer": answer.answer.rstrip() + "\n" + "\n".join(lines),
                                     "citations": [*answer.citations, *extra]})
