"""Whether a question is about what the knowledge base holds at all ("明天天气怎么样" is not).

Decided by the question's words, not by a list of off-topic subjects: a word belongs to the
knowledge base's domain when the stored sections use it far more often than general Chinese
does (jieba's dictionary frequencies stand for general Chinese; the section frequencies are the
text index's). A question with no such word, naming no stored entity, document or place, is
outside the knowledge base. Every question with one domain word ("牵头", "预案", "燃气", "第几条")
is left to the answer modules.
"""
from __future__ import annotations

import math
import os
from functools import lru_cache

from retrieval.contract import Answer

# A word is a domain word when sections hold it at least this many times more often than
# general text (section share / dictionary share); measured on the sample and real corpora:
# the weakest domain word of a real question scored 263 (食品), everyday words 66 (天气) and
# less (电影 13, 明天/股票/电脑 0).
MIN_SALIENCE = 150.0
MIN_SECTIONS = 2  # a dictionary word in one section only is too rare to speak for the domain
_FLOOR = 1e-8  # the dictionary share of a word jieba does not list

OUT_OF_SCOPE = ("这个问题超出知识库范围：知识库只收录应急预案、四类清单（责任、权力、监管、任务）、"
                "法律法规和专家库。请询问事件由谁牵头、适用哪个预案、响应级别、应找哪些专家等。")


@lru_cache(maxsize=1)
def _general() -> tuple[dict[str, int], int]:
    """jieba's own dictionary (word → frequency), read from its file so that words added to a
    tokenizer elsewhere do not count as general language."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    freq: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ")
            if len(parts) >= 2 and parts[1].isdigit():
                freq[parts[0]] = int(parts[1])
    return freq, sum(freq.values())


def _bigrams(word: str) -> list[str]:
    return [word[i:i + 2] for i in range(len(word) - 1)]


def salience(word: str, bigram_df: dict[str, int], sections: int) -> float:
    """How much more often the stored sections use a word than general Chinese does (0 when the
    sections use it fewer than MIN_SECTIONS times). A word's section count is bounded by its
    rarest character bigram."""
    grams = _bigrams(word)
    if not grams or sections <= 0:
        return 0.0
    df = min(bigram_df.get(g, 0) for g in grams)
    freq, total = _general()
    # a word general Chinese does not list (快检车, 应急排) is specialised: one section will do
    if df < (MIN_SECTIONS if word in freq else 1):
        return 0.0
    return (df / sections) / max(freq.get(word, 0) / total, _FLOOR)


def domain_words(text: str, bigram_df: dict[str, int], sections: int) -> list[str]:
    """The words of a question that belong to the knowledge base's domain."""
    from retrieval.lexical_index import tokenize

    words = dict.fromkeys(t for t in tokenize(text) if len(t) >= 2 and not t.isascii())
    return [w for w in words if salience(w, bigram_df, sections) >= MIN_SALIENCE]


def is_off_topic(text: str, bigram_df: dict[str, int], sections: int, *,
                 named: bool = False, surfaces: list[str] = ()) -> bool:
    """`named`: the question names a stored document or place; `surfaces`: the words of the
    question the entity linker matched literally."""
    if named or any(s and s in text for s in surfaces) or sections <= 0:
        return False
    return not domain_words(text, bigram_df, sections)


def answer(question: str, entities=()) -> Answer:
    return Answer(question=question, intent="out_of_scope", status="not_found",
                  entities=list(entities), answer=OUT_OF_SCOPE)


def strength(text: str, bigram_df: dict[str, int], sections: int) -> float:
    """log10 of the question's most domain-like word's salience (diagnostics and tests)."""
    from retrieval.lexical_index import tokenize

    best = max((salience(t, bigram_df, sections) for t in tokenize(text) if len(t) >= 2),
               default=0.0)
    return math.log10(best) if best > 0 else 0.0
