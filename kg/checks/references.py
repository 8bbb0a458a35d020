"""Dangling references: a plan names another plan of its own jurisdiction that is not in the
store (nor in the draft being checked).

Plans of higher governments (国家、省、市) are not expected in a district's store, so only
titles that start with the jurisdiction of the ingested plans (the "某区" of "某区……预案")
count; a plan the referring text says it repeals (废止) is expected to be gone.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from kg.checks.engine import CheckContext, Rule
from kg.checks.model import Finding
from kg.checks.text import book, norm, plan_rank

_JURISDICTION = re.compile(r"^(.{1,8}?(?:区|县|旗))(?!级)")
_PLAN_TITLE = re.compile(r"(?:预案|方案)$")
_KIND_WORDS = re.compile(r"(?:专项|部门|综合|总体)?(?:应急)?(?:预案|方案)$")


def jurisdictions(ctx: CheckContext) -> set[str]:
    """Prefixes shared by the titles of the ingested plans ("某区")."""
    counts = Counter()
    for d in ctx.facts.docs.values():
        m = _JURISDICTION.match(norm(d.title)) if d.kind == "plan" else None
        if m:
            counts[m.group(1)] += 1
    return {p for p, n in counts.items() if n >= 2 or len(counts) == 1}


def dangling_references(ctx: CheckContext) -> Iterator[Finding]:
    local = jurisdictions(ctx)
    titles = {norm(d.title).strip("《》") for d in ctx.facts.docs.values()}
    missing: dict[str, list] = {}
    for f in ctx.facts.of_type("REFERS_TO", "PART_OF"):
        if f.props.get("relation") == "repeals" or ctx.facts.doc(f.doc_id).kind != "plan":
            continue
        title = (f.props.get("title") or f.end_props.get("title") or
                 f.end.removeprefix("title:")).strip("《》")
        key = norm(title)
        if (not _PLAN_TITLE.search(key) or key in titles or f.end in ctx.facts.docs
                or not any(key.startswith(p) for p in local)):
            continue
        missing.setdefault(title, []).append(f)
    plans = [d for d in ctx.facts.docs.values() if d.kind == "plan"]
    for title, refs in missing.items():
        refs.sort(key=lambda f: (plan_rank(ctx.facts.doc(f.doc_id).level), f.doc_id, f.section))
        seen, clauses = set(), []
        for f in refs:
            if (f.doc_id, f.section, f.quote) in seen:
                continue
            seen.add((f.doc_id, f.section, f.quote))
            clauses.append(ctx.clause(f.doc_id, f.section, f.quote, role="引用"))
        by = "、".join(dict.fromkeys(book(ctx.facts.doc(f.doc_id).title) or f.doc_id
                                     for f in refs))
        near = _nearest(title, plans, local)
        hint = (f"库中标题最接近的现行预案是{book(near.title)}，请核对是否应改为引用它。"
                if near else "应补充该预案，或改为引用现行有效的预案。")
        yield Finding(
            rule="dangling_plan_reference", severity="error", subject=title,
            title=f"引用的{book(title)}不在预案库中",
            explanation=(f"{by}引用了{book(title)}，但预案库中没有这份预案，"
                         f"引用落不到任何预案文本，处置时无预案可依。{hint}"),
            clauses=clauses[:8])


def _nearest(title: str, plans: list, prefixes: set[str]) -> object | None:
    """The ingested plan whose title core (without the jurisdiction and the 专项应急预案 kind
    words) shares the most character bigrams with `title`'s (Dice ≥ 0.42), e.g. the current
    plan a reference still calls by an old name."""
    def grams(t: str) -> set[str]:
        t = norm(t).strip("《》")
        for p in sorted(prefixes, key=len, reverse=True):
            t = t.removeprefix(p)
        t = _KIND_WORDS.sub("", t)
        return {t[i:i + 2] for i in range(len(t) - 1)}

    g = grams(title)
    named = next((lv for lv in ("总体", "专项", "部门") if lv in title), None)
    best, score = None, 0.0
    for d in plans:
        if d.level != (named or d.level) or (d.level == "总体" and named != "总体"):
            continue  # a special plan is not replaced by a department or the general plan
        h = grams(d.title)
        s = 2 * len(g & h) / (len(g) + len(h)) if g and h else 0.0
        if s > score:
            best, score = d, s
    return best if score >= 0.42 else None


RULES = [Rule(name="dangling_plan_reference", title="引用不存在的预案", severity="error",
              description="预案引用了本辖区的另一份预案，但库中（及待检草案中）没有这份预案。",
              run=dangling_references)]
