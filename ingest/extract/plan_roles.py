"""Plans: command roles, working groups, member-unit duties, resources and expert groups.

Real plans say who holds a role as "总指挥：分管副区长。", "总指挥由区长担任；副总指挥由A、B担任",
"由区应急管理局局长担任现场指挥长", "平安办主任兼任办公室主任"; working groups as
"1. 抢险救援组：区消防救援局牵头，A、B参加，负责……", "现场管控组（区公安分局牵头）",
"抢修恢复组由某供水公司牵头"; member duties as numbered paragraphs ("（1）区水务局：负责……"),
tables (单位 | 主要职责) or lines broken by a web crawler or a PDF. So each shape is read by its own
small parser over logical paragraphs (lines re-joined where a sentence was broken), and every
fact keeps the verbatim text it came from.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from ingest.document import Block
from ingest.extract import Extraction, ParsedDocument
from ingest.extract.plan import _org, plan_owner, title_incident
from ingest.structure import Section, match_number, sentences, strip_number
from ingest.taxonomy import Taxonomy
from kg.model import Node, NodeRef, Provenance, Relationship

# ---------------------------------------------------------------- shared vocabulary

ROLE_NAMES = ("常务副总指挥", "执行总指挥", "副总指挥", "现场总指挥", "总指挥", "现场指挥长",
              "副指挥长", "指挥长", "办公室主任", "常务副主任", "副主任", "主任", "副组长", "组长",
              "副秘书长", "秘书长")
_ROLE = "|".join(ROLE_NAMES)
_ROLE_RE = re.compile(rf"(?:{_ROLE})")
# Positions that end a holder's text: "区建管委主任", "分管水务工作的副区长", "主要负责同志".
_POSITION = re.compile(
    r"(?:常务副[区县市]长|副[区县市]长|[区县市]长|副镇长|镇长|副?局长|副?主任|副?所长|副?站长|支队长|大队长|"
    r"副?队长|总经理|副?经理|副?部长|副?科长|副?书记|主要负责同志|负责同志|主要负责人|负责人|"
    r"指挥员|副?总指挥|副?主席|副?秘书长|政委|院长)$")
_CUT_POSITION = re.compile(
    r"(?:分管[^、，]*?|主要负责同志|负责同志|主要负责人|负责人|现场最高指挥员|最高指挥员|"
    r"常务|副)?(?:副?局长|副?主任|副?所长|副?站长|支队长|大队长|副?队长|总经理|副?经理|"
    r"副?部长|副?科长|副?书记|主要负责同志|负责同志|主要负责人|负责人|指挥员|院长)$")
_BODY = re.compile(r"(?:指挥部|分指挥部|委员会|应急委|领导小组|办公室|指挥机构)$")
_DUTY_VERB = re.compile(
    r"^(?:负责|承担|组织|牵头|配合|协助|督促|指导|参与|参加|做好|提供|保障|会同|依法|协调|"
    r"掌握|调度|追查|固定|接到|接报|管理|分别|按照|根据|作为|在|对|事故涉及)")
_NOT_DUTY_HEAD = re.compile(
    rf"^(?:{_ROLE}|成员|成员单位|主要职责|职责|工作职责|联系人|备注|说明|注|地址|电话|值班电话)$"
    r"|组$|事故|事件|灾害|险情|积水|响应|预警|级")
_SENT_END = "。；;！？!?：:"
_ABBREV = re.compile(r"(?P<full>[\u4e00-\u9fffA-Za-z0-9（）()]{2,40}?)[（(]以下简称[“\"「]?"
                     r"(?P<short>[^”\"」）)]{2,20})[”\"」]?[）)]")


def _n(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Para:
    """A logical paragraph: blocks re-joined where a line was broken inside a sentence."""
    text: str  # joined without the line breaks, for parsing and for stored text
    quote: str  # verbatim from the section text (line breaks and the item number kept)
    blocks: list[Block]


_LABEL_START = re.compile(r"^[^，。；：:]{1,15}[：:]|^(?:附件|表\d)")


def logical_paragraphs(blocks: list[Block]) -> list[Para]:
    out: list[Para] = []
    for b in blocks:
        if b.kind == "table_row":
            continue
        t = b.text.strip()
        if not t:
            continue
        prev = out[-1] if out else None
        if (prev is not None and prev.text[-1] not in _SENT_END
                and prev.blocks[-1].kind == "paragraph" and b.kind == "paragraph"
                and match_number(t) is None and len(prev.blocks[-1].text) >= 20
                and not _LABEL_START.match(t)):
            prev.text += t
            prev.quote += "\n" + t
            prev.blocks.append(b)
        else:
            out.append(Para(text=t, quote=t, blocks=[b]))
    return out


# ---------------------------------------------------------------- organisations

OrgResolver = Callable[[str], "str | None"]


def make_resolver(doc_text: str, taxonomy: Taxonomy, self_org: str | None) -> OrgResolver:
    """Organisation names as the plan writes them → canonical names, using the plan's own
    abbreviations ("（以下简称“区燃气指挥部”）") before the taxonomy."""
    abbrevs: list[tuple[str, str]] = []
    for m in _ABBREV.finditer(doc_text):
        full = re.split(r"设在|设立|成立|建立|组建|下设|[为是在]", m.group("full"))[-1]
        if taxonomy.organizations.canonical(full) or _BODY.search(full):
            abbrevs.append((m.group("short"), full))
    abbrevs.sort(key=lambda a: len(a[0]), reverse=True)

    def resolve(token: str) -> str | None:
        token = token.strip(" 　：:。，,；;")
        if not token:
            return None
        for short, full in abbrevs:
            if token.startswith(short) and not token.startswith(full):
                expanded = full + token[len(short):]
                name = taxonomy.organizations.canonical(expanded)
                if name:
                    return name
                if token == short:
                    return taxonomy.organizations.canonical(full) or full
        return _org(token, taxonomy, self_org)

    return resolve


def split_list(phrase: str) -> list[str]:
    """"A、B和C" → [A, B, C]; a part that is not a name on its own ("分管农业" of
    "分管农业和水务的副镇长") is glued back to the next one."""
    parts = re.split(r"(、|，|,|和|及|以及|或者|或)", phrase)
    items: list[str] = []
    buf = ""
    for i in range(0, len(parts), 2):
        piece = parts[i]
        sep = parts[i + 1] if i + 1 < len(parts) else ""
        buf += piece
        bare = re.sub(r"[（(][^）)]*[)）]$", "", buf)
        if sep and sep in "和及或" and buf and not _POSITION.search(bare) and not re.search(
                r"(?:局|委|办|中心|公司|站|所|队|部|科|街道|镇|单位|企业|队伍|机构|居民区|组)$", bare):
            buf += sep  # "分管农业和水务的副镇长": the conjunction is inside one holder
            continue
        if buf.strip():
            items.append(buf.strip())
        buf = ""
    if buf.strip():
        items.append(buf.strip())
    return [re.sub(r"^(?:以及|及|和|并)", "", i).rstrip("等。") for i in items if i]


def expand_shared_suffix(items: list[str]) -> list[str]:
    """"新华、东湖、北塘市场监管所" → 新华市场监管所, 东湖市场监管所, 北塘市场监管所."""
    if len(items) < 2:
        return items
    last = items[-1]
    head = items[:-1]
    if all(len(h) <= 4 and not re.search(r"(?:局|委|办|中心|公司|所|站|队|部|科)$", h)
           for h in head) and len(last) > len(head[-1]) + 1:
        stem = last[len(head[-1]):]
        return [h + stem for h in head] + [last]
    return items


# ---------------------------------------------------------------- roles


@dataclass
class Holder:
    text: str  # as written: "分管城市建设管理工作的副区长"
    org: str | None = None  # the unit it names, canonical
    condition: str = ""  # "启动三级以上响应的"


@dataclass
class RoleFact:
    name: str  # "总指挥", "区应急委主任", "抢险救援组"
    kind: str  # 指挥机构 | 工作组 | 专家组
    holders: list[Holder] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    body: str = ""
    duty: str = ""
    fields: list[str] = field(default_factory=list)
    quote: str = ""


_PLAIN_POSITION = re.compile(
    r"^(?:分管[^、，]*?的|分管)?(?:常务)?(?P<pos>副?[区县市]长|副?镇长|街道办事处副?主任|街道党工委副?书记|"
    r"副?局长|委副?主任|副?主任)$")


def holder_org(text: str, resolve: OrgResolver, taxonomy: Taxonomy, self_org: str | None,
               government: str | None) -> str | None:
    """The unit a holder's position belongs to: 区应急管理局局长 → 区应急管理局; 区长 → the
    district government when the taxonomy knows it; 镇长, 局长 in a town or department plan →
    the plan's owner."""
    t = text
    if "指定" in t or re.search(r"(?:总指挥|指挥长)$", t) or "行业主管部门" in t or "牵头部门" in t:
        return None
    hits = taxonomy.organizations.find_all(t)
    if hits:
        s, e, surface, name = hits[0]
        rest = t[e:]
        if s == 0 and (not rest or _POSITION.search(rest) or re.match(r"^(?:分管|现场|主要|指挥)", rest)):
            return name
    m = _PLAIN_POSITION.match(t)
    if m:
        pos = m.group("pos")
        if re.search(r"[区县市]长", pos):
            return government
        return self_org
    cut = _CUT_POSITION.search(t)
    if cut and cut.start() >= 2:
        unit = re.sub(r"(?:分管[^、，]*|现场)$", "", t[:cut.start()])
        name = resolve(unit)
        if name:
            return name
    return None


