"""Outdated unit names: a plan or list still writing a unit's pre-reform or former name.

The former names come from the caller's organisation table (Reference.organizations) and from
the graph (the former name a fact was written with, org_surface); the text is every section of
every plan and duty list, so names no extractor turned into a fact (a unit in brackets, a list
cell) are found too. Longest match wins: "区消防救援支队" is read whole, not as a shorter name.
A name preceded by 原/更名前 is history, not a mistake.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg.checks.engine import CheckContext, Rule
from kg.checks.model import Finding, OrgName
from kg.checks.text import book, norm, plan_rank, sentences

_HISTORIC = re.compile(r"(?:原|更名前|改革前|前身为?|曾用名)[“\"]?$")  # "原区安监局" is history
_CHECKED_KINDS = ("plan", "duty_list")


class _Names:
    """Surface → (canonical, is_former), matched longest first."""

    def __init__(self, orgs: list[OrgName]):
        self.surface: dict[str, tuple[str, bool]] = {}
        formers = {norm(s) for o in orgs for s in o.former_names}
        for o in orgs:
            for s in (o.name, *o.aliases):
                if norm(s) not in formers:  # a graph alias never hides a former name
                    self.surface.setdefault(norm(s), (o.name, False))
        for o in orgs:
            for s in o.former_names:
                self.surface.setdefault(norm(s), (o.name, True))
        keys = sorted((k for k in self.surface if k), key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def find(self, text: str) -> Iterator[tuple[int, str, str, bool]]:
        """(position, surface, canonical, is_former) over NFKC text."""
        if self.pattern is None:
            return
        for m in self.pattern.finditer(norm_keep_length(text)):
            canonical, former = self.surface[m.group(0)]
            yield m.start(), m.group(0), canonical, former


def norm_keep_length(text: str) -> str:
    import unicodedata

    k = unicodedata.normalize("NFKC", text)
    return k if len(k) == len(text) else text


_RENAMING = re.compile(r"(?:机构改革|机构调整|名称(?:发生)?变化|更名)[^。]*修订|修订[^。]*(?:机构改革|名称(?:发生)?变化)")


def _renaming_rule(ctx: CheckContext):
    """The ingested regulation clause requiring plans to be revised after units are renamed."""
    for sec in ctx.facts.sections:
        if ctx.facts.doc(sec.doc_id).kind != "regulation":
            continue
        for _, q in sentences(sec.text):
            if _RENAMING.search(q):
                return ctx.clause(sec.doc_id, sec.path, q, role="修订要求")
    return None


def _org_names(ctx: CheckContext) -> list[OrgName]:
    """The alias table, plus what the graph knows: Organization aliases and the former names
    facts were written with (org_surface, recorded at ingest)."""
    out = list(ctx.reference.organizations)
    known: dict[str, OrgName] = {}
    for f in ctx.facts.facts:
        for label, key, props in ((f.start_label, f.start, f.start_props),
                                  (f.end_label, f.end, f.end_props)):
            if label == "Organization" and key not in known:
                known[key] = OrgName(name=key, aliases=list(props.get("aliases") or []))
        surface = f.props.get("org_surface")
        org = f.start if f.start_label == "Organization" else (
            f.end if f.end_label == "Organization" else None)
        if surface and org:
            known.setdefault(org, OrgName(name=org)).former_names.append(surface)
    return out + list(known.values())


def outdated_names(ctx: CheckContext) -> Iterator[Finding]:
    names = _Names(_org_names(ctx))
    if names.pattern is None:
        return
    uses: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (doc, former) -> [(section, quote)]
    current: dict[str, list[tuple[str, str, str]]] = {}  # canonical -> [(doc, section, quote)]
    canon_of: dict[str, str] = {}
    for sec in ctx.facts.sections:
        if ctx.facts.doc(sec.doc_id).kind not in _CHECKED_KINDS:
            continue
        for start, sentence in sentences(sec.text):
            for pos, surface, canonical, former in names.find(sentence):
                if not former:
                    current.setdefault(canonical, []).append((sec.doc_id, sec.path, sentence))
                    continue
                if _HISTORIC.search(sentence[:pos]):
                    continue
                canon_of[surface] = canonical
                found = uses.setdefault((sec.doc_id, surface), [])
                if (sec.path, sentence) not in found:
                    found.append((sec.path, sentence))
    rule = _renaming_rule(ctx)
    for (doc_id, surface), places in uses.items():
        canonical = canon_of[surface]
        d = ctx.facts.doc(doc_id)
        clauses = [ctx.clause(doc_id, s, q, role="旧称") for s, q in places[:6]]
        same = sorted((u for u in current.get(canonical, []) if u[0] == doc_id),
                      key=lambda u: (len(u[2]) < 12, len(u[2])))
        others = sorted((u for u in current.get(canonical, [])
                         if u[0] != doc_id and ctx.facts.doc(u[0]).kind == "plan"),
                        key=lambda u: (plan_rank(ctx.facts.doc(u[0]).level), len(u[2]) < 12,
                                       len(u[2])))
        for u in (same[:1] + others[:1]):
            clauses.append(ctx.clause(u[0], u[1], u[2], role="现行名称"))
        more = f"（共 {len(places)} 处）" if len(places) > 1 else ""
        basis = ""
        if rule is not None:
            clauses.append(rule)
            basis = (f"按照{book(rule.title)}{rule.section.rsplit('/', 1)[-1]}，"
                     "单位名称因机构改革等变化的，应当及时修订预案。")
        yield Finding(
            rule="outdated_name", severity="warning", subject=surface,
            title=f"{book(d.title) or doc_id}使用旧称“{surface}”",
            explanation=(f"{book(d.title) or doc_id}仍使用机构改革前或更名前的名称“{surface}”{more}，"
                         f"该单位现名“{canonical}”。{basis}应统一改为现行名称，避免值班时找错单位。"),
            clauses=clauses)


RULES = [Rule(name="outdated_name", title="机构旧称", severity="warning",
              description="预案或清单使用机构改革前或已更名的单位名称（依据单位别名表的曾用名）。",
              run=outdated_names)]
