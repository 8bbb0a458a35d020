"""Question normalisation: width, whitespace, and the shorthand duty officers type."""
from __future__ import annotations

import re
import unicodedata

# Shorthand → the words the documents use. Longest first when applied.
SHORTHAND: dict[str, str] = {
    "危化品": "危险化学品",
    "危化": "危险化学品",
    "煤气": "燃气",
    "天然气": "燃气",
    "液化气": "燃气",
}


def normalize_question(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    for short in sorted(SHORTHAND, key=len, reverse=True):
        if short in text and SHORTHAND[short] not in text:
            text = text.replace(short, SHORTHAND[short])
    return text


def char_bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK/alphanumeric text: a fuzzy match that needs no segmenter."""
    t = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}
