"""Which clause of which plan answers a lead, support or plan question.

A question names an incident (often only its parent type: "危化品槽罐车在路上泄漏"), sometimes a
place ("东湖街道…") or a plan ("按道路交通预案…"), and in its own words what happened. Every
LEADS/SUPPORTS clause about the linked types, their subtypes and their parents is a candidate,
and so is every clause of a plan the question names or of the named place's own plan. The
clause whose incident names and sentence cover most of the question's words wins; a named
plan's clauses and the named place's clauses come first, the more specific plan on ties. A
town's plan governs its own area, so its clauses answer only when the question names the town.
A subtype that narrows its parent to a setting (住宅小区修缮工程的施工安全事故, 商场的拥挤踩踏)
is a jurisdiction rule: when the question states that setting, its clause outranks the clause
for the kind of accident that happened there (脚手架坍塌, 高处坠落).

The clauses of other plans that state the same lead for the same incident (or its parent) are
the answer's further sources, most specific plan first.
"""
from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers._match import GENERIC
from retrieval.normalize import char_bigrams

# Words that ask rather than tell: never evidence that a clause fits the question.
_ASKING = ("谁牵头谁负责谁来谁管哪个单位哪个部门哪些单位哪些部门哪家单位配合协助参与处置牵头"
           "负责归口由谁是谁应该启动适用按照执行哪个预案什么预案哪份哪部还有除了还是吗呢吧啊了")
STOP = GENERIC | char_bigrams(_ASKING) | {"预案", "应急", "突发", "事件", "事故"}
_EVENT_CHARS = set("事故事件灾害突发应急")
_LEVEL_RANK = {"总体": 1, "专项": 2, "部门": 3, "街镇": 4}
_TITLE_NOISE = re.compile(r"应急预案|专项|部门|综合|总体|突发事件|突发|事故|事件")
_PLACE_SUFFIX = re.compile(r"(?:街道|镇|乡)$")
_PUNCT = "，。？！；、：,.?!;:"
_NUMBERED = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．\s　]|第[一二三四五六七八九十百]+[条章节]|[|\d])")


_FUNCTION_CHARS = set("由的了是和与及或被把将吗呢吧啊")
# A clause for the setting the question states (住宅小区修缮工程发生的施工安全事故), or one whose
# sentence speaks of that setting itself ("…；住宅小区地下车库进水，由区房管局督促…"), outranks one
# for the kind of accident (脚手架坍塌) and a named town's general clause (worth 5).
_SETTING = 6.0


def grams(text: str) -> set[str]:
    return {g for g in char_bigrams(text or "")
            if not set(g) <= _EVENT_CHARS and not set(g) & _FUNCTION_CHARS}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def core(name: str) -> str:
    """An incident type's distinctive words: 危险化学品事故 → 危险化学品."""
    return re.sub(r"(?:突发)?(?:事故|事件|灾害)$", "", name or "")


def title_core(title: str) -> str:
    """A plan title without the issuing district and the words every plan title has."""
    t = re.sub(r"^.{1,8}?[区县市](?=.)", "", title or "", count=1)
    return _TITLE_NOISE.sub("", t)


def common_run(text: str, other: str) -> str:
    """The longest piece of `text` that `other` contains."""
    best = ""
    for i in range(len(text)):
        j = i + len(best) + 1
        while j <= len(text) and text[i:j] in other:
            best, j = text[i:j], j + 1
    return best


def longest_common(a: str, b: str) -> int:
    return len(common_run(a, b))


@dataclass
class Clause:
    """One sentence (or table row) of one plan stating who leads and who supports."""
    doc_id: str
    title: str
    level: str
    section: str
    quote: str
    incidents: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    rank: int = 5  # how specific the plan is for this clause's incident (0 = its own plan)
    score: float = 0.0
    words: int = 0  # question words the clause covers (names of its incidents and its sentence)