_ROLE_COLON = re.compile(rf"^(?P<role>{_ROLE})[：:](?P<h>.+)$")
_ROLE_BY = re.compile(rf"^(?P<pre>[^由，]{{0,20}}?)(?P<role>{_ROLE})(?:一般|原则上|均|通常)?由(?P<h>.+?)"
                      r"(?:担任|兼任|出任)$")
_BY_ROLE = re.compile(rf"^(?P<pre>.*?)由(?P<h>.+?)(?:担任|兼任|出任|任)(?P<role>{_ROLE})$")
_X_AS_ROLE = re.compile(rf"^(?P<h>[^由，]+?)(?:兼任|担任|任)(?P<role>{_ROLE})$")
_BY_ONLY = re.compile(r"^(?P<pre>.*?)由(?P<h>.+?)(?:担任|兼任)$")


def parse_role_text(text: str) -> list[tuple[str, str, str, str]]:
    """(role, holders phrase, condition, body) for each assignment in one paragraph."""
    out: list[tuple[str, str, str, str]] = []
    body = re.sub(r"[（(]《[^）)]*[）)]", "", strip_number(text).strip())  # cited articles
    head_body = ""
    m = re.match(r"^(?P<b>[^：:，。]{2,30}?(?:指挥部|分指挥部|领导小组|委员会))[：:]", body)
    if m and not _ROLE_RE.fullmatch(m.group("b")):
        head_body, body = re.sub(r"^.*?(?:成立|设立)", "", m.group("b")), body[m.end():]
    colon = _ROLE_COLON.match(body.rstrip("。；;"))
    if colon and "由" not in colon.group("h")[:2]:
        return [(colon.group("role"), colon.group("h"), "", head_body)]
    last_role = None
    condition = ""
    opened = ""  # "视情由A常务副主任，B、C负责人任副组长": A opens the list the next clause ends
    for clause in re.split(r"[；;，,]|(。)", body):
        clause = (clause or "").strip()
        if clause == "。":
            condition = ""  # a condition holds within its sentence
            continue
        if not clause:
            continue
        if opened:
            clause, opened = f"{opened}、{clause}", ""
        # "新镇应急救援指挥部的组成：A任组长": the body whose posts follow, then the first post
        intro = re.match(r"^(?P<b>[^：:]{1,30}?(?:指挥部|领导小组|委员会|小组))(?:的)?(?:组成|构成)?"
                         r"(?:如下)?[：:](?P<rest>.+)$", clause)
        if intro:
            head_body, clause = intro.group("b"), intro.group("rest").strip()
        by = re.match(r"^(?P<pre>[^由]{0,12})由(?P<h>[^由]+)$", clause)
        if by and not re.search(r"担任|兼任|出任|负责|牵头|组成|参加|决定|启动|批准", clause) \
                and not re.search(rf"任(?:{_ROLE})$", clause):
            opened = by.group("h")
            continue
        hit = _ROLE_BY.match(clause)
        if hit:
            pre = hit.group("pre")
            out.append((hit.group("role"), hit.group("h"), condition, head_body or pre))
            last_role, condition = hit.group("role"), ""
            continue
        hit = _BY_ROLE.match(clause)
        if hit and not _ROLE_RE.search(hit.group("pre")[-4:] if hit.group("pre") else ""):
            cond = (condition + hit.group("pre")).strip()
            out.append((hit.group("role"), hit.group("h"), cond, head_body))
            last_role, condition = hit.group("role"), ""
            continue
        hit = _X_AS_ROLE.match(clause)
        if hit and len(hit.group("h")) <= 48:
            out.append((hit.group("role"), hit.group("h"), condition, head_body))
            last_role, condition = hit.group("role"), ""
            continue
        hit = _BY_ONLY.match(clause)
        if hit and last_role:
            out.append((last_role, hit.group("h"), (condition + hit.group("pre")).strip(),
                        head_body))
            condition = ""
            continue
        if clause.endswith("的") or clause.startswith(("启动", "发生", "一般", "较大")):
            condition = clause  # "启动三级以上响应的，由总指挥……担任"
        else:
            condition = ""
    return out


