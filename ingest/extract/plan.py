"""Plans: title, level, incident types covered, lead and supporting units per incident type.

Real plans state who leads in many shapes — "（3）燃气管道泄漏事故：区建管委牵头，区公安分局
配合。", "危险化学品事故由区应急管理局会同区公安分局牵头处置", "区水务局负责牵头组织防汛防台
抢险工作", a table with a 牵头单位 column — so the sentence is parsed as clauses and org lists,
not matched against one template.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.document import Block
from ingest.extract import Extraction, ParsedDocument
from ingest.extract.incidents import EVENT_WORD, find_incidents, place_subtype
from ingest.normalize import match_org
from ingest.structure import Section, match_number, sentences, strip_number
from ingest.taxonomy import Taxonomy, norm
from kg.model import Node, NodeRef, Provenance, Relationship

_ORG_SUFFIX = re.compile(
    r"(?:局|委|办|委员会|办公室|中心|支队|大队|总队|分局|公司|集团|街道|镇|指挥部|站|所|院|队|"
    r"政府|管委会|部|处|科|会)(?:[（(][^）)]{1,12}[)）])?$")
_SUPPORT_VERB = re.compile(r"配合|协助|参与|协同|支持|做好相关")
_TASK_VERB = re.compile(r"(?:分别|共同|具体)?(?:负责|按照|依照|承担|做好|提供)")
_WORK_GROUP = re.compile(r"(?:组|办公室|指挥部|专家组)$")
_LIST_SPLIT = re.compile(r"[、，,；;和及与]|以及|会同")
_STRIP_HEAD = re.compile(r"^(?:分别由|并由|均由|另由|由|并|其他|各相关|相关|有关)")
_NOT_ORG = re.compile(r"报告|同时|^在|按照|根据|组织|开展|做好|及时|立即|适用|原则|下设|[（(][^）)]*$")
_SELF = re.compile(r"^(?:本局|本委|我局|我委|本单位|本部门|本办|本街道|本镇)$")
_INLINE_GROUP = re.compile(r"组[（(][^）)]*牵头|组由[^，；。]*牵头")
_STRIP_TAIL = re.compile(
    r"(?:等(?:相关|有关)?(?:成员)?(?:单位|部门)?|(?:共同|具体|负责|统一)+)$")
# A street or town plan calling itself "街道" / "镇" ("街道负责组织沿岸巡查").
_BARE_LOCAL = re.compile(r"^(?:街道|镇|街镇|镇政府|街道办事处|镇人民政府)$")
# Where the unit named at the head of a clause ends and what it does begins:
# "区市场监管局提供技术支持", "事发地街道（镇）按照职责分工配合".
_ACTION = re.compile(
    r"(?:提供|负责|按|依照|根据|依据|做好|承担|派员|派出|组织|开展|协调|督促|指导|加强|落实|"
    r"予以|给予|视情|及时|立即|分别|共同|积极|全力|迅速|对|向|在|为|从|将|把)")
_TITLE = re.compile(r"《([^》]*预案)》")
# Units another unit sends to the scene: "督促物业服务企业和电梯维保单位及时到场".
_SUMMONED = re.compile(r"(?:督促|通知|调派|调集|组织)([^，,。；;]{2,40}?)"
                       r"(?:及时|立即|迅速|按时)?(?:到场|到达现场|赶赴现场|赶到现场)")
# How a unit leads, written between its name and 牵头.
_LEAD_MANNER = re.compile(
    r"(?:按照?(?:各自)?(?:职责|分工)(?:分工)?|依照?(?:各自)?职责|负责|共同|具体|统一|分别)+$")
_LEVEL = (("总体", "总体"), ("专项", "专项"), ("部门", "部门"), ("街道", "街镇"), ("镇", "街镇"),
          ("企业", "企业"))


@dataclass
class UnitStatement:
    incidents: list[tuple[str, str]]  # (surface, canonical); one sentence may name several
    lead: list[str]
    support: list[str]
    quote: str

    @property
    def incident(self) -> str:
        return self.incidents[0][1]


def plan_level(title: str) -> str:
    for marker, level in _LEVEL:
        if marker in title:
            return level
    return "专项"


def _org(token: str, taxonomy: Taxonomy, self_org: str | None = None) -> str | None:
    token = token.strip(" 　：:。")
    if "由" in token:  # "一般由区建管委", "按照……的原则由区教育局"
        token = token.rsplit("由", 1)[1]
    token = _STRIP_TAIL.sub("", _STRIP_HEAD.sub("", token))
    if len(token) < 2:
        return None
    if _SELF.match(token):
        return self_org  # a department plan speaking of itself
    if _BARE_LOCAL.match(token):
        return self_org if self_org and re.search(r"街道|镇", self_org) else None
    # -- organisation normalisation (ingest/normalize.py): aliases, former names, a remit in
    # brackets ("区商务委（餐饮行业）"), district prefix / 等 / bracket rules; then, for
    # unit-like names only, a bigram fuzzy match. Mappings are noted for ingest warnings.
    exact = match_org(token, taxonomy, fuzzy=False)
    if exact:
        return exact.canonical
    if _NOT_ORG.search(token):
        return None
    hits = taxonomy.organizations.find_all(token)
    if hits and hits[0][1] - hits[0][0] >= len(token) - 2:
        return hits[0][3]
    if _ORG_SUFFIX.search(token) and len(token) <= 20 and not re.search(r"[，。；：]", token):
        fuzzy = match_org(token, taxonomy)
        if fuzzy:
            return fuzzy.canonical
    # -- end of organisation normalisation
    if _ORG_SUFFIX.search(token) and len(token) <= 20 and not re.search(r"[，。；：]", token):
        return token
    return None


def _orgs(phrase: str, taxonomy: Taxonomy, self_org: str | None = None) -> list[str]:
    out: list[str] = []
    for token in _LIST_SPLIT.split(phrase):
        name = _org(token, taxonomy, self_org) or _org_before_action(token, taxonomy, self_org)
        if name and name not in out:
            out.append(name)
    return out


def _org_before_action(token: str, taxonomy: Taxonomy, self_org: str | None) -> str | None:
    """"区卫生健康委按照各自职责分别" → the unit before what it does."""
    cut = _ACTION.search(token, 2)
    return _org(token[:cut.start()], taxonomy, self_org) if cut else None


def _leading_orgs(phrase: str, taxonomy: Taxonomy, self_org: str | None = None) -> list[str]:
    """Units listed at the head of a clause, up to the first word that is not one of them.

    "区房管局、区水务局和各街道（镇）按照职责做好……" → the three units; what follows the
    last unit's name ("按照职责……") is cut off before the name is looked up.
    """
    def spell_out(m: re.Match[str]) -> str:
        # "场所的行业主管部门（区商务委、区教育局）": a description whose units are in brackets.
        if _org(m.group(1), taxonomy, self_org) is None and _orgs(m.group(2), taxonomy, self_org):
            return m.group(2)
        return m.group(0)

    phrase = re.sub(r"([^、，,；;和及与（(]+)[（(]([^（）()]+)[)）]", spell_out, phrase)
    out: list[str] = []
    for token in _LIST_SPLIT.split(phrase):
        name = _org(token, taxonomy, self_org)
        if name is None:
            name = _org_before_action(token, taxonomy, self_org)
            if name and name not in out:
                out.append(name)
            break
        if name not in out:
            out.append(name)
    return out


def _incident(text: str, taxonomy: Taxonomy) -> tuple[str, str] | None:
    """(surface, canonical) of the first incident type named in `text`."""
    found = find_incidents(text, taxonomy)
    return found[0] if found else None


def _split_lead_clause(clause: str, taxonomy: Taxonomy,
                       self_org: str | None = None) -> tuple[str, str]:
    """Org phrase of a 牵头 clause as (leaders, others)."""
    before, _, after = clause.partition("牵头")
    phrase = before
    if not _orgs_like(before) and after:
        # "牵头单位：区应急管理局" / "牵头单位为区应急管理局"
        phrase = re.sub(r"^(?:单位|部门)?(?:[:：为是])?", "", after)
    phrase = _LEAD_MANNER.sub("", phrase)
    return phrase.replace("会同", "、"), ""  # "A会同B、C牵头": all of them lead together


def _orgs_like(text: str) -> bool:
    """Whether a unit's name ends right before 牵头 ("区卫健委按照各自职责分别牵头")."""
    return bool(_ORG_SUFFIX.search(_LEAD_MANNER.sub("", text.strip())))