@dataclass
class Context:
    """What the question says, in the terms clauses are scored by."""
    text: str  # the question, normalised, with named plan phrases removed
    q: set[str]  # its content bigrams
    linked: list[str]  # incident types the linker found (by a surface, or its best guess)
    guessed: bool  # True when no surface named an incident type: `linked` is a guess
    lineage: dict[str, list[str]]  # incident type → its parents below the top categories
    related: set[str]  # linked types, their subtypes and parents
    surfaces: dict[str, list[str]]  # incident type → name and aliases
    plans: dict[str, dict[str, Any]]  # doc_id → plan profile
    named: list[str]  # doc_ids of plans the question names
    places: list[str]  # doc_ids of the plans of the towns/streets the question names
    orgs: list[str]  # organisations the question names
    own: list[str] = field(default_factory=list)  # special plans of the linked types
    settings: dict[str, set[str]] = field(default_factory=dict)  # scoped type → setting words said

    def surface_grams(self, incident: str) -> set[str]:
        out: set[str] = set()
        for s in self.surfaces.get(incident, [incident]):
            out |= grams(s)
        return out

    def named_grams(self, incident: str) -> set[str]:
        """The question's words an incident's name or aliases account for: an alias counts
        when the question holds it, or a good part of it (two words and 40 %)."""
        out: set[str] = set()
        for s in self.surfaces.get(incident, [incident]):
            g = grams(s)
            hit = self.q & g
            if s in self.text or (len(hit) >= 2 and len(hit) >= 0.4 * len(g)):
                out |= hit
        return out


# ------------------------------------------------------------------ what the question names

def named_plans(text: str, plans: list[dict[str, Any]]) -> list[str]:
    """Plans a question names by a short title ("按道路交通预案", "火灾预案里", "停电预案"):
    the words before each 预案 against each plan title's distinctive words."""
    out: list[str] = []
    for m in re.finditer(r"预案", text):
        head = re.split(rf"[{_PUNCT}]|预案", text[:m.start()])[-1][-12:]
        head = re.sub(r"^.*?(?:按照|按|用|执行|启动|依据|根据|适用|在)", "", head)
        if len(head) < 2:
            continue
        best: tuple[int, int, str] | None = None
        for p in plans:
            tc = title_core(p.get("title") or "")
            common = longest_common(head, tc) if tc else 0
            if common < 2 or (common < 3 and common < len(tc) / 2 and common < len(head)):
                continue
            key = (common, len(char_bigrams(head) & char_bigrams(p.get("title") or "")), p["doc_id"])
            if best is None or key[:2] > best[:2]:
                best = key
        if best and best[2] not in out:
            out.append(best[2])
    return out


def _phrase_spans(text: str, plans: list[dict[str, Any]], named: list[str]) -> str:
    """The question without the "X预案" phrases that named a plan (their words describe the
    plan, not the incident)."""
    if not named:
        return text
    return re.sub(rf"[^{_PUNCT}]{{0,12}}?预案(?:里|中)?(?:说|写|规定)?", "", text)


def place_plans(query: Query, plans: list[dict[str, Any]]) -> list[str]:
    """Town/street plans of the places a question names ("东湖街道", "北塘那边")."""
    orgs = [(e.name, e.surface) for e in query.all("Organization") if len(e.name) >= 3]
    out = []
    for p in plans:
        if p.get("level") != "街镇":
            continue
        title = p.get("title") or ""
        place = _PLACE_SUFFIX.sub("", title_core(title))
        if (len(place) >= 2 and place in query.text) or any(
                n in title or (s and len(s) >= 3 and s in title) for n, s in orgs):
            out.append(p["doc_id"])
    return out


def org_plans(query: Query, plans: list[dict[str, Any]]) -> list[str]:
    """Department plans of the units a question names (卫健委 → 区卫生健康委…部门应急预案)."""
    names = [e.name for e in query.all("Organization")]
    return [p["doc_id"] for p in plans if p.get("level") == "部门" and any(
        n in (p.get("title") or "") or (len(n) >= 4 and n.lstrip("区") in (p.get("title") or ""))
        for n in names)]


def _common_suffix(a: str, b: str) -> int:
    k = 0
    while k < min(len(a), len(b)) and a[-1 - k] == b[-1 - k]:
        k += 1
    return k


def scoped_types(surfaces: dict[str, list[str]], lineage: dict[str, list[str]]) -> set[str]:
    """Subtypes that narrow their parent to a setting rather than name another kind of accident:
    the name is a qualifier before the parent's own name or alias (住宅小区 + 积水, 商圈 +
    拥挤踩踏事件, 房屋修缮 + 工程施工安全事故), not a different accident (高处坠落事故 shares
    only 事故 with 建设工程施工安全事故). Such a type's lead rule is a jurisdiction by place."""
    out: set[str] = set()
    for t, parents in lineage.items():
        if not parents:
            continue
        for s in surfaces.get(parents[0], [parents[0]]):
            k = _common_suffix(t, s)
            tail = core(t[len(t) - k:]) if k else ""
            if len(t) - k >= 2 and (len(tail) >= 3 or (k == len(s) and len(tail) >= 2)):
                out.add(t)
                break
    return out