def role_facts(para: str, resolve: OrgResolver, taxonomy: Taxonomy, self_org: str | None,
               government: str | None) -> list[RoleFact]:
    facts: list[RoleFact] = []
    for role, phrase, cond, body in parse_role_text(para):
        holders = []
        for h in split_list(phrase):
            h = re.sub(r"^(?:一般由|均由|由)", "", h).strip()
            h = re.sub(r"[［\[][^］\]]*[］\]](?:同志)?", "", h).strip()  # "镇长［姓名略］同志"
            if not h or len(h) > 40:
                continue
            holders.append(Holder(text=h, condition=cond,
                                  org=holder_org(h, resolve, taxonomy, self_org, government)))
        if holders:
            facts.append(RoleFact(name=role, kind="指挥机构", holders=holders,
                                  body=body.strip("，, "), quote=para))
    return facts


_ROLE_COL = re.compile(r"职务|岗位|职位|角色")
_HOLDER_COL = re.compile(r"担任|人员|由谁|人选|组成")


def table_roles(blocks: list[Block]) -> list[tuple[str, str, str]]:
    """(role, holders phrase, row text) from tables with a 职务 column and an 担任 column."""
    out: list[tuple[str, str, str]] = []
    role_i = holder_i = None
    width = 0
    for row in blocks:
        if row.kind != "table_row":
            role_i = holder_i = None
            continue
        cells = [_n(c) for c in row.cells]
        if any(_ROLE_COL.search(c) for c in cells) and any(_HOLDER_COL.search(c) for c in cells):
            role_i = next(i for i, c in enumerate(cells) if _ROLE_COL.search(c))
            holder_i = next(i for i, c in enumerate(cells) if _HOLDER_COL.search(c) and i != role_i)
            width = len(cells)
            continue
        if role_i is None or len(cells) != width:
            continue
        role = row.cells[role_i].strip()
        if _ROLE_RE.fullmatch(_n(role)) and row.cells[holder_i].strip():
            out.append((_n(role), row.cells[holder_i].strip(), row.text))
    return out


# ---------------------------------------------------------------- working groups

_GROUP_LINE = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,12}组)(?:[：:。．]|[，,](?=由))(?P<rest>.+)$")
_NEST = r"(?:[^（）()，,；;。]|[（(][^）)]*[）)])"
_GROUP_INLINE = re.compile(
    rf"(?P<name>[\u4e00-\u9fff]{{2,10}}组)[（(](?P<lead>{_NEST}+?)(?:牵头|负责)"
    r"(?:[，,、](?P<mem>[^）)]+?)(?:参加|参与))?[）)]")
_GROUP_BY = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,10}组)由(?P<lead>[^，。；]+?)牵头"
                       r"(?:[，,](?P<mem>[^，。；]+?)(?:参加|参与))?")
