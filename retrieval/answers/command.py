"""command_structure: who holds a command role (总指挥, 副总指挥, 现场指挥长, 组长, 主任), who
leads a working group, which groups a plan sets up, and where the command office sits.

Facts are the Role nodes the applicable plan DEFINES (kind 指挥机构 / 工作组 / 专家组), with
their holders (and the condition under which each holds the role), members and the verbatim
clause; the office's seat is read from that clause's own words ("设在……").
"""
from __future__ import annotations

import re
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers.applicable import cite, plan_rows, source
from retrieval.contract import Answer, Fact
from retrieval.normalize import in_order

ROUTES: list[tuple[str, str, int]] = [
    ("command_structure",
     r"总指挥|指挥长|工作组|[\u4e00-\u9fff]{2,6}组(?:由|是)?(?:谁|哪个|哪家|哪些单位)(?:牵头|负责)"
     r"|[\u4e00-\u9fff]{2,8}(?<!专家)组(?![织成建长])[^，。？?]{0,6}"
     r"(?:由谁|是谁|哪几?(?:个|家)|哪些(?:单位|部门|处室))"
     r"|组长|应急委[^，。？?]{0,3}主任|(?:办|办公室)[^，。？?]{0,4}(?:设在|在哪|日常工作)"
     r"|有哪些[^，。？?]{0,2}组|设(?:了|置)?哪些组|指挥部[^，。？?]{0,4}(?:组成|构成|由谁组成)",
     8),
]

_OFFICE = re.compile(r"(?:办|办公室)[^，。？?]{0,6}(?:设在|在哪|日常工作|承担)|设在哪")
_GROUP_LIST = re.compile(r"有哪些[^，。？?]{0,2}组|设(?:了|置)?哪些组|几个(?:工作)?组|工作组有哪些|哪些工作组")


def _mentions(q: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Roles the question names, longest names first, never a role named only inside a longer
    one ("总指挥" inside "副总指挥")."""
    cands = []
    for r in rows:
        title, role, body = r.get("title") or "", r.get("role") or "", r.get("body") or ""
        for name in {title, role if not body else ""} - {""}:
            for m in re.finditer(re.escape(name), q):
                cands.append((m.end() - m.start(), m.start(), m.end(), r))
        i = q.find(role) if body and role else -1
        # the body as the question names it, whole or in full where the plan shortens it
        # ("新镇生产安全事故应急救援指挥部的组长" for 新镇应急救援指挥部组长)
        if i >= 0 and (body in q or in_order(body, q[:i])) and not names_post_inside(role, q, i):
            cands.append((len(body) + len(role), i, i + len(role), r))
    cands.sort(key=lambda c: (-c[0], c[1]))
    taken: list[tuple[int, int]] = []
    out: list[dict[str, Any]] = []
    for _, a, b, r in cands:
        if r in out:
            continue
        if any(a < y and x < b for x, y in taken):
            continue
        taken.append((a, b))
        out.append(r)
    return out


def _specific(named: list[dict[str, Any]]) -> bool:
    """A named role only one plan is likely to have ("安全保卫组"), not a bare post ("组长")."""
    return any(len(r.get("title") or "") >= 4 and (r.get("title") or "") not in _POSTS
               for r in named)


_POSTS = {"总指挥", "副总指挥", "指挥长", "副指挥长", "组长", "副组长", "主任", "副主任",
          "常务副主任", "办公室主任", "现场指挥长", "现场总指挥", "秘书长", "副秘书长"}


def names_post_inside(role: str, q: str, i: int) -> bool:
    """The post at q[i:] is part of a longer one ("组长" in "副组长")."""
    return i > 0 and q[i - 1] == "副"


def _holders(r: dict[str, Any]) -> str:
    holders = r.get("holders") or []
    conds = r.get("conditions") or []
    groups: dict[str, list[str]] = {}
    for i, h in enumerate(holders):
        c = conds[i] if i < len(conds) else ""
        groups.setdefault(c or "", []).append(h)
    parts = []
    for c, hs in groups.items():
        who = "、".join(hs)
        parts.append(f"{c}{'' if c.endswith('的') or not c else '时'}由{who}担任" if c else f"由{who}担任")
    return "；".join(parts)


def _leaders(group: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The 组长 and 副组长 rows of a working group whose plan names posts, not a lead unit
    ("（2）应急指挥组 / 由安全监督处负责人任组长")."""
    title = group.get("title") or ""
    return [r for r in rows if r.get("holders") and r.get("title") in (f"{title}组长",
                                                                       f"{title}副组长")]


def _lead_verb(group: dict[str, Any]) -> str:
    """The plan's own verb for the group's lead: "事故调查组：由城运中心负责" says 负责."""
    quote, title = group.get("quote") or "", group.get("title") or ""
    i = quote.find(title)
    clause = re.split(r"[，。；,;]", quote[i + len(title):])[0] if i >= 0 else ""
    return "负责" if "负责" in clause and "牵头" not in clause else "牵头"


def _role_sentence(r: dict[str, Any], rows: list[dict[str, Any]] | None = None) -> str:
    title = r.get("title") or r.get("role") or ""
    kind = r.get("kind") or ""
    holders = r.get("holders") or []
    if kind == "工作组":
        leaders = [] if holders else _leaders(r, rows or [])
        if leaders:
            return "，".join(f"{x['title']}{_holders(x)}" for x in leaders)
        s = f"{title}由{'、'.join(holders)}{_lead_verb(r)}" if holders else \
            f"{title}（预案未写明牵头单位）"
        if r.get("members"):
            s += f"，{'、'.join(r['members'])}参加"
        if r.get("duty"):
            s += f"，{r['duty']}"
        return s
    if kind == "专家组":
        s = f"{title}由{'、'.join(holders)}组建" if holders else title
        if r.get("fields"):
            s += f"，专业领域：{'、'.join(r['fields'])}"
        return s
    return f"{title}{_holders(r)}" if holders else f"{title}（预案未写明由谁担任）"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；])", text or "") if s.strip()]


