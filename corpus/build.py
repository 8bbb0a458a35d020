#!/usr/bin/env python3
"""Regenerate the generated files of corpus/ from their sources (示例数据，虚构内容 — sample data, fictional).

Two kinds of sources:

1. Hand-written documents in src/ (UTF-8). The first line of each is a build directive naming
   its output(s); the directive line itself never reaches the output:

     <!-- build: out=plans/gas_plan.docx; format=docx; author=示例区建设和管理委员会（示例）; date=2023-03-15 -->

   format is one of docx | utf8 | gb18030 | pdf | html; several outputs are separated by "&&":
     <!-- build: out=a.pdf; format=pdf; date=2024-01-01 && out=a.md; format=utf8 -->

2. Structured data (duty lists, expert rosters, law catalogue) rendered by builder modules in
   builders/: every builders/*.py (not starting with "_") defines `build() -> dict[str, bytes]`,
   mapping output paths relative to corpus/ to their bytes.

Output is deterministic (fixed docx/xlsx dates and zip timestamps, reportlab invariant mode), so
re-running gives byte-identical files.

Source markup for docx / pdf / html targets (a small Markdown subset):
  "# "  title            "## " Heading 1      "### " Heading 2
  "#### " Heading 3      "##### " Heading 4
  "| a | b |" table rows (the "|---|" separator row is skipped; the first row is the header)
  any other non-empty line is one paragraph; numbering such as 一、（一）1.（1）① stays in the text.

Usage:  python corpus/build.py [--check]
  --check  rebuild into memory and fail if any generated file differs (no writes).
"""
from __future__ import annotations

import datetime as dt
import html as htmlmod
import importlib.util
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
BUILDERS = HERE / "builders"

FIXED_ZIP_TIME = (2024, 12, 31, 0, 0, 0)
SAMPLE_MARK = "（示例数据，虚构内容）"

DIRECTIVE = re.compile(r"^<!--\s*build:(.*?)-->\s*$")


@dataclass
class Target:
    out: str  # path relative to corpus/
    format: str
    source: Path
    meta: dict


def parse_directive(line: str, source: Path) -> list[Target]:
    m = DIRECTIVE.match(line.strip())
    if not m:
        return []
    targets = []
    for part in m.group(1).split("&&"):
        fields = dict(kv.split("=", 1) for kv in (f.strip() for f in part.split(";")) if "=" in kv)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        meta = dict(fields)
        if "date" in meta:
            meta["date"] = dt.datetime.combine(dt.date.fromisoformat(meta["date"]), dt.time(9, 0))
        targets.append(Target(out=fields["out"], format=fields["format"], source=source, meta=meta))
    return targets


def discover_targets() -> list[Target]:
    targets: list[Target] = []
    for src in sorted(SRC.rglob("*")):
        if src.is_file() and src.suffix in (".md", ".txt"):
            first = src.read_text(encoding="utf-8").split("\n", 1)[0]
            targets += parse_directive(first, src)
    return targets


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
    cp.title = meta.get("title") or _title_of(markup)
    cp.subject = "突发事件应急预案（示例数据，虚构内容）"
    cp.author = meta.get("author", "示例区人民政府（示例）")
    cp.last_modified_by = "yingji corpus/build.py"
    cp.keywords = "应急预案; 示例数据; 虚构内容"
    cp.comments = "示例数据，虚构内容。Sample data, fictional. Generated by corpus/build.py from corpus/src/."
    cp.category = "应急预案"
    date = meta.get("date", dt.datetime(2024, 1, 1, 9, 0))
    cp.created = date
    cp.modified = date
    cp.last_printed = date
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


def _title_of(markup: str) -> str:
    for kind, *rest in parse_markup(markup):
        if kind == "title":
            return rest[0]
    return ""


# ---------------------------------------------------------------- pdf
def build_pdf(markup: str, meta: dict) -> bytes:
    """A text-layer PDF in reportlab's CJK font; lines wrap mid-sentence as real PDFs do."""
    from reportlab import rl_config

    rl_config.invariant = 1  # no timestamps or random ids: byte-stable output
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK",
                          firstLineIndent=22)
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0, alignment=TA_CENTER)
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=TA_CENTER,
                           spaceAfter=12, wordWrap="CJK")
    heads = {lvl: ParagraphStyle(f"h{lvl}", fontName=font, fontSize=size, leading=size + 8,
                                 spaceBefore=6, spaceAfter=4, wordWrap="CJK")
             for lvl, size in ((1, 15), (2, 13), (3, 12), (4, 11))}
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    story = []
    seen_title, front = False, True
    for block in parse_markup(markup):
        kind = block[0]
        if kind == "title":
            story.append(Paragraph(htmlmod.escape(block[1]), title))
            seen_title = True
        elif kind == "h":
            front = False
            story.append(Paragraph(htmlmod.escape(block[2]), heads[min(block[1], 4)]))
        elif kind == "p":
            style = plain if seen_title and front else body
            story.append(Paragraph(htmlmod.escape(block[1]), style))
        elif kind == "table":
            rows = [[Paragraph(htmlmod.escape(c), cell) for c in r] for r in block[1]]
            ncols = max(len(r) for r in rows)
            rows = [r + [""] * (ncols - len(r)) for r in rows]
            t = Table(rows, colWidths=[(170 * mm) / ncols] * ncols, repeatRows=1)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [t, Spacer(1, 6)]

    def footer(canvas, doc):
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"{SAMPLE_MARK}  第 {doc.page} 页")

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm,
                            title=meta.get("title") or _title_of(markup),
                            author=meta.get("author", "示例区人民政府（示例）"),
                            subject="示例数据，虚构内容", creator="yingji corpus/build.py")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


