"""Shared helpers for the duty, resource and article answers: bigram scoring and citations."""
from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from retrieval.contract import Citation
from retrieval.normalize import char_bigrams

# Question words that say what kind of answer is wanted, not what it is about.
_GENERIC_PHRASES = (
    "依据哪条规定的是什么法律法规第几条哪一条哪几条哪部法根据哪些多久多长时间多少天几个小时"
    "什么时候要谁负责干什么做什么干啥干嘛管什么职责具体主要要求应当有哪些哪里在哪里放在哪能调去哪调"
    "可以调找谁找哪个怎么办为什么也要规定的写的怎么写清单里时候")
GENERIC = char_bigrams(_GENERIC_PHRASES) | {"什么", "哪条", "依据", "规定", "负责", "应急"}


def bigrams(text: str) -> set[str]:
    return char_bigrams(text or "")


def question_bigrams(text: str) -> set[str]:
    return {b for b in bigrams(text) if b not in GENERIC}


def overlap(q: set[str], text: str) -> int:
    return len(q & bigrams(text))


def cite(rows: list[dict[str, Any]]) -> list[Citation]:
    seen: OrderedDict[tuple[str, str, str], Citation] = OrderedDict()
    for r in rows:
        if not r.get("quote"):
            continue
        k = (r["doc_id"], r.get("section") or "", r["quote"])
        if k not in seen:
            seen[k] = Citation(doc_id=r["doc_id"], title=r.get("title") or r["doc_id"],
                               section=r.get("section") or "", quote=r["quote"])
    return list(seen.values())


def source(row: dict[str, Any]) -> str:
    return f"《{row.get('title') or row['doc_id']}》{row.get('section') or ''}"


def clean(text: str) -> str:
    """One line: runs of whitespace inside a table row become a single space."""
    return re.sub(r"\s+", " ", text or "").strip()