_GROUP_LIST = re.compile(r"(?:下设|可设|设立|设有)(?:以下)?(?P<list>[^：:。；]*?组)(?:[。；：:]|$)")
_GROUP_LIST_BARE = re.compile(r"(?:下设|可设|设立|设)(?!在)(?P<list>[^：:。；，]*?)等(?:工作)?组")
_LEAD_CLAUSE = re.compile(r"^(?:由)?(?P<o>.+?)(?:共同)?(?:牵头|负责)$")
_MEMBER_CLAUSE = re.compile(r"^(?P<o>.+?)(?:等单位|等部门)?(?:参加|参与)$")


def _nearest_heading(section: Section, by_path: dict[str, Section]) -> str:
    """The section's own heading, or for an unheaded item its nearest headed ancestor's."""
    s: Section | None = section
    while s is not None and not s.heading:
        s = by_path.get(s.parent_path) if s.parent_path else None
    return strip_number(s.heading).strip() if s is not None else ""


def heading_group(section: Section, by_path: dict[str, Section]) -> str:
    """The working group a section is about when its own heading (or, for an unheaded item, its
    parent's) is the group's name: "（2）应急指挥组" over "由安全监督处负责人任组长"."""
    name = _nearest_heading(section, by_path)
    if name.endswith("领导小组") and len(name) <= 20:
        return name
    return name if name.endswith("组") and 3 <= len(name) <= 12 and _group_name_ok(name) else ""


def heading_body(section: Section, by_path: dict[str, Section]) -> str:
    """The group or command body a section is about by its heading ("2.1.2 领导小组办公室",
    "（2）应急指挥组", "2.1.4 现场工作组"), for the duties listed under it."""
    name = heading_group(section, by_path)
    if name:
        return name
    head = _nearest_heading(section, by_path)
    return head if len(head) <= 20 and _BODY.search(head) else ""


_DUTIES_LEAD = re.compile(r"^(?:主要职责|工作职责|职责)[：:](?P<text>.*)$")


_MEMBERS = re.compile(r"(?:^|[，,；;。])(?P<m>[^，,；;。]{2,200}?)(?:相关)?(?:人员|负责人|同志)?(?:担任|为)成员")


def _members_of(text: str) -> list[str]:
    """"厅办公室、建设管理处相关人员担任成员" → [厅办公室, 建设管理处], as the plan writes them."""
    m = _MEMBERS.search(strip_number(text))
    if not m:
        return []
    items = [re.sub(r"(?:相关|有关)?(?:人员|负责人)$", "", i).strip() for i in split_list(m.group("m"))]
    return [i for i in items if 1 < len(i) <= 20 and not i.startswith(("由", "视情"))]


def _group_name_ok(name: str) -> bool:
    return "领导小组" not in name and not re.search(
        r"^(?:下设|设立|成立|可设|包括|立)|以下|以上|^工作组$|^专家组$|[各等]", name)


def _written_units(phrase: str, resolve: OrgResolver) -> list[Holder]:
    """A group's lead units as the plan writes them ("派出所、社区、平台公司"), each with the
    unit it resolves to when it does; a name no table knows is still the plan's answer."""
    out = []
    for o in split_list(phrase):
        o = re.sub(r"^(?:由|均由)", "", o).strip()
        org = resolve(o)
        if org or (1 < len(o) <= 15 and not _DUTY_VERB.match(o) and not re.search(r"[，。；：]", o)):
            out.append(Holder(text=o, org=org))
    return out


def parse_work_groups(para: str, resolve: OrgResolver) -> list[RoleFact]:
    """Working groups named in one paragraph, each with its lead unit(s) and members."""
    text = strip_number(para)
    out: list[RoleFact] = []
    m = _GROUP_LINE.match(re.sub(r"^其中", "", text))
    if m and _group_name_ok(m.group("name")):
        leads: list[str] = []
        members: list[str] = []
        duty = ""
        clauses = [c.strip() for c in re.split(r"[，,；;。]", m.group("rest")) if c.strip()]
        for n, c in enumerate(clauses):
            lc = _LEAD_CLAUSE.match(c)
            mc = _MEMBER_CLAUSE.match(c)
            if lc and not leads and not c.startswith("负责"):
                leads = _written_units(lc.group("o"), resolve)
            elif mc and not c.startswith("负责"):
                members = [x for x in (resolve(o) for o in split_list(mc.group("o"))) if x]
            elif c.startswith("负责"):
                rest = m.group("rest")
                duty = rest[rest.index(c):].rstrip("。；;")
                break
        if leads:
            out.append(RoleFact(name=m.group("name"), kind="工作组", holders=leads,
                                members=members, duty=duty, quote=para))
        return out
    for m in list(_GROUP_INLINE.finditer(text)) + list(_GROUP_BY.finditer(text)):
        name = re.sub(r"^.*?(?:下设|设立|可设|包括|其中|和|、)", "", m.group("name"))
        if not _group_name_ok(name) or any(f.name == name for f in out):
            continue
        leads = _written_units(m.group("lead"), resolve)
        mem = m.groupdict().get("mem") or ""
        if leads:
            out.append(RoleFact(name=name, kind="工作组", holders=leads,
                                members=[x for x in (resolve(o) for o in split_list(mem)) if x],
                                quote=para))
    # "现场指挥部下设灭火救援组、警戒疏散组……" / "可设综合协调、抢险救援等工作组": named only.
    listed: list[str] = []
    for m in _GROUP_LIST.finditer(text):
        listed += [i for i in split_list(m.group("list")) if i.endswith("组")]
    for m in _GROUP_LIST_BARE.finditer(text):
        listed += [i if i.endswith("组") else i + "组" for i in split_list(m.group("list"))
                   if 2 <= len(i) <= 10]
    for name in listed:
        name = re.sub(r"[（(].*$", "", name)
        if _group_name_ok(name) and 3 <= len(name) <= 12 and all(f.name != name for f in out):
            out.append(RoleFact(name=name, kind="工作组", quote=para))
    return out


