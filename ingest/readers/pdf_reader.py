"""PDF text layer. Lines wrap mid-sentence in PDFs, so wrapped lines are joined back into
paragraphs; a page without text (a scan) is an error that names OCR as the missing step."""
from __future__ import annotations

import re
from pathlib import Path

from ingest.document import NOTE, Block, RawDocument, ReadError
from ingest.structure import match_number

_PAGE_FOOTER = re.compile(rf"^(?:{NOTE.pattern}\s*)?第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$|^-\s*\d+\s*-$")
_END = "。！？；：;:!?）)」』”"


def join_lines(lines: list[str]) -> list[str]:
    """Join a wrapped line to the previous one unless the previous ended a sentence or the
    line starts with official numbering or is a short heading-like line."""
    paras: list[str] = []
    # A full-width line that happens to end on "）" ("……和各街道（镇）") wraps like any other.
    width = max((len(r.strip()) for r in lines), default=0)
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not line or _PAGE_FOOTER.match(line):
            continue
        wrapped = paras and (paras[-1][-1] not in _END or (
            paras[-1][-1] in "）)" and len(previous) >= 0.8 * width and width >= 20))
        if wrapped and not match_number(line) and not _looks_like_heading(paras[-1]):
            paras[-1] += line
        else:
            paras.append(line)
        previous = line
    return paras


def _looks_like_heading(text: str) -> bool:
    return bool(match_number(text)) and len(text) <= 30 and text[-1] not in "，、"


class PdfReader:
    suffixes = (".pdf",)

    def read(self, path: Path) -> RawDocument:
        import pypdf
        from pypdf.errors import PdfReadError

        try:
            reader = pypdf.PdfReader(str(path))
            pages = [page.extract_text() or "" for page in reader.pages]
        except (PdfReadError, ValueError, KeyError) as e:
            raise ReadError(f"{path}: 不是有效的 PDF 文件（{e}）") from e
        except OSError as e:
            raise ReadError(f"{path}: 无法读取文件（{e.strerror or e}）") from e
        if not any(p.strip() for p in pages):
            raise ReadError(f"{path}: PDF 没有文字层（可能是扫描件），需要先进行 OCR 文字识别后再导入")
        blocks: list[Block] = []
        for n, text in enumerate(pages, start=1):
            for para in join_lines(text.splitlines()):
                blocks.append(Block(text=para, position=f"第{n}页"))
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
        title = meta_title.strip() or (blocks[0].text[:60] if blocks else "")
        if blocks and NOTE.fullmatch(blocks[0].text.strip()) and len(blocks) > 1 and not meta_title:
            title = blocks[1].text[:60]
        return RawDocument(path=str(path), format="pdf", title=title, blocks=blocks)
