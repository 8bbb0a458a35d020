"""expert and expert_rule: which experts to call for an incident, hazard or field, and what the
expert-library regulation says (调用程序, 到场时限, 聘期, 回避 …).

expert: the question is linked to fields (名称/别名), hazards and incident types (with their
ancestors and subtypes); fields RELEVANT_TO them are scored (a field asked directly counts most,
then a field relevant to a named hazard, then to the incident type, then to its relatives);
experts in those fields are ranked by field score and research overlap with the question, then
availability (7×24 first), then region (the district before the city before other provinces).
Only 在库 experts are recommended; 暂停/退出 ones are named in a note. A question naming an
expert gets that expert's status, availability and (masked) phones.

Phones are masked by default (`mask_phone`); callers authorised to see them (API roles) ask
with `Query.show_phones` (Assistant.ask(..., show_phones=True)) or call
`answer(store, query, show_phones=True)`.

expert_rule: the Articles of the regulation whose title contains 专家, the sentence best matching
the question by character bigrams (IDF-weighted, with colloquial words mapped to the wording
regulations use), quoted verbatim with its article number.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers.units import source_rank
from retrieval.scope import NATIONAL, places_of
from retrieval.contract import Answer, Citation, Entity, Fact
from retrieval.normalize import char_bigrams

_NOT_OURS = r"(?!.*(?:一致|矛盾|冲突|对照|哪一条|哪几条|第几条|论证|预案(?:里|中|说|规定)))"
ROUTES: list[tuple[str, str, int]] = [
    ("expert_rule",
     r"^" + _NOT_OURS + r"(?=.*专家).*(?:聘期|聘任|续聘|到场|到达现场|多久|多长时间|几天|几年|几次"
     r"|几个组|几组|分几|(?<!哪)几(?:名|个专家|位专家)|公示|保险|咨询费|劳务费|费用|经费|考核|清退|除名"
     r"|年龄|岁|入库|遴选|条件|回避吗|能不能|能否|可不可以|可以直接|评审|书面意见|谁能查|谁可以查"
     r"|查阅|谁管理|谁管|负责管理|怎么处理|如何处理|直接指挥|更新|保密|暂停调用|退出后|回话|答复"
     r"|申请|调用程序|怎么调用|如何调用)", 6),
    ("expert", r"^" + _NOT_OURS + r"(?:.*专家|.*有没有懂|.*懂.{1,8}的(?:人|吗)|.*恢复调用"
     r"|.*打不通|.*(?:别的|其他|备用)(?:号码|电话|手机)|.*(?:能|可以|可否)(?:调用|叫|请)吗"
     r"|.*在库吗|.*还在(?:专家)?库)", 7),
    ("expert", r"找谁[?？。!！]?$|找哪位|请哪位", 90),
]

TOP_N = 5

# Colloquial question words → the wording rules use (added to the question before matching).
_EXPAND: dict[str, str] = {
    "到场": "到达现场", "回话": "答复", "回复": "答复", "清退": "退出", "除名": "退出",
    "上限": "不超过", "最大": "不超过", "叫": "调用", "调几": "调用", "请专家": "调用专家",
    "能查": "查阅", "谁能看": "查阅", "手机号": "手机号码", "交": "提交",
    "出国": "出国（境）", "多久": "小时分钟内", "多长时间": "小时分钟内", "几天": "工作日日",
    "几年": "年", "从哪出": "经费保障", "谁出": "经费保障", "意外": "意外伤害",
    "几个组": "专家组", "分几": "分设", "还留": "保留", "谁": "负责", "出事": "事发",
    "企业": "单位", "公司": "单位", "上过班": "任职", "上班": "任职", "工作过": "任职", "以前": "曾",
}


# ---------------------------------------------------------------- phones

_MOBILE = re.compile(r"(?<![\d])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<![\d])(0(?:[12]\d|\d{3}))[- ]?(\d{3,4})[- ]?(\d{4})(?!\d)")


def mask_phone(s: str) -> str:
    """A phone number with its middle digits hidden: 13955551207 / 139-5555-1207 → 139****1207,
    02155553301 → 021****3301; an extension is kept (…-8012). Text without 7+ digits is
    returned unchanged."""
    s = unicodedata.normalize("NFKC", s or "").strip()
    ext = ""
    m = re.search(r"-(\d{1,6})$", s)
    digits = re.sub(r"\D", "", s)
    if m and len(digits) - len(m.group(1)) >= 7 and (s.count("-") == 1 or len(digits) > 12):
        ext, digits = "-" + m.group(1), digits[:-len(m.group(1))]
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 7:
        return s
    head = 4 if digits.startswith("0") and len(digits) > 11 else 3
    return f"{digits[:head]}****{digits[-4:]}{ext}"


def mask_phones_in_text(text: str) -> str:
    """Every mobile or landline number inside a text masked (a roster row quoted as a source)."""
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


# ---------------------------------------------------------------- vocabulary (cached)

@dataclass
class _Vocab:
    surfaces: dict[str, tuple[str, str]] = field(default_factory=dict)  # surface → (label, name)
    fields: dict[str, list[str]] = field(default_factory=dict)  # field → names and aliases
    expert_names: set[str] = field(default_factory=set)
    relevant: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (kind, target) → fields
    hazards_of: dict[str, set[str]] = field(default_factory=dict)  # incident → hazards
    incidents_of: dict[str, set[str]] = field(default_factory=dict)  # hazard → incidents
    pattern: re.Pattern[str] | None = None
    sections: dict[str, list[str]] = field(default_factory=dict)  # doc_id → lines
    articles: list[dict[str, Any]] | None = None


_CACHE: dict[int, tuple[object, _Vocab]] = {}


def _key(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def _vocab(store: GraphStore, query: Query) -> _Vocab:
    """Names loaded once per gazetteer (the assistant rebuilds it when the data changed)."""
    token = query.gazetteer
    hit = _CACHE.get(id(store))
    if hit is not None and hit[0] is token:
        return hit[1]
    v = _Vocab()
    for r in store.query("expert_vocabulary"):
        label, name = r["label"], r["name"]
        if label == "Expert":
            if name:
                v.expert_names.add(_key(name))
            continue
        names = [name, *(r.get("aliases") or [])]
        if label == "Field":
            v.fields[name] = names
        for s in names:
            k = _key(s)
            if len(k) >= 2:
                v.surfaces.setdefault(k, (label, name))
    for r in store.query("field_relevance"):
        v.relevant.setdefault((r["kind"], r["target"]), set()).add(r["field"])
    for r in store.query("incident_hazards"):
        v.hazards_of.setdefault(r["incident"], set()).add(r["hazard"])
        v.incidents_of.setdefault(r["hazard"], set()).add(r["incident"])
    if v.surfaces:
        v.pattern = re.compile("|".join(re.escape(s) for s in sorted(v.surfaces, key=len,
                                                                      reverse=True)))
    _CACHE[id(store)] = (token, v)
    return v


def _doc_lines(store: GraphStore, v: _Vocab, doc_id: str) -> list[str]:
    if doc_id not in v.sections:
        lines: list[str] = []
        for s in store.query("document_sections", doc_id=doc_id):
            lines += [ln for ln in (s.get("text") or "").split("\n") if ln.strip()]
        v.sections[doc_id] = lines
    return v.sections[doc_id]


# ---------------------------------------------------------------- entry point

def answer(store: GraphStore, query: Query, show_phones: bool = False) -> Answer | None:
    show_phones = show_phones or query.show_phones
    v = _vocab(store, query)
    named = _named_experts(v, query.text)
    if named:
        return person_answer(store, query, named, show_phones)
    if query.intent == "expert_rule":
        return rule_answer(store, query, v)
    return finder_answer(store, query, v, show_phones)


def _named_experts(v: _Vocab, text: str) -> list[str]:
    """Expert names in the question (two characters or more, longest first, no overlaps)."""
    found: list[str] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(v.expert_names, key=len, reverse=True):
        if len(name) < 2:
            continue
        for m in re.finditer(re.escape(name), text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                if name not in found:
                    found.append(name)
    return found


# ---------------------------------------------------------------- expert rows

def _rank_avail(a: str | None) -> int:
    a = _key(a or "")
    if a in ("7×24", "7*24", "24小时"):
        return 0
    if "7×24" in a or "24小时" in a:
        return 1
    return 2


def _rank_region(r: str | None) -> int:
    r = r or ""
    if r.endswith("区"):
        return 0
    if r.endswith("市") and not r.startswith("外"):
        return 1
    return 2


def _group_rows(rows: list[dict[str, Any]]) -> OrderedDict[str, dict[str, Any]]:
    """One entry per expert: its properties, the fields matched and the roster rows citing it."""
    out: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for r in rows:
        e = out.setdefault(r["key"], {**r, "matched": [], "rows": []})
        if r["field"] not in e["matched"]:
            e["matched"].append(r["field"])
        e["rows"].append(r)
    return out


def _cite_row(rows: list[dict[str, Any]], prefer: set[str], show_phones: bool) -> Citation:
    r = sorted(rows, key=lambda x: (x["doc_id"] not in prefer, x["doc_id"]))[0]
    quote = r["quote"] if show_phones else mask_phones_in_text(r["quote"])
    return Citation(doc_id=r["doc_id"], title=r["doc_title"] or r["doc_id"], section=r["section"],
                    quote=quote)


def _phones(e: dict[str, Any], show: bool) -> list[str]:
    return [p if show else mask_phone(p) for p in (e.get("phones") or [])]


def _expert_dict(e: dict[str, Any], why: str, show_phones: bool) -> dict[str, Any]:
    phones = _phones(e, show_phones)
    return {"name": e["name"], "title": e.get("title") or "", "organisation": e.get("organisation") or "",
            "fields": list(e.get("fields") or e["matched"]), "availability": e.get("availability") or "",
            "region": e.get("region") or "", "status": e.get("status") or "", "why": why,
            "phone": phones[0] if phones else "", "phones": phones,
            "research": e.get("research") or ""}


# ---------------------------------------------------------------- named experts

def person_answer(store: GraphStore, query: Query, names: list[str],
                  show_phones: bool) -> Answer | None:
    rows = store.query("experts_by_name", names=names)
    if not rows:
        return None
    experts = _group_rows(rows)
    parts, cites, dicts, facts = [], [], [], []
    for e in experts.values():
        status = e.get("status") or "未注明"
        desc = "、".join(x for x in (e.get("organisation"), e.get("title")) if x)
        s = f"{e['name']}（{desc}，{'、'.join(e['matched'])}领域）状态为{status}"
        if status == "在库":
            s += f"，可以调用，可联系时段：{e.get('availability') or '未注明'}"
        else:
            s += "，不予调用" if status in ("暂停", "退出") else ""
        if e.get("remark"):
            s += f"；备注：{e['remark']}"
        phones = _phones(e, show_phones)
        if phones and status != "退出":
            s += f"；登记电话{len(phones)}个：{'、'.join(phones)}"
            if not show_phones:
                s += "（完整号码须经授权查阅）"
        parts.append(s + "。")
        # Every roster that lists the person: two registers may hold different numbers.
        for doc_id in dict.fromkeys(r["doc_id"] for r in e["rows"]):
            cites.append(_cite_row([r for r in e["rows"] if r["doc_id"] == doc_id], set(),
                                   show_phones))
        dicts.append(_expert_dict(e, f"问题点名{e['name']}", show_phones))
        for r in e["rows"]:
            facts.append(Fact(subject=e["name"], relation="EXPERT_IN", object=r["field"],
                              doc_id=r["doc_id"], section=r["section"]))
    cites = list(OrderedDict(((c.doc_id, c.quote), c) for c in cites).values())
    return Answer(question=query.question, intent="expert",
                  entities=[Entity(type="Expert", name=n) for n in names],
                  answer="".join(parts), facts=facts, citations=cites, experts=dicts)


# ---------------------------------------------------------------- scoring (shared with search)

@dataclass
class FieldScores:
    """How well each expert field fits what was asked, and the best reason for it."""
    scores: dict[str, float] = field(default_factory=dict)
    why: dict[str, tuple[float, str]] = field(default_factory=dict)
    best_one: dict[str, float] = field(default_factory=dict)  # the strongest single reason
    seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, f: str, score: float, reason: str, source: str = "") -> None:
        if source:  # one contribution per field and source (an incident, a hazard)
            if (f, source) in self.seen:
                return
            self.seen.add((f, source))
        self.scores[f] = self.scores.get(f, 0.0) + score
        self.best_one[f] = max(self.best_one.get(f, 0.0), score)
        if f not in self.why or score > self.why[f][0]:
            self.why[f] = (score, reason)


def score_related_fields(fs: FieldScores, v: _Vocab, hazards: list[str], incidents: list[str],
                         categories: dict[str, list[str]]) -> None:
    """Fields relevant to named hazards (2.5), to the incident types (2.0), to the hazards those
    types involve and to their parent types (1.0), and to their subtypes (0.5)."""
    for hz in hazards:
        for f in v.relevant.get(("Hazard", hz), ()):
            fs.add(f, 2.5, f"{f}领域对应风险源“{hz}”")
    for inc in incidents:
        for f in v.relevant.get(("IncidentType", inc), ()):
            fs.add(f, 2.0, f"{f}领域对应事件类型“{inc}”")
        for hz in v.hazards_of.get(inc, ()):
            for f in v.relevant.get(("Hazard", hz), ()):
                fs.add(f, 1.0, f"{f}领域对应“{inc}”涉及的风险源“{hz}”", "hz:" + inc)
        for anc in categories.get(inc, []):
            for f in v.relevant.get(("IncidentType", anc), ()):
                fs.add(f, 1.0, f"{f}领域对应上级事件类型“{anc}”", "anc:" + inc)
        for sub, ancs in categories.items():
            if inc in (ancs or []):
                for f in v.relevant.get(("IncidentType", sub), ()):
                    fs.add(f, 0.5, f"{f}领域对应下级事件类型“{sub}”", "sub:" + inc)


def expert_score(e: dict[str, Any], scores: dict[str, float], qgrams: set[str],
                 hz_words: list[str]) -> float:
    """Best field score, half of the others, research overlapping the question's wording,
    and a bonus when the research names the hazard or incident asked about."""
    fs = sorted((scores[f] for f in e["matched"]), reverse=True)
    s = fs[0] + 0.5 * sum(fs[1:])
    research = _key(e.get("research") or "")
    s += min(1.5, 0.3 * len(qgrams & char_bigrams(research)))
    if any(w and w in research for w in hz_words):
        s += 1.0
    return s


def rank_experts(experts, scores: dict[str, float], qgrams: set[str],
                 hz_words: list[str]) -> list[dict[str, Any]]:
    """By score, then availability (7×24 first), region (the district first), key."""
    return sorted(experts, key=lambda e: (-expert_score(e, scores, qgrams, hz_words),
                                          _rank_avail(e.get("availability")),
                                          _rank_region(e.get("region")), e["key"]))


# ---------------------------------------------------------------- finder

_GENERIC_BIGRAMS = {"专家", "哪位", "哪个", "哪些", "需要", "有没", "没有", "请哪", "找哪", "什么",
                    "能找", "可以", "一下", "现场"}


def _link(v: _Vocab, text: str) -> list[tuple[str, str, str]]:
    """(label, name, surface) of fields and hazards named in the text, longest first."""
    if v.pattern is None:
        return []
    out: list[tuple[str, str, str]] = []
    for m in v.pattern.finditer(text):
        label, name = v.surfaces[m.group(0)]
        if not any(o[0] == label and o[1] == name for o in out):
            out.append((label, name, m.group(0)))
    return out


def _loose_fields(v: _Vocab, text: str) -> list[str]:
    """'环境方面的专家', '心理专家': fields sharing a word with what precedes 专家."""
    m = re.search(r"([\u4e00-\u9fff]{2,6}?)(?:方面|领域|专业|行业|类)?的?专家", text)
    if not m:
        return []
    grams = {b for b in char_bigrams(m.group(1)) if b not in _GENERIC_BIGRAMS}
    hits = [f for f, names in v.fields.items()
            if any(grams & char_bigrams(n) for n in names)]
    return hits if len(hits) <= 3 else []


def finder_answer(store: GraphStore, query: Query, v: _Vocab, show_phones: bool) -> Answer | None:
    text = query.text
    for e in query.all("Organization"):  # "区应急管理局" must not link the field 应急管理综合
        text = text.replace(e.surface, "　" * len(e.surface))
    linked = _link(v, text)
    incidents = [e for e in query.all("IncidentType")]
    if not incidents and not linked:
        closest = query.incident()
        if closest is not None:
            incidents = [closest]
    fs = FieldScores()
    hazards = [(n, s) for lb, n, s in linked if lb == "Hazard"]
    asked: list[str] = []  # fields asked for by name: "消防专家", "气象方面的专家"
    for lb, name, surface in linked:
        if lb == "Field":
            fs.add(name, 3.0, f"问题所问领域“{surface}”")
            if re.search(re.escape(surface) + r"(?:方面|领域|专业|行业|类)?的?专家", text):
                asked.append(name)
    score_related_fields(fs, v, [n for n, _ in hazards], [i.name for i in incidents],
                         query.gazetteer.categories)
    scores, why, best_one = fs.scores, fs.why, fs.best_one
    for f in _loose_fields(v, text):
        asked.append(f)
        if f not in {n for lb, n, _ in linked if lb == "Field"}:
            fs.add(f, 3.0, f"问题所问领域“{f}”")
    if not scores:
        return None
    # "懂X的专家" / "X方面的专家": a speciality asked by name that is no field or hazard we know
    # is not answered with experts for whatever incident the rest of the question suggests.
    m = re.search(r"懂([\u4e00-\u9fff]{2,10}?)的|([\u4e00-\u9fff]{2,8}?)(?:方面|领域|专业)的?专家", text)
    if m and not asked:
        phrase = m.group(1) or m.group(2)
        if not any(s_ in phrase or phrase in s_ for _, _, s_ in linked):
            return None
    rows = store.query("experts_in_fields", fields=sorted(scores))
    if not rows:
        return None
    experts = _group_rows(rows)
    qgrams = {b for b in char_bigrams(query.text) if b not in _GENERIC_BIGRAMS}
    hz_words = [_key(s) for lb, n, s in linked] + [_key(n) for n, _ in hazards] + \
               [_key(i.surface or i.name) for i in incidents]

    def score(e: dict[str, Any]) -> float:
        return expert_score(e, scores, qgrams, hz_words)

    ranked = rank_experts(experts.values(), scores, qgrams, hz_words)
    active = [e for e in ranked if e.get("status") == "在库"]
    inactive = [e for e in ranked if e.get("status") != "在库"]
    notes: list[str] = []
    if re.search(r"24小时|7×24|7\*24|半夜|夜里|夜间|凌晨|深夜|随时|节假日|周末", query.text):
        night = [e for e in active if _rank_avail(e.get("availability")) < 2]
        if night:
            active = sorted(night, key=lambda e: (_rank_avail(e.get("availability")), -score(e)))
            notes.append("以下为可7×24联系的专家")
        else:
            notes.append("无可7×24联系的专家，以下按专业匹配排列")
    if re.search(r"本地|本区|区里|区内|辖区", query.text):
        local = [e for e in active if _rank_region(e.get("region")) == 0]
        if local:
            active = local
            notes.append(f"以下为所在区域为{local[0].get('region')}的专家")
    avoid: list[dict[str, Any]] = []
    if "回避" in query.text:
        avoid = [e for e in ranked if _shares_org(e.get("organisation") or "", query.text)]
        active = [e for e in active if e not in avoid]
    subject = _subject(linked, incidents)
    if asked:
        active = [e for e in active if set(e["matched"]) & set(asked)]
        strong = list(dict.fromkeys(asked))
    else:
        strong = [f for f in sorted(scores, key=lambda f: -scores[f]) if best_one[f] >= 2.0]
    picked = _choose(active, scores, strong[:3])
    chosen = [e for e, _ in picked]
    if not chosen and not avoid:
        if not inactive:
            return None
        names = "、".join(f"{e['name']}（{e.get('status') or '状态未注明'}）" for e in inactive[:5])
        text_out = (f"{subject}相关领域（{'、'.join(_fields_of(inactive))}）没有在库专家可推荐："
                    f"{names}，不予调用。")
        cites = [_cite_row(e["rows"], set(), show_phones) for e in inactive[:5]]
        return Answer(question=query.question, intent="expert", answer=text_out, citations=cites,
                      entities=_entities(linked, incidents))
    # Sentence: grouped by each expert's best-matching field.
    groups: OrderedDict[str, list[str]] = OrderedDict()
    dicts = []
    for e, best in picked:
        groups.setdefault(best, []).append(e["name"])
        detail = "，".join(x for x in (e.get("research"),) if x)
        w = why[best][1] + (f"；研究方向：{detail}" if detail else "")
        dicts.append(_expert_dict(e, w, show_phones))
    body = "；".join(f"{f}领域：{'、'.join(ns)}" for f, ns in groups.items())
    text_out = f"{subject}可联系{'、'.join(groups)}领域在库专家——{body}"
    if notes:
        text_out = f"{subject}：{'，'.join(notes)}——{body}" if subject else \
            f"{'，'.join(notes)}——{body}"
    first = chosen[0] if chosen else None
    if first is not None and first.get("research"):
        text_out += f"。首选{first['name']}（{first.get('organisation') or ''}，{first['research']}"
        text_out += f"，可联系时段{first.get('availability') or '未注明'}）"
    text_out += "。"
    if avoid:
        text_out = ("；".join(f"{e['name']}（{e.get('organisation')}）所在单位与事发单位相同，应当回避"
                              for e in avoid) + "。" + (f"可改请：{body}。" if chosen else ""))
    shown_inactive = [e for e in inactive if set(e["matched"]) & set(groups)][:3]
    if shown_inactive:
        text_out += "另：" + "、".join(f"{e['name']}{'已退出' if e.get('status') == '退出' else '处于' + (e.get('status') or '') + '状态'}"
                                      for e in shown_inactive) + "，不予调用。"
    # Plans' expert groups when the question asks which kinds of experts.
    cites: list[Citation] = []
    summary_docs: set[str] = set()
    group_cite = None
    if re.search(r"方面|领域|哪类|哪些类|什么专家|什么样的专家|哪些专业", query.text):
        group_cite = _plan_group(store, query, linked, incidents, v)
        if group_cite is not None:
            text_out += f"《{group_cite.title}》{group_cite.section}：{group_cite.quote}"
    # Citations: the roster's summary row for each field when it lists these experts, and
    # each expert's own roster row.
    for f, names in groups.items():
        for e in chosen:
            if f in e["matched"]:
                for r in e["rows"]:
                    members = [x["name"] for x in experts.values() if f in x["matched"]]
                    line = _summary_line(store, v, r["doc_id"], f, members)
                    if line:
                        cites.append(Citation(
                            doc_id=r["doc_id"], title=r["doc_title"] or r["doc_id"],
                            section=_section_of_line(store, r["doc_id"], line),
                            quote=line if show_phones else mask_phones_in_text(line)))
                        summary_docs.add(r["doc_id"])
                        break
                break
    for e in [*avoid, *chosen]:
        cites.append(_cite_row(e["rows"], summary_docs, show_phones))
    if group_cite is not None:
        cites.append(group_cite)
    cites = list(OrderedDict(((c.doc_id, c.section, c.quote), c) for c in cites).values())
    facts = [Fact(subject=e["name"], relation="EXPERT_IN", object=f, doc_id=r["doc_id"],
                  section=r["section"])
             for e in chosen for f in e["matched"] for r in e["rows"][:1]]
    return Answer(question=query.question, intent="expert", entities=_entities(linked, incidents),
                  answer=text_out, facts=facts, citations=cites,
                  experts=[*(_expert_dict(e, "所在单位与事发单位相同，应当回避", show_phones)
                             | {"avoid": True} for e in avoid), *dicts])


def _choose(ranked: list[dict[str, Any]], scores: dict[str, float], strong: list[str]
            ) -> list[tuple[dict[str, Any], str]]:
    """Up to TOP_N (expert, field shown under) in ranking order; each strong field (asked by
    name, or matching a named hazard or incident type directly) is represented by its best
    expert."""
    if not ranked:
        return []
    chosen: dict[str, str] = {}
    for f in strong:
        e = next((e for e in ranked if f in e["matched"] and e["key"] not in chosen), None)
        if e is not None:
            chosen[e["key"]] = f
    for e in ranked:
        if len(chosen) >= TOP_N:
            break
        if e["key"] not in chosen:
            chosen[e["key"]] = max(e["matched"], key=lambda f: scores[f])
    return [(e, chosen[e["key"]]) for e in ranked if e["key"] in chosen][:TOP_N]


def _fields_of(experts: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for e in experts:
        out += [f for f in e["matched"] if f not in out]
    return out


def _entities(linked, incidents) -> list[Entity]:
    return [*(Entity(type=lb, name=n, surface=s) for lb, n, s in linked), *incidents]


def _subject(linked, incidents) -> str:
    hz = [s for lb, n, s in linked if lb == "Hazard"]
    if incidents:
        inc = incidents[0].surface or incidents[0].name
        return hz[0] + inc if hz and hz[0] not in inc and inc not in hz[0] else inc
    if hz:
        return hz[0]
    return ""


_ORG_GENERIC = re.compile(r"有限责任公司|股份有限公司|有限公司|公司|集团|中心|研究院|大学|医院")


def _shares_org(org: str, text: str, min_len: int = 4) -> bool:
    """The organisation named in the question (a common run of 4+ characters, ignoring 有限公司…)."""
    key = _key(org)
    place = places_of(key)  # the city or district an organisation's name starts with
    core = _ORG_GENERIC.sub("|", key[len(place[0]):] if place and place[0] != NATIONAL else key)
    return any(len(part) >= min_len and any(part[i:i + min_len] in text
                                            for i in range(len(part) - min_len + 1))
               for part in core.split("|"))


def _summary_line(store: GraphStore, v: _Vocab, doc_id: str, field_name: str,
                  names: list[str]) -> str | None:
    """A roster line (e.g. a 领域汇总 sheet row) with the field as a cell listing these experts."""
    for line in _doc_lines(store, v, doc_id):
        cells = re.split(r"\t|　+|\s{2,}", line)
        if field_name in cells and len(names) >= 2 and any(
                sum(n in c for n in names) >= 2 for c in cells):
            return line.strip()
    return None


def _section_of_line(store: GraphStore, doc_id: str, line: str) -> str:
    for s in store.query("document_sections", doc_id=doc_id):
        if line in (s.get("text") or ""):
            return s["path"]
    return ""


def _plan_group(store: GraphStore, query: Query, linked, incidents, v: _Vocab) -> Citation | None:
    names = [i.name for i in incidents]
    for lb, n, _ in linked:
        if lb == "Hazard":
            names += sorted(v.incidents_of.get(n, ()))
    cats = query.gazetteer.categories
    wanted = list(OrderedDict.fromkeys(names + [a for n in names for a in cats.get(n, [])]))
    if not wanted:
        return None
    rows = store.query("expert_groups_for_incidents", incidents=wanted)
    if not rows:
        return None

    def rank(r: dict[str, Any]) -> tuple:
        return (wanted.index(r["incident"]) if r["incident"] in wanted else 99,
                source_rank(r, r["incident"]), r["doc_id"])

    rows = [r for r in rows if source_rank(r, r["incident"]) == 0]  # the own special plan
    if not rows:
        return None
    r = sorted(rows, key=rank)[0]
    sentences = [s for s in re.findall(r"[^。；]+[。；]?", r["quote"]) if "专家" in s]
    quote = sentences[0] if sentences else r["quote"]
    return Citation(doc_id=r["doc_id"], title=r["title"] or r["doc_id"], section=r["section"],
                    quote=quote)


# ---------------------------------------------------------------- expert_rule

def _articles(store: GraphStore, v: _Vocab) -> list[dict[str, Any]]:
    if v.articles is None:
        v.articles = store.query("articles_of_regulations_titled", word="专家")
    return v.articles


def _units(article: dict[str, Any]) -> list[tuple[str, str]]:
    """(lead-in, sentence) pieces of an article: sentences of each paragraph; an item line
    (（一）…) is one piece whose lead-in is the paragraph before the items."""
    out: list[tuple[str, str]] = []
    lead = ""
    for line in (article.get("text") or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        if re.match(r"^(?:（[一二三四五六七八九十]+）|\d+[.．、])", line):
            out.append((lead, line))
            continue
        for s in re.findall(r"[^。]+。?", line):
            if s.strip():
                out.append(("", s.strip()))
        if line.endswith("：") or line.endswith(":"):
            lead = line
    return out


def _expand(text: str) -> str:
    extra = [v for k, v in _EXPAND.items() if k in text]
    return text + "".join(extra)


def rule_answer(store: GraphStore, query: Query, v: _Vocab) -> Answer | None:
    arts = _articles(store, v)
    if not arts:
        return None
    pieces = [(a, lead, s) for a in arts for lead, s in _units(a)]
    if not pieces:
        return None
    df: Counter[str] = Counter()
    for _, _, s in pieces:
        df.update(char_bigrams(s))
    n = len(pieces)
    q = char_bigrams(_expand(query.text))
    # "几次/几年/多久": a piece stating a number of that unit answers it.
    units = re.findall(r"几(个工作日|工作日|个组|次|年|天|日|个|名|位|小时|分钟|周岁|岁)", query.text)
    units = ["个?组" if u == "个组" else u for u in units]
    if re.search(r"多久|多长时间|多少时间|多快", query.text):
        units += ["小时", "分钟", "个?工作日", "日", "天"]
    if re.search(r"几天", query.text):
        units += ["个?工作日"]
    number = r"(?:\d+|[一二三两四五六七八九十]+)"
    bonus = math.log(1 + n)

    def score(a, lead, s) -> float:
        own = char_bigrams(s)
        lead_only = (char_bigrams(lead) - own) if lead else set()
        sc = sum(math.log(1 + n / df[b]) for b in q & own) + \
            0.5 * sum(math.log(1 + n / df[b]) for b in q & lead_only)
        if units and any(re.search(number + u, s) for u in units):
            sc += bonus
        return sc

    scored = sorted(((score(a, lead, s), i) for i, (a, lead, s) in enumerate(pieces)),
                    key=lambda x: (-x[0], x[1]))
    best_score, best_i = scored[0]
    if best_score <= 2.0:
        return None
    art, lead, sent = pieces[best_i]
    shown = [sent]
    # A second sentence of the same article when it scores nearly as well (a two-part answer).
    for sc, i in scored[1:4]:
        a2, _, s2 = pieces[i]
        if a2 is art and sc >= 0.8 * best_score and s2 not in shown:
            shown.append(s2)
            break
    order = {s: j for j, (_, _, s) in enumerate(pieces)}
    shown.sort(key=lambda s: order[s])
    title = art["title"] or art["doc_id"]
    # The provision that answers first; the article's lead-in ("调用人数按照……确定：") after it.
    text_out = f"依据《{title}》{art['label']}：" + "".join(shown) + (
        f"\n（该条前文：{lead}）" if lead else "")
    cites = [Citation(doc_id=art["doc_id"], title=title, section=art["section"], quote=s)
             for s in shown]
    facts = [Fact(subject=title, relation="HAS_ARTICLE", object=art["label"],
                  doc_id=art["doc_id"], section=art["section"])]
    return Answer(question=query.question, intent="expert_rule",
                  entities=[Entity(type="Regulation", name=title)], answer=text_out,
                  facts=facts, citations=cites)
