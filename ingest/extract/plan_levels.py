"""Plans: 事件分级 criteria (SeverityLevel) and 响应分级 rules (ResponseLevel).

Plans write the same facts in many shapes — a grading table, "（1）特别重大：……", a heading
"3.1 特别重大事故" over numbered items, "……的，为一般事故；", a PDF table whose cells ran
together ("重大10人以上30人以下50人以上100人以下……"); "（2）Ⅲ级响应：发生……的，由总指挥决定
启动。", a response table with a 决定启动 column, "由区长决定启动二级响应". So levels are read
from whichever shape is there and thresholds from the quantities beside their metric words.
Who starts or ends a level is kept verbatim; nothing is filled in that the plan does not say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.document import Block
from ingest.extract import Extraction, ParsedDocument
from ingest.extract.incidents import find_incidents
from ingest.extract.plan import title_incident
from ingest.structure import Section, strip_number
from kg.numerals import cn_number
from ingest.taxonomy import Taxonomy
from kg.model import Node, NodeRef, Provenance, Relationship

SEVERITIES = ("特别重大", "重大", "较大", "一般")
RESPONSES = ("一级", "二级", "三级", "四级")
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "I": 1, "II": 2, "III": 3, "IV": 4,
          "一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4,
          "１": 1, "２": 2, "３": 3, "４": 4, "Ｉ": 1, "ＩＩ": 2, "ＩＩＩ": 3, "ＩＶ": 4}
_RN = r"(?:IV|III|II|I|ＩＶ|ＩＩＩ|ＩＩ|Ｉ|[ⅠⅡⅢⅣ一二三四1-4１-４])"
_SEV = r"(?:特别重大|重大|较大|一般)"
# "二级响应", "Ⅱ级、Ⅰ级响应", "二级、一级应急响应"; never "三级以上响应".
_RESP_LABEL = re.compile(rf"(?P<lv>{_RN}级(?:[、和及与/]{_RN}级)*)(?:应急)?响应")
_RESP_LEAD = re.compile(rf"^[\s　]*(?P<lv>{_RN}级(?:[、和及与/]{_RN}级)*)(?:应急)?响应[\s　]*[：:。．.，,]?")
# "特别重大：……", "Ⅱ级（重大）生产安全事故是指造成……"
_SEV_LEAD = re.compile(
    rf"^[\s　]*(?P<lv>{_SEV}|{_RN}级)(?:[（(](?:{_RN}级|{_SEV})[)）])?(?P<mid>[^：:，,。；;]{{0,16}}?)"
    rf"(?:[：:]|是指)")
_SEV_HEADING = re.compile(
    rf"^(?P<lv>{_SEV})(?:[（(]{_RN}级[)）])?"
    rf"(?:[\u4e00-\u9fff]{{0,10}}(?:事故|事件|灾害|火灾|灾情|险情|疫情))?$")
_SEV_TAIL = re.compile(rf"(?:的|者)?[，,]?(?<![分划])为(?P<lv>{_SEV})(?:[\u4e00-\u9fff]{{0,12}})$")
_SEV_REST = re.compile(rf"^其余(?:的)?为(?P<lv>{_SEV})")
_GRADING_HEAD = re.compile(r"分级|等级|级别")
_NOT_GRADING_HEAD = re.compile(r"响应|预警|警报")
_START = re.compile(r"(?:决定|宣布|批准)启动")
_END = re.compile(r"终止|结束|解除")
_DECIDE_END = re.compile(r"(?:决定|宣布)(?:终止|结束|解除)?")
_GENERIC_ENDER = re.compile(r"^(?:决定)?启动(?:应急)?响应的|^决定启动(?:响应)?的")

# Threshold metrics: the words that name them, and the units their counts take.
_METRICS = (
    ("deaths", re.compile(r"死亡|遇难|罹难")),
    ("injuries", re.compile(r"重伤|中毒|危重")),
    ("evacuated", re.compile(r"转移|安置|疏散|撤离")),
    ("loss", re.compile(r"损失")),
)
_QTY = re.compile(
    r"(?P<pre>超过|不少于|不低于|不足|少于|低于)?"
    r"(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)(?P<mag>万|亿)?"
    r"(?P<unit>人|名|例|元)(?P<bound>及以上|以上|及以下|以下|以内)?")
_AT_MOST = ("以下", "及以下", "以内")
_CLAUSE_SPLIT = re.compile(r"[，,；;、]|或者|并且|并|且")


def response_level(label: str) -> str | None:
    """"Ⅱ级" / "II级" / "二级响应" / "2级" → "二级"; None when not a numbered level."""
    m = re.match(rf"^[\s　]*({_RN})级", label)
    return RESPONSES[_ROMAN[m.group(1)] - 1] if m else None


def severity_level(label: str) -> str | None:
    """"特别重大" / "Ⅰ级" → "特别重大"."""
    m = re.match(rf"^[\s　]*({_SEV})", label)
    if m:
        return m.group(1)
    m = re.match(rf"^[\s　]*({_RN})级", label)
    return SEVERITIES[_ROMAN[m.group(1)] - 1] if m else None


@dataclass
class Quantity:
    value: float  # people, or 万元 for money
    unit: str  # "people" | "money"
    bound: str  # "min" | "max" | ""


_SPAN = re.compile(r"(?P<a>\d+(?:\.\d+)?)(?P<amag>万|亿)?(?:人|名|例|元)?(?:至|到|－|-|~|～|—)"
                   r"(?P<b>\d+(?:\.\d+)?)(?P<mag>万|亿)?(?P<unit>人|名|例|元)")


def _value(num: str, mag: str | None, unit: str) -> tuple[float, str]:
    value = float(num) * {"万": 10_000, "亿": 100_000_000}.get(mag or "", 1)
    if unit == "元":
        return value / 10_000, "money"  # 万元
    return value, "people"


def _tidy(v: float) -> float:
    return int(v) if v == int(v) else v


def quantities(text: str) -> list[Quantity]:
    """Counts of people and sums of money, each marked min/max by 以上/以下; "1至2人" is a
    min and a max."""
    out = []
    spans = []
    for m in _SPAN.finditer(text):
        a, unit = _value(m.group("a"), m.group("amag") or m.group("mag"), m.group("unit"))
        b, _ = _value(m.group("b"), m.group("mag"), m.group("unit"))
        spans.append((m.start(), [Quantity(_tidy(a), unit, "min"), Quantity(_tidy(b), unit, "max")]))
    text = _SPAN.sub(lambda m: "\uE000" * len(m.group(0)), text)
    for m in _QTY.finditer(text):
        value = cn_number(m.group("num"))
        if value is None:
            continue
        value, unit = _value(str(value), m.group("mag"), m.group("unit"))
        pre, bound = m.group("pre") or "", m.group("bound") or ""
        side = ("min" if pre in ("超过", "不少于", "不低于") or "以上" in bound else
                "max" if pre in ("不足", "少于", "低于") or bound in _AT_MOST else "")
        spans.append((m.start(), [Quantity(value=_tidy(value), unit=unit, bound=side)]))
    return [q for _, qs in sorted(spans, key=lambda x: x[0]) for q in qs]


def _ranges(qs: list[Quantity]) -> list[dict[str, float]]:
    """"10人以上30人以下" is one range; "30人以上" and "3人以下" are open ones."""
    out: list[dict[str, float]] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if q.bound == "min" and nxt and nxt.bound == "max" and nxt.unit == q.unit \
                and nxt.value > q.value:
            out.append({"min": q.value, "max": nxt.value, "unit": q.unit})
            i += 2
            continue
        if q.bound:
            out.append({q.bound: q.value, "unit": q.unit})
        i += 1
    return out


def _metric_of(text: str) -> str | None:
    found = [name for name, rx in _METRICS if rx.search(text)]
    if len(found) == 1:
        return found[0]
    return None


def _unit_fits(metric: str, unit: str) -> bool:
    return (unit == "money") == (metric == "loss")


@dataclass
class Thresholds:
    values: dict[str, float] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)

    def set(self, metric: str, rng: dict[str, float]) -> None:
        for side in ("min", "max"):
            if side in rng:
                self.values.setdefault(f"{metric}_{side}", rng[side])

    def merge(self, other: "Thresholds") -> None:
        for k, v in other.values.items():
            self.values.setdefault(k, v)
        self.other += [o for o in other.other if o not in self.other]

    def props(self) -> dict:
        return {**self.values, "other": "；".join(self.other) or None}


def _clause_value(clause: str, metric_hint: str | None) -> tuple[str, dict] | None:
    """(metric, range) when a clause states one metric with a count or sum."""
    metric = _metric_of(clause)
    if metric is None and metric_hint and not any(rx.search(clause) for _, rx in _METRICS):
        metric = metric_hint
    qs = quantities(clause)
    if metric is None and qs and all(q.unit == "money" for q in qs):
        metric = "loss"
    ranges = [r for r in _ranges(qs) if metric and _unit_fits(metric, r["unit"])]
    return (metric, ranges[0]) if metric and ranges else None


_RANGE_BREAK = re.compile(r"(以上)[、，,](?=(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)(?:万|亿)?"
                         r"(?:人|名|例|元)(?:以下|及以下|以内))")


def parse_thresholds(text: str, metric_hint: str | None = None) -> Thresholds:
    """Numeric thresholds in a criterion. An item (up to "；") that states no death, injury,
    evacuation or loss figure is kept whole, as written, in `other`; in an item that does,
    the alternatives ("……，或者……") without a figure are kept one by one."""
    out = Thresholds()
    for item in re.split(r"[；;]", text):
        item = _strip_alt(item)
        if not item or "包括本数" in item or item in ("—", "-", "/", "无"):
            continue
        alts = [_strip_alt(a) for a in re.split(r"(?<=[，,、])(?=或者)|[，,、](?=或者)", item)]
        numeric = False
        rest: list[str] = []
        for alt in alts:
            flat = re.sub(r"[（(][^）)]*[)）]", "", re.sub(r"\s+", "", alt))
            flat = _RANGE_BREAK.sub(r"\1", flat)  # "10人以上、30人以下" is one range
            found = [v for c in _CLAUSE_SPLIT.split(flat) if (v := _clause_value(c, metric_hint))]
            for metric, rng in found:
                out.set(metric, rng)
            numeric = numeric or bool(found)
            if not found and alt and not re.fullmatch(r"(?:的|事故|事件|造成)+", alt):
                rest.append(alt)
        out.other += rest if numeric else [item]
    return out


def _strip_alt(text: str) -> str:
    text = text.strip("、，,。；;：: \n　")
    text = re.sub(r"^(?:或者|或|其中[，,]?|另外[，,]?)", "", text)
    return text.strip("、，,。；;：: \n　")


# ------------------------------------------------------------------ statements


@dataclass
class SeverityStatement:
    level: str
    criteria: str  # the text the thresholds were read from
    quote: str  # verbatim from the document
    thresholds: Thresholds


@dataclass
class ResponseStatement:
    levels: list[str]
    label: str  # as written, e.g. "Ⅱ级、Ⅰ级响应"
    quote: str
    condition: str | None = None
    starter: str | None = None
    severities: list[str] = field(default_factory=list)
    from_table: bool = False
    # Further (condition, starter) pairs for the same level, e.g. for one kind of incident.
    more_starters: list[tuple[str, str]] = field(default_factory=list)


def _who(before: str) -> str | None:
    """The decider in the text before 决定: after the last 由/报请/经/报, one clause."""
    clause = re.split(r"[，,；;：:。]", before)[-1]
    clause = clause.rsplit("由", 1)[-1]
    if "报请" in clause:  # "总指挥报请区长决定": the one asked decides
        clause = clause.rsplit("报请", 1)[-1]
    else:
        clause = re.sub(r"^经.+?报(?![告送备])", "", clause)
    clause = re.sub(r"^(?:视情|必要时|可以|应当|并)+", "", clause).strip(" 　")
    return clause or None


def _severities(condition: str) -> list[str]:
    out: list[str] = []
    for m in re.finditer(rf"({_SEV})(以上)?", condition):
        lv = m.group(1)
        names = SEVERITIES[:SEVERITIES.index(lv) + 1] if m.group(2) else (lv,)
        out += [n for n in names if n not in out]
    return out


def _condition(before: str) -> str:
    """Clauses before the decision, up to the first that names who proposes or decides."""
    keep = []
    for clause in re.split(r"(?<=[，,；;])", before):
        if re.match(r"^(?:由|经|报请|在)", clause):
            break
        keep.append(clause)
    if len(keep) == 1 and "由" in keep[0]:  # "发生较大事故由区长决定启动"
        keep = [keep[0].rsplit("由", 1)[0]]
    return "".join(keep)


_BY_STARTS = re.compile(r"(?:分别)?由(?P<who>[^，,；;。：:]{2,40}?)(?:按职责)?(?:负责)?启动")


def parse_response_chunk(text: str) -> ResponseStatement | None:
    """One level definition that starts with its label: "（2）Ⅲ级响应：发生……，由总指挥决定启动。"."""
    body = strip_number(text)
    m = _RESP_LEAD.match(body)
    if not m:
        return None
    rest = body[m.end():]
    if re.match(r"^在[^，,]*基础上", rest) or not re.search(r"启动|发生|条件|造成", rest):
        return None  # response measures ("在四级响应基础上……"), not the level's definition
    if re.match(r"^(?:分别)?由[^，,；;。]{0,24}?(?:负责)?(?:调整|终止|结束|解除)", rest):
        return None  # who adjusts or ends the level ("由领导小组负责调整或终止，程序如下"), not its start
    levels = [response_level(x) for x in re.findall(rf"{_RN}级", m.group("lv"))]
    st = ResponseStatement(levels=[lv for lv in levels if lv], label=body[:m.end()].rstrip("：:。．.，, 　"),
                           quote=text.strip())
    starts = list(_START.finditer(rest))
    start = starts[0] if starts else None
    for later in starts[1:]:
        # "……由牵头部门主要负责同志决定启动；工贸企业事故由区应急管理局局长决定启动"
        seg_start = max(rest.rfind(c, 0, later.start()) for c in "；;。") + 1
        seg = rest[seg_start:later.start()]
        who = _who(seg)
        if who and seg_start > 0:
            st.more_starters.append((_condition(seg).strip("，,；;。 　"), who))
    by = _BY_STARTS.search(rest) if not start else None
    if start:
        st.starter = _who(rest[:start.start()])
        cond = _condition(rest[:start.start()])
    elif by:
        # "Ⅰ级应急响应由自治区人民政府或交通运输部启动", "分别由市、县级应急指挥机构负责启动"
        st.starter = by.group("who")
        cond = rest[:by.start()]
    else:
        plain = re.search(r"[，,；;]?(?:立即|即)?启动", rest)
        if plain:
            cond = rest[:plain.start()]
        else:
            parts = re.split(r"[，,；;。]", rest)
            keep = [parts[0]] + [p for p in parts[1:] if p.startswith("或")]
            cond = "，".join(keep)
    cond = cond.strip("，,；;。 　")
    st.condition = cond or None
    st.severities = _severities(cond)
    return st if st.levels else None


_INLINE_START = re.compile(
    rf"(?P<who>[^，,；;。：:]*?)(?:决定|宣布|批准)启动(?:本区|区级|街道|镇级|本局|部门)?"
    rf"(?P<lv>{_RN}级(?:[、和及与/]{_RN}级)*)(?:应急)?响应")


def parse_response_inline(sentence: str) -> ResponseStatement | None:
    """"发生较大事故时，由区长决定启动二级响应。" — no label at the start."""
    m = _INLINE_START.search(sentence)
    if not m:
        return None
    levels = [response_level(x) for x in re.findall(rf"{_RN}级", m.group("lv"))]
    who = _who(m.group("who"))
    cond = _condition(sentence[:m.start()]).strip("，,；;。 　")
    return ResponseStatement(levels=[lv for lv in levels if lv], label=f"{m.group('lv')}响应",
                             quote=sentence.strip(), condition=cond or None, starter=who,
                             severities=_severities(cond))


# A body's name heading the duties it lists ("2.1.1 领导小组" over "（5）决定终止Ⅱ级应急响应").
_BODY_HEAD = re.compile(r"(?:领导小组|指挥部|委员会|办公室|指挥机构|工作组)$")


def parse_enders(sentence: str, doer: str = "") -> tuple[dict[str, str], str | None]:
    """({level: ender}, general ender) from a sentence on ending responses.

    "四级响应由区公安分局局长决定终止；…二级、一级响应由区长决定终止" names enders per level;
    "由启动响应的机构宣布响应结束" is the general rule (returned as the verbatim phrase).
    """
    per_level: dict[str, str] = {}
    general: str | None = None
    if not _END.search(sentence):
        return per_level, general
    current: list[str] = []
    for clause in re.split(r"[，,；;：:。]", sentence):
        labels = _RESP_LABEL.findall(clause)
        if labels:
            current = [response_level(x) for lab in labels for x in re.findall(rf"{_RN}级", lab)]
            current = [c for c in current if c]
        if "预警" in clause and "响应" not in clause:
            current = []
            continue  # who ends a warning does not end a response
        dm = re.search(r"(?:决定|宣布|负责(?:调整[或和及、])?)(?=(?:应急)?(?:响应)?(?:终止|结束|解除)|$)",
                       clause)
        if not dm or "由" not in clause[:dm.start()] and not current:
            continue
        # "（5）决定终止Ⅱ级应急响应" in the list of duties under "领导小组": the heading decides
        bare = re.sub(r"^\s*[（(]?[0-9一二三四五六七八九十]+[)）.．、]?\s*", "", clause[:dm.start()])
        who = _who(bare) if bare.strip() else (doer or None)
        if not who:
            continue
        generic = _GENERIC_ENDER.match(who)
        if labels or (current and not generic):
            for lv in current:
                per_level.setdefault(lv, who)
        elif general is None:
            general = who
    return per_level, general


# ------------------------------------------------------------------ tables


def _col(header: list[str], pattern: str) -> int | None:
    for i, h in enumerate(header):
        if re.search(pattern, h):
            return i
    return None


def _table_runs(blocks: list[Block]) -> list[list[Block]]:
    runs: list[list[Block]] = []
    current: list[Block] = []
    for b in blocks:
        if b.kind == "table_row":
            current.append(b)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def response_table(rows: list[Block]) -> list[ResponseStatement]:
    if not rows or not rows[0].cells:
        return []
    header = rows[0].cells
    if not re.search(r"级别|等级|响应", header[0]):
        return []
    cond_i = _col(header, r"条件|情形|标准")
    start_i = _col(header, r"决定|程序|批准|主体|决策")
    if cond_i is None and start_i is None:
        return []
    if start_i is None and not any("响应" in h for h in header):
        return []  # a grading table with a 标准 column, not a response table
    out: list[ResponseStatement] = []
    for row in rows[1:]:
        cells = row.cells
        if len(cells) != len(header) or not cells[0].strip():
            continue
        label = cells[0].strip()
        levels = [response_level(x) for x in re.findall(rf"{_RN}级", label)] or \
            ([re.sub(r"\s+", "", label)] if "响应" in label else [])
        levels = [lv for lv in levels if lv]
        if not levels:
            continue
        cond = cells[cond_i].strip() if cond_i is not None else None
        starter = None
        if start_i is not None:
            cell = cells[start_i]
            m = re.search(r"决定|批准|宣布", cell)
            if m:
                starter = _who(cell[:m.start()])
        out.append(ResponseStatement(levels=levels, label=label, quote=row.text,
                                     condition=cond or None, starter=starter,
                                     severities=_severities(cond or ""), from_table=True))
    return out


def _metric_for_header(h: str) -> str | None:
    m = _metric_of(h)
    if m:
        return m
    return None


def grading_table(rows: list[Block]) -> list[SeverityStatement]:
    if not rows or not rows[0].cells:
        return []
    header = rows[0].cells
    if not re.search(r"级别|等级|分级", header[0]) or any("响应" in h for h in header):
        return []
    out = []
    for row in rows[1:]:
        cells = row.cells
        if len(cells) != len(header):
            continue
        level = severity_level(cells[0])
        if not level:
            continue
        th = Thresholds()
        for h, cell in zip(header[1:], cells[1:]):
            th.merge(parse_thresholds(cell, _metric_for_header(h)))
        out.append(SeverityStatement(level=level, criteria="；".join(cells[1:]), quote=row.text,
                                     thresholds=th))
    return out


_RUN_LEVEL = re.compile(rf"({_SEV})(?=\d)")


def grading_run_together(text: str, header_text: str) -> list[SeverityStatement]:
    """A PDF table whose cells lost their separators: "重大10人以上30人以下50人以上……"; the
    column order comes from the header words before the first level."""
    hits = list(_RUN_LEVEL.finditer(text))
    if not hits:
        return []
    order: list[str] = []
    for m in re.finditer(r"死亡|重伤|中毒|转移|安置|损失", header_text):
        metric = _metric_of(m.group(0))
        if metric and metric not in order:
            order.append(metric)
    if not order:
        return []
    out = []
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        seg = text[m.start():end]
        seg = re.split(r"注[:：]|级别", seg)[0].strip()
        ranges = _ranges(quantities(seg[len(m.group(1)):]))
        th = Thresholds()
        metrics = iter(order)
        for rng in ranges:
            metric = next(metrics, None)
            while metric is not None and not _unit_fits(metric, rng["unit"]):
                metric = next(metrics, None)
            if metric is None:
                break
            th.set(metric, rng)
        if th.values:
            out.append(SeverityStatement(level=m.group(1), criteria=seg, quote=seg, thresholds=th))
    return out


# ------------------------------------------------------------------ sections


def _joined_units(section: Section) -> list[str]:
    """The section's paragraphs, a paragraph broken across lines joined back (with its line
    break, so the unit stays verbatim document text)."""
    units: list[str] = []
    for b in section.blocks:
        if b.kind == "table_row":
            continue
        last_line = units[-1].rsplit("\n", 1)[-1] if units else ""
        broken = len(last_line) >= 20 and last_line[-1] not in "。！？；;：:!?"
        continued = bool(last_line) and last_line[-1] in "；;，," and re.match(r"^(?:或者|或|以及|并且)", b.text)
        if (broken or continued) \
                and b.kind == "paragraph" and strip_number(b.text) == b.text \
                and not _RESP_LEAD.match(b.text) and not _SEV_LEAD.match(b.text):
            units[-1] = f"{units[-1]}\n{b.text}"
        else:
            units.append(b.text)
    return units


def _chunks(unit: str, lead: re.Pattern[str]) -> list[str]:
    """Split a paragraph where a sentence starts with a level label (crawled pages put several
    items in one paragraph)."""
    starts = [0]
    for m in re.finditer(r"(?<=[。；;])", unit):
        if m.end() < len(unit) and lead.match(unit[m.end():]):
            starts.append(m.end())
    return [unit[a:b].strip() for a, b in zip(starts, starts[1:] + [len(unit)]) if unit[a:b].strip()]


def _headings(section: Section, by_path: dict[str, Section]) -> list[str]:
    out, s = [], section
    while s is not None:
        out.append(s.heading or "")
        s = by_path.get(s.parent_path) if s.parent_path else None
    return out


def _grading_context(section: Section, by_path: dict[str, Section]) -> bool:
    for h in _headings(section, by_path):
        if h and _NOT_GRADING_HEAD.search(h):
            return False
        if h and _GRADING_HEAD.search(h):
            return True
    return False


def _heading_level(section: Section, by_path: dict[str, Section]) -> str | None:
    s = section
    while s is not None:
        if s.heading:
            m = _SEV_HEADING.match(s.heading)
            if m and not _NOT_GRADING_HEAD.search(s.heading):
                return m.group("lv")
        s = by_path.get(s.parent_path) if s.parent_path else None
    return None


def severity_statements(section: Section, by_path: dict[str, Section]) -> list[SeverityStatement]:
    out: list[SeverityStatement] = []
    in_grading = _grading_context(section, by_path)
    for run in _table_runs(section.blocks):
        out += grading_table(run)
    if not in_grading:
        # Lost headings: still take "特别重大：死亡30人以上……" lines that carry numbers.
        for unit in _joined_units(section):
            for chunk in _chunks(unit, _SEV_LEAD):
                st = _lead_statement(chunk)
                if st and st.thresholds.values:
                    out.append(st)
        return out
    head_level = _heading_level(section, by_path)
    units = _joined_units(section)
    header_text = ""
    for i, unit in enumerate(units):
        if i == 0 and section.heading and strip_number(unit) == section.heading:
            continue
        if _RUN_LEVEL.search(unit) and not _SEV_LEAD.match(strip_number(unit)):
            run = grading_run_together(unit, header_text + unit[:_RUN_LEVEL.search(unit).start()])
            if run:
                out += run
                tail = re.split(r"(?=级别|等级)", unit)
                header_text = tail[-1] if len(tail) > 1 else ""
                continue
        header_text = "" if unit.endswith("。") else unit
        found = False
        for chunk in _chunks(unit, _SEV_LEAD):
            st = _lead_statement(chunk)
            if st:
                out.append(st)
                found = True
        if found:
            continue
        tails = _tail_statements(unit)
        if tails:
            out += tails
            continue
        if head_level and "包括本数" not in unit and (quantities(unit) or len(unit) > 6):
            body = strip_number(unit)
            out.append(SeverityStatement(level=head_level, criteria=body, quote=body,
                                         thresholds=parse_thresholds(body)))
    return out


def _lead_statement(chunk: str) -> SeverityStatement | None:
    body = strip_number(chunk)
    m = _SEV_LEAD.match(body)
    if not m or re.search(r"响应|预警|警报", m.group("mid") or ""):
        return None
    level = severity_level(m.group("lv"))
    criteria = body[m.end():].strip()
    if not level or not criteria:
        return None
    return SeverityStatement(level=level, criteria=criteria, quote=body.strip(),
                             thresholds=parse_thresholds(criteria))


def _tail_statements(unit: str) -> list[SeverityStatement]:
    """"造成3人以下死亡……的，为一般事故；造成……的，为较大事故" and "其余为一般"."""
    out = []
    for piece in re.split(r"[；;。]", unit):
        piece = piece.strip()
        if not piece:
            continue
        criteria_part = re.split(r"[：:]", piece)[-1].strip()
        m = _SEV_REST.match(criteria_part)
        if m:
            out.append(SeverityStatement(level=m.group("lv"), criteria=criteria_part,
                                         quote=criteria_part,
                                         thresholds=Thresholds(other=[criteria_part])))
            continue
        m = _SEV_TAIL.search(criteria_part)
        if m and m.start() > 0:
            criteria = criteria_part[:m.start()]
            out.append(SeverityStatement(level=m.group("lv"), criteria=criteria,
                                         quote=criteria_part,
                                         thresholds=parse_thresholds(criteria)))
            continue
        m = _SEV_REST.match(criteria_part)
        if m:
            out.append(SeverityStatement(level=m.group("lv"), criteria=criteria_part,
                                         quote=criteria_part,
                                         thresholds=Thresholds(other=[criteria_part])))
            continue
    return out


def response_statements(section: Section) -> list[ResponseStatement]:
    out: list[ResponseStatement] = []
    for run in _table_runs(section.blocks):
        out += response_table(run)
    for unit in _joined_units(section):
        for chunk in _chunks(unit, _RESP_LEAD):
            st = parse_response_chunk(chunk)
            if st is None:
                for sent in re.split(r"(?<=[。；;])", chunk):
                    inline = parse_response_inline(sent) if sent.strip() else None
                    if inline and inline.levels:
                        out.append(inline)
            else:
                out.append(st)
    return out


_LEVEL_HEADING = re.compile(rf"^[\s　]*(?P<rn>{_RN})[\s　]*级[\s　]*(?:[（(](?P<sev>{_SEV})[)）])?[\s　]*$")
_LIST_START = re.compile(rf"(?:下列|以下|如下)[^，,。；;]{{0,8}}(?:情形|情况|条件)[^。；;]*?启动[\s　]*"
                         rf"(?P<lv>{_RN})[\s　]*级(?:应急)?响应[^：:]*[：:]$")


def level_list_statements(section: Section) -> tuple[ResponseStatement | None,
                                                     SeverityStatement | None]:
    """A level's own part of an annex: its heading ("Ⅱ级（重大）"), "有下列情形之一的，启动Ⅱ级
    应急响应：" and one condition a line. The conditions start the level; when the heading names
    the severity too, they are that severity's criteria as well."""
    head = _LEVEL_HEADING.match(section.heading or "")
    if not head:
        return None, None
    units = [u.strip() for u in _joined_units(section) if u.strip()]
    if units and _LEVEL_HEADING.match(units[0]):
        units = units[1:]
    if len(units) < 2:
        return None, None
    intro = _LIST_START.search(units[0])
    if not intro:
        return None, None
    items = [u.rstrip("；;。") for u in units[1:]]
    level = response_level(intro.group("lv") + "级")
    quote = "\n".join(units)
    condition = "；".join(items)
    sev = head.group("sev")
    resp = ResponseStatement(levels=[level] if level else [], label=f"{head.group('rn')}级应急响应",
                             quote=quote, condition=condition,
                             severities=[sev] if sev else [])
    grade = (SeverityStatement(level=sev, criteria=condition, quote=quote,
                               thresholds=parse_thresholds(condition)) if sev else None)
    return (resp if resp.levels else None), grade


