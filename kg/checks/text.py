"""Small text helpers the rules share: width-insensitive keys, sentences, plan ranks."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Plans higher in the hierarchy are quoted first and are the reference a lower plan must follow.
LEVEL_RANK: dict[str, int] = {"总体": 0, "专项": 1, "部门": 2, "街镇": 3}

_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")
_PERIOD_END = re.compile(r"(?<=[。！？!?])")


def norm(text: str) -> str:
    """NFKC, no whitespace: the form every comparison uses."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) of a section's text: lines, then 。；！？ inside a line. Table rows
    (one per line) stay whole."""
    offset = 0
    for line in (text or "").split("\n"):
        start = offset
        for part in _SENTENCE_END.split(line):
            if part.strip():
                lead = len(part) - len(part.lstrip())
                yield start + lead, part.strip()
            start += len(part)
        offset += len(line) + 1


def full_sentences(text: str) -> Iterator[str]:
    """Sentences ended by 。！？ only (a rule with its "；" exception stays one quote), per line."""
    for line in (text or "").split("\n"):
        for part in _PERIOD_END.split(line):
            if part.strip():
                yield part.strip()


def sentence_at(text: str, pos: int) -> str:
    """The sentence of `text` holding character `pos`."""
    for start, s in sentences(text):
        if start <= pos < start + len(s):
            return s
    return ""


def plan_rank(level: str) -> int:
    return LEVEL_RANK.get(level or "", len(LEVEL_RANK))


def book(title: str) -> str:
    """A title in 《》 for Chinese prose."""
    title = (title or "").strip("《》")
    return f"《{title}》" if title else ""
