"""四类清单 (责任清单、权力清单、监管清单、任务清单) of 示例区's departments and 街镇 — 示例数据，虚构内容.

Source data: corpus/src/lists/*.json, one file per department or 街镇 (layout in
corpus/src/lists/README.md). Each file names its outputs; this module renders them:

  xlsx  one workbook, one sheet per list kind; a merged title row, optionally ("meta_row") a
        merged "填报单位/更新时间" row, the header row, then the rows (序号 numbered
        continuously; a string in the data is a group row merged across the sheet; "\\n" in a
        cell is a line break). Optional vertical merges of identical neighbouring cells in
        named columns ("vmerge"), as real lists merge 实施主体 or 责任处室.
  csv   an export of one list kind ("kind") or of all four in one table ("layout": "combined",
        as the 权责清单 system exports them), in UTF-8 with BOM or GB18030, CRLF; "flatten"
        joins multi-line cells into one line; "title" adds a title row above the header;
        "columns" renames/extends the header (system exports with their own column names).
  docx  the four lists as tables in one Word document (how 街镇 publish them), landscape.

Deterministic: fixed document dates and zip entry timestamps.
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
import sys
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
SRC = CORPUS / "src" / "lists"
SAMPLE_MARK = "（示例数据，虚构内容）"

_spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
_build = sys.modules.get("corpus_build") or importlib.util.module_from_spec(_spec)
if "corpus_build" not in sys.modules:
    sys.modules["corpus_build"] = _build  # build.py's dataclass needs its module registered
    _spec.loader.exec_module(_build)

KINDS = ("责任清单", "权力清单", "监管清单", "任务清单")
COLUMNS = {
    "责任清单": ["序号", "职责事项", "职责内容", "实施依据", "责任处室", "备注"],
    "权力清单": ["序号", "权力事项名称", "权力类型", "实施依据", "实施主体", "备注"],
    "监管清单": ["序号", "监管事项", "监管对象", "监管内容", "监管方式", "实施依据", "责任处室"],
    "任务清单": ["序号", "任务名称", "任务内容", "完成时限", "责任处室", "配合单位"],
}
WIDTHS = {  # column widths in the xlsx sheets
    "责任清单": [6, 22, 60, 42, 16, 12],
    "权力清单": [6, 34, 12, 46, 18, 16],
    "监管清单": [6, 24, 26, 44, 20, 36, 16],
    "任务清单": [6, 24, 56, 16, 16, 26],
}
# The combined export (权责清单系统): one table, a 清单类别 column, the kinds' columns mapped.
COMBINED = ["序号", "清单类别", "事项名称", "权力类型", "监管对象", "事项内容", "监管方式",
            "实施依据", "责任处室", "配合单位", "完成时限", "备注"]
_COMBINED_MAP = {
    "责任清单": {"职责事项": "事项名称", "职责内容": "事项内容", "实施依据": "实施依据",
                 "责任处室": "责任处室", "备注": "备注"},
    "权力清单": {"权力事项名称": "事项名称", "权力类型": "权力类型", "实施依据": "实施依据",
                 "实施主体": "责任处室", "备注": "备注"},
    "监管清单": {"监管事项": "事项名称", "监管对象": "监管对象", "监管内容": "事项内容",
                 "监管方式": "监管方式", "实施依据": "实施依据", "责任处室": "责任处室"},
    "任务清单": {"任务名称": "事项名称", "任务内容": "事项内容", "完成时限": "完成时限",
                 "责任处室": "责任处室", "配合单位": "配合单位"},
}
CN_ORD = "一二三四"


# ------------------------------------------------------------------ data
def load_units() -> list[dict]:
    units = []
    for path in sorted(SRC.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_source"] = path.name
        _validate(data)
        units.append(data)
    return units


def _validate(u: dict) -> None:
    where = u["_source"]
    for key in ("unit", "name", "updated", "date", "outputs", "lists"):
        if key not in u:
            raise SystemExit(f"src/lists/{where}: missing key {key!r}")
    for kind, rows in u["lists"].items():
        if kind not in COLUMNS:
            raise SystemExit(f"src/lists/{where}: unknown list kind {kind!r}")
        width = len(COLUMNS[kind]) - 1
        for i, row in enumerate(rows, 1):
            if isinstance(row, str):
                continue
            if len(row) != width:
                raise SystemExit(f"src/lists/{where}: {kind} row {i} has {len(row)} cells, "
                                 f"expected {width} ({'/'.join(COLUMNS[kind][1:])})")


def numbered(rows: list) -> list[tuple[str, list[str] | str]]:
    """(序号, cells) for data rows, ("", text) for group rows; 序号 runs on across groups."""
    out, n = [], 0
    for row in rows:
        if isinstance(row, str):
            out.append(("", row))
        else:
            n += 1
            out.append((str(n), list(row)))
    return out


def _flatten(text: str) -> str:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    out = ""
    for ln in lines:
        if out and out[-1] not in "。；;：:，,":
            out += "；"
        out += ln
    return out


def _date(u: dict) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(u["date"]), dt.time(9, 0))


# ------------------------------------------------------------------ xlsx
def build_xlsx(u: dict, opts: dict) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, horizontal="center", vertical="center")
    head_fill = PatternFill("solid", fgColor="D9D9D9")
    vmerge = opts.get("vmerge", {})

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for kind in opts.get("kinds", KINDS):
        rows = u["lists"].get(kind)
        if rows is None:
            continue
        cols = COLUMNS[kind]
        ncol = len(cols)
        last = get_column_letter(ncol)
        ws = wb.create_sheet(kind)
        ws.append([f"{u['name']}{kind}{SAMPLE_MARK}"] + [None] * (ncol - 1))
        ws.merge_cells(f"A1:{last}1")
        ws["A1"].font = Font(name="黑体", size=16, bold=True)
        ws["A1"].alignment = centre
        ws.row_dimensions[1].height = 30
        if opts.get("meta_row"):
            ws.append([f"填报单位：{u['name']}　　　　　　　　更新时间：{u['updated']}"]
                      + [None] * (ncol - 1))
            ws.merge_cells(f"A2:{last}2")
            ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
        ws.append(cols)
        head = ws.max_row
        for c in range(1, ncol + 1):
            cell = ws.cell(row=head, column=c)
            cell.font = Font(name="黑体", bold=True)
            cell.fill = head_fill
            cell.alignment = centre
            cell.border = border
        for no, row in numbered(rows):
            r = ws.max_row + 1
            if isinstance(row, str):
                ws.cell(row=r, column=1, value=row)
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
                ws.cell(row=r, column=1).font = Font(bold=True)
                ws.cell(row=r, column=1).alignment = Alignment(vertical="center")
                for c in range(1, ncol + 1):
                    ws.cell(row=r, column=c).border = border
                continue
            values = [int(no)] + row
            for c, v in enumerate(values, 1):
                cell = ws.cell(row=r, column=c, value=v if v != "" else None)
                cell.alignment = centre if c == 1 else wrap_top
                cell.border = border
            lines = max(str(v).count("\n") + 1 + len(str(v)) // 30 for v in row)
            ws.row_dimensions[r].height = min(15 * max(lines, 1), 400)
        # vertical merges of identical neighbouring cells (as real lists merge 实施主体 etc.)
        for colname in vmerge.get(kind, []):
            c = cols.index(colname) + 1
            r, end = head + 1, ws.max_row
            while r <= end:
                v = ws.cell(row=r, column=c).value
                r2 = r
                while (r2 + 1 <= end and v is not None
                       and ws.cell(row=r2 + 1, column=c).value == v
                       and ws.cell(row=r2 + 1, column=1).value is not None):
                    r2 += 1
                if r2 > r and ws.cell(row=r, column=1).value is not None:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r2, end_column=c)
                    ws.cell(row=r, column=c).alignment = centre
                r = r2 + 1
        note = u.get("notes", {}).get(kind)
        if note:
            r = ws.max_row + 1
            ws.cell(row=r, column=1, value=note)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
            ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = 32
        for i, w in enumerate(WIDTHS[kind], 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = f"A{head + 1}"
        ws.print_title_rows = f"{head}:{head}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.oddFooter.center.text = SAMPLE_MARK + " 第 &P 页"

    date = _date(u)
    p = wb.properties
    p.creator = f"{u['name']}（示例）"
    p.lastModifiedBy = "yingji corpus/builders/duty_lists.py"
    p.title = f"{u['name']}安全生产和应急管理四类清单{SAMPLE_MARK}"
    p.subject = "四类清单（示例数据，虚构内容）"
    p.keywords = "四类清单; 责任清单; 权力清单; 监管清单; 任务清单; 示例数据; 虚构内容"
    p.description = "示例数据，虚构内容。Sample data, fictional. Generated by corpus/builders/duty_lists.py."
    p.category = "四类清单"
    p.created = date
    p.modified = date
    raw = io.BytesIO()
    wb.save(raw)
    return _normalise_zip(_fix_core_modified(raw.getvalue(), date))


def _fix_core_modified(data: bytes, date: dt.datetime) -> bytes:
    """openpyxl stamps dcterms:modified with the current time on save; put the fixed date back."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            dst.writestr(info, body)
    return out.getvalue()