def parse_unit_sentence(sentence: str, taxonomy: Taxonomy,
                        context_incident: tuple[str, str] | None = None,
                        self_org: str | None = None) -> UnitStatement | None:
    """Lead/support units in one sentence that says 牵头; None when it assigns no lead."""
    if "牵头" not in sentence:
        return None
    body = strip_number(sentence)
    incident: list[tuple[str, str]] | None = None
    colon = re.search(r"[：:]", body[:40])
    head, rest = (body[:colon.start()], body[colon.end():]) if colon else (None, None)
    if head and "牵头" not in head:
        if _WORK_GROUP.search(head):
            return None  # "抢险救援组：区消防救援局牵头" names a working group's lead
        incident = find_incidents(head, taxonomy) or None
        body = rest
    clauses = [c for c in re.split(r"[，,；;]", body) if c.strip()]
    lead: list[str] = []
    support: list[str] = []
    for n, clause in enumerate(clauses):
        if _INLINE_GROUP.search(clause):
            continue  # "现场救援组（区消防救援局牵头）": a working group, not the incident lead
        if "牵头" in clause:
            target = clause
            if incident is None and n > 0 and not lead:
                # "危险化学品道路运输事故，由区应急管理局……牵头": the subject precedes the clause.
                incident = find_incidents("，".join(clauses[:n]), taxonomy) or None
            if incident is None:
                # "X事故由A牵头" / "A牵头负责X事故处置": the incident sits beside the orgs.
                m = re.search(r"由", clause)
                if m and m.start() > 0:
                    incident = find_incidents(clause[:m.start()], taxonomy) or None
                    target = clause[m.start():]
                else:
                    before, _, after = clause.partition("牵头")
                    incident = (find_incidents(after, taxonomy)
                                or find_incidents(before, taxonomy) or None)
                    if incident:
                        target = clause.replace(incident[0][0], "")
            leaders, co = _split_lead_clause(target, taxonomy, self_org)
            lead += [o for o in _orgs(leaders, taxonomy, self_org) if o not in lead]
            support += [o for o in _orgs(co, taxonomy, self_org) if o not in support]
            tail = target.partition("牵头")[2]
            verb = _SUPPORT_VERB.search(tail)
            if verb:  # "由区发展改革委牵头、供电公司配合处置"
                support += [o for o in _orgs(tail[:verb.start()], taxonomy, self_org)
                            if o not in support and o not in lead]
        elif _SUPPORT_VERB.search(clause):
            m = _SUPPORT_VERB.search(clause)
            phrase = clause[:m.start()] if m.start() > 0 else clause[m.end():]
            phrase = re.sub(r"^(?:单位|部门)?[:：为]?", "", phrase)
            support += [o for o in _leading_orgs(phrase, taxonomy, self_org)
                        if o not in support and o not in lead]
        elif lead and _TASK_VERB.search(clause):
            # After the lead, "区气象局负责监测预警信息发布" / "区房管局……按照职责做好……":
            # units given a task in the same statement take part in the response.
            m = _TASK_VERB.search(clause)
            support += [o for o in _leading_orgs(clause[:m.start()], taxonomy, self_org)
                        if o not in support and o not in lead]
        summoned = _SUMMONED.search(clause) if lead else None
        if summoned:
            # "本局负责督促物业服务企业和电梯维保单位及时到场": units sent to the scene take part.
            support += [o for o in _orgs(summoned.group(1), taxonomy, self_org)
                        if o not in support and o not in lead]
    if incident is None:
        # "按照《某区突发环境事件专项应急预案》由区生态环境局牵头": the plan cited names the type.
        cited = [title_incident(t, taxonomy) for t in _TITLE.findall(sentence)]
        cited = [c for c in cited if c]
        incident = cited[:1] or None
    if incident is None and context_incident is not None:
        incident = [context_incident]
    if not lead or not incident:
        return None
    return UnitStatement(incidents=incident, lead=lead,
                         support=[s for s in support if s not in lead], quote=sentence)


