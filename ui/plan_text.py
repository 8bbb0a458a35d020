"""A plan's sections as one readable HTML document (the 预案库 reader): headings at their depth,
paragraphs as in the source, a search term marked. Pure text building, unit-tested without a
browser; every piece of document text is escaped."""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

_STYLE = ("<style>.plan-doc{line-height:1.75;font-size:1rem;max-width:60rem}"
          ".plan-doc h3,.plan-doc h4,.plan-doc h5,.plan-doc h6{margin:1.1em 0 .35em}"
          ".plan-doc p{margin:.2em 0 .45em;white-space:pre-wrap}"
          ".plan-doc mark{background:#ffe58f;padding:0 .1em}</style>")


def matches(term: str, *texts: str | None) -> bool:
    return not term or any(term in (t or "") for t in texts)


def marked(text: str, term: str) -> str:
    """Escaped text with every occurrence of the term in <mark>."""
    if not term:
        return html.escape(text)
    parts = text.split(term)
    return f"<mark>{html.escape(term)}</mark>".join(html.escape(p) for p in parts)


def _depth(path: str) -> int:
    return 0 if not path or path == "首部" else path.count("/") + 1


def _field(section: Any, name: str) -> str:
    value = section.get(name) if isinstance(section, dict) else getattr(section, name, "")
    return str(value or "")


def section_html(section: Any, term: str = "") -> str:
    """One section: its heading line (the text's own first line when it states the heading,
    "（一）编制目的") as a heading of its depth, the rest as paragraphs."""
    path, heading, text = (_field(section, k) for k in ("path", "heading", "text"))
    lines = text.split("\n")
    head = ""
    if lines and heading and heading in lines[0] and len(lines[0]) <= len(heading) + 12:
        head, lines = lines[0], lines[1:]
    elif heading and _depth(path):
        head = heading
    out = []
    depth = _depth(path)
    if head:
        tag = f"h{min(3 + max(depth - 1, 0), 6)}" if depth else "h3"
        out.append(f"<{tag}>{marked(head, term)}</{tag}>")
    body = "\n".join(lines).strip()
    for para in re.split(r"\n+", body) if body else []:
        out.append(f"<p>{marked(para.strip(), term)}</p>")
    return "".join(out)


def document_html(sections: Iterable[Any], term: str = "") -> str:
    """The whole document, in reading order."""
    body = "".join(section_html(s, term) for s in sections)
    return f'{_STYLE}<div class="plan-doc">{body}</div>'