def _normalise_zip(data: bytes) -> bytes:
    return _build._normalise_zip(data)


# ------------------------------------------------------------------ csv
def build_csv(u: dict, opts: dict) -> bytes:
    flatten = opts.get("flatten", False)
    cell = (lambda s: _flatten(s)) if flatten else (lambda s: s)
    out: list[list[str]] = []
    if opts.get("layout") == "combined":
        kinds = opts.get("kinds", KINDS)
        header = opts.get("columns", COMBINED)
        title = opts.get("title_text") or f"{u['name']}四类清单{SAMPLE_MARK}"
        if opts.get("title", True):
            out.append([title] + [""] * (len(header) - 1))
        out.append(header)
        n = 0
        for kind in kinds:
            cols = COLUMNS[kind][1:]
            for _, row in numbered(u["lists"].get(kind, [])):
                if isinstance(row, str):
                    continue  # a system export has no group rows
                n += 1
                rec = dict.fromkeys(COMBINED, "")
                rec["序号"], rec["清单类别"] = str(n), kind
                for name, value in zip(cols, row):
                    rec[_COMBINED_MAP[kind][name]] = cell(value)
                out.append([rec[c] for c in COMBINED])
    else:
        kind = opts["kind"]
        cols = opts.get("columns", COLUMNS[kind])
        if opts.get("title", True):
            title = opts.get("title_text") or f"{u['name']}{kind}{SAMPLE_MARK}"
            out.append([title] + [""] * (len(cols) - 1))
        out.append(cols)
        extra = opts.get("extra_columns", {})  # column name -> pattern with {n}
        for no, row in numbered(u["lists"].get(kind, [])):
            if isinstance(row, str):
                if opts.get("group_rows", True):
                    out.append([row] + [""] * (len(cols) - 1))
                continue
            values = [no] + [cell(v) for v in row]
            rec = dict(zip(COLUMNS[kind], values))
            for name, pattern in extra.items():
                rec[name] = pattern.format(n=int(no))
            out.append([rec.get(c, "") for c in cols])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(out)
    text = buf.getvalue()
    enc = opts.get("encoding", "utf-8-sig")
    return text.encode(enc)


