"""Expert rosters: one Expert per roster row, the fields each expert covers, and what those
fields are relevant to.

Real rosters come as the bureau's own spreadsheet (title rows, a 序号 column, merged two-row
headers, fields typed by hand: "燃气工程（输配）", "环境监测，危化品安全", "岩土工程/深基坑") and as
exports of an expert-management system (English headers, canonical fields joined by ";", bare
digits for phones). Columns are found from the header row by name, never by position, and the
expert's 编号/code is the key, so both forms of the same library merge into one node per expert.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.document import Block
from ingest.extract import Extraction, ParsedDocument
from ingest.structure import Section
from ingest.taxonomy import Lexicon, Taxonomy, norm
from kg.model import Node, NodeRef, Provenance, Relationship

# Header synonyms per column role, normalised by _header_key (NFKC, lower case, no spaces,
# no parenthesised notes). Exact matches first; then the keyword rules below, in order.
_EXACT: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "no", "no.", "#", "seq", "index", "行号"),
    "code": ("编号", "专家编号", "专家代码", "代码", "code", "expertcode", "expertno", "expert_code",
             "expert_no", "expertid", "expert_id"),
    "id": ("id", "系统编号", "记录号"),
    "name": ("姓名", "专家姓名", "名字", "name", "fullname", "full_name", "expertname",
             "expert_name"),
    "gender": ("性别", "gender", "sex"),
    "birth": ("出生年份", "出生年月", "出生日期", "出生年", "birthyear", "birth_year", "birth",
              "born", "dob", "birthday", "dateofbirth"),
    "title": ("职称", "技术职称", "专业技术职称", "职务", "职务/职称", "职称/职务", "title",
              "professionaltitle", "professional_title", "rank"),
    "org": ("工作单位", "单位", "所在单位", "单位名称", "工作单位及职务", "org", "organization",
            "organisation", "employer", "unit", "company", "affiliation", "workplace"),
    "fields": ("专业领域", "专业", "领域", "专业类别", "专业方向", "擅长领域", "专业特长", "专长",
               "fields", "field", "specialty", "speciality", "specialties", "specialities",
               "expertise", "domain", "domains", "major", "profession"),
    "research": ("研究方向", "研究领域", "主要研究方向", "research", "researchdirection",
                 "research_direction", "researchinterests"),
    "years": ("从业年限", "工作年限", "从事专业年限", "专业年限", "years", "experience",
              "yearsofexperience", "years_of_experience", "seniority"),
    "region": ("所在区域", "区域", "所在地", "所在地区", "地区", "region", "area", "location",
               "district"),
    "availability": ("可联系时段", "联系时段", "可调用时间", "可联系时间", "可调用时段",
                     "availability", "available", "contacttime", "contact_time"),
    "status": ("状态", "在库状态", "专家状态", "status", "state"),
    "mobile": ("手机", "手机号", "手机号码", "移动电话", "联系电话", "电话", "联系方式", "mobile",
               "cellphone", "cell", "phone", "mobilephone", "mobile_phone", "telephone"),
    "tel": ("办公电话", "固定电话", "座机", "办公室电话", "单位电话", "tel", "officephone",
            "office_phone", "officetel", "office_tel", "landline", "workphone", "work_phone"),
    "group": ("专家组", "所属专家组", "组别", "专业组", "group", "team"),
    "remark": ("备注", "说明", "remark", "remarks", "note", "notes", "comment", "comments"),
}
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("seq", ("序号",)),
    ("code", ("编号", "代码")),
    ("name", ("姓名",)),
    ("gender", ("性别",)),
    ("birth", ("出生",)),
    ("tel", ("办公电话", "固定电话", "座机", "办公室电话")),
    ("mobile", ("手机", "移动电话", "联系电话", "电话", "联系方式")),
    ("research", ("研究方向", "研究领域")),
    ("org", ("单位",)),
    ("title", ("职称", "职务")),
    ("years", ("年限",)),
    ("region", ("区域",)),
    ("availability", ("时段",)),
    ("status", ("状态",)),
    ("group", ("专家组", "组别")),
    ("remark", ("备注",)),
    ("fields", ("专业", "领域", "专长", "特长")),
)
_NOT_COLUMN = re.compile(r"分管|负责|管辖|职责")  # 分管领域 in a contact list is not a speciality
_SYNONYM = {s: role for role, names in _EXACT.items() for s in names}

_FIELD_SEP = re.compile(r"[、，,;；\n]+")
_QUALIFIER = re.compile(r"[（(][^）)]*[)）]$")
_NOT_NAME = re.compile(r"^(?:合计|小计|总计|共计|本组|本表|注|说明|备注|填表|制表|审核)|\d")
_GROUP_NOTE = re.compile(r"专家组[:：]\s*([^\s　，,；;]+组)")
_STATUS = {"在库": "在库", "正常": "在库", "有效": "在库", "active": "在库", "enabled": "在库",
           "暂停": "暂停", "停用": "暂停", "suspended": "暂停", "paused": "暂停",
           "inactive": "暂停", "退出": "退出", "已退出": "退出", "注销": "退出", "已注销": "退出",
           "withdrawn": "退出", "retired": "退出", "removed": "退出"}


def _header_key(cell: str) -> str:
    key = unicodedata.normalize("NFKC", cell).lower()
    key = re.sub(r"[（(][^）)]*[)）]|[*＊:：\s]", "", key)
    return key


def column_role(cell: str) -> str | None:
    """The column a header cell names ("专家姓名" → name, "mobile" → mobile), else None."""
    key = _header_key(cell)
    if not key or len(key) > 16 or _NOT_COLUMN.search(key):
        return None
    if key in _SYNONYM:
        return _SYNONYM[key]
    if re.search(r"[a-z]", key):
        return None  # English headers only by exact name: "unit" must not match "united"
    for role, words in _KEYWORDS:
        if any(w in key for w in words):
            return role
    return None


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column index per role when `cells` is a roster header row (a name column and a fields
    column, as in 姓名 … 专业领域 or name … fields), else None."""
    roles: dict[str, int] = {}
    known = 0
    for i, cell in enumerate(cells):
        role = column_role(cell) if cell else None
        if role:
            known += 1
            roles.setdefault(role, i)
    if "name" not in roles or "fields" not in roles or known < 3:
        return None
    if "code" not in roles and "id" in roles:
        roles["code"] = roles["id"]
    return roles