# ------------------------------------------------------------------ extractor


class PlanLevelsExtractor:
    """SeverityLevel and ResponseLevel nodes a plan defines, with the sentences that define them."""

    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        meta = doc.meta
        plan_ref = NodeRef(label="Document", key=meta.doc_id)
        by_path = {s.path: s for s in doc.sections}
        incidents = self._incidents(doc, taxonomy, by_path)

        def prov(section: Section, quote: str) -> Provenance:
            return Provenance(doc_id=meta.doc_id, section_id=doc.section_key(section),
                              section=section.path, quote=quote)

        severities: dict[str, dict] = {}
        responses: dict[str, dict] = {}
        severity_rels: list[tuple[str, Provenance, dict]] = []
        response_rels: list[tuple[str, Provenance, dict]] = []
        enders: dict[str, tuple[str, Provenance]] = {}
        general_ender: tuple[str, Provenance] | None = None

        listed = [(section, *level_list_statements(section)) for section in doc.sections]
        found_responses = [(section, st) for section in doc.sections
                           for st in response_statements(section)]
        found_responses += [(section, st) for section, st, _ in listed if st]
        # Prose before tables: a plan that has both words its conditions fully in the prose.
        found_responses.sort(key=lambda x: x[1].from_table)
        for section, st in found_responses:
            p = prov(section, st.quote)
            for level in st.levels:
                node = responses.setdefault(level, {"label": st.label})
                for k in ("condition", "starter"):
                    if getattr(st, k) and not node.get(k):
                        node[k] = getattr(st, k)
                        if k == "starter":
                            node["starter_quote"] = st.quote
                            node["starter_section"] = section.path
                if not node.get("severities"):
                    node["severities"] = st.severities
                for who in [st.starter] + [w for _, w in st.more_starters]:
                    if who and who not in node.setdefault("starters", []):
                        node["starters"].append(who)
                for cond, who in st.more_starters:
                    node.setdefault("special_starts", []).append(f"{cond}：{who}")
                response_rels.append((level, p, {"condition": st.condition,
                                                 "starter": st.starter}))
        listed_grades = {section.path: g for section, _, g in listed if g}
        for section in doc.sections:
            graded = severity_statements(section, by_path)
            if section.path in listed_grades:
                graded.append(listed_grades[section.path])
            for st in graded:
                p = prov(section, st.quote)
                node = severities.setdefault(st.level, {"thresholds": Thresholds(), "criteria": []})
                node["thresholds"].merge(st.thresholds)
                node["criteria"].append(st.criteria)
                severity_rels.append((st.level, p, {"criteria": st.criteria,
                                                    **st.thresholds.props()}))
            for unit in _joined_units(section):
                for sent in re.split(r"(?<=[。])", unit):
                    if not sent.strip():
                        continue
                    head = strip_number(section.heading or "").strip()
                    if not head and section.parent_path and section.parent_path in by_path:
                        head = strip_number(by_path[section.parent_path].heading or "").strip()
                    per_level, general = parse_enders(
                        sent, head if _BODY_HEAD.search(head) and len(head) <= 20 else "")
                    for lv, who in per_level.items():
                        enders.setdefault(lv, (who, prov(section, sent.strip())))
                    if general and general_ender is None:
                        general_ender = (general, prov(section, sent.strip()))

        seen_incidents: set[str] = set()

        def about(start: NodeRef, p: Provenance) -> None:
            for name in incidents:
                if name not in seen_incidents:
                    seen_incidents.add(name)
                    entry = taxonomy.incident_types.entries.get(name)
                    out.nodes.append(Node(label="IncidentType", key=name, props={
                        "name": name, "aliases": entry.aliases if entry else [],
                        "categories": taxonomy.incident_ancestors(name)}))
                out.relationships.append(Relationship(
                    type="ABOUT", start=start, end=NodeRef(label="IncidentType", key=name),
                    provenance=p))

        for level, data in severities.items():
            key = f"{meta.doc_id}#{level}"
            rank = SEVERITIES.index(level) + 1
            out.nodes.append(Node(label="SeverityLevel", key=key, props={
                "name": level, "level": level, "rank": rank, "roman": "ⅠⅡⅢⅣ"[rank - 1] + "级",
                "criteria": data["criteria"], "incident_types": incidents,
                **data["thresholds"].props()}))
        for level, data in responses.items():
            key = f"{meta.doc_id}#{level}"
            ender, ender_p = enders.get(level, (None, None))
            if ender is None and general_ender is not None and data.get("starter"):
                # "由启动响应的机构宣布响应结束": kept as written; it names no one for a level
                # nobody is named to start.
                ender, ender_p = general_ender
            out.nodes.append(Node(label="ResponseLevel", key=key, props={
                "name": level, "level": level,
                "rank": RESPONSES.index(level) + 1 if level in RESPONSES else 0,
                "label": data.get("label"), "condition": data.get("condition"),
                "starter": data.get("starter"), "starters": data.get("starters") or [],
                "special_starts": data.get("special_starts") or [],
                "starter_quote": data.get("starter_quote"),
                "starter_section": data.get("starter_section"), "ender": ender,
                "ender_quote": ender_p.quote if ender_p else None,
                "ender_section": ender_p.section if ender_p else None,
                "severities": data.get("severities") or [], "incident_types": incidents}))

        first_seen: set[str] = set()
        for label, rels in (("SeverityLevel", severity_rels), ("ResponseLevel", response_rels)):
            for level, p, props in rels:
                ref = NodeRef(label=label, key=f"{meta.doc_id}#{level}")
                out.relationships.append(Relationship(
                    type="DEFINES", start=plan_ref, end=ref, provenance=p,
                    props={k: v for k, v in props.items() if v not in (None, [], "")}))
                if ref.key + label not in first_seen:
                    first_seen.add(ref.key + label)
                    about(ref, p)
        return out

    @staticmethod
    def _incidents(doc: ParsedDocument, taxonomy: Taxonomy,
                   by_path: dict[str, Section]) -> list[str]:
        ti = title_incident(doc.meta.title, taxonomy)
        if ti:
            return [ti[1]]
        for section in doc.sections:  # a general plan: the type its grading table is for
            if section.heading and _GRADING_HEAD.search(section.heading) \
                    and not _NOT_GRADING_HEAD.search(section.heading):
                for b in section.blocks:
                    m = re.match(r"^表\s*\d+\s*(.+?)分级", b.text)
                    if m:
                        found = find_incidents(m.group(1), taxonomy)
                        if found:
                            return [found[0][1]]
        return []
