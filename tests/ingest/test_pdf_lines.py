"""Wrapped PDF lines joined back into paragraphs."""
from ingest.readers.pdf_reader import join_lines


def test_full_width_line_ending_in_a_bracket_wraps():
    lines = [
        "火灾事故由区消防救援局牵头，区公安分局、区卫生健康委配合；区民政局、各社区居委会和事发地街道（镇）",
        "按照职责做好受灾群众安置工作。",
        "（二）应急响应",
    ]
    assert join_lines(lines) == [lines[0] + lines[1], lines[2]]


def test_short_line_ending_in_a_bracket_ends_its_paragraph():
    lines = [
        "（示例数据，虚构内容）",
        "附件1 成员单位联系方式（号码均为虚构）",
        "各成员单位应当于每年一月更新联系方式，报指挥部办公室备案，并在本单位值班室张贴。",
    ]
    assert join_lines(lines) == lines