def stated_settings(ctx: Context) -> dict[str, set[str]]:
    """Scoped types whose setting the question states ("老小区…修缮", "商场…踩踏") while it
    speaks of their parent's family: scoped type → the question's words for the setting (those
    of its names' qualifiers, the part before what they share with the parent's names: 家里 of
    家里燃气泄漏, never 里燃 of "车库里燃气")."""
    family = set(ctx.linked)
    for t in ctx.linked:
        family |= set(ctx.lineage.get(t, [])[:1])
    out: dict[str, set[str]] = {}
    for t in scoped_types(ctx.surfaces, ctx.lineage):
        parents = ctx.lineage.get(t, [])
        if t not in family and parents[0] not in family:
            continue
        above = ctx.surfaces.get(parents[0], [parents[0]])
        qualifiers = set().union(*(grams(s[:len(s) - max(_common_suffix(s, a) for a in above)])
                                   for s in ctx.surfaces.get(t, [t])))
        words = (ctx.named_grams(t) & qualifiers) - set().union(
            *(ctx.surface_grams(p) for p in parents))
        if words:
            out[t] = words
    return out


# The four classes of 突发事件 (突发事件应对法 第三条): parents too broad to say who leads.
_CLASSES = {"自然灾害", "事故灾难", "公共卫生事件", "社会安全事件"}


def top_categories(cats: dict[str, list[str]]) -> set[str]:
    """Parentless types that are classes rather than incidents: the four statutory classes, or
    any parentless type five or more types fall under."""
    under: dict[str, int] = {}
    for parents in cats.values():
        for c in parents:
            under[c] = under.get(c, 0) + 1
    return {c for c in under if not cats.get(c) and (c in _CLASSES or under[c] >= 5)}


def context(store: GraphStore, query: Query, guess: bool = True) -> Context:
    """What the question says. With `guess`, an incident type no surface names is guessed
    (by embedding: the model may load); without, only named types count."""
    g = query.gazetteer
    plans = store.query("plan_profiles")
    by_doc = {p["doc_id"]: p for p in plans}
    named = named_plans(query.text, plans)
    text = _phrase_spans(query.text, plans, named)
    raw = _key(query.question)
    q = (grams(text) | (grams(_phrase_spans(raw, plans, named)))) - STOP
    linked = [e.name for e in query.all("IncidentType")]
    guessed = not linked
    if guessed:  # a hazard named implies a type (no model); else, if allowed, the nearest one
        nearest = g.implied_incident(query.text) or (query.incident() if guess else None)
        linked = [nearest.name] if nearest else []
    cats = g.categories
    tops = top_categories(cats)
    lineage = {t: [c for c in ps if c not in tops] for t, ps in cats.items()}
    related = set(linked)
    for t, ps in lineage.items():
        if set(ps) & set(linked):
            related.add(t)  # a subtype of a linked type
    for t in linked:
        related |= set(lineage.get(t, []))
    surfaces: dict[str, list[str]] = {}
    for s, (type_, name) in g.surfaces.items():
        if type_ == "IncidentType":
            surfaces.setdefault(name, [name]).append(s)
    ctx = Context(text=text, q=q, linked=linked, guessed=guessed, lineage=lineage, related=related,
                   surfaces=surfaces, plans=by_doc, named=named,
                   places=place_plans(query, plans), orgs=[e.name for e in query.all("Organization")])
    for t in surfaces:  # a type the question's words name well, though the linker chose another
        if len(ctx.named_grams(t)) >= 3:
            ctx.related.add(t)
            ctx.related |= set(lineage.get(t, []))
    ctx.settings = stated_settings(ctx)
    ctx.related |= set(ctx.settings)
    ctx.own = [d for d, p in by_doc.items() if p.get("level") == "专项" and any(
        own_plan(p.get("title") or "", t, ctx) >= 0 for t in linked)]
    return ctx


# ------------------------------------------------------------------ clauses and their scores