def statement_units(text: str, taxonomy: Taxonomy) -> list[str]:
    """Sentences of a block, with the "；" parts that continue a 牵头 statement kept on it.

    "……由区发展改革委牵头，……配合；区房管局、区水务局……按照职责做好民生保障。" is one
    statement: the part after "；" names more units for the same incident. A part that says
    牵头 again, starts a numbered item, or names another incident type stands on its own.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for sent in sentences(text):
        start = text.index(sent, pos)
        pos = start + len(sent)
        if spans and _continues(text[spans[-1][0]:spans[-1][1]], sent, taxonomy):
            spans[-1] = (spans[-1][0], pos)
        else:
            spans.append((start, pos))
    return [text[a:b] for a, b in spans]


def _continues(statement: str, part: str, taxonomy: Taxonomy) -> bool:
    if "牵头" not in statement or statement[-1] not in "；;" or "牵头" in part \
            or match_number(part):
        return False
    named = {c for _, c in find_incidents(part, taxonomy)}
    return named <= _named(statement, taxonomy)


def _named(statement: str, taxonomy: Taxonomy) -> set[str]:
    """Incident types a statement names, with their ancestors and descendants' ancestors."""
    names = {c for _, c in find_incidents(statement, taxonomy)}
    return names | {a for n in names for a in taxonomy.incident_ancestors(n)}