# ---------------------------------------------------------------- expert groups

_EXPERT = re.compile(r"专家组|专家库中(?:遴选|选聘|选取|选派)|专家组成")
_EXPERT_SUBJECT = re.compile(
    r"^(?P<s>[^，。；]{2,30}?)(?:会同[^，。；]*?)?(?:建立|组建|设立|从|依托|聘请|负责组建|按照)")
_EXPERT_NAME = re.compile(r"(?:建立|组建|组成|设立)(?P<name>[\u4e00-\u9fff]{2,30}?专家组)")
_FIELDS = re.compile(r"(?:由|涵盖|选聘|选取|遴选|选派|聘请|从)(?P<f>[^。；]*?)等(?:领域|方面)")


def parse_expert_group(para: str, resolve: OrgResolver) -> RoleFact | None:
    text = strip_number(para)
    if not _EXPERT.search(text) or re.search(r"不(?:单独)?设(?:立)?专家", text):
        return None
    subject = _EXPERT_SUBJECT.match(text)
    org = resolve(subject.group("s")) if subject else None
    named = _EXPERT_NAME.search(text)
    name = named.group("name") if named else "专家组"
    fields: list[str] = []
    f = _FIELDS.search(text)
    if f:
        phrase = re.sub(r"^.*?(?:专家库中|库中)(?:遴选|选聘|选取|选派)?|^.*?按照事故类别从", "",
                        f.group("f"))
        fields = [x for x in re.split(r"[、，,和与及]", phrase) if 1 < len(x) <= 12]
    return RoleFact(name=name, kind="专家组",
                    holders=[Holder(text=subject.group("s"), org=org)] if org else [],
                    fields=fields, quote=para)


# ---------------------------------------------------------------- member duties


@dataclass
class DutyFact:
    orgs: list[str]
    text: str
    quote: str
    head: str


_DUTY_LINE = re.compile(r"^(?P<head>[^：:。；，]{2,60})[：:](?P<text>.+)$")


_UNIT_END = r"(?:局|委|办|委员会|居委会|中心|公司|所|站|队|部|科|室|院)$"
_OWN_DUTIES = re.compile(r"^(?P<org>[^，。：:]{2,20}?)(?:在[^：:。]*?)?履行(?:以下|下列|如下)职责[：:]$")


def duty_orgs(head: str, resolve: OrgResolver, lenient: bool,
              known: Callable[[str], bool] = lambda _: True) -> list[str]:
    """Units a duty line's head names: "区教育局、区科委", "行业主管部门（区建管委、……等）".
    A head naming units the taxonomy does not know ("委应急办", "新华、东湖市场监管所") is kept
    as written: one duty of that head, not a guess at names."""
    head = re.sub(r"(?:在[^：:]*?(?:领导|指导|统一指挥)下|负责)$", "", head.strip())
    if lenient and not _NOT_DUTY_HEAD.search(head):
        items = [i for i in re.split(r"[、，,]", head) if i]
        names = [resolve(i) for i in items]
        if not all(n and known(n) for n in names) and not re.search(r"[（(][^）)]*[、,，]", head):
            if len(items) > 1 and all(re.search(_UNIT_END, i) for i in items):
                return items
            return [head] if 2 <= len(head) <= 30 and not re.search(r"[。；]", head) else []
    if _NOT_DUTY_HEAD.search(head):
        return []
    inner = re.search(r"[（(](?P<l>[^）)]*[、,，][^）)]*)[）)]$", head)
    if inner:
        head = re.sub(r"等$", "", inner.group("l"))
    items = expand_shared_suffix([i for i in re.split(r"[、，,]", head) if i])
    orgs = []
    for item in items:
        item = re.sub(r"等(?:医疗机构|单位|部门|企业|机构)$", "", item)
        name = resolve(item)
        if name is None and lenient and 2 <= len(item) <= 20 \
                and re.search(r"(?:科|室|办|中心|所|队|局|委|站|处|组|院|公司)$", item):
            name = item
        if name is None:
            return []
        if name not in orgs:
            orgs.append(name)
    return orgs


def parse_duty_line(para: Para, resolve: OrgResolver, in_duty_section: bool,
                    known: Callable[[str], bool] = lambda _: True) -> DutyFact | None:
    text = strip_number(para.text)
    m = _DUTY_LINE.match(text)
    if not m:
        return None
    body = m.group("text").strip()
    if not in_duty_section and (not _DUTY_VERB.match(body) or "牵头" in body[:6]):
        return None
    orgs = duty_orgs(m.group("head"), resolve, lenient=in_duty_section, known=known)
    if not orgs:
        return None
    return DutyFact(orgs=orgs, text=body, quote=para.quote, head=m.group("head"))


# "……为第一责任人。居委会负责：组织……；……。": a unit's duties given inside a paragraph.
_SENTENCE_DUTY = re.compile(r"^(?P<head>[^，。：:；;]{2,12}?)负责[：:](?P<text>.+)$")


def sentence_duties(para: Para, resolve: OrgResolver,
                    known: Callable[[str], bool] = lambda _: True) -> list[DutyFact]:
    """Duties a sentence inside a duty section's paragraph gives with "X负责：" (the paragraph
    itself starts otherwise); the quote is that sentence."""
    out = []
    for sent in [x.strip() for x in re.split(r"(?<=[。！？!?])", para.text) if x.strip()][1:]:
        m = _SENTENCE_DUTY.match(sent)
        if m is None or sent not in para.quote:
            continue
        orgs = duty_orgs(m.group("head"), resolve, lenient=True, known=known)
        if orgs:
            out.append(DutyFact(orgs=orgs, text=m.group("text").strip(), quote=sent,
                                head=m.group("head")))
    return out


