"""Word .docx: paragraphs with their heading styles, and tables row by row, in body order."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.document import Block, RawDocument, ReadError

_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def _heading_level(style_name: str | None) -> int | None:
    if not style_name:
        return None
    if style_name.lower() == "title":
        return 1
    m = _HEADING_STYLE.match(style_name.strip())
    return int(m.group(1)) if m else None


class DocxReader:
    suffixes = (".docx",)

    def read(self, path: Path) -> RawDocument:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        try:
            document = docx.Document(str(path))
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as e:
            raise ReadError(f"{path}: 不是有效的 Word (.docx) 文件（{e}）") from e
        except OSError as e:
            raise ReadError(f"{path}: 无法读取文件（{e.strerror or e}）") from e

        style_name = _style_names(document)
        blocks: list[Block] = []
        title = (document.core_properties.title or "").strip()
        n_par = n_tab = 0
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                n_par += 1
                text = item.text.strip()
                if not text:
                    continue
                level = _heading_level(style_name(item._p.style))
                blocks.append(Block(text=text, kind="heading" if level else "paragraph",
                                    heading_level=level, position=f"第{n_par}段"))
            elif isinstance(item, Table):
                n_tab += 1
                for r, row in enumerate(item.rows, start=1):
                    cells = _dedupe_merged([c.text.strip() for c in row.cells])
                    if not any(cells):
                        continue
                    blocks.append(Block(text="　".join(c for c in cells if c), kind="table_row",
                                        cells=cells, position=f"表{n_tab}第{r}行"))
        if not blocks:
            raise ReadError(f"{path}: 文档没有正文内容")
        if not title:
            title = next((b.text for b in blocks if b.heading_level == 1), blocks[0].text[:60])
        return RawDocument(path=str(path), format="docx", title=title, blocks=blocks)


def _style_names(document):
    """style id → name, looked up once: python-docx's Paragraph.style scans every style of the
    document for each paragraph without its own (about 1 ms each: minutes for a long file)."""
    from docx.enum.style import WD_STYLE_TYPE

    names = {s.style_id: s.name for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = default.name if default is not None else None
    return lambda style_id: names.get(style_id, default_name) if style_id else default_name


def _dedupe_merged(cells: list[str]) -> list[str]:
    """python-docx repeats a horizontally merged cell's text in each grid column."""
    out: list[str] = []
    for c in cells:
        if out and c and c == out[-1]:
            continue
        out.append(c)
    return out
