"""Is a cited article right? "预案里引用的《某条例》第四十二条对吗？" when no check finding is
about that very article.

The checks report an article that the ingested text lacks; when there is no such finding the
article either exists (quote it) or the regulation's text was never ingested (say that it
cannot be checked). Either way the citing sentence of the document the question names is
quoted, so the author sees what was written.
"""
from __future__ import annotations

import re

from kg.checks.citations import cn_number, title_key
from kg.checks.model import Finding
from kg.checks.text import norm
from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers._match import bigrams
from retrieval.contract import Answer, Citation

_ASKED = re.compile(r"《([^《》]{2,40})》\s*(第[零〇一二三四五六七八九十百]+条)")


def asked_article(text: str) -> tuple[str, str] | None:
    """(regulation title, 第N条) the question names, as written."""
    m = _ASKED.search(text)
    return (m.group(1), norm(m.group(2))) if m else None


def is_about(f: Finding, asked: tuple[str, str]) -> bool:
    """A finding on the asked article (it does not exist) or on the cited law's version."""
    key = title_key(asked[0])
    if f.rule == "nonexistent_article":
        label = asked[1]
        return f.subject.endswith(label) and title_key(f.subject[:-len(label)]) == key
    if f.rule == "superseded_regulation":
        return title_key(f.subject) == key
    return False


def answer(store: GraphStore, query: Query, asked: tuple[str, str]) -> Answer | None:
    title, label = asked
    key = title_key(title)
    cites = [r for r in store.query("article_citations")
             if title_key(r.get("regulation") or "") == key and norm(r.get("label") or "") == label]
    if not cites:
        return None
    q = bigrams(query.text)
    best = max(len(q & bigrams(r.get("title") or "")) for r in cites)
    cites = [r for r in cites if len(q & bigrams(r.get("title") or "")) == best]  # the named one
    doc_title = cites[0].get("title") or cites[0]["doc_id"]
    out = [Citation(doc_id=r["doc_id"], title=r.get("title") or r["doc_id"],
                    section=r.get("section") or "", quote=r.get("quote") or "")
           for r in cites[:2] if r.get("quote")]
    arts = [a for a in store.query("articles") if title_key(a.get("title") or "") == key]
    said = f"《{doc_title}》{out[0].section if out else ''}引用《{title}》{label}"
    if not arts:
        text = (f"无法核对。{said}，但《{title}》的条文没有入库，不能确认{label}是否存在、内容是否对应；"
                "请导入该法规全文后再检查，或对照法规原文核对。")
    else:
        hit = next((a for a in arts if norm(a.get("label") or "") == label), None)
        if hit is None:
            top = max((cn_number(norm(a.get("label") or "")) or 0) for a in arts)
            text = f"该条不存在。{said}，但已入库的《{title}》共 {top} 条，没有{label}。"
        else:
            text = f"该条存在。{said}；《{title}》{label}规定：“{hit.get('text') or ''}”"
            out.append(Citation(doc_id=hit["doc_id"], title=hit.get("title") or hit["doc_id"],
                                section=hit.get("section") or "", quote=hit.get("text") or ""))
    if out and out[0].quote:
        text += f"（依据：《{out[0].title}》{out[0].section}：{out[0].quote}）"
    return Answer(question=query.question, intent="consistency", entities=query.entities,
                  answer=text, citations=[c for c in out if c.quote])