_ORG_COL = re.compile(r"^(?:成员|责任|主要|相关)?(?:单位|部门|科室|机构)(?:[/、／](?:单位|科室|部门|机构))?"
                      r"(?:名称)?$")


def table_duties(blocks: list[Block], resolve: OrgResolver,
                 known: Callable[[str], bool] = lambda _: True) -> list[DutyFact]:
    """Rows of a table with a unit column and a 职责 column; any other block ends the table."""
    out: list[DutyFact] = []
    org_i = duty_i = None
    width = 0
    for row in blocks:
        if row.kind != "table_row":
            org_i = duty_i = None
            continue
        cells = [c.strip() for c in row.cells]
        norm = [_n(c) for c in cells]
        if any(_ORG_COL.match(c) for c in norm) and any("职责" in c for c in norm):
            org_i = next(i for i, c in enumerate(norm) if _ORG_COL.match(c))
            duty_i = next(i for i, c in enumerate(norm) if "职责" in c)
            width = len(cells)
            continue
        if org_i is None or duty_i is None or len(cells) != width:
            org_i = duty_i = None  # another table begins
            continue
        duty = cells[duty_i]
        if not re.search(r"[\u4e00-\u9fff]{4}", duty):
            continue
        orgs = duty_orgs(cells[org_i], resolve, lenient=True, known=known)
        if orgs:
            out.append(DutyFact(orgs=orgs, text=duty, quote=row.text, head=cells[org_i]))
    return out


# ---------------------------------------------------------------- resources


@dataclass
class ResourceFact:
    name: str
    kind: str  # 队伍 | 物资储备点 | 避难场所 | 装备
    location: str = ""
    capacity: str = ""
    quantity: str = ""
    manager: str | None = None
    quote: str = ""


_STORE = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,30}?(?:储备库|储备点|储备仓库|装备库|物资库|应急气化站))"
    r"(?:[（(](?P<addr>[^）)]*?(?:路|街|道|号|弄|村|镇|园区)[^）)]*)[）)])?"
    r"(?:设在(?P<addr2>[^，。；]+))?")
_TEAM = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,30}?(?:抢险队|救援队|抢修队|专业队|突击队|专职消防队|"
    r"应急排|巡特警支队))(?:[（(](?P<cap>约?\d+人)[）)])?")
_SHELTER = re.compile(r"(?P<names>[^，。；：]{2,60}?)等(?P<cls>[ⅠⅡⅢIV]+类)?(?:应急)?避难场所")
_PLACE = re.compile(r"(?:公园|中心|广场|场馆|体育馆|学校|文体中心|绿地|体育场)$")
_TEAM_STOP = re.compile(r"^(?:建立|组建|各|兼职|专业|组织|负责)")


_RES_VERB = re.compile(r"组建|建立|设立|下设|申请调用|调用|管理的|组织|依托|^设|在|为|的")
_GENERIC_RES = re.compile(r"^(?:应急|防汛|综合)?(?:物资)?(?:储备点|储备库|抢险队|救援队|抢修队)$")


def clean_resource_name(name: str, resolve: OrgResolver, self_org: str | None
                        ) -> tuple[str, str | None] | None:
    """(name, managing unit) from a phrase like "区水务局组建排水抢险队", "区民防办在东湖路民防物资
    储备库", "本局防汛物资储备点"; None for generic or enumerated phrases ("医疗急救等专业队")."""
    name = re.split(r"[和及、]", name)[-1]
    if "等" in name:
        return None
    manager = None
    name = re.sub(r"^(?:\d+|[一二三四五六七八九十]+)个", "", name)
    verbs = list(_RES_VERB.finditer(name))
    if verbs and verbs[-1].end() < len(name):
        first, last = verbs[0], verbs[-1]
        subj = re.sub(r"^(?:\d+个村|向)", "", name[:first.start()])
        org = resolve(subj) if subj else None
        rest = name[last.end():]
        if org and re.match(r"组建|下设|组织|依托", first.group(0)):
            rest = (org if subj.startswith("本") else subj) + rest
        name, manager = rest, org
    if name.startswith(("本局", "本委")) and self_org:
        name, manager = self_org + name[2:], self_org
    if len(name) < 5 or _GENERIC_RES.match(name) or re.match(r"^(?:街道|镇|管理|就近)", name):
        return None
    return name, manager


