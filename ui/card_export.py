"""A duty card as plain text (copy) and as a Word document (.docx export): the card's lines with
their numbered citations, the experts and resources, then the citation list [n] resolves to.
Presentation only: the card's content comes from retrieval (retrieval/answers/duty_card.py), and
phone numbers are exported exactly as the signed-in role was shown them."""
from __future__ import annotations

import io
from typing import Any

EXPERT_FIELDS = (("organisation", "单位"), ("fields", "领域"), ("availability", "可联系时段"),
                 ("phone", "电话"), ("why", "匹配原因"))
RESOURCE_FIELDS = (("kind", "类别"), ("location", "位置"), ("quantity", "数量"),
                   ("capacity", "规模/容量"), ("managed_by", "管理单位"))


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value if v)
    return "" if value is None else str(value)


def expert_line(e: dict[str, Any]) -> str:
    parts = [f"{k}：{_cell(e.get(f))}" for f, k in EXPERT_FIELDS if _cell(e.get(f))]
    return f"{e.get('name', '')}（{'；'.join(parts)}）" if parts else str(e.get("name", ""))


def resource_line(r: dict[str, Any]) -> str:
    parts = [f"{k}：{_cell(r.get(f))}" for f, k in RESOURCE_FIELDS if _cell(r.get(f))]
    return f"{r.get('name', '')}（{'；'.join(parts)}）" if parts else str(r.get("name", ""))


def citation_line(n: int, c: dict[str, Any]) -> str:
    return f"[{n}]《{str(c.get('title', '')).strip('《》')}》{c.get('section', '')}：{c.get('quote', '')}"


def card_text(answer: dict[str, Any]) -> str:
    """The card as plain text, as it is copied into a message or a log."""
    out = [line for line in answer.get("answer", "").split("\n") if line.strip()]
    experts = answer.get("experts") or []
    if experts:
        out.append("建议联系的专家：")
        out += [f"{i}. {expert_line(e)}" for i, e in enumerate(experts, 1)]
    resources = answer.get("resources") or []
    if resources:
        out.append("可调用的物资与队伍：")
        out += [f"- {resource_line(r)}" for r in resources]
    cites = answer.get("citations") or []
    if cites:
        out.append("引用依据：")
        out += [citation_line(i, c) for i, c in enumerate(cites, 1)]
    return "\n".join(out)


def card_docx(answer: dict[str, Any], title: str = "值班卡片") -> bytes:
    """The card as a .docx: a heading, the card's lines, the expert and resource tables and the
    numbered citations."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "宋体")  # Chinese text in a Chinese font
    doc.add_heading(title, level=1)
    if answer.get("question"):
        doc.add_paragraph(f"问题：{answer['question']}")
    for line in answer.get("answer", "").split("\n"):
        if line.strip():
            doc.add_paragraph(line.strip())
    _table(doc, "建议联系的专家", answer.get("experts") or [],
           (("name", "姓名"), *EXPERT_FIELDS))
    _table(doc, "可调用的物资与队伍", answer.get("resources") or [],
           (("name", "名称"), *RESOURCE_FIELDS))
    cites = answer.get("citations") or []
    if cites:
        doc.add_heading("引用依据", level=2)
        for i, c in enumerate(cites, 1):
            doc.add_paragraph(citation_line(i, c))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _table(doc, heading: str, rows: list[dict[str, Any]], fields) -> None:
    if not rows:
        return
    fields = [(f, k) for f, k in fields if any(_cell(r.get(f)) for r in rows)]
    doc.add_heading(heading, level=2)
    table = doc.add_table(rows=1, cols=len(fields))
    table.style = "Table Grid"
    for cell, (_, k) in zip(table.rows[0].cells, fields):
        cell.text = k
    for r in rows:
        cells = table.add_row().cells
        for cell, (f, _) in zip(cells, fields):
            cell.text = _cell(r.get(f))