def _table_statements(rows: list[Block], taxonomy: Taxonomy,
                      context: tuple[str, str] | None = None,
                      self_org: str | None = None) -> list[UnitStatement]:
    """Tables with a 牵头 column: one statement per row."""
    out: list[UnitStatement] = []
    header: list[str] | None = None
    for row in rows:
        cells = row.cells
        if header is None:
            if any("牵头" in c for c in cells) and all(len(c) <= 12 for c in cells):
                header = cells
            continue
        if len(cells) != len(header):
            continue
        col = {h: c for h, c in zip(header, cells)}
        inc_cell = next((c for h, c in col.items()
                         if re.search(r"事件|事故|类型|类别|险情|情形|场所|灾害", h)), "")
        lead_cell = next((c for h, c in col.items() if "牵头" in h), "")
        sup_cell = next((c for h, c in col.items() if _SUPPORT_VERB.search(h)), "")
        incidents = _cell_incidents(inc_cell, taxonomy, context) if inc_cell else []
        lead = _orgs(lead_cell, taxonomy, self_org)
        if incidents and lead:
            support = [s for s in _orgs(sup_cell, taxonomy, self_org) if s not in lead]
            out.append(UnitStatement(incidents=incidents, lead=lead, support=support,
                                     quote=row.text))
    return out


def _cell_incidents(cell: str, taxonomy: Taxonomy,
                    context: tuple[str, str] | None) -> list[tuple[str, str]]:
    """A row of a plan's table names a kind of place or a subtype ("商圈、商业街、大型商场");
    read with the plan's own incident type it resolves to a subtype of that type."""
    if context is not None and not EVENT_WORD.search(cell):
        # Only places ("旅游景区、城市公园"): the plan's own type, narrowed by them.
        return [(cell, place_subtype(cell, context[1], taxonomy))]
    found = find_incidents(cell, taxonomy)
    known = [f for f in found if f[1] in taxonomy.incident_types.entries]
    if context is not None:
        scoped = find_incidents(f"{cell}{context[1]}", taxonomy)
        scoped = [f for f in scoped if f[1] == context[1]
                  or context[1] in taxonomy.incident_ancestors(f[1])]
        # The plan's own type narrows the row when the row alone gives only that type or an
        # ancestor of what the scoped reading finds.
        if scoped and all(k[1] == context[1] or any(k[1] in taxonomy.incident_ancestors(c)
                                                    for _, c in scoped) for k in known):
            return [(cell, c) for _, c in scoped]
    if known:
        return known
    return found or [(cell, cell)]