def own_plan(title: str, incident: str, ctx: Context) -> int:
    """0 when `title` is the incident's own special plan, 1 when a parent's, else -1."""
    tc = title_core(title)
    for depth, name in enumerate([incident, *ctx.lineage.get(incident, [])]):
        c = core(name)
        if c and (c in (title or "") or (len(tc) >= 2 and tc in c)):
            return min(depth, 1)
    return -1


def plan_rank(level: str, title: str, incidents: list[str], ctx: Context) -> int:
    if level == "专项" and any(own_plan(title, i, ctx) >= 0 for i in incidents):
        return 0
    return _LEVEL_RANK.get(level, 5)


def gather(store: GraphStore, ctx: Context) -> list[Clause]:
    rows = store.query("units_for_incidents", incidents=sorted(ctx.related)) if ctx.related else []
    extra = [d for d in dict.fromkeys([*ctx.named, *ctx.places])]
    if extra:
        rows += store.query("units_in_documents", doc_ids=extra)
    groups: OrderedDict[tuple[str, str, str], Clause] = OrderedDict()
    for r in rows:
        k = (r["doc_id"], r["section"] or "", r["quote"] or "")
        c = groups.get(k)
        if c is None:
            c = groups[k] = Clause(doc_id=r["doc_id"], title=r["title"] or r["doc_id"],
                                   level=r.get("level") or "", section=r["section"] or "",
                                   quote=r["quote"] or "")
        if r["incident"] not in c.incidents:
            c.incidents.append(r["incident"])
        bucket = c.leads if r["relation"] == "LEADS" else c.supports
        if r["org"] not in bucket:
            bucket.append(r["org"])
    out = []
    for c in groups.values():
        c.leads = _as_written(c.leads, c.quote)
        c.supports = _as_written([s for s in c.supports if s not in c.leads], c.quote)
        if not c.leads:
            continue
        c.rank = plan_rank(c.level, c.title, c.incidents, ctx)
        _score(c, ctx)
        out.append(c)
    return out


def _as_written(orgs: list[str], quote: str) -> list[str]:
    """Units in the order the sentence names them ("区民防办会同区建管委、区房管局"); a unit
    the sentence names by another name keeps its place after them."""
    def at(o: str) -> int:
        i = quote.find(o)
        return i if i >= 0 else len(quote) + orgs.index(o)
    return sorted(orgs, key=at)


def _incident_fit(i: str, ctx: Context) -> tuple[set[str], float]:
    """(question words an incident type accounts for, bonus). A subtype whose own names add
    words to its parents' ("罐车" to "危化品…泄漏") inherits them and the parents' link and is
    preferred for being more specific; one that adds nothing is only as good as its names."""
    own = ctx.named_grams(i)
    parents = ctx.lineage.get(i, [])
    inherited = set().union(*(ctx.named_grams(p) for p in parents)) if parents else set()
    adds = bool(own - inherited)
    words = own | inherited if adds else own
    family = [i, *parents] if adds else [i]
    exact = any(s in ctx.text or (len(core(s)) >= 2 and core(s) in ctx.text)  # 地下空间出事
                for t in family for s in ctx.surfaces.get(t, [t]) if len(s) >= 2)
    bonus = 0.5 if exact else 0.0
    if set(family) & set(ctx.linked):
        bonus += 0.3 if ctx.guessed else 1.5
    elif i in ctx.related:
        bonus += 0.3
    if adds:
        bonus += 0.3 * len(parents)
    return words, bonus


def _score(c: Clause, ctx: Context) -> None:
    fits = [_incident_fit(i, ctx) for i in c.incidents]
    by_name = set().union(*(w for w, _ in fits))
    by_quote = (ctx.q & grams(c.quote)) - by_name
    c.words = len(by_name) + len(by_quote)
    s = len(by_name) + 0.5 * len(by_quote) + max(b for _, b in fits)
    if c.doc_id in ctx.named:  # the user's own pointer: first whenever it speaks of this at all
        s += 10.0 if (set(c.incidents) & ctx.related or by_quote) else 3.0
    if c.doc_id in ctx.places and (set(c.incidents) & ctx.related or len(by_quote) >= 2):
        s += 8.0 if len(by_quote) >= 2 else 5.0  # the named town's own clause for this situation
    if set(c.incidents) & set(ctx.settings) or any(
            w <= grams(c.quote) for w in ctx.settings.values()):
        s += _SETTING  # the rule for where it happened (or a clause that speaks of that place)
    s -= 0.3 * c.rank
    c.score = s


