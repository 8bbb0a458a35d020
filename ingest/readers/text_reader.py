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
        blocks: list[Block] = []
        for i, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("<!--"):
                continue
            m = _MD_HEADING.match(stripped) if is_md or stripped.startswith("#") else None
            if _MD_TABLE_RULE.match(stripped):
                continue
            if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
                cells = [c.strip() for c in stripped[1:-1].split("|")]
                blocks.append(Block(text=stripped, kind="table_row", cells=cells,
                                    position=f"第{i}行"))
            elif stripped.count("\t") >= 2:  # a Word table pasted into text: tab-separated
                cells = [c.strip() for c in stripped.split("\t")]
                blocks.append(Block(text=stripped, kind="table_row", cells=cells,
                                    position=f"第{i}行"))
            elif m:
                blocks.append(Block(text=m.group(2).strip(), kind="heading",
                                    heading_level=len(m.group(1)), position=f"第{i}行"))
            else:
                blocks.append(Block(text=stripped, position=f"第{i}行"))
        if not blocks:
            raise ReadError(f"{path}: 文件没有正文内容")
        return RawDocument(path=str(path), format=path.suffix.lower().lstrip("."),
                           encoding=encoding, title=_guess_title(blocks), blocks=blocks)


def _guess_title(blocks: list[Block]) -> str:
    """The first heading, else the first line that names a document (《…》 or 预案/法/条例…)."""
    for b in blocks[:15]:
        if b.kind == "heading" and b.heading_level == 1:
            return b.text
    for b in blocks[:15]:
        t = b.text.strip("《》 ")
        if len(t) <= 60 and re.search(r"(预案|办法|条例|规定|法|清单|名录|名单|细则|方案)$", t):
            return t
    return blocks[0].text[:60]
