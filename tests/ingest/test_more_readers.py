"""PDF, HTML, XLSX and CSV readers on files made with the real libraries."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ingest.document import ReadError
from ingest.readers import read_document

LONG = ("（3）燃气管道泄漏事故：区建管委牵头，区公安分局、区消防救援局、区市场监管局、"
        "区房管局、区商务委和事发地街道（镇）配合，燃气企业负责切断气源并组织抢修。")


def _pdf(path: Path, paragraphs: list[str]) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("b", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")
    SimpleDocTemplate(str(path), title=paragraphs[0]).build([Paragraph(p, style) for p in paragraphs])


def test_pdf_wrapped_lines_are_joined_back_into_sentences(tmp_path):
    f = tmp_path / "plan.pdf"
    _pdf(f, ["示例区城镇燃气事故专项应急预案", "二、组织体系", LONG])
    doc = read_document(f)
    assert doc.title == "示例区城镇燃气事故专项应急预案"
    texts = [b.text for b in doc.blocks]
    assert "二、组织体系" in texts
    assert LONG in texts


def test_pdf_without_text_layer_names_ocr(tmp_path):
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(width=595, height=842)
    f = tmp_path / "scan.pdf"
    with f.open("wb") as out:
        w.write(out)
    with pytest.raises(ReadError, match="OCR"):
        read_document(f)


def test_html_keeps_the_article_and_drops_the_portal(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("""<html><head><title>示例区道路交通事故专项应急预案_示例区人民政府</title></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li>政务公开</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 应急预案</div>
<div class="article"><div id="zoom">
<h2>示例区道路交通事故专项应急预案</h2>
<p style="text-indent:2em">一、总则</p>
<p>道路交通事故由区公安分局牵头处置，区建管委、区卫生健康委配合。</p>
<table><tr><td>事件类型</td><td>牵头单位</td></tr><tr><td>公交车事故</td><td>区建管委</td></tr></table>
</div></div><div class="footer">主办：示例区人民政府办公室</div></body></html>""", "utf-8")
    doc = read_document(f)
    texts = [b.text for b in doc.blocks]
    assert doc.title == "示例区道路交通事故专项应急预案"
    assert "道路交通事故由区公安分局牵头处置，区建管委、区卫生健康委配合。" in texts
    assert not any("首页" in t or "主办" in t for t in texts)
    assert [b.cells for b in doc.blocks if b.kind == "table_row"][1] == ["公交车事故", "区建管委"]


def test_xlsx_title_row_header_and_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "责任清单"
    ws.append(["示例区应急管理局责任清单"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "职责事项", "职责内容", "实施依据"])
    ws.append([1, "危险化学品事故应急", "牵头组织危险化学品事故应急处置。", "《中华人民共和国安全生产法》第十条"])
    f = tmp_path / "list.xlsx"
    wb.save(f)
    doc = read_document(f)
    assert doc.title == "示例区应急管理局责任清单"
    rows = [b.cells for b in doc.blocks if b.kind == "table_row"]
    assert rows[0] == ["序号", "职责事项", "职责内容", "实施依据"]
    assert rows[1][0] == "1" and rows[1][2] == "牵头组织危险化学品事故应急处置。"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_exports_in_either_encoding(tmp_path, encoding):
    f = tmp_path / "experts.csv"
    f.write_bytes("id,name,fields\nE001,王建国,危险化学品、消防\n".encode(encoding))
    doc = read_document(f)
    assert [b.cells for b in doc.blocks] == [["id", "name", "fields"], ["E001", "王建国", "危险化学品、消防"]]


def test_broken_xlsx_names_file_and_reason(tmp_path):
    f = tmp_path / "坏表.xlsx"
    f.write_bytes(b"not a zip")
    with pytest.raises(ReadError, match="坏表.xlsx.*不是有效的 Excel"):
        read_document(f)
