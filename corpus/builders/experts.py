"""Expert library of the fictional 示例区 (示例数据，虚构内容 — every name, organisation and phone
number here is invented; phones use the fictional 5555 exchange).

Source (editable): src/experts/experts.csv — one row per expert, UTF-8, columns
  编号,姓名,性别,出生年份,职称,工作单位,专业领域,研究方向,从业年限,所在区域,可联系时段,状态,
  手机,办公电话,备注,专家组
专业领域 is free text as the liaison typed it ("燃气工程（输配）", "危化品安全", "环境监测，危化品安全");
taxonomy/fields.csv maps every variant to a canonical field (see _experts_common.normalise_fields).

Outputs
  experts/示例区应急专家库名册.xlsx  the roster as the bureau keeps it: one sheet per 专家组
      (综合组, 安全生产组, 自然灾害组, 公共卫生组, 社会安全组), each with a title row, a note row,
      the header on row 3 and a count line under the table; plus a sheet 领域汇总 (one row per
      canonical field: in-library experts, suspended/withdrawn, incident types, hazards).
  experts/experts_export.csv  an export of the expert-management system: UTF-8 with BOM, a one-cell
      banner line, then English-ish headers in another column order, canonical fields joined
      by ";", phones as bare digits (several joined by "/"), withdrawn experts without phones.
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from _experts_common import GROUPS, field_lookup, load_fields, load_roster, normalise_fields

_spec = importlib.util.spec_from_file_location("corpus_build", Path(__file__).resolve().parents[1] / "build.py")
if "corpus_build" in sys.modules:
    _build = sys.modules["corpus_build"]
else:
    _build = importlib.util.module_from_spec(_spec)
    sys.modules["corpus_build"] = _build  # build.py's dataclass needs its module registered
    _spec.loader.exec_module(_build)

SAMPLE_MARK = "（示例数据，虚构内容）"
FIXED = dt.datetime(2025, 1, 10, 10, 0, 0)
UPDATED = "2025年1月10日"
XLSX = "experts/示例区应急专家库名册.xlsx"
EXPORT = "experts/experts_export.csv"

SHEET_COLUMNS = ["序号", "编号", "姓名", "性别", "出生年份", "职称", "工作单位", "专业领域", "研究方向",
                 "从业年限", "所在区域", "可联系时段", "状态", "手机", "办公电话", "备注"]
WIDTHS = [6, 9, 8, 5, 9, 15, 28, 20, 32, 9, 9, 22, 6, 28, 15, 36]

EXPORT_COLUMNS = ["id", "code", "name", "gender", "fields", "title", "org", "region", "availability",
                  "status", "mobile", "tel", "years", "birth_year", "group", "research", "remark",
                  "updated_at"]

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _title_rows(ws, ncols: int, title: str, notes: dict[int, str]) -> None:
    """Row 1: the title merged across the table; row 2: notes in separate cells (not merged)."""
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    row = [""] * ncols
    for col, text in notes.items():
        row[col - 1] = text
    ws.append([v or None for v in row])
    for col in notes:
        ws.cell(row=2, column=col).font = Font(name="宋体", size=10)


def _header(ws, columns: list[str], widths: list[int]) -> None:
    ws.append(columns)
    for c, w in enumerate(widths, start=1):
        cell = ws.cell(row=3, column=c)
        cell.font = Font(name="黑体", size=10, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A4"


def _body_style(ws, first: int, last: int, ncols: int) -> None:
    for r in range(first, last + 1):
        for c in range(1, ncols + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(name="宋体", size=10)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cell.border = BOX


def _int(s: str):
    s = (s or "").strip()
    return int(s) if s.isdigit() else s


def build_xlsx(roster: list[dict], fields: dict[str, dict]) -> bytes:
    lookup = field_lookup(fields)
    wb = Workbook()
    wb.remove(wb.active)
    for group in GROUPS:
        members = [r for r in roster if r["专家组"] == group]
        ws = wb.create_sheet(group)
        _title_rows(ws, len(SHEET_COLUMNS), "示例区应急管理专家库名册",
                    {1: f"专家组：{group}", 6: f"更新日期：{UPDATED}", 8: SAMPLE_MARK,
                     12: "手机号码仅限应急值守和专家调用时使用，不得对外提供"})
        _header(ws, SHEET_COLUMNS, WIDTHS)
        for i, r in enumerate(members, start=1):
            ws.append([i, r["编号"], r["姓名"], r["性别"], _int(r["出生年份"]), r["职称"], r["工作单位"],
                       r["专业领域"], r["研究方向"], _int(r["从业年限"]), r["所在区域"], r["可联系时段"],
                       r["状态"], r["手机"], r["办公电话"], r["备注"]])
        _body_style(ws, 4, 3 + len(members), len(SHEET_COLUMNS))
        counts = {s: sum(1 for r in members if r["状态"] == s) for s in ("在库", "暂停", "退出")}
        ws.append([])
        ws.append([f"本组共{len(members)}人，其中在库{counts['在库']}人、暂停{counts['暂停']}人、"
                   f"退出{counts['退出']}人。"])

    # 领域汇总: one row per canonical field
    ws = wb.create_sheet("领域汇总")
    cols = ["序号", "专业领域", "在库人数", "在库专家", "暂停", "退出", "主要适用事件类型", "涉及风险源"]
    widths = [6, 14, 9, 48, 10, 10, 40, 36]
    _title_rows(ws, len(cols), "示例区应急管理专家库领域汇总",
                {1: f"更新日期：{UPDATED}", 4: f"{SAMPLE_MARK}一名专家具有多个专业领域的，在各领域分别统计"})
    _header(ws, cols, widths)
    by_field: dict[str, dict[str, list[str]]] = {f: {"在库": [], "暂停": [], "退出": []} for f in fields}
    for r in roster:
        names, _ = normalise_fields(r["专业领域"], lookup)
        for f in names:
            by_field[f][r["状态"]].append(r["姓名"])
    for i, (f, spec) in enumerate(fields.items(), start=1):
        s = by_field[f]
        ws.append([i, f, len(s["在库"]), "、".join(s["在库"]), "、".join(s["暂停"]), "、".join(s["退出"]),
                   "、".join(spec["incident_types"]), "、".join(spec["hazards"])])
    _body_style(ws, 4, 3 + len(fields), len(cols))

    props = wb.properties
    props.title = "示例区应急管理专家库名册"
    props.subject = "应急管理专家库（示例数据，虚构内容）"
    props.creator = "示例区应急管理局（示例）"
    props.lastModifiedBy = "yingji corpus/builders/experts.py"
    props.keywords = "专家库; 示例数据; 虚构内容"
    props.description = "示例数据，虚构内容。Sample data, fictional."
    props.created = FIXED
    props.modified = FIXED
    raw = io.BytesIO()
    wb.save(raw)
    return _build._normalise_zip(_fix_modified(raw.getvalue()))


def _fix_modified(data: bytes) -> bytes:
    """openpyxl stamps dcterms:modified with the current time on save; pin it."""
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp + rb"\g<2>", body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def _digits(phone: str) -> str:
    parts = [p.strip() for p in phone.replace("；", ";").split(";") if p.strip()]
    return "/".join(p.replace("-", "").replace(" ", "") for p in parts)


def build_export(roster: list[dict], fields: dict[str, dict]) -> bytes:
    lookup = field_lookup(fields)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([f"专家库信息导出{SAMPLE_MARK}"] + [""] * (len(EXPORT_COLUMNS) - 1))  # padded, as exported
    w.writerow(EXPORT_COLUMNS)
    ordered = sorted(roster, key=lambda r: r["编号"])  # the system sorts by its own id
    for n, r in enumerate(ordered, start=1):
        names, _ = normalise_fields(r["专业领域"], lookup)
        w.writerow([10000 + n, r["编号"], r["姓名"], r["性别"], ";".join(names), r["职称"], r["工作单位"],
                    r["所在区域"], r["可联系时段"], r["状态"], _digits(r["手机"]),
                    r["办公电话"].replace("-", ""), r["从业年限"], r["出生年份"], r["专家组"],
                    r["研究方向"], r["备注"], "2025-01-10 16:21:05"])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def build() -> dict[str, bytes]:
    roster = load_roster()
    fields = load_fields()
    return {XLSX: build_xlsx(roster, fields), EXPORT: build_export(roster, fields)}
