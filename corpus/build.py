#!/usr/bin/env python3
"""Regenerate corpus/plans/ from corpus/src/ (示例数据，虚构内容 — sample data, fictional).

Every file under plans/ is produced from the UTF-8 sources in src/:

  src/general_plan.md        -> plans/general_plan.docx        (Word, heading styles, tables)
  src/gas_plan.md            -> plans/gas_plan.docx            (Word, heading styles, tables)
  src/hazchem_plan.txt       -> plans/hazchem_plan.txt         (UTF-8, LF, byte copy)
  src/flood_typhoon_plan.txt -> plans/flood_typhoon_plan.txt   (GB18030, CRLF)
  src/xinhua_street_plan.md  -> plans/xinhua_street_plan.md    (UTF-8 Markdown, byte copy)

Output is deterministic: docx core properties carry fixed dates and the zip entries carry a
fixed timestamp, so re-running the script gives byte-identical files.

Source markup for the .docx targets (a small Markdown subset):
  "# "  title            "## " Heading 1      "### " Heading 2
  "#### " Heading 3      "##### " Heading 4
  "| a | b |" table rows (the "|---|" separator row is skipped; the first row is the header)
  any other non-empty line is one paragraph; numbering such as 一、（一）1.（1）① stays in the text.

Usage:  python corpus/build.py [--check]
  --check  rebuild into memory and fail if any file under plans/ differs (no writes).
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE / "plans"

FIXED_ZIP_TIME = (2024, 12, 31, 0, 0, 0)
SAMPLE_MARK = "（示例数据，虚构内容）"

# target name -> (source name, kind, docx metadata)
TARGETS: dict[str, tuple[str, str, dict]] = {
    "general_plan.docx": (
        "general_plan.md",
        "docx",
        {
            "title": "示例区突发事件总体应急预案",
            "author": "示例区人民政府（示例）",
            "date": dt.datetime(2024, 12, 20, 9, 0, 0),
        },
    ),
    "gas_plan.docx": (
        "gas_plan.md",
        "docx",
        {
            "title": "示例区城镇燃气事故专项应急预案",
            "author": "示例区建设和管理委员会（示例）",
            "date": dt.datetime(2023, 3, 15, 9, 0, 0),
        },
    ),
    "hazchem_plan.txt": ("hazchem_plan.txt", "utf8", {}),
    "flood_typhoon_plan.txt": ("flood_typhoon_plan.txt", "gb18030", {}),
    "xinhua_street_plan.md": ("xinhua_street_plan.md", "utf8", {}),
}

BODY_FONT = "宋体"
HEADING_FONT = "黑体"


# ---------------------------------------------------------------- docx helpers
def _set_run_font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _set_style_font(style, name: str, size: float, bold: bool = False) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _parse_row(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _is_separator(line: str) -> bool:
    cells = _parse_row(line)
    return all(c and set(c) <= set("-: ") for c in cells)


def parse_markup(text: str) -> list[tuple]:
    """Return blocks: ("title", s) | ("h", level, s) | ("p", s) | ("table", rows)."""
    blocks: list[tuple] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
            continue
        if line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                if not _is_separator(lines[i]):
                    rows.append(_parse_row(lines[i]))
                i += 1
            blocks.append(("table", rows))
            continue
        hashes = len(line) - len(line.lstrip("#"))
        if 1 <= hashes <= 5 and line[hashes:hashes + 1] == " ":
            content = line[hashes + 1:].strip()
            if hashes == 1:
                blocks.append(("title", content))
            else:
                blocks.append(("h", hashes - 1, content))
        else:
            blocks.append(("p", line.strip()))
        i += 1
    return blocks


def build_docx(markup: str, meta: dict) -> bytes:
    doc = Document()
    styles = doc.styles
    _set_style_font(styles["Normal"], BODY_FONT, 12)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Normal"].paragraph_format.line_spacing = 1.25
    _set_style_font(styles["Title"], HEADING_FONT, 20, bold=True)
    for level, size in ((1, 16), (2, 14), (3, 12), (4, 12)):
        _set_style_font(styles[f"Heading {level}"], HEADING_FONT, size, bold=True)

    section = doc.sections[0]
    footer_p = section.footer.paragraphs[0]
    footer_p.text = SAMPLE_MARK
    footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    seen_title = False
    front_matter = True  # lines between the title and the first heading are centred
    for block in parse_markup(markup):
        kind = block[0]
        if kind == "title":
            p = doc.add_paragraph(block[1], style="Title")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            seen_title = True
        elif kind == "h":
            front_matter = False
            doc.add_heading(block[2], level=block[1])
        elif kind == "p":
            p = doc.add_paragraph(block[1])
            if seen_title and front_matter:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif block[1].startswith(("表", "附件")) and len(block[1]) <= 40:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if block[1].startswith("表") else None
        elif kind == "table":
            rows = block[1]
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, row in enumerate(rows):
                for c in range(ncols):
                    cell = table.cell(r, c)
                    cell.text = row[c] if c < len(row) else ""
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            _set_run_font(run, HEADING_FONT, bold=True)
            doc.add_paragraph("")

    cp = doc.core_properties
    cp.title = meta["title"]
    cp.subject = "突发事件应急预案（示例数据，虚构内容）"
    cp.author = meta["author"]
    cp.last_modified_by = "yingji corpus/build.py"
    cp.keywords = "应急预案; 示例数据; 虚构内容"
    cp.comments = "示例数据，虚构内容。Sample data, fictional. Generated by corpus/build.py from corpus/src/."
    cp.category = "应急预案"
    cp.created = meta["date"]
    cp.modified = meta["date"]
    cp.last_printed = meta["date"]
    cp.revision = 1

    raw = io.BytesIO()
    doc.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry timestamps so output is byte-stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 3
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- main
def render(target: str) -> bytes:
    src_name, kind, meta = TARGETS[target]
    text = (SRC / src_name).read_text(encoding="utf-8")
    if SAMPLE_MARK not in text:
        raise SystemExit(f"{src_name}: missing sample-data marker {SAMPLE_MARK}")
    if kind == "docx":
        return build_docx(text, meta)
    if kind == "utf8":
        return text.encode("utf-8")
    if kind == "gb18030":
        return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("gb18030")
    raise ValueError(kind)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    OUT.mkdir(exist_ok=True)
    status = 0
    for target in TARGETS:
        data = render(target)
        path = OUT / target
        if check:
            same = path.exists() and path.read_bytes() == data
            print(f"{'ok  ' if same else 'DIFF'} plans/{target}")
            status |= 0 if same else 1
        else:
            path.write_bytes(data)
            print(f"wrote plans/{target} ({len(data)} bytes)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