def find_resources(sentence: str, resolve: OrgResolver, taxonomy: Taxonomy,
                   self_org: str | None = None) -> list[ResourceFact]:
    out: list[ResourceFact] = []

    def manager(name: str) -> str | None:
        hits = taxonomy.organizations.find_all(name)
        if hits and hits[0][0] == 0 and hits[0][1] < len(name):
            return hits[0][3]
        return None

    for m in _STORE.finditer(sentence):
        cleaned = clean_resource_name(m.group("name"), resolve, self_org)
        if cleaned is None:
            continue
        name, mgr = cleaned
        loc = m.group("addr") or (m.group("addr2") or "").strip()
        out.append(ResourceFact(name=name, kind="物资储备点", location=loc,
                                manager=mgr or manager(name), quote=sentence))
    for m in _TEAM.finditer(sentence):
        if _TEAM_STOP.match(m.group("name")):
            continue
        cleaned = clean_resource_name(m.group("name"), resolve, self_org)
        if cleaned is None:
            continue
        name, mgr = cleaned
        loc = ""
        after = sentence[m.end():m.end() + 30]
        drv = re.match(r"^[^。；]{0,25}?驻(?P<a>[^，。；]+)", after)
        if drv:
            loc = re.sub(r"[）)]$", "", drv.group("a")) if "（" not in drv.group("a") else drv.group("a")
        out.append(ResourceFact(name=name, kind="队伍", capacity=(m.group("cap") or ""),
                                location=loc, manager=mgr or manager(name), quote=sentence))
    for m in _SHELTER.finditer(sentence):
        names = re.sub(r"^.*?(?:启用|使用|优先使用|优先启用|其中|和)", "", m.group("names"))
        for item in re.split(r"[、和]", names):
            item = re.sub(r"^(?:就近的|就近|附近的)", "", item.strip())
            if 3 <= len(item) <= 20 and _PLACE.search(item):
                out.append(ResourceFact(name=item, kind="避难场所", quantity=m.group("cls") or "",
                                        quote=sentence))
    return out


# ---------------------------------------------------------------- the extractor


def _duty_section(section: Section, by_path: dict[str, Section]) -> bool:
    """A section about duties: its heading (or its parent's, or its own first line) names 职责."""
    s: Section | None = section
    depth = 0
    while s is not None and depth < 3:
        first = s.blocks[0].text if s.blocks else ""
        head = s.heading or (first if len(first) <= 30 else "")
        if "职责" in head and "处置职责" not in head and "办公室" not in head:
            return True
        s = by_path.get(s.parent_path) if s.parent_path else None
        depth += 1
    return False


