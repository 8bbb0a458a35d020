"""Spreadsheets and CSV exports (duty lists, expert rosters): every row a table_row block.

A sheet's title rows (one merged cell above the header) become headings, so the title of a
list like "某区应急管理局责任清单" is kept; group rows inside a table ("一、应急管理综合职责")
stay in the table as one-cell rows; vertically merged cells are filled from the cell above.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ingest.document import Block, RawDocument, ReadError
from ingest.readers.text_reader import decode_text


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    # Line breaks inside a cell are kept (multi-line duties, one citation per line).
    return str(v).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip()


# A row of "label：value" cells above the header ("填报单位：…", "更新时间：…") is not a header.
_META = re.compile(r"^[^：:]{2,8}[：:].")
# Below a table: notes and sign-offs, not group labels.
_NOTE = re.compile(r"^(?:注|备注|说明|填表说明|附注)[\s　]*[：:0-9０-９一-十、.．]|[。；;]$")
_GROUP_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[)）]|第.{1,3}[部类]分?)")
_HEADER_FIRST = re.compile(r"^(?:序号|编号|序|No\.?)$", re.IGNORECASE)


def _filled(cells: list[str]) -> list[str]:
    return [c for c in cells if c]


def _is_header(cells: list[str]) -> bool:
    filled = _filled(cells)
    return len(filled) >= 2 and not any(_META.match(c) and len(c) > 12 for c in filled) \
        and all(len(c) <= 30 for c in filled)


def _rows_to_blocks(rows: list[list[str]], sheet: str, blocks: list[Block],
                    spanning: frozenset[int] = frozenset()) -> None:
    """Rows → blocks. Above the header, a lone cell is a title (heading) and label：value rows
    are paragraphs; inside the table, a lone cell is a group label ("一、综合职责", kept as a
    one-cell table_row so the table goes on) or a note below it (paragraph). `spanning` holds
    the 1-based numbers of rows whose lone cell is merged across columns."""
    header_at = next((r for r, c in enumerate(rows, start=1) if _is_header(c)), None) \
        or next((r for r, c in enumerate(rows, start=1) if len(_filled(c)) >= 2), None)
    width = 0
    for r, cells in enumerate(rows, start=1):
        filled = _filled(cells)
        if not filled:
            continue
        where = f"{sheet}第{r}行" if sheet else f"第{r}行"
        lone = len(filled) == 1 and len(cells) > 1
        if header_at is None or r < header_at:
            if len(filled) == 1 and header_at is not None and not _META.match(filled[0]):
                # a title line (a CSV export writes it without the trailing commas)
                blocks.append(Block(text=filled[0], kind="heading", heading_level=2,
                                    position=where))
            else:
                blocks.append(Block(text="　".join(filled), kind="paragraph", position=where))
            continue
        if r == header_at:
            width = len(_trim(cells))
        elif lone:
            text = filled[0]
            nxt = next((c for c in rows[r:] if _filled(c)), None)
            if nxt is not None and _HEADER_FIRST.match(_filled(nxt)[0]) and _is_header(nxt):
                # a second table in the same sheet: its title, then its own header
                header_at = r + 1 + rows[r:].index(nxt)
                blocks.append(Block(text=text, kind="heading", heading_level=2, position=where))
                continue
            column = next(i for i, c in enumerate(cells) if c)
            if _NOTE.search(text) and len(text) > 12 or text.startswith(("注：", "注:")):
                blocks.append(Block(text=text, kind="paragraph", position=where))
                continue
            if r in spanning or column <= 1 or _GROUP_NUMBER.match(text):
                blocks.append(Block(text=text, kind="table_row", cells=[text], position=where))
                continue
        cells = _trim(cells)
        if r != header_at and len(cells) < width:
            cells = cells + [""] * (width - len(cells))  # cells line up with the header
        blocks.append(Block(text="　".join(filled), kind="table_row", cells=cells,
                            position=where))


def _trim(cells: list[str]) -> list[str]:
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _unmerge(ws, rows: list[list[str]]) -> frozenset[int]:
    """Give the lower cells of a vertical merge the value above (lists merge a 实施主体 or a
    责任处室 over the rows it applies to); return rows whose lone value spans columns."""
    ncols = max((len(r) for r in rows), default=0)
    spanning: set[int] = set()
    for rng in ws.merged_cells.ranges:
        top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else ""
        if rng.max_col > rng.min_col:
            spanning.update(range(rng.min_row, rng.max_row + 1))
        full_width = rng.max_col - rng.min_col + 1 >= ncols > 1
        if rng.max_row > rng.min_row and not full_width and top:
            for r in range(rng.min_row + 1, min(rng.max_row, len(rows)) + 1):
                if not rows[r - 1][rng.min_col - 1]:
                    rows[r - 1][rng.min_col - 1] = top
    return frozenset(spanning)


class XlsxReader:
    suffixes = (".xlsx", ".xlsm")

    def read(self, path: Path) -> RawDocument:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            # Not read-only: merged ranges are only known to a fully loaded sheet.
            wb = openpyxl.load_workbook(str(path), data_only=True)
        except (InvalidFileException, KeyError, ValueError, OSError) as e:
            raise ReadError(f"{path}: 不是有效的 Excel (.xlsx) 文件（{e}）") from e
        except Exception as e:  # zipfile.BadZipFile and friends
            raise ReadError(f"{path}: 不是有效的 Excel (.xlsx) 文件（{e}）") from e
        blocks: list[Block] = []
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue  # hidden sheets hold drop-down vocabularies, not list rows
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if not any(any(r) for r in rows):
                continue
            spanning = _unmerge(ws, rows)
            blocks.append(Block(text=ws.title, kind="heading", heading_level=1,
                                position=f"工作表“{ws.title}”"))
            _rows_to_blocks(rows, ws.title, blocks, spanning)
        warnings = _uncomputed_formulas(path, wb)
        wb.close()
        if not blocks:
            raise ReadError(f"{path}: 表格为空")
        title = next((b.text for b in blocks if b.heading_level == 2), "") \
            or (wb.properties.title or "") or path.stem
        return RawDocument(path=str(path), format="xlsx", title=title, blocks=blocks,
                           warnings=warnings)


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _uncomputed_formulas(path: Path, values) -> list[str]:
    """Formula cells the file holds no computed value for (a sheet written by a program, never
    opened in Excel): read as blank, so each sheet with such cells is named with its rows."""
    import zipfile

    import openpyxl

    with zipfile.ZipFile(path) as z:  # the archive check has bounded these sizes already
        if not any(_FORMULA.search(z.read(n)) for n in z.namelist()
                   if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            return []
    formulas = openpyxl.load_workbook(str(path), data_only=False)
    out = []
    for ws in formulas.worksheets:
        if ws.sheet_state != "visible" or ws.title not in values.sheetnames:
            continue
        shown = values[ws.title]
        rows = sorted({c.row for row in ws.iter_rows() for c in row
                       if c.data_type == "f" and shown.cell(c.row, c.column).value is None})
        if rows:
            listed = "、".join(map(str, rows[:10])) + ("等" if len(rows) > 10 else "")
            out.append(f"工作表“{ws.title}”第{listed}行含公式但文件中没有计算结果，这些单元格按空白导入"
                       f"（请在 Excel 中打开并保存后重新导入）")
    formulas.close()
    return out


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