def find_roster_header(blocks: list[Block]) -> tuple[str, str] | None:
    """(name header, fields header) of the first roster header among table rows or text lines
    flattened from a table; None when the blocks hold no expert roster."""
    for block in blocks:
        if block.kind == "heading":
            continue
        cells = (block.cells or [block.text]) if block.kind == "table_row" \
            else _text_cells(block.text)
        roles = header_columns(cells)
        if roles:
            return cells[roles["name"]], cells[roles["fields"]]
    return None


def _phone_columns(cells: list[str]) -> list[int]:
    return [i for i, c in enumerate(cells) if c and column_role(c) in ("mobile", "tel")]


def _merge_subheader(top: list[str], sub: list[str]) -> list[str] | None:
    """A two-row header (联系方式 over 手机 | 办公电话): the lower row's names where it has one.
    None when `sub` is not a header continuation."""
    filled = [c for c in sub if c]
    if not filled or any(column_role(c) is None for c in filled):
        return None
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    return [s or t for t, s in zip(top, sub)]


@dataclass
class RosterRow:
    """One expert as a roster states it; `block` is the row the quote comes from."""
    section: Section
    block: Block
    values: dict[str, str]
    phones: list[str] = field(default_factory=list)

    def get(self, role: str) -> str:
        return self.values.get(role, "")


def _section_of(doc: ParsedDocument) -> dict[int, Section]:
    return {id(b): s for s in doc.sections for b in s.blocks}


_ONE_HANZI = re.compile(r"[\u4e00-\u9fff]")


def _text_cells(text: str, width: int = 0) -> list[str]:
    """Columns of a table flattened into a text line: tabs, full-width or runs of spaces; single
    spaces too when that gives the header's width (web pages collapse runs of spaces)."""
    cells = [c.strip() for c in re.split(r"\t+|　+|\s{2,}", text.strip())]
    if (width and len(cells) != width) or (not width and len(cells) < 3):
        single = text.split()
        if width and len(single) == width + 1:  # "谭  越": a two-character name padded
            pair = next((i for i in range(len(single) - 1)
                         if _ONE_HANZI.fullmatch(single[i]) and _ONE_HANZI.fullmatch(single[i + 1])),
                        None)
            if pair is not None:
                single[pair:pair + 2] = [single[pair] + single[pair + 1]]
        if not width or len(single) == width:
            cells = single
    return cells if len(cells) >= 3 else []


