"""Section tree from Chinese official numbering: 第X章 第X节 第X条, 一、 （一） 1. 1.1 （1） (1) ①.

Levels are not fixed per style: each document nests its styles in its own order, so a style's
depth is decided by a stack (a style already open closes everything below it; a new style opens
a child). Full- and half-width marks are the same style.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.document import Block

CN_NUM = "零〇一二三四五六七八九十百千两"
_UNIT_AFTER = "亿万元%％倍个年月日时米吨公千人户家起次级"

# (style, regex). The regex's group "num" is the label; the rest of the line follows.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^(?P<num>第[{CN_NUM}\d]+章)[\s　]*")),
    ("jie", re.compile(rf"^(?P<num>第[{CN_NUM}\d]+节)[\s　]*")),
    ("article", re.compile(rf"^(?P<num>第[{CN_NUM}\d]+条)(?:[\s　]+|(?=[^\s　，。、的款项]))")),
    ("cn", re.compile(rf"^(?P<num>[{CN_NUM}]+)[、．.]\s*")),
    ("cn_paren", re.compile(rf"^(?P<num>[（(][{CN_NUM}]+[)）])\s*")),
    ("dotted", re.compile(rf"^(?P<num>\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})(?![\d.．{_UNIT_AFTER}])[、．.]?[\s　]*")),
    ("arabic", re.compile(rf"^(?P<num>\d{{1,2}})(?:[.．](?![\d])|、)\s*")),
    ("arabic_paren", re.compile(r"^(?P<num>[（(]\d{1,2}[)）])\s*")),
    # "1 总则": a bare number and a short title, common at the top level of plans.
    ("arabic_space", re.compile(
        rf"^(?P<num>\d{{1,2}})[\s　]+(?=[^\s{_UNIT_AFTER}][^。；，：:;,]{{0,19}}$)")),
    ("circled", re.compile(r"^(?P<num>[①-⑳])\s*")),
    # "附件2", "附件 2 某某表": an annex starts a top-level part of its own.
    ("annex", re.compile(rf"^(?P<num>附件[\s　]*[{CN_NUM}\d]{{1,2}})(?![\d{_UNIT_AFTER}])[：:、.．\s　]*")),
    # A level's own heading in a grading or response annex: "Ⅱ级（重大）", "IV 级（一般）".
    ("level", re.compile(r"^(?P<num>(?:IV|III|II|I|Ⅰ|Ⅱ|Ⅲ|Ⅳ|[一二三四])[\s　]*级)"
                         r"(?=[\s　]*(?:[（(](?:特别重大|重大|较大|一般)[)）])?[\s　]*$)")),
]
# Styles that may stand alone on their line (the title follows on the next line, or none).
_BARE = ("chapter", "jie", "annex", "level")

_SENTENCE_END = "。！？；;!?"


@dataclass
class Section:
    """A numbered unit with its own text (its numbered line and the lines up to the next one)."""
    path: str  # labels from the root joined by "/", e.g. "四/（一）/（3）"
    label: str  # its own number, e.g. "（3）", "第三条"; "" for the preamble
    heading: str  # short title when the numbered line is a heading, else ""
    level: int
    ord: int
    blocks: list[Block] = field(default_factory=list)
    parent_path: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def match_number(text: str) -> tuple[str, str, str] | None:
    """(style, label, rest) for a line that starts with official numbering, else None."""
    for style, pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            rest = text[m.end():].strip()
            if not rest and style not in _BARE:
                return None
            if style == "dotted":
                depth = len(re.split(r"[.．]", m.group("num")))
                style = f"dotted{depth}"
            label = m.group("num")
            if style in ("annex", "level"):
                label = re.sub(r"[\s　]", "", label)
                rest = text.strip() if style == "level" else rest  # "Ⅱ级（重大）" is the heading
            return style, label, rest
    return None


def is_heading_text(rest: str) -> bool:
    """A numbered line is a heading when it is short and not a sentence."""
    return 0 < len(rest) <= 30 and rest[-1] not in _SENTENCE_END + "，,：:"


PREAMBLE = "首部"


def parse_sections(blocks: list[Block], title: str = "") -> list[Section]:
    """Flat list of sections in document order; each knows its parent by path."""
    root = Section(path=PREAMBLE, label="", heading="", level=0, ord=0)
    sections: list[Section] = [root]
    stack: list[tuple[str, Section]] = []  # (style, section), outermost first
    used_paths: set[str] = {PREAMBLE}
    for block in blocks:
        if block.kind == "heading" and block.text.strip() == title.strip() and len(sections) == 1:
            root.heading = block.text
            continue
        hit = match_number(block.text) if block.kind != "table_row" else None
        if hit is None and block.kind == "heading" and block.heading_level:
            style, label, rest = f"h{block.heading_level}", "", block.text
        elif hit is None:
            current = stack[-1][1] if stack else root
            if (stack and stack[-1][0] == "annex" and not current.heading
                    and len(current.blocks) == 1 and is_heading_text(block.text.strip())):
                current.heading = block.text.strip()  # "附件2" over its title line
            current.blocks.append(block)
            continue
        else:
            style, label, rest = hit
        # Close deeper styles; a style already open means a sibling; an annex closes all but
        # a part titled 附件.
        styles = [s for s, _ in stack]
        if style == "annex":
            # under a part titled 附件 ("十一、附件") annexes are its children; else top level
            keep = [i for i, (_, sec) in enumerate(stack) if re.search(r"^附件|附件$", sec.heading)]
            del stack[keep[-1] + 1 if keep else 0:]
            if "annex" in [st for st, _ in stack]:
                del stack[[st for st, _ in stack].index("annex"):]
        elif style in styles:
            del stack[styles.index(style):]
        parent = stack[-1][1] if stack else None
        own = label or rest[:20]
        path = f"{parent.path}/{own}" if parent else own
        base, n = path, 2
        while path in used_paths:  # duplicate numbering in messy documents
            path, n = f"{base}#{n}", n + 1
        used_paths.add(path)
        section = Section(path=path, label=label,
                          heading=rest if (not label or is_heading_text(rest)) else "",
                          level=len(stack) + 1, ord=len(sections), blocks=[block],
                          parent_path=parent.path if parent else None)
        sections.append(section)
        stack.append((style, section))
    if not root.blocks and not root.heading and len(sections) > 1:
        sections.pop(0)
    return sections


_SPLIT = re.compile(rf"(?<=[{_SENTENCE_END}])")


def sentences(text: str) -> list[str]:
    """Sentences of one block, each a verbatim substring of it."""
    return [s.strip() for s in _SPLIT.split(text) if s.strip()]


def strip_number(text: str) -> str:
    hit = match_number(text)
    return hit[2] if hit else text