# The body whose office is asked about: "区安委会办公室", "防汛办", "燃气指挥部办公室".
_ASKED_BODY = re.compile(r"([\u4e00-\u9fff]{1,10}?(?:委员会|委会|委|指挥部|领导小组|小组))(?:的)?办(?:公室)?")


def _office(q: str, rows: list[dict[str, Any]], named: list[dict[str, Any]]):
    """(sentence, row) saying where the office sits: the named body's own clause first (a
    分指挥部's office), then the command office's clause — never another body's office."""
    daily = "日常工作" in q or "承担" in q
    pool = [r for r in named if r.get("body")] + \
        [r for r in rows if (r.get("role") or "").endswith("办公室主任")] + named
    asked = _ASKED_BODY.search(q)
    if asked:
        body = asked.group(1)
        pool = [r for r in pool if body in (r.get("quote") or "")
                or body.removeprefix("区") in (r.get("quote") or "")]
    for r in pool:
        hits = [s.strip() for s in _sentences(r.get("quote") or "") if "设在" in s or
                (daily and re.search(r"日常工作|具体工作", s))]
        if hits:
            return "".join(hits), r
    return None


def answer(store: GraphStore, query: Query) -> Answer | None:
    plans = plan_rows(store, query, "roles_of_plans")
    if not plans:
        return None
    q = query.text
    # The most applicable plan, unless it defines no role the question names and a nearby one
    # does ("安全保卫组" is set up by one plan only).
    plan, rows = next(((p, rs) for p, rs in plans if _specific(_mentions(q, rs))), plans[0]) \
        if not _mentions(q, plans[0][1]) else plans[0]
    incident = query.incident()
    entities = [incident] if incident else []
    named = _mentions(q, rows)
    if any(r.get("holders") for r in named):  # "领导小组办公室副主任": the body says whose post
        named = [r for r in named if r.get("holders") or r.get("kind") != "指挥机构"]
    parts: list[str] = []
    used: list[dict[str, Any]] = []
    if _OFFICE.search(q):
        office = _office(q, rows, named)
        if office:
            sentence, r = office
            parts.append(sentence.rstrip("。；"))
            used.append(r)
        named = [r for r in named if not (r.get("role") or "").endswith("办公室主任")
                 and not (r.get("body") and r in used)]
    if _GROUP_LIST.search(q):
        groups = [r for r in rows if r.get("kind") == "工作组"]
        if groups:
            parts.append(f"共设{len(groups)}个工作组：" + "；".join(_role_sentence(r, rows)
                                                                  for r in groups))
            used += groups
    for r in named:
        if r not in used:
            parts.append(_role_sentence(r, rows))
            used.append(r)
            if r.get("kind") == "工作组" and not r.get("holders"):
                used += [x for x in _leaders(r, rows) if x not in used]
    if not parts:
        return None
    text = f"按{source(plan, [r['section'] for r in used])}，" + "；".join(parts) + "。"
    facts = [Fact(subject=r.get("title") or r.get("role") or "", relation="HELD_BY",
                  object="、".join(r.get("holders") or []) or "（未写明）", doc_id=plan["doc_id"],
                  section=r["section"]) for r in used]
    return Answer(question=query.question, intent="command_structure", entities=entities,
                  answer=text, facts=facts,
                  citations=cite(plan, [(r["section"], r["quote"]) for r in used], store))