class PlanRolesExtractor:
    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        meta = doc.meta
        plan_ref = NodeRef(label="Document", key=meta.doc_id)
        self_org = plan_owner(meta.title, taxonomy)
        government = next((g for g in ("区人民政府", "区政府", "县人民政府", "县政府", "市人民政府",
                                       "市政府") if taxonomy.organizations.canonical(g)), None)
        if government:
            government = taxonomy.organizations.canonical(government)
        ti = title_incident(meta.title, taxonomy)
        incidents = [ti[1]] if ti else []
        full_text = "\n".join(b.text for s in doc.sections for b in s.blocks)
        resolve = make_resolver(full_text, taxonomy, self_org)
        by_path = {s.path: s for s in doc.sections}

        def known(name: str) -> bool:
            return name in taxonomy.organizations.entries or not taxonomy.organizations.entries

        seen: dict[tuple[str, str], Node] = {}
        rel_seen: set[tuple] = set()

        def node(label: str, key: str, **props) -> NodeRef:
            if (label, key) not in seen:
                n = Node(label=label, key=key, props={"name": key, **props})
                seen[(label, key)] = n
                out.nodes.append(n)
            return NodeRef(label=label, key=key)

        def org_node(name: str) -> NodeRef:
            entry = taxonomy.organizations.entries.get(name)
            return node("Organization", name, aliases=entry.aliases if entry else [],
                        kind=entry.kind if entry else "")

        def incident_node(name: str) -> NodeRef:
            entry = taxonomy.incident_types.entries.get(name)
            return node("IncidentType", name, aliases=entry.aliases if entry else [],
                        categories=taxonomy.incident_ancestors(name))

        def rel(type_: str, start: NodeRef, end: NodeRef, section: Section, quote: str,
                **props) -> None:
            k = (type_, start.label, start.key, end.label, end.key)
            if k in rel_seen:
                return
            rel_seen.add(k)
            out.relationships.append(Relationship(
                type=type_, start=start, end=end, props=props,
                provenance=Provenance(doc_id=meta.doc_id, section_id=doc.section_key(section),
                                      section=section.path, quote=quote)))

        roles: dict[str, RoleFact] = {}

        def add_role(fact: RoleFact, section: Section) -> None:
            name = fact.name
            body = fact.body
            if body and name in ("主任", "副主任", "常务副主任", "指挥长", "副指挥长", "组长",
                                 "副组长") and not body.endswith("办公室"):
                name = f"{body}{name}"
            key = f"{meta.doc_id}#{name}"
            prev = roles.get(key)
            holders = [h.text for h in fact.holders]
            if prev is None:
                roles[key] = fact
                node("Role", key, role="指挥部办公室主任" if fact.name == "办公室主任" else fact.name,
                     title=name, kind=fact.kind, body=body,
                     holders=holders, members=fact.members, duty=fact.duty, fields=fact.fields,
                     conditions=[h.condition for h in fact.holders], plan=meta.doc_id,
                     section=section.path)
            else:
                n = seen[("Role", key)]
                n.props["holders"] = n.props["holders"] + [h for h in holders
                                                           if h not in n.props["holders"]]
                n.props["conditions"] = n.props["conditions"] + [h.condition for h in fact.holders]
            ref = NodeRef(label="Role", key=key)
            rel("DEFINES", plan_ref, ref, section, fact.quote)
            for h in fact.holders:
                if h.org:
                    rel("HELD_BY", ref, org_node(h.org), section, fact.quote, holder=h.text,
                        condition=h.condition)

        duty_keys: set[str] = set()

        def add_body_duty(subject: str, text: str, section: Section, quote: str) -> None:
            """A duty of a group or body under its own heading: its Role (made here when the
            plan names the body only as a heading) holds the duties, "；" between them."""
            key = f"{meta.doc_id}#{subject}"
            if ("Role", key) not in seen:
                kind = "工作组" if subject.endswith("组") and not subject.endswith("领导小组") \
                    else "指挥机构"
                add_role(RoleFact(name=subject, kind=kind, quote=quote), section)
            n = seen[("Role", key)]
            items = [x for x in n.props.get("duty", "").split("；") if x]
            for item in re.split(r"[；;]", text):
                item = strip_number(item).strip().rstrip("。")
                if item and item not in items:
                    items.append(item)
            n.props["duty"] = "；".join(items)
            roles[key].duty = n.props["duty"]

        def add_group_members(group: str, members: list[str], section: Section,
                              quote: str) -> None:
            key = f"{meta.doc_id}#{group}"
            if ("Role", key) not in seen:
                add_role(RoleFact(name=group, kind="工作组", quote=quote), section)
            n = seen[("Role", key)]
            n.props["members"] = n.props.get("members", []) + [
                m for m in members if m not in n.props.get("members", [])]

        duty_lists: dict[str, str] = {}  # section path -> body whose "主要职责：" list it opens

        def add_duty(d: DutyFact, section: Section) -> None:
            for org in d.orgs:
                key = f"{doc.section_key(section)}#{org}"
                base, n = key, 2
                while key in duty_keys:
                    key, n = f"{base}#{n}", n + 1
                duty_keys.add(key)
                ref = node("Responsibility", key, doc_id=meta.doc_id, org=org, text=d.text,
                           kind="member_duty", section=section.path, head=d.head)
                rel("HAS_DUTY", org_node(org), ref, section, d.quote)
                for inc in incidents:
                    rel("ABOUT", ref, incident_node(inc), section, d.quote)

        def add_resource(r: ResourceFact, section: Section) -> None:
            props = {k: v for k, v in (("kind", r.kind), ("location", r.location),
                                       ("capacity", r.capacity), ("quantity", r.quantity)) if v}
            key = _n(r.name)
            if ("Resource", key) in seen:
                n = seen[("Resource", key)]
                for k, v in props.items():
                    n.props.setdefault(k, v)
                ref = n.ref
            else:
                ref = node("Resource", key, **props)
            if r.manager:
                rel("MANAGES", org_node(r.manager), ref, section, r.quote)
            for inc in incidents:
                rel("FOR", ref, incident_node(inc), section, r.quote)

        owners: dict[str, str] = {}  # section path -> unit whose own duties it lists

        def owner_of(section: Section) -> str | None:
            s: Section | None = section
            while s is not None:
                if s.path in owners:
                    return owners[s.path]
                s = by_path.get(s.parent_path) if s.parent_path else None
            return None

        for section in doc.sections:
            in_duty = _duty_section(section, by_path)
            for b in section.blocks:
                own = _OWN_DUTIES.match(b.text.strip())
                if own and in_duty:
                    name = resolve(own.group("org"))
                    if name:
                        owners[section.path] = name
            resources_here = self._resource_section(section, by_path)
            for role, phrase, row_text in table_roles(section.blocks):
                holders = [Holder(text=h, org=holder_org(h, resolve, taxonomy, self_org, government))
                           for h in split_list(phrase) if h]
                add_role(RoleFact(name=role, kind="指挥机构", holders=holders, quote=row_text),
                         section)
            for d in table_duties(section.blocks, resolve, known):
                add_duty(d, section)
            body_here = heading_body(section, by_path)
            group_here = heading_group(section, by_path)
            listed = next((duty_lists[p] for p in (section.path, section.parent_path or "")
                           if p in duty_lists), "")
            for para in logical_paragraphs(section.blocks):
                lead = _DUTIES_LEAD.match(strip_number(para.text).strip())
                if lead and body_here:
                    if lead.group("text").strip():
                        add_body_duty(body_here, lead.group("text"), section, para.quote)
                    else:
                        duty_lists[section.path] = body_here  # the items follow
                    continue
                if listed and match_number(para.text) and section.path not in duty_lists:
                    add_body_duty(listed, para.text, section, para.quote)
                    continue
                if group_here:
                    members = _members_of(para.text)
                    if members:
                        add_group_members(group_here, members, section, para.quote)
                facts = role_facts(para.text, resolve, taxonomy, self_org, government)
                groups = parse_work_groups(para.text, resolve)
                for f in facts + groups:
                    f.quote = para.quote
                    if f.name in ("组长", "副组长") and not f.body:
                        f.body = group_here
                    add_role(f, section)
                if "专家" in (section.heading + para.text[:40]) or "专家组" in para.text:
                    eg = parse_expert_group(para.text, resolve)
                    if eg and (eg.holders or eg.fields):
                        eg.quote = para.quote
                        add_role(eg, section)
                if not groups and not facts:
                    d = parse_duty_line(para, resolve, in_duty, known)
                    owner = owner_of(section) if in_duty and section.path not in owners else None
                    if d is None and owner and match_number(para.text):
                        d = DutyFact(orgs=[owner], text=strip_number(para.text),
                                     quote=para.quote, head=owner)
                    if d:
                        add_duty(d, section)
                    elif in_duty:
                        for sd in sentence_duties(para, resolve, known):
                            add_duty(sd, section)
                if resources_here:
                    for sent in sentences(para.text):
                        if sent not in para.quote:
                            continue
                        for r in find_resources(sent, resolve, taxonomy, self_org):
                            add_resource(r, section)
        return out

    @staticmethod
    def _resource_section(section: Section, by_path: dict[str, Section]) -> bool:
        s: Section | None = section
        while s is not None:
            text = s.heading or (s.blocks[0].text[:12] if s.blocks else "")
            if re.search(r"保障|队伍|物资|避难|装备|安置场所", text):
                return True
            s = by_path.get(s.parent_path) if s.parent_path else None
        return False