def eligible(c: Clause, ctx: Context) -> bool:
    """A town's clause speaks for its own area only: first only when the town is named."""
    return c.level != "街镇" or c.doc_id in ctx.places or c.doc_id in ctx.named


def best(clauses: list[Clause], ctx: Context, prefer_lead: list[str] | None = None
         ) -> Clause | None:
    """The clause that answers: highest score, the more specific plan on ties. With
    `prefer_lead` (units the question says lead), a clause they lead is preferred."""
    pool = [c for c in clauses if eligible(c, ctx)] or clauses
    if not pool:
        return None

    def key(c: Clause):
        lead_bonus = 1.0 if prefer_lead and set(prefer_lead) & set(c.leads) else 0.0
        return (-(c.score + lead_bonus), c.rank, c.doc_id, c.section)

    return sorted(pool, key=key)[0]


def lineage_of(c: Clause, ctx: Context) -> set[str]:
    out = set(c.incidents)
    for i in c.incidents:
        out |= set(ctx.lineage.get(i, []))
    return out


def agreeing(primary: Clause, clauses: list[Clause], ctx: Context, limit: int = 4) -> list[Clause]:
    """Other plans' clauses stating a lead of `primary` for its incident or a parent of it: one
    per plan, the same incident before a parent, then the more specific plan. A town's clause
    only when the town is named or the clause shares the question's own words."""
    family = lineage_of(primary, ctx)
    per_doc: dict[str, Clause] = {}
    for c in clauses:
        if c.doc_id == primary.doc_id or not set(c.leads) & set(primary.leads):
            continue
        if not set(c.incidents) & family:
            continue
        if c.level == "街镇" and not eligible(c, ctx) and len((ctx.q & grams(c.quote))) < 2:
            continue
        old = per_doc.get(c.doc_id)
        if old is None or c.score > old.score:
            per_doc[c.doc_id] = c
    same = set(primary.incidents)
    ordered = sorted(per_doc.values(),
                     key=lambda c: (0 if set(c.incidents) & same else 1, c.rank, -c.score, c.doc_id))
    return ordered[:limit]


def disagreeing(primary: Clause, clauses: list[Clause], ctx: Context, limit: int = 3
                ) -> list[Clause]:
    """Other plans naming a different lead for the very same incident (a town's plan only when
    the town is named: elsewhere it speaks for its own area)."""
    per_doc: OrderedDict[str, Clause] = OrderedDict()
    for c in sorted(clauses, key=lambda c: (c.rank, -c.score)):
        if c.doc_id == primary.doc_id or not eligible(c, ctx):
            continue
        if not set(c.incidents) & set(primary.incidents) or set(c.leads) <= set(primary.leads):
            continue
        if set(c.leads) & set(primary.leads):
            continue
        per_doc.setdefault(c.doc_id, c)
    return list(per_doc.values())[:limit]


def main_incident(c: Clause, ctx: Context) -> str:
    """The clause's incident the question is about (a row may state several)."""
    if len(c.incidents) == 1:
        return c.incidents[0]
    return max(c.incidents, key=lambda i: (len(ctx.named_grams(i)),
                                           i in ctx.linked, -c.incidents.index(i)))


def widen(store: GraphStore, items: list[Clause]) -> None:
    """Each clause's quote becomes the whole line of its section that holds it (the clause with
    its own number: "（4）建设工程施工安全事故：…"), one query for all of them."""
    keys = sorted({f"{c.doc_id}#{c.section}" for c in items if c.section})
    if not keys:
        return
    texts = {r["key"]: r.get("text") or "" for r in store.query("sections_by_key", keys=keys)}
    for c in items:
        text = texts.get(f"{c.doc_id}#{c.section}", "")
        i = text.find(c.quote) if c.quote else -1
        if i < 0:
            continue
        a = text.rfind("\n", 0, i) + 1
        b = text.find("\n", i + len(c.quote))
        for _ in range(2):  # a sentence a PDF wrapped onto the next line ends there
            seg = text[a:b]
            if b < 0 or re.search(r"[\t　|]", seg) or not re.search(r"[\u4e00-\u9fff，、（(）)”]$", seg) \
                    or _NUMBERED.match(text[b + 1:]):
                break
            b = text.find("\n", b + 1)
        line = text[a:b if b >= 0 else len(text)].strip()
        if line and len(line) <= max(300, len(c.quote)):
            c.quote = line
