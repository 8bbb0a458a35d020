"""The duty card's pieces as the page shows them: each line's label, status and text, and the
expert and resource tables as compact HTML (a phone number is a click-to-call `tel:` link when
the role may see it). Pure text building, unit-tested without a browser; every value from a
document is escaped."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

UNSURE = "（待核实）"  # retrieval/answers/duty_card.py marks a line it could not fix with this
_LINE = re.compile(r"^(?P<label>[^：【】]{1,10}?)(?P<unsure>（待核实）)?：(?P<text>.+)$")
_PHONE = re.compile(r"^\+?\d[\d-]{5,}$")

_STYLE = ("<style>.card-table{border-collapse:collapse;width:100%;font-size:.8rem;"
          "line-height:1.35;margin:0}.card-table th,.card-table td{border-bottom:1px solid "
          "#e6e6e6;padding:.12rem .35rem;text-align:left;vertical-align:top}.card-table th"
          "{color:#555;font-weight:600;white-space:nowrap}.card-table td.nowrap{white-space:"
          "nowrap}.card-table a{text-decoration:none}</style>")
MAX_WHY = 36  # characters of an expert's match reason shown in the card (all of it on hover)

# The chat page: the main column uses the screen's width, and a card's lines are set tight so
# that the card fits one 1280×900 screen above its citations.
PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-left: 2rem; padding-right: 2rem; max-width: none; }
[class*="st-key-duty_card_"] { gap: .3rem; }
[class*="st-key-duty_card_"] [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
[class*="st-key-duty_card_"] [data-testid="stMarkdownContainer"] p {
  margin-bottom: 0; font-size: .92rem; line-height: 1.55; }
[class*="st-key-duty_card_"] h5 { padding: 0 0 .1rem 0; }
</style>"""


@dataclass
class CardLine:
    label: str  # 牵头/配合, 适用预案, 响应级别, 专家, 物资队伍 ("" for a line without one)
    text: str
    sure: bool = True


def split_card(text: str) -> tuple[str, list[CardLine]]:
    """(the event line "【…】…", the card's lines)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    head = lines.pop(0) if lines and lines[0].startswith("【") else ""
    out = []
    for ln in lines:
        m = _LINE.match(ln)
        out.append(CardLine(m["label"], m["text"], not m["unsure"]) if m else CardLine("", ln))
    return head, out


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple, set)):
        value = "、".join(str(v) for v in value if v)
    return html.escape("" if value is None else str(value))


def phone_html(phone: str, can_call: bool) -> str:
    """A full number as a tel: link (roles that may see phones); a masked one as text."""
    phone = (phone or "").strip()
    if can_call and _PHONE.match(phone):
        return f'<a href="tel:{html.escape(phone)}">☎ {html.escape(phone)}</a>'
    return html.escape(phone)


def _cut(text: str, limit: int = MAX_WHY) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refs(refs: list[int]) -> str:
    return "".join(f"[{int(n)}]" for n in refs or [])


def experts_html(experts: list[dict[str, Any]], can_call: bool) -> str:
    rows = []
    for i, e in enumerate(experts, 1):
        who = _cell(e.get("name"))
        sub = "，".join(x for x in (_cell(e.get("title")), _cell(e.get("organisation"))) if x)
        rows.append(
            f"<tr><td class='nowrap'>{i}. <b>{who}</b></td><td>{sub}</td>"
            f"<td>{_cell(e.get('fields'))}</td><td>{_cell(e.get('availability'))}</td>"
            f"<td class='nowrap'>{phone_html(str(e.get('phone') or ''), can_call)}</td>"
            f"<td title='{_cell(e.get('why'))}'>{_cell(_cut(str(e.get('why') or '')))}"
            f"{_refs(e.get('refs') or [])}</td></tr>")
    head = ("<tr><th>专家</th><th>职称、单位</th><th>领域</th><th>可联系时段</th><th>电话</th>"
            "<th>匹配原因（出处）</th></tr>")
    return f"{_STYLE}<table class='card-table'>{head}{''.join(rows)}</table>"


def resources_html(resources: list[dict[str, Any]]) -> str:
    fields = [("name", "名称"), ("kind", "类别"), ("location", "位置"), ("quantity", "数量"),
              ("capacity", "规模/容量"), ("managed_by", "管理单位")]
    fields = [(f, k) for f, k in fields if any(_cell(r.get(f)) for r in resources)]
    head = "".join(f"<th>{k}</th>" for _, k in fields)
    rows = "".join("<tr>" + "".join(f"<td>{_cell(r.get(f))}</td>" for f, _ in fields) + "</tr>"
                   for r in resources)
    return f"{_STYLE}<table class='card-table'><tr>{head}</tr>{rows}</table>"