# ---------------------------------------------------------------- html
_PAGE_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}_示例区人民政府</title>
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date}">
<meta name="ContentSource" content="{author}">
<link rel="stylesheet" href="/css/common.css">
</head>
<body>
<div class="top-bar"><a href="/">示例区人民政府门户网站</a> | <a href="/wza">无障碍</a> | <a href="/en">English</a></div>
<div class="header"><h1 class="site-name">示例区人民政府</h1>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/zwfw">政务服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/zwgk/yjya">应急预案</a></div>
<div class="article">
<div class="article-meta">信息来源：{author}　发布时间：{date}　<span class="sample">{mark}</span></div>
<div class="article-content" id="zoom">
"""
_PAGE_FOOT = """</div>
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h4>相关链接</h4><ul><li><a href="/zwgk/yjya/1">示例区突发事件总体应急预案</a></li><li><a href="/zwgk/yjya/2">政策解读</a></li></ul></div>
<div class="footer"><p>主办：示例区人民政府办公室　联系电话：021-5555-0000（虚构）</p><p>{mark}</p></div>
<script src="/js/common.js"></script>
</body>
</html>
"""


def build_html(markup: str, meta: dict) -> bytes:
    """A plan as a government portal publishes it: the text inside navigation and footer."""
    title = meta.get("title") or _title_of(markup)
    date = meta.get("date", dt.datetime(2024, 1, 1)).strftime("%Y-%m-%d")
    author = meta.get("author", "示例区人民政府办公室")
    esc = htmlmod.escape
    parts = [_PAGE_HEAD.format(title=esc(title), date=date, author=esc(author), mark=SAMPLE_MARK)]
    for block in parse_markup(markup):
        kind = block[0]
        if kind == "title":
            parts.append(f'<h2 class="article-title">{esc(block[1])}</h2>\n')
        elif kind == "h":
            parts.append(f'<p style="font-weight:bold">{esc(block[2])}</p>\n')
        elif kind == "p":
            parts.append(f'<p style="text-indent:2em">{esc(block[1])}</p>\n')
        elif kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>\n"
                           for r in block[1])
            parts.append(f'<table border="1" cellspacing="0">\n{rows}</table>\n')
    parts.append(_PAGE_FOOT.format(mark=SAMPLE_MARK))
    return "".join(parts).encode("utf-8")


# ---------------------------------------------------------------- main
def render(target: Target) -> bytes:
    text = target.source.read_text(encoding="utf-8")
    body = text.split("\n", 1)[1] if DIRECTIVE.match(text.split("\n", 1)[0].strip()) else text
    if SAMPLE_MARK not in body:
        raise SystemExit(f"{target.source.name}: missing sample-data marker {SAMPLE_MARK}")
    fmt = target.format
    if fmt == "docx":
        return build_docx(body, target.meta)
    if fmt == "pdf":
        return build_pdf(body, target.meta)
    if fmt == "html":
        return build_html(body, target.meta)
    if fmt == "utf8":
        return body.encode("utf-8")
    if fmt == "gb18030":
        return body.replace("\r\n", "\n").replace("\n", "\r\n").encode("gb18030")
    raise ValueError(f"{target.source.name}: unknown format {fmt!r}")


def builder_outputs() -> dict[str, bytes]:
    """Outputs of the structured-data builders in builders/*.py."""
    out: dict[str, bytes] = {}
    for module_path in sorted(BUILDERS.glob("*.py")) if BUILDERS.is_dir() else []:
        if module_path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"corpus_builder_{module_path.stem}", module_path)
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, str(BUILDERS))
        try:
            spec.loader.exec_module(module)
            produced = module.build()
        finally:
            sys.path.remove(str(BUILDERS))
        for rel, data in produced.items():
            if rel in out:
                raise SystemExit(f"{module_path.name}: output {rel} is produced twice")
            out[rel] = data
    return out


def all_outputs() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for target in discover_targets():
        if target.out in out:
            raise SystemExit(f"{target.source.name}: output {target.out} is produced twice")
        out[target.out] = render(target)
    for rel, data in builder_outputs().items():
        if rel in out:
            raise SystemExit(f"builders: output {rel} is also produced from src/")
        out[rel] = data
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    status = 0
    for rel, data in sorted(all_outputs().items()):
        path = HERE / rel
        if check:
            same = path.exists() and path.read_bytes() == data
            print(f"{'ok  ' if same else 'DIFF'} {rel}")
            status |= 0 if same else 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {rel} ({len(data)} bytes)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
