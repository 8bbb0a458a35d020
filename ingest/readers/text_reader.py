"""Plain text and Markdown, in UTF-8 (with or without BOM), UTF-16 or GB18030.

Chinese government text is often GB18030/GBK; a strict UTF-8 decode that fails is the signal.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.document import Block, RawDocument, ReadError

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Return (text, encoding). Strict decodes first; detection only as the last resort."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM: many zero bytes in ASCII-heavy text.
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
        raise ReadError(f"{path}: 文件含有二进制内容，不是文本文件")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(f"{path}: 无法识别文件编码（已尝试 UTF-8、GB18030、UTF-16）")
    return str(best), best.encoding


class TextReader:
    suffixes = (".txt", ".md", ".markdown")

    def read(self, path: Path) -> RawDocument:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ReadError(f"{path}: 无法读取文件（{e.strerror or e}）") from e
        if not data.strip():
            raise ReadError(f"{path}: 文件为空")
        text, encoding = decode_text(data, path)
        is_md = path.suffix.lower() in (".md", ".markdown")
        blocks = _join_broken_lines(_line_blocks(text.splitlines(), is_md))
        if not blocks:
            raise ReadError(f"{path}: 文件没有正文内容")
        return RawDocument(path=str(path), format=path.suffix.lower().lstrip("."),
                           encoding=encoding, title=_guess_title(blocks), blocks=blocks)


def _line_blocks(lines: list[str], is_md: bool) -> list[tuple[int, Block]]:
    """One block per non-empty line, with its 1-based line number."""
    spaced = [_space_cells(ln.strip()) for ln in lines]
    out: list[tuple[int, Block]] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("<!--"):
            continue
        pos = f"第{i + 1}行"
        m = _MD_HEADING.match(stripped) if is_md or stripped.startswith("#") else None
        if _MD_TABLE_RULE.match(stripped):
            continue
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            out.append((i + 1, Block(text=stripped, kind="table_row", cells=cells, position=pos)))
        elif stripped.count("\t") >= 2:  # a Word table pasted into text: tab-separated
            cells = [c.strip() for c in stripped.split("\t")]
            out.append((i + 1, Block(text=stripped, kind="table_row", cells=cells, position=pos)))
        elif stripped.count("｜") >= 2:  # a PDF table extracted with full-width bars between cells
            cells = [c.strip() for c in stripped.strip("｜").split("｜")]
            out.append((i + 1, Block(text=stripped, kind="table_row", cells=cells, position=pos)))
        elif m:
            out.append((i + 1, Block(text=m.group(2).strip(), kind="heading",
                                     heading_level=len(m.group(1)), position=pos)))
        elif len(spaced[i]) >= 3 and _aligned_neighbour(spaced, i):
            # a table exported as text with columns padded by spaces
            out.append((i + 1, Block(text=stripped, kind="table_row", cells=spaced[i],
                                     position=pos)))
        else:
            out.append((i + 1, Block(text=stripped, position=pos)))
    return out


_SPACE_SEP = re.compile(r"(?:[ \u00a0]{2,}|\u3000+)")


def _space_cells(line: str) -> list[str]:
    return [c for c in _SPACE_SEP.split(line)] if _SPACE_SEP.search(line) else [line]


def _aligned_neighbour(spaced: list[list[str]], i: int) -> bool:
    """A space-padded row counts as a table row only beside a row with as many columns."""
    for j in (i - 1, i + 1):
        while 0 <= j < len(spaced) and spaced[j] == [""]:
            j += -1 if j < i else 1
        if 0 <= j < len(spaced) and len(spaced[j]) == len(spaced[i]):
            return True
    return False


_ENDS_SENTENCE = re.compile(r"[。！？；;!?：:][”’」』\"')）]*$")
_CONTINUES = re.compile(r"[，、,（(“《—\-]$")
_PROSE = re.compile(r"[，、；,;]")
_CLOSED = re.compile(r"[)）》」』”]$")  # "（征求意见稿）", a title in 《》: a line of its own
_LABEL = re.compile(r"^[^，。；,;：:]{1,10}[：:]")  # "成员单位：…" starts a new item
_BULLET = re.compile(r"^(?:[-*+•·●■◆]\s|>)")


def _join_broken_lines(items: list[tuple[int, Block]]) -> list[Block]:
    """Join a sentence broken across lines (crawled pages, copy from PDF) into one block.

    A paragraph line is continued by the next line when the two are adjacent, the line does
    not end a sentence and reads as prose (a comma inside, or it ends on a comma/bracket), and
    the next line does not start with numbering or a bullet. The joined block's text is the
    lines concatenated (a space only between two Latin letters or digits) and its position
    names the line range, e.g. "第12-13行（跨行拼接）": quotes are verbatim against the reader's
    text, not against the raw file's line breaks.
    """
    from ingest.structure import match_number, strip_number

    out: list[Block] = []
    in_fence = False  # Markdown code blocks keep their lines
    first_line = last_line = 0
    for line_no, block in items:
        prev = out[-1] if out else None
        if block.text.startswith("```"):
            in_fence = not in_fence
        elif (prev is not None and not in_fence and prev.kind == "paragraph"
                and block.kind == "paragraph" and line_no == last_line + 1
                and not _ENDS_SENTENCE.search(prev.text) and not _CLOSED.search(prev.text)
                and (_PROSE.search(strip_number(prev.text)) or _CONTINUES.search(prev.text))
                and match_number(block.text) is None and not _BULLET.match(block.text)
                and not _LABEL.match(block.text)):
            sep = " " if prev.text[-1].isascii() and block.text[0].isascii() else ""
            out[-1] = Block(text=prev.text + sep + block.text,
                            position=f"第{first_line}-{line_no}行（跨行拼接）")
            last_line = line_no
            continue
        out.append(block)
        first_line = last_line = line_no
    return out


_PAGE_FURNITURE = re.compile(r"[>›»]|当前位置|您的位置|首页|发布日期|来源：")


def _guess_title(blocks: list[Block]) -> str:
    """The first heading, else the first line that names a document (《…》 or 预案/法/条例…)."""
    for b in blocks[:15]:
        if b.kind == "heading" and b.heading_level == 1:
            return b.text
    for b in blocks[:15]:
        t = b.text.strip("《》 ")
        if _PAGE_FURNITURE.search(t):
            continue  # "当前位置：首页 > … > 应急预案": a crawled page's breadcrumb, not the title
        if len(t) <= 60 and re.search(r"(预案|办法|条例|规定|法|清单|名录|名单|细则|方案)$", t):
            return t
    return blocks[0].text[:60]
