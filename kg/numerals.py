"""Chinese and Arabic numerals, read the one way every layer needs them: article numbers
(第一百零二条), casualty and loss thresholds (3人以上, 一百万元), response levels.
"""
from __future__ import annotations

import re
import unicodedata

_DIGITS = "零一二三四五六七八九"
_CN_VALUE = {c: i for i, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(text: str) -> int | None:
    """Chinese or Arabic numeral → int ("一百零二" → 102, "十五" → 15); None if not a number."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_VALUE:
            current = _CN_VALUE[ch]
        elif ch in _CN_UNIT:
            total += (current or 1) * _CN_UNIT[ch]
            current = 0
        else:
            return None
    return total + current


def cn_number(text: str) -> float | None:
    """Arabic (possibly decimal) or Chinese numeral, for figures such as "2.5" or "三"."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    n = cn_to_int(text)
    return None if n is None else float(n)


def int_to_cn(n: int) -> str:
    """102 → "一百零二", 15 → "十五", the way Chinese law numbers its articles."""
    if n == 0:
        return "零"
    out, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero:
                out += "零"
            out += ("" if (unit == 10 and d == 1 and not out) else _DIGITS[d]) + name
            zero = False
        elif out:
            zero = True
    return out
