"""Spreadsheets and CSV exports (duty lists, expert rosters): every row a table_row block.

A sheet's title rows (one merged cell above the header) become headings, so the title of a
list like "示例区应急管理局责任清单" is kept.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.document import Block, RawDocument, ReadError
from ingest.readers.text_reader import decode_text


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _rows_to_blocks(rows: list[list[str]], sheet: str, blocks: list[Block]) -> None:
    for r, cells in enumerate(rows, start=1):
        if not any(cells):
            continue
        filled = [c for c in cells if c]
        where = f"{sheet}第{r}行" if sheet else f"第{r}行"
        if len(filled) == 1 and len(cells) > 1 and r <= 3:
            blocks.append(Block(text=filled[0], kind="heading", heading_level=2, position=where))
        else:
            while cells and not cells[-1]:
                cells.pop()
            blocks.append(Block(text="　".join(filled), kind="table_row", cells=cells,
                                position=where))


class XlsxReader:
    suffixes = (".xlsx", ".xlsm")

    def read(self, path: Path) -> RawDocument:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
        except (InvalidFileException, KeyError, ValueError, OSError) as e:
            raise ReadError(f"{path}: 不是有效的 Excel (.xlsx) 文件（{e}）") from e
        except Exception as e:  # zipfile.BadZipFile and friends
            raise ReadError(f"{path}: 不是有效的 Excel (.xlsx) 文件（{e}）") from e
        blocks: list[Block] = []
        for ws in wb.worksheets:
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if not any(any(r) for r in rows):
                continue
            blocks.append(Block(text=ws.title, kind="heading", heading_level=1,
                                position=f"工作表“{ws.title}”"))
            _rows_to_blocks(rows, ws.title, blocks)
        wb.close()
        if not blocks:
            raise ReadError(f"{path}: 表格为空")
        title = next((b.text for b in blocks if b.heading_level == 2), "") \
            or (wb.properties.title or "") or path.stem
        return RawDocument(path=str(path), format="xlsx", title=title, blocks=blocks)


class CsvReader:
    suffixes = (".csv",)

    def read(self, path: Path) -> RawDocument:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ReadError(f"{path}: 无法读取文件（{e.strerror or e}）") from e
        if not data.strip():
            raise ReadError(f"{path}: 文件为空")
        text, encoding = decode_text(data, path)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
        blocks: list[Block] = []
        _rows_to_blocks(rows, "", blocks)
        if not blocks:
            raise ReadError(f"{path}: 表格为空")
        title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
        return RawDocument(path=str(path), format="csv", encoding=encoding, title=title,
                           blocks=blocks)
