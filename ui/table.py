"""Plain terminal tables that line up Chinese text (wide characters count as two columns)."""
from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render(headers: list[str], rows: list[list[str]], max_width: int = 40) -> str:
    def cut(s: str) -> str:
        s = str(s)
        if width(s) <= max_width:
            return s
        out = ""
        for c in s:
            if width(out + c + "…") > max_width:
                break
            out += c
        return out + "…"

    cells = [[cut(c) for c in r] for r in [headers, *rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c + " " * (w - width(c)) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
