"""Readers on real bytes: GB18030 text, UTF-16, Word with a table, broken files."""
from pathlib import Path

import docx
import pytest

from ingest.document import ReadError
from ingest.readers import read_document

TEXT = "示例区城镇燃气事故专项应急预案\n一、总则\n（一）适用范围\n燃气管道泄漏事故：区建管委牵头，区公安分局配合。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_encodings_are_detected(tmp_path: Path, encoding):
    f = tmp_path / "plan.txt"
    f.write_bytes(TEXT.encode(encoding))
    doc = read_document(f)
    assert doc.title == "示例区城镇燃气事故专项应急预案"
    assert doc.blocks[-1].text == "燃气管道泄漏事故：区建管委牵头，区公安分局配合。"
    assert doc.encoding.replace("-", "").lower().startswith(encoding.replace("-", "")[:5])


def test_docx_paragraphs_headings_and_tables(tmp_path: Path):
    d = docx.Document()
    d.add_heading("示例区危险化学品事故专项应急预案", level=1)
    d.add_heading("二、组织体系", level=2)
    d.add_paragraph("危险化学品事故由区应急管理局牵头处置。")
    t = d.add_table(rows=2, cols=3)
    for i, v in enumerate(["事件类型", "牵头单位", "配合单位"]):
        t.rows[0].cells[i].text = v
    for i, v in enumerate(["危险化学品泄漏", "区应急管理局", "区消防救援局、区生态环境局"]):
        t.rows[1].cells[i].text = v
    f = tmp_path / "p.docx"
    d.save(f)
    doc = read_document(f)
    assert doc.title == "示例区危险化学品事故专项应急预案"
    assert [b.kind for b in doc.blocks] == ["heading", "heading", "paragraph", "table_row", "table_row"]
    assert doc.blocks[4].cells == ["危险化学品泄漏", "区应急管理局", "区消防救援局、区生态环境局"]


@pytest.mark.parametrize("name,content,reason", [
    ("broken.docx", b"PK\x03\x04 not really a zip", "不是有效的 Word"),
    ("empty.txt", b"   \n", "文件为空"),
    ("plan.xyz", b"abc", "不支持的文件格式"),
])
def test_bad_files_fail_with_file_and_reason(tmp_path: Path, name, content, reason):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(ReadError) as e:
        read_document(f)
    assert name in str(e.value) and reason in str(e.value)


def test_a_table_extracted_with_full_width_bars_is_read_as_rows(tmp_path: Path):
    f = tmp_path / "p.txt"
    f.write_text("某预案\n附件2\n预警级别｜级别描述｜严重程度\nⅠ级｜特别重大｜造成30人以上死亡的。\n"
                 "注：“以上”包括本数｜\n", encoding="utf-8")
    rows = [b for b in read_document(f).blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [["预警级别", "级别描述", "严重程度"],
                                       ["Ⅰ级", "特别重大", "造成30人以上死亡的。"]]