def plan_owner(title: str, taxonomy: Taxonomy) -> str | None:
    """The department or town a 部门/街镇 plan belongs to, for "本局" in its text."""
    hits = taxonomy.organizations.find_all(title)
    return hits[0][3] if hits else None


def title_incident(title: str, taxonomy: Taxonomy) -> tuple[str, str] | None:
    core = re.sub(r"^.*?区|(?:专项|部门)?应急预案$|突发事件|总体", "", title)
    return _incident(core, taxonomy) if core else None


class PlanExtractor:
    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        meta = doc.meta
        plan_ref = NodeRef(label="Document", key=meta.doc_id)
        seen_nodes: set[tuple[str, str]] = set()

        def node(label: str, key: str, **props) -> NodeRef:
            if (label, key) not in seen_nodes:
                seen_nodes.add((label, key))
                out.nodes.append(Node(label=label, key=key, props={"name": key, **props}))
            return NodeRef(label=label, key=key)

        def incident_node(name: str) -> NodeRef:
            entry = taxonomy.incident_types.entries.get(name)
            return node("IncidentType", name, aliases=entry.aliases if entry else [],
                        categories=taxonomy.incident_ancestors(name))

        def org_node(name: str) -> NodeRef:
            entry = taxonomy.organizations.entries.get(name)
            return node("Organization", name, aliases=entry.aliases if entry else [],
                        kind=entry.kind if entry else "")

        def prov(section: Section, quote: str) -> Provenance:
            return Provenance(doc_id=meta.doc_id, section_id=doc.section_key(section),
                              section=section.path, quote=quote)

        covered: dict[str, Provenance] = {}
        head = doc.sections[0]
        ti = title_incident(meta.title, taxonomy)
        self_org = plan_owner(meta.title, taxonomy)
        if ti:
            covered[ti[1]] = prov(head, meta.title)

        by_path = {s.path: s for s in doc.sections}
        for section in doc.sections:
            context = self._context_incident(section, by_path, taxonomy) or ti
            statements: list[UnitStatement] = []
            rows = [b for b in section.blocks if b.kind == "table_row"]
            if rows:
                statements += _table_statements(rows, taxonomy, context, self_org)
            for block in section.blocks:
                if block.kind == "table_row":
                    continue
                for sent in statement_units(block.text, taxonomy):
                    st = parse_unit_sentence(sent, taxonomy, context, self_org)
                    if st:
                        statements.append(st)
            for st in statements:
                p = prov(section, strip_number(st.quote))
                for surface, incident in st.incidents:
                    if taxonomy.incident_types.entries and incident not in taxonomy.incident_types.entries:
                        out.warnings.append(f"{section.path}: 事件类型“{incident}”不在分类表中")
                    inc = incident_node(incident)
                    covered.setdefault(incident, p)
                    for rel, names in (("LEADS", st.lead), ("SUPPORTS", st.support)):
                        for name in names:
                            out.relationships.append(Relationship(
                                type=rel, start=org_node(name), end=inc, provenance=p,
                                props={"surface": surface}))
        for name, p in covered.items():
            out.relationships.append(Relationship(type="COVERS", start=plan_ref,
                                                  end=incident_node(name), provenance=p))
        return out

    @staticmethod
    def _context_incident(section: Section, by_path: dict[str, Section],
                          taxonomy: Taxonomy) -> tuple[str, str] | None:
        """The incident named by the nearest heading above, for "由A牵头" without a subject."""
        s: Section | None = section
        while s is not None:
            if s.heading:
                hit = _incident(s.heading, taxonomy)
                if hit:
                    return hit
            s = by_path.get(s.parent_path) if s.parent_path else None
        return None
