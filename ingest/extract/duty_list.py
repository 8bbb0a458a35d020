"""四类清单 (责任清单、权力清单、监管清单、任务清单): one Responsibility per list row.

Lists come as workbooks (a sheet per kind), Word tables under "一、责任清单" headings, one CSV per
kind, or a system export with a 清单类别 column; headers differ between departments and
systems ("职责事项" / "事项名称" / "权力事项名称"), so columns are mapped by synonym, not by
position. The list belongs to the unit named in its title (or file name); a row is linked to the
incident types it names and to the articles its 实施依据 cites.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import Block
from ingest.extract import Extraction, ParsedDocument
from ingest.extract.citations import parse_citations
from ingest.extract.incidents import find_incidents
from ingest.structure import Section
from ingest.taxonomy import Taxonomy, norm
from kg.model import Node, NodeRef, Provenance, Relationship

LIST_KINDS = ("责任清单", "权力清单", "监管清单", "任务清单")

# Header text (normalised) → field. Exact names first; `_FUZZY` catches the rest by a telling
# part, in order (the first rule that matches wins).
_EXACT: dict[str, str] = {
    **dict.fromkeys(["序号", "编号", "序", "no", "no."], "seq"),
    **dict.fromkeys(["职责事项", "事项名称", "权力事项名称", "权力名称", "监管事项", "监管事项名称",
                     "任务名称", "职责名称", "事项", "清单事项", "工作任务", "任务事项", "责任事项",
                     "主要职责", "重点任务", "职责", "任务", "名称", "职权名称", "责任事项名称"],
                    "name"),
    **dict.fromkeys(["职责内容", "事项内容", "监管内容", "任务内容", "具体职责", "职责描述",
                     "工作内容", "内容", "责任内容", "主要内容", "具体内容", "工作要求", "工作措施",
                     "任务要求", "检查内容", "具体任务", "责任清单内容"], "content"),
    **dict.fromkeys(["权力类型", "权力类别", "事项类型", "职权类型", "权力分类"], "power_type"),
    **dict.fromkeys(["实施依据", "设定依据", "法律依据", "依据", "法定依据", "政策依据", "执法依据",
                     "职责依据", "法律法规依据", "设定依据及条款"], "basis"),
    **dict.fromkeys(["责任处室", "承办处室", "责任科室", "责任部门", "承办机构", "内设机构",
                     "牵头处室", "主办处室", "责任机构", "承办科室", "责任股室", "责任科（室）",
                     "具体承办机构", "责任单位（处室）"], "department"),
    **dict.fromkeys(["实施主体", "行使主体", "执法主体", "实施机关", "责任主体"], "subject"),
    **dict.fromkeys(["完成时限", "时限", "完成时间", "办理时限", "时间节点", "完成期限", "时间安排"],
                    "deadline"),
    **dict.fromkeys(["配合单位", "配合部门", "协办单位", "协同单位", "配合处室", "协办处室",
                     "参与单位"], "partners"),
    **dict.fromkeys(["监管对象", "检查对象", "管理对象", "监管范围"], "target"),
    **dict.fromkeys(["监管方式", "检查方式", "监管措施", "监管手段", "检查方法"], "method"),
    **dict.fromkeys(["备注", "说明"], "note"),
    **dict.fromkeys(["事项编码", "编码", "事项代码", "权力编码", "基本编码"], "code"),
    **dict.fromkeys(["行使层级", "层级", "行使级别"], "level"),
    **dict.fromkeys(["清单类别", "清单类型", "清单名称", "清单种类", "所属清单"], "list_kind"),
}
_FUZZY: list[tuple[str, str]] = [
    ("清单", "list_kind"), ("编码", "code"), ("代码", "code"), ("依据", "basis"),
    ("时限", "deadline"), ("时间", "deadline"), ("配合", "partners"), ("协办", "partners"),
    ("对象", "target"), ("方式", "method"), ("处室", "department"), ("科室", "department"),
    ("承办", "department"), ("主体", "subject"), ("类型", "power_type"), ("类别", "power_type"),
    ("内容", "content"), ("名称", "name"), ("事项", "name"), ("备注", "note"), ("序号", "seq"),
]
# Fields a header must map for the row to be a list header (and not a plan's table).
_NEEDED = {"name"}
# A column that only one kind of list has tells the kind when nothing else does.
_KIND_BY_FIELD = (("power_type", "权力清单"), ("target", "监管清单"), ("method", "监管清单"),
                  ("deadline", "任务清单"))
_KIND_WORD = re.compile(r"(责任|权力|监管|任务)(?:清单|事项)")
_POSITION = re.compile(r"^(.*?)第(\d+)行$")
_SKIP_NAME = re.compile(r"^(?:合计|小计|总计|以下空白|空白)$")
_TITLES = re.compile(r"《[^》]*》")
_PLAN_NAME = re.compile(r"(?:专项|部门|总体)?(?:应急)?预案")
# An item name that speaks of an incident ("燃气泄漏先期处置"), not of a licence or an inspection.
_INCIDENT_WORD = re.compile(r"事故(?!隐患)|事件|灾害|灾情|险情|疫情|防汛|防台|火灾|泄漏|中毒|踩踏|爆炸|"
                            r"积水|内涝|坍塌|地震|台风|暴雨")
_OWNER_TAIL = re.compile(r"(?:安全生产|应急管理|安全生产和应急管理|应急|关于|[“\"]?四类清单|"
                         r"责任清单|权力清单|监管清单|任务清单|权责清单|清单)")


def header_field(header: str) -> str | None:
    h = norm(header).lower().strip("*＊:：")
    if h in _EXACT:
        return _EXACT[h]
    for part, name in _FUZZY:
        if part in h:
            return name
    return None


def list_kind_of(text: str) -> str | None:
    """"责任清单" for "某区应急管理局责任清单", "责任" or a 清单类别 cell "责任清单"."""
    if re.search(r"权责|权力和责任|责任和权力", text):
        return None  # a combined 权责清单: the columns or a category cell tell the kind
    m = _KIND_WORD.search(text)
    if m:
        return m.group(1) + "清单"
    t = norm(text)
    for kind in LIST_KINDS:
        if t == kind[:2]:
            return kind
    return None


def list_owner(title: str, source: str, paragraphs: list[str], taxonomy: Taxonomy) -> str | None:
    """The unit a list belongs to: named in its title, its file name, or a "填报单位：" line."""
    orgs = taxonomy.organizations
    for text in (title, Path(source).stem, *paragraphs):
        hits = [h for h in orgs.find_all(_TITLES.sub("", text))]
        if hits:
            return hits[0][3]
    # An unknown unit: the title up to "安全生产……清单" ("某区人防办安全生产责任清单").
    m = _OWNER_TAIL.search(title)
    if m and m.start() >= 3:
        name = re.sub(r"^关于(?:印发)?|\d{4}年度?$", "", title[:m.start()].strip(" 　“\""))
        if 2 <= len(name) <= 24 and not re.search(r"[，。、：:《》（）()\s]", name):
            return orgs.canonical(name) or name
    return None


@dataclass
class Row:
    key: str
    kind: str
    sheet: str
    position: str
    fields: dict[str, str]
    group: str
    quotes: list[tuple[Section, Block]] = field(default_factory=list)


class DutyListExtractor:
    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        meta = doc.meta
        paragraphs = [b.text for b in doc.raw.blocks if b.kind != "table_row"][:12]
        owner = list_owner(meta.title, meta.source_path or meta.doc_id, paragraphs, taxonomy)
        if owner is None:
            out.warnings.append(f"{meta.doc_id}: 未能从标题“{meta.title}”识别清单所属单位")
        rows = self._rows(doc, out)
        nodes: dict[tuple[str, str], Node] = {}
        rels: dict[tuple[str, str, str], Relationship] = {}

        def node(label: str, key: str, **props) -> NodeRef:
            if (label, key) not in nodes:
                nodes[(label, key)] = Node(label=label, key=key, props={"name": key, **props})
            return NodeRef(label=label, key=key)

        def rel(type_: str, start: NodeRef, end: NodeRef, section: Section, quote: str,
                **props) -> None:
            k = (type_, start.key, end.key)
            if k not in rels:
                rels[k] = Relationship(type=type_, start=start, end=end, props=props,
                                       provenance=Provenance(
                                           doc_id=meta.doc_id, section_id=doc.section_key(section),
                                           section=section.path, quote=quote))

        org_ref = None
        if owner:
            entry = taxonomy.organizations.entries.get(owner)
            org_ref = node("Organization", owner, aliases=entry.aliases if entry else [],
                           kind=entry.kind if entry else "")
        for row in rows:
            section, block = row.quotes[0]
            props = {k: v for k, v in row.fields.items() if v}
            props.update(list_kind=row.kind, kind=row.kind[:2], sheet=row.sheet,
                         position=row.position, text=block.text, unit=owner or "",
                         group=row.group, section=section.path)
            out.nodes.append(Node(label="Responsibility", key=row.key,
                                  props={k: v for k, v in props.items() if v != ""}))
            ref = NodeRef(label="Responsibility", key=row.key)
            if org_ref is not None:
                rel("HAS_DUTY", org_ref, ref, section, block.text, list_kind=row.kind)
            for section, block in row.quotes:
                cells = self._cells_of(block, row)
                text = _TITLES.sub("", "\n".join(
                    cells.get(f, "") for f in ("name", "content", "target")))
                for surface, incident in self._incidents(text, cells.get("name", ""), taxonomy):
                    entry = taxonomy.incident_types.entries.get(incident)
                    inc = node("IncidentType", incident, aliases=entry.aliases if entry else [],
                               categories=taxonomy.incident_ancestors(incident))
                    rel("ABOUT", ref, inc, section, block.text, surface=surface)
                for citation in parse_citations(cells.get("basis", "")):
                    for article, key in zip(citation.articles, citation.keys()):
                        rel("BASED_ON", ref, NodeRef(label="Article", key=key), section,
                            block.text, citation=citation.text, title=citation.title,
                            article=article, version_note=citation.version_note)
        out.nodes += list(nodes.values())
        out.relationships += list(rels.values())
        return out

    # ------------------------------------------------------------------ rows

    def _rows(self, doc: ParsedDocument, out: Extraction) -> list[Row]:
        """Data rows in document order, each with its header-mapped fields and list kind."""
        rows: list[Row] = []
        by_key: dict[str, Row] = {}
        by_path = {s.path: s for s in doc.sections}
        header: list[str | None] | None = None
        table = None  # position prefix of the current table (a sheet, a Word table)
        group = ""
        last: Row | None = None
        for section in doc.sections:
            for block in section.blocks:
                if block.kind != "table_row":
                    continue
                m = _POSITION.match(block.position)
                prefix, line = (m.group(1), m.group(2)) if m else ("", "")
                if prefix != table:
                    table, header, group, last = prefix, None, "", None
                fields = [header_field(c) for c in block.cells]
                if len(set(f for f in fields if f)) >= 2 and _NEEDED <= set(fields) \
                        and all(len(c) <= 16 for c in block.cells):
                    header, group, last = fields, "", None
                    continue
                if header is None:
                    continue
                filled = [c for c in block.cells if c]
                if len(filled) == 1 and len(block.cells) <= 1 or (
                        len(filled) >= 2 and len(set(filled)) == 1):
                    group = filled[0]  # "一、应急管理综合职责" spanning the table
                    continue
                cells = {}
                for f, c in zip(header, block.cells):
                    if f and c and f not in cells:
                        cells[f] = c
                name = cells.get("name", "")
                if _SKIP_NAME.match(name):
                    continue
                if not name:
                    if last is not None and cells.get("content"):
                        self._continue(last, cells, section, block)
                    continue
                kind = (list_kind_of(cells.get("list_kind", ""))
                        or self._context_kind(section, by_path)
                        or self._header_kind(header) or list_kind_of(doc.meta.title)
                        or "责任清单")
                sheet = prefix or kind
                seq = cells.get("seq", "")
                if last is not None and seq and seq == last.fields.get("seq") \
                        and name == last.fields.get("name"):
                    self._continue(last, cells, section, block)  # a vertically merged item
                    continue
                key = f"{doc.meta.doc_id}#{sheet}#{seq or f'第{line}行'}"
                if key in by_key:
                    key = f"{doc.meta.doc_id}#{sheet}#第{line}行"
                    if key in by_key:
                        out.warnings.append(f"{block.position}: 重复的清单行，已跳过")
                        continue
                row = Row(key=key, kind=kind, sheet=sheet, position=block.position,
                          fields=cells, group=group, quotes=[(section, block)])
                rows.append(row)
                by_key[key] = row
                last = row
        return rows

    @staticmethod
    def _continue(row: Row, cells: dict[str, str], section: Section, block: Block) -> None:
        for f, v in cells.items():
            old = row.fields.get(f, "")
            if v and v != old:
                row.fields[f] = f"{old}\n{v}" if old else v
        row.quotes.append((section, block))

    @staticmethod
    def _cells_of(block: Block, row: Row) -> dict[str, str]:
        """The fields a continuation block contributed, read from its own text."""
        if block is row.quotes[0][1]:
            return row.fields
        return {f: v for f, v in row.fields.items() if any(v_part in block.text
                for v_part in v.split("\n") if v_part)}

    @staticmethod
    def _context_kind(section: Section, by_path: dict[str, Section]) -> str | None:
        s: Section | None = section
        while s is not None:
            for text in (s.heading, s.blocks[0].text if s.blocks and
                         s.blocks[0].kind == "heading" else ""):
                kind = list_kind_of(text) if text else None
                if kind:
                    return kind
            s = by_path.get(s.parent_path) if s.parent_path else None
        return None

    @staticmethod
    def _header_kind(header: list[str | None]) -> str | None:
        for f, kind in _KIND_BY_FIELD:
            if f in header:
                return kind
        return None

    @staticmethod
    def _incidents(text: str, name: str, taxonomy: Taxonomy) -> list[tuple[str, str]]:
        """Incident types a row names outright; a vague or fuzzy mention links nothing."""
        lex = taxonomy.incident_types
        found: list[tuple[str, str]] = []
        for _, end, surface, canonical in lex.find_all(text):
            if _PLAN_NAME.match(text, end):
                continue  # "危险化学品事故专项应急预案" names a plan
            if len(norm(surface)) >= 4 and canonical not in [c for _, c in found]:
                found.append((surface, canonical))
        if not found and _INCIDENT_WORD.search(name):
            found = [(s, c) for s, c in find_incidents(name, taxonomy) if c in lex.entries]
        ancestors = {a for _, c in found for a in taxonomy.incident_ancestors(c)}
        return [(s, c) for s, c in found if c not in ancestors]
