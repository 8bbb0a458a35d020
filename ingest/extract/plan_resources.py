"""Plans: resources listed in tables, and the incident a resource's own clause says it serves.

A plan's 保障 chapter often lists its designated hospitals, shelters, depots or teams as a table
under a header row ("医院 | 地址 | 承担任务 | 应急床位", "名称 | 位置 | 可容纳人数 | 管理单位"). Each
row is one Resource (kind, location, capacity, speciality, managing unit) quoted as the row
stands in the source. A team in a sentence may also be assigned to an incident type other than
the plan's own ("X公司专职消防队（18人）作为危险化学品事故专业救援力量" in a 生产安全 plan): that
clause gives the team a FOR to the type it names. Sentence resources themselves are read by
`plan_roles.find_resources`; this module only adds what that reader does not see.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.document import Block
from ingest.extract import Extraction, ParsedDocument
from ingest.extract.plan import plan_owner, title_incident
from ingest.extract.plan_roles import find_resources, logical_paragraphs, make_resolver
from ingest.structure import Section, sentences
from ingest.taxonomy import Taxonomy
from kg.model import Node, NodeRef, Provenance, Relationship

# Column headers, by what the column holds.
_LOCATION = re.compile(r"地址|位置|地点|驻地|所在地|坐落")
_CAPACITY = re.compile(r"床位|容量|容纳|人数|规模|面积|队员")
_SPECIALITY = re.compile(r"任务|专长|用途|功能|救治|服务|职能|擅长|范围|类别|类型|等级")
_QUANTITY = re.compile(r"物资|装备|器材|数量|品种|车辆")
_MANAGER = re.compile(r"管理单位|主管|责任单位|管理部门|隶属|负责单位|产权单位|管理机构|依托单位")
_NAME = re.compile(r"名称|医院|场所|队伍|队名|储备点|储备库|仓库|单位|机构|站点|救援队")
_CONTACT = re.compile(r"电话|手机|联系人|联系方式|姓名")
# What kind of resource a table holds: from its name column's header, else the section heading.
_KINDS = (("医院|医疗机构|救治", "医院"), ("避难|安置", "避难场所"), ("储备|仓库|物资库", "物资储备点"),
          ("队伍|救援队|抢险队|救援力量|队名", "队伍"), ("装备|器材", "装备"))
_RESOURCE_HEADING = re.compile(r"保障|队伍|物资|避难|装备|安置|医院|医疗救治|救援力量|储备")
# A clause ends a team's own assignment ("……救援队（18人）作为X事故专业救援力量；").
_CLAUSE_END = re.compile(r"[；;。]")


@dataclass
class TableResource:
    name: str
    kind: str
    quote: str  # the row, verbatim
    location: str = ""
    capacity: str = ""
    speciality: str = ""
    quantity: str = ""
    manager: str = ""  # as written in the row


def _n(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _kind(text: str) -> str | None:
    return next((kind for pattern, kind in _KINDS if re.search(pattern, text)), None)


def _column(header: list[str], pattern: re.Pattern[str], taken: set[int]) -> int | None:
    return next((i for i, h in enumerate(header) if i not in taken and pattern.search(h)), None)


def _is_header(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return len(filled) >= 2 and all(len(c) <= 12 and not re.search(r"\d", c) for c in filled)


def _tables(blocks: list[Block]) -> list[list[Block]]:
    """Runs of consecutive table rows (a paragraph between two rows ends a table)."""
    out: list[list[Block]] = []
    run: list[Block] = []
    for b in blocks:
        if b.kind == "table_row" and b.cells:
            run.append(b)
        elif run:
            out.append(run)
            run = []
    if run:
        out.append(run)
    return out


def table_resources(blocks: list[Block], heading: str) -> list[TableResource]:
    """One resource per row of each table whose header names a resource column and at least one
    of where / how much / what for; contact lists (电话, 联系人) are not resources."""
    out: list[TableResource] = []
    for rows in _tables(blocks):
        header = [c.strip() for c in rows[0].cells]
        if len(rows) < 2 or not _is_header(header) or any(_CONTACT.search(h) for h in header):
            continue
        manager = _column(header, _MANAGER, set())
        taken = {manager} if manager is not None else set()
        name = _column(header, _NAME, taken)
        if name is None or name != min(i for i, h in enumerate(header) if h and i not in taken
                                       and not re.fullmatch(r"序号|编号|No\.?", h)):
            continue  # the resource is the table's first real column, or this is another table
        taken.add(name)
        cols = {}
        for key, pattern in (("location", _LOCATION), ("capacity", _CAPACITY),
                             ("speciality", _SPECIALITY), ("quantity", _QUANTITY)):
            i = _column(header, pattern, taken)
            if i is not None:
                cols[key] = i
                taken.add(i)
        kind = _kind(header[name]) or _kind(heading)
        if not cols or kind is None:
            continue
        for row in rows[1:]:
            cells = [c.strip() for c in row.cells]
            if len(cells) <= name or not cells[name] or _is_header(cells) and cells == header:
                continue

            def cell(i: int | None) -> str:
                v = cells[i] if i is not None and i < len(cells) else ""
                return "" if re.fullmatch(r"[—\-－/／无]*", v) else v

            out.append(TableResource(
                name=cells[name], kind=kind, quote=row.text.strip(), manager=cell(manager),
                **{k: cell(i) for k, i in cols.items()}))
    return out


def clause_incidents(sentence: str, name: str, taxonomy: Taxonomy) -> list[str]:
    """Incident types named in a resource's own clause: from its name to the clause's end."""
    at = next((sentence.find(name[i:]) for i in range(max(1, len(name) - 3))
               if name[i:] in sentence), -1)  # a cleaned name keeps the written one's tail
    if at < 0:
        return []
    end = _CLAUSE_END.search(sentence, at + len(name))
    clause = sentence[at:end.start() if end else len(sentence)]
    return list(dict.fromkeys(hit[3] for hit in taxonomy.incident_types.find_all(clause)))


def _resource_section(section: Section, by_path: dict[str, Section]) -> bool:
    s: Section | None = section
    while s is not None:
        text = s.heading or (s.blocks[0].text[:12] if s.blocks else "")
        if _RESOURCE_HEADING.search(text):
            return True
        s = by_path.get(s.parent_path) if s.parent_path else None
    return False


class PlanResourcesExtractor:
    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        meta = doc.meta
        ti = title_incident(meta.title, taxonomy)
        own_incidents = [ti[1]] if ti else []
        self_org = plan_owner(meta.title, taxonomy)
        full_text = "\n".join(b.text for s in doc.sections for b in s.blocks)
        resolve = make_resolver(full_text, taxonomy, self_org)
        by_path = {s.path: s for s in doc.sections}
        seen: set[tuple[str, str]] = set()
        rel_seen: set[tuple] = set()

        def node(label: str, key: str, **props) -> NodeRef:
            if (label, key) not in seen:
                seen.add((label, key))
                out.nodes.append(Node(label=label, key=key, props={"name": key, **props}))
            return NodeRef(label=label, key=key)

        def incident(name: str) -> NodeRef:
            entry = taxonomy.incident_types.entries.get(name)
            return node("IncidentType", name, aliases=entry.aliases if entry else [],
                        categories=taxonomy.incident_ancestors(name))

        def org(name: str) -> NodeRef:
            entry = taxonomy.organizations.entries.get(name)
            return node("Organization", name, aliases=entry.aliases if entry else [],
                        kind=entry.kind if entry else "")

        def rel(type_: str, start: NodeRef, end: NodeRef, section: Section, quote: str) -> None:
            k = (type_, start.key, end.key, section.path)
            if k in rel_seen:
                return
            rel_seen.add(k)
            out.relationships.append(Relationship(
                type=type_, start=start, end=end, props={},
                provenance=Provenance(doc_id=meta.doc_id, section_id=doc.section_key(section),
                                      section=section.path, quote=quote)))

        for section in doc.sections:
            if not _resource_section(section, by_path):
                continue
            for r in table_resources(section.blocks, section.heading or ""):
                props = {k: v for k, v in (("kind", r.kind), ("location", r.location),
                                           ("capacity", r.capacity), ("quantity", r.quantity),
                                           ("speciality", r.speciality)) if v}
                ref = node("Resource", _n(r.name), **props)
                rel("DEFINES", NodeRef(label="Document", key=meta.doc_id), ref, section, r.quote)
                manager = resolve(r.manager) if r.manager else None
                if manager:
                    rel("MANAGES", org(manager), ref, section, r.quote)
                named = [h[3] for h in taxonomy.incident_types.find_all(r.quote)]
                for inc in dict.fromkeys(named + own_incidents):
                    rel("FOR", ref, incident(inc), section, r.quote)
            for para in logical_paragraphs(section.blocks):
                for sent in sentences(para.text):
                    if sent not in para.quote:
                        continue
                    for r in find_resources(sent, resolve, taxonomy, self_org):
                        extra = [i for i in clause_incidents(sent, r.name, taxonomy)
                                 if i not in own_incidents]
                        if extra:
                            ref = node("Resource", _n(r.name), kind=r.kind)
                            for inc in extra:
                                rel("FOR", ref, incident(inc), section, r.quote)
        return out