def roster_rows(doc: ParsedDocument) -> Iterator[RosterRow]:
    """Data rows under each roster header, in document order. A heading (a new sheet, a new
    table title) or another table's header ends the current table."""
    owner = _section_of(doc)
    header: list[str] | None = None
    roles: dict[str, int] | None = None
    phone_cols: list[int] = []
    just_header = False
    group = ""  # "专家组：综合组" above a table whose rows have no group column
    text_mode = False  # the header was a text line ("序号  姓名  专业 …" in a PDF or web page)
    for block in doc.raw.blocks:
        note = _GROUP_NOTE.search(block.text)
        if note:
            group = note.group(1)
        if block.kind == "heading":
            header = roles = None
            group = note.group(1) if note else ""
            continue
        if block.kind == "table_row":
            cells = block.cells or [block.text]
        else:
            cells = _text_cells(block.text, len(header or []) if text_mode else 0)
            if header_columns(cells) is None and not (
                    text_mode and roles is not None and len(cells) == len(header or [])):
                continue  # prose, a page footer: neither a header nor a row of this table
        found = header_columns(cells)
        if found is not None:
            header, roles, phone_cols, just_header = cells, found, _phone_columns(cells), True
            text_mode = block.kind != "table_row"
            continue
        if text_mode != (block.kind != "table_row"):
            continue
        if header is not None and just_header:
            merged = _merge_subheader(header, cells)
            if merged is not None and header_columns(merged) is not None:
                header, roles = merged, header_columns(merged)
                phone_cols = _phone_columns(merged)
                continue
        just_header = False
        filled = [c for c in cells if c]
        if roles is None:
            continue
        if len(filled) >= 2 and all(column_role(c) for c in filled):
            header = roles = None  # another table's header (e.g. a 领域汇总 sheet)
            continue
        values = {role: cells[i].strip() for role, i in roles.items() if i < len(cells)}
        if not values.get("group") and group:
            values["group"] = group
        name = values.get("name", "")
        if re.fullmatch(r"[\u4e00-\u9fff·•\s　]+", name):
            name = values["name"] = re.sub(r"[\s　]+", "", name)  # "王  强" padded to align
        if not name or _NOT_NAME.search(name) or column_role(name) == "name":
            continue
        phones: list[str] = []
        for i in phone_cols:
            if i < len(cells):
                phones += [p for p in parse_phones(cells[i]) if p not in phones]
        section = owner.get(id(block)) or doc.sections[0]
        yield RosterRow(section=section, block=block, values=values, phones=phones)


def parse_phones(cell: str) -> list[str]:
    """Phone numbers in a cell as digit strings ("139-5555-1207；13855551586" → two numbers,
    "(021) 5555 3301 转 8012" → "02155553301-8012"); +86 is dropped from mobiles."""
    text = unicodedata.normalize("NFKC", cell or "")
    out: list[str] = []
    for part in re.split(r"[;/,、|]|或|\n", text):
        ext = ""
        m = re.search(r"(?:转|ext\.?|分机|x)\s*(\d{1,6})\s*$", part, re.I)
        if m:
            ext, part = m.group(1), part[:m.start()]
        digits = re.sub(r"\D", "", part.replace("+86", "").replace("(86)", ""))
        if digits.startswith("0086"):
            digits = digits[4:]
        numbers = [digits]
        if len(digits) == 22 and digits[0] == "1" and digits[11] == "1":
            numbers = [digits[:11], digits[11:]]  # two mobiles separated by a space
        for d in numbers:
            if len(d) >= 5:
                out.append(d + (f"-{ext}" if ext and d is numbers[-1] else ""))
    return out


def split_fields(cell: str, fields: Lexicon) -> tuple[list[str], list[str]]:
    """(canonical fields in order, parts not in the field taxonomy) for a 专业领域 cell."""
    found: list[str] = []
    unknown: list[str] = []

    def resolve(part: str) -> list[str]:
        part = part.strip(" 　.。:：-")
        if not part:
            return []
        name = fields.canonical(part) or fields.canonical(_QUALIFIER.sub("", part))
        if name:
            return [name]
        if re.search(r"[/／\s]", part):  # "消防/危化" but not the alias "岩土工程/深基坑"
            subs = [resolve(p) for p in re.split(r"[/／\s]+", part) if p.strip()]
            if subs and all(subs):
                return [n for s in subs for n in s]
        hits = fields.find_all(_QUALIFIER.sub("", part))
        return [h[3] for h in hits]

    for part in _FIELD_SEP.split(unicodedata.normalize("NFKC", cell or "")):
        if not part.strip():
            continue
        names = resolve(part)
        if not names:
            unknown.append(part.strip())
        for n in names:
            if n not in found:
                found.append(n)
    return found, unknown