# ------------------------------------------------------------------ docx
def build_docx(u: dict, opts: dict) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    styles = doc.styles
    _build._set_style_font(styles["Normal"], _build.BODY_FONT, 10.5)
    styles["Normal"].paragraph_format.space_after = Pt(3)
    _build._set_style_font(styles["Title"], _build.HEADING_FONT, 18, bold=True)
    for level, size in ((1, 15), (2, 13)):
        _build._set_style_font(styles[f"Heading {level}"], _build.HEADING_FONT, size, bold=True)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Mm(18))
    sec.top_margin = sec.bottom_margin = Mm(16)
    fp = sec.footer.paragraphs[0]
    fp.text = SAMPLE_MARK
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    title = opts.get("title") or f"{u['name']}安全生产和应急管理“四类清单”"
    p = doc.add_paragraph(title, style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in [SAMPLE_MARK] + u.get("front", []):
        q = doc.add_paragraph(line)
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER if line == SAMPLE_MARK or len(line) < 40 else None
    for intro in u.get("intro", []):
        doc.add_paragraph(intro)
    for i, kind in enumerate(opts.get("kinds", KINDS)):
        rows = u["lists"].get(kind)
        if rows is None:
            continue
        doc.add_heading(f"{CN_ORD[i]}、{kind}", level=1)
        cols = COLUMNS[kind]
        body = numbered(rows)
        table = doc.add_table(rows=1 + len(body), cols=len(cols))
        table.style = styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, name in enumerate(cols):
            cell = table.cell(0, c)
            cell.text = name
            for run in cell.paragraphs[0].runs:
                _build._set_run_font(run, _build.HEADING_FONT, bold=True)
        for r, (no, row) in enumerate(body, 1):
            if isinstance(row, str):
                merged = table.cell(r, 0).merge(table.cell(r, len(cols) - 1))
                merged.text = row
                for run in merged.paragraphs[0].runs:
                    run.font.bold = True
                continue
            for c, v in enumerate([no] + row):
                table.cell(r, c).text = v
        note = u.get("notes", {}).get(kind)
        if note:
            doc.add_paragraph(note)
        doc.add_paragraph("")
    for line in u.get("closing", []):
        doc.add_paragraph(line)

    cp = doc.core_properties
    cp.title = title
    cp.subject = "四类清单（示例数据，虚构内容）"
    cp.author = f"{u['name']}（示例）"
    cp.last_modified_by = "yingji corpus/builders/duty_lists.py"
    cp.keywords = "四类清单; 示例数据; 虚构内容"
    cp.comments = "示例数据，虚构内容。Sample data, fictional. Generated by corpus/builders/duty_lists.py."
    cp.category = "四类清单"
    date = _date(u)
    cp.created = cp.modified = cp.last_printed = date
    cp.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _normalise_zip(raw.getvalue())


# ------------------------------------------------------------------ entry point
RENDER = {"xlsx": build_xlsx, "csv": build_csv, "docx": build_docx}


def build() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for u in load_units():
        for opts in u["outputs"]:
            path = opts["path"]
            if path in out:
                raise SystemExit(f"src/lists/{u['_source']}: output {path} is produced twice")
            out[path] = RENDER[opts["format"]](u, opts)
    return out