def _status(raw: str) -> str:
    return _STATUS.get(norm(raw).lower(), raw.strip())


def _int_or_text(raw: str) -> int | str | None:
    raw = raw.strip()
    if not raw:
        return None
    m = re.fullmatch(r"(\d{1,4})(?:\.0)?\s*年?", unicodedata.normalize("NFKC", raw))
    return int(m.group(1)) if m else raw


def expert_key(row: RosterRow) -> str:
    """The expert's code; without one, name and organisation (the best a roster offers)."""
    code = norm(row.get("code")).upper()
    if code and not re.fullmatch(r"\d{1,3}", code):  # "编号 1, 2, 3" is a row number
        return code
    org = norm(row.get("org"))
    return f"{norm(row.get('name'))}@{org}" if org else norm(row.get("name"))


class ExpertRosterExtractor:
    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        seen: set[tuple[str, str]] = set()
        edges: set[tuple[str, str, str, str, str]] = set()

        def node(label: str, key: str, **props) -> NodeRef:
            if (label, key) not in seen:
                seen.add((label, key))
                out.nodes.append(Node(label=label, key=key, props={"name": key, **props}))
            return NodeRef(label=label, key=key)

        def rel(type_: str, start: NodeRef, end: NodeRef, row: RosterRow) -> None:
            sig = (type_, start.label, start.key, end.label, end.key)
            if sig in edges:  # taxonomy edges: once per document, quoting the first row
                return
            edges.add(sig)
            prov = Provenance(doc_id=doc.meta.doc_id, section_id=doc.section_key(row.section),
                              section=row.section.path, quote=row.block.text)
            out.relationships.append(Relationship(type=type_, start=start, end=end,
                                                  provenance=prov))

        def incident(name: str) -> NodeRef:
            entry = taxonomy.incident_types.entries.get(name)
            return node("IncidentType", name, aliases=entry.aliases if entry else [],
                        categories=taxonomy.incident_ancestors(name))

        def hazard(name: str) -> NodeRef:
            entry = taxonomy.hazards.entries.get(name)
            return node("Hazard", name, aliases=entry.aliases if entry else [])

        codes: dict[str, str] = {}
        for row in roster_rows(doc):
            key = expert_key(row)
            name = row.get("name")
            if key in codes and codes[key] != name:
                out.warnings.append(f"{row.block.position}: 专家编号“{key}”重复"
                                    f"（{codes[key]}、{name}），后者按姓名和单位区分")
                row.values["code"] = ""
                key = expert_key(row)
            codes.setdefault(key, name)
            raw_fields = row.get("fields")
            canon, unknown = split_fields(raw_fields, taxonomy.fields)
            expert = node("Expert", key, name=name, code=row.get("code") or None,
                          gender=row.get("gender") or None, title=row.get("title") or None,
                          organisation=row.get("org") or None,
                          years=_int_or_text(row.get("years")),
                          birth_year=_int_or_text(row.get("birth")),
                          region=row.get("region") or None,
                          availability=row.get("availability") or None,
                          status=_status(row.get("status")) or None,
                          phones=row.phones, fields_raw=raw_fields,
                          fields=canon + unknown, research=row.get("research") or None,
                          group=row.get("group") or None, remark=row.get("remark") or None)
            for part in unknown:
                out.warnings.append(f"{row.block.position}: 专家“{name}”的专业领域“{part}”"
                                    "不在领域分类表中，已按原文建立领域")
                rel("EXPERT_IN", expert, node("Field", norm(part), in_taxonomy=False), row)
            for f in canon:
                entry = taxonomy.fields.entries[f]
                field_ref = node("Field", f, aliases=entry.aliases, in_taxonomy=True)
                rel("EXPERT_IN", expert, field_ref, row)
                for inc in entry.related.get("incident_types", []):
                    rel("RELEVANT_TO", field_ref, incident(inc), row)
                for hz in entry.related.get("hazards", []):
                    rel("RELEVANT_TO", field_ref, hazard(hz), row)
                    hz_entry = taxonomy.hazards.entries.get(hz)
                    for inc in (hz_entry.related.get("incident_types", []) if hz_entry else []):
                        rel("INVOLVES", incident(inc), hazard(hz), row)
        if not codes:
            out.warnings.append("未找到专家名册表头（需含“姓名”和“专业领域”列），未提取专家")
        return out
