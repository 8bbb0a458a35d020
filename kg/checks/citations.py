"""Regulation citations: a superseded version cited, or an article the ingested text lacks.

The versions come from the law catalogue's SUPERSEDES facts (newer → older, each with both
titles, dates and statuses); the articles from the ingested regulations' HAS_ARTICLE facts.
A citation is read from the text: 《title》 with an optional version note in brackets
("（2014年修正）", "（2007年8月30日……通过）").
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from kg.checks.engine import CheckContext, Rule
from kg.checks.model import Finding
from kg.checks.text import book, norm, sentences
from kg.numerals import cn_to_int

_CITED = re.compile(r"《([^《》]{2,60})》\s*(?:[（(]([^（）()]{0,60})[）)])?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CHECKED_KINDS = ("plan", "duty_list")
_REPEALS = re.compile(r"同时废止|予以废止|停止执行|不再执行|即行废止")  # naming what it replaces


def title_key(title: str) -> str:
    t = norm(title).strip("《》")
    return t.removeprefix("中华人民共和国")


def cn_number(label: str) -> int | None:
    """第三十二条 → 32 (up to 999)."""
    m = re.fullmatch(r"第([零一二三四五六七八九十百]+)条", norm(label))
    return cn_to_int(m.group(1)) if m else None


def _superseded(ctx: CheckContext) -> dict[str, list[dict]]:
    """Title key → the replaced versions of that title (props of SUPERSEDES facts)."""
    out: dict[str, list[dict]] = defaultdict(list)
    for f in ctx.facts.of_type("SUPERSEDES"):
        p = f.props
        if p.get("older_title"):
            out[title_key(p["older_title"])].append({**p, "_quote": f.quote, "_doc": f.doc_id,
                                                     "_section": f.section})
    return out


def _current_titles(ctx: CheckContext) -> set[str]:
    out = {title_key(d.title) for d in ctx.facts.docs.values() if d.kind == "regulation"}
    for f in ctx.facts.of_type("SUPERSEDES"):
        if f.props.get("newer_title"):
            out.add(title_key(f.props["newer_title"]))
    return out


def superseded_citations(ctx: CheckContext) -> Iterator[Finding]:
    replaced = _superseded(ctx)
    if not replaced:
        return
    current = _current_titles(ctx)
    found: dict[tuple, dict] = {}
    for sec in ctx.facts.sections:
        if ctx.facts.doc(sec.doc_id).kind not in _CHECKED_KINDS:
            continue
        for _, sentence in sentences(sec.text):
            if _REPEALS.search(sentence):
                continue
            for m in _CITED.finditer(sentence):
                key = title_key(m.group(1))
                versions = replaced.get(key)
                if not versions:
                    continue
                note = m.group(2) or ""
                year = _YEAR.search(note)
                hit = None
                if year:
                    hit = next((v for v in versions
                                if (v.get("older_version_date") or "").startswith(year.group(1))),
                               None)
                elif key not in current:  # the title itself was replaced (renamed or repealed)
                    hit = versions[0]
                if hit is None:
                    continue
                k = (sec.doc_id, key, hit.get("older_version_date"))
                entry = found.setdefault(k, {"hit": hit, "cited": m.group(0), "places": []})
                if (sec.path, sentence) not in entry["places"]:
                    entry["places"].append((sec.path, sentence))
    for (doc_id, _, _), e in found.items():
        hit, d = e["hit"], ctx.facts.doc(doc_id)
        verb = "修正" if "修正" in e["cited"] else "修订"
        older = f"{book(hit['older_title'])}（{_date_cn(hit.get('older_version_date'))}版本，{hit.get('older_status') or '已被取代'}）"
        new_date = hit.get("newer_version_date") or ""
        newer = (f"{new_date[:4]}年{verb}的{book(hit['newer_title'])}（{_date_cn(new_date)}）"
                 if new_date else book(hit["newer_title"]))
        clauses = [ctx.clause(doc_id, s, q, role="引用") for s, q in e["places"][:3]]
        clauses.append(ctx.clause(hit["_doc"], hit["_section"], hit["_quote"], role="法规目录"))
        yield Finding(
            rule="superseded_regulation", severity="error", subject=hit["older_title"],
            title=f"{book(d.title) or doc_id}引用已被取代的{book(hit['older_title'])}",
            explanation=(f"{book(d.title) or doc_id}引用{e['cited']}，即{older}；该版本已被{newer}取代"
                         f"（{hit.get('newer_status') or '现行有效'}）。应改为引用现行版本，并核对条文序号。"),
            clauses=clauses)


def _date_cn(date: str | None) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date or "")
    return f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日" if m else (date or "")


def _grams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fff]", "", norm(text))
    return {t[i:i + 2] for i in range(len(t) - 1)}


def nearest_articles(text: str, articles: dict[str, tuple[str, str]], n: int = 2) -> list[str]:
    """Labels of the articles whose text shares most character bigrams with the citing text."""
    g = _grams(text)
    scored = sorted(((len(g & _grams(q)) / (len(_grams(q)) or 1) ** 0.5, label)
                     for label, (_, q) in articles.items()), reverse=True)
    return [label for score, label in scored[:n] if score > 0]


def _articles(ctx: CheckContext) -> dict[str, tuple[str, dict[str, tuple[str, str]], int]]:
    """Title key → (doc id, {article label: (section, quote)}, highest article number) of the
    ingested regulations, from their Article facts and, where a text has none, their sections
    headed 第X条."""
    labels: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for f in ctx.facts.of_type("HAS_ARTICLE"):
        labels[f.doc_id].setdefault(norm(f.end_props.get("label") or ""),
                                    (f.section, f.end_props.get("text") or f.quote))
    for sec in ctx.facts.sections:
        if ctx.facts.doc(sec.doc_id).kind != "regulation":
            continue
        last = sec.path.rsplit("/", 1)[-1]
        if cn_number(last) is not None:
            first = next((q for _, q in sentences(sec.text)), sec.text)
            labels[sec.doc_id].setdefault(norm(last), (sec.path, sec.text or first))
    out = {}
    for doc_id, labs in labels.items():
        top = max((cn_number(x) or 0 for x in labs), default=0)
        out[title_key(ctx.facts.doc(doc_id).title)] = (doc_id, labs, top)
    return out


def missing_articles(ctx: CheckContext) -> Iterator[Finding]:
    regs = _articles(ctx)
    if not regs:
        return
    found: dict[tuple, list] = {}
    for f in ctx.facts.of_type("CITES", "BASED_ON"):
        if f.end_label != "Article" or ctx.facts.doc(f.doc_id).kind not in _CHECKED_KINDS:
            continue
        title, label = f.props.get("title") or "", norm(f.props.get("article") or "")
        if not title or not label or f.props.get("version_note"):
            continue  # an older version's numbering cannot be checked against this text
        reg = regs.get(title_key(title))
        if reg is None or label in reg[1]:
            continue
        places = found.setdefault((f.doc_id, reg[0], label), [])
        if (f.section, f.quote) not in places:
            places.append((f.section, f.quote))
    for (doc_id, reg_id, label), places in found.items():
        d, r = ctx.facts.doc(doc_id), ctx.facts.doc(reg_id)
        _, labs, top = regs[title_key(r.title)]
        last = next((v for k, v in labs.items() if cn_number(k) == top), None)
        clauses = [ctx.clause(doc_id, s, q, role="引用") for s, q in places[:3]]
        if last is not None:
            clauses.append(ctx.clause(reg_id, last[0], next(iter(q for _, q in sentences(last[1])),
                                                            last[1]), role="法规最后一条"))
        near = nearest_articles(places[0][1].replace(label, ""), labs)
        for lab in near:
            sec, text = labs[lab]
            clauses.append(ctx.clause(reg_id, sec, next(iter(q for _, q in sentences(text)), text),
                                      role="内容相近的条款"))
        hint = f"内容最接近的是{'、'.join(near)}，" if near else ""
        yield Finding(
            rule="nonexistent_article", severity="error", subject=f"{r.title}{label}",
            title=f"{book(d.title) or doc_id}引用的{book(r.title)}{label}不存在",
            explanation=(f"{book(d.title) or doc_id}引用{book(r.title)}{label}，但已入库的该法规文本共 {top} 条，"
                         f"没有{label}。{hint}应核对并改为实际规定该事项的条款。"),
            clauses=clauses)


RULES = [
    Rule(name="superseded_regulation", title="引用已被取代的法规", severity="error",
         description="引用了法规目录中已修订、废止或更名的旧版本（按版本说明中的年份或旧标题判断）。",
         run=superseded_citations),
    Rule(name="nonexistent_article", title="引用不存在的条款", severity="error",
         description="引用了已入库法规文本中不存在的条款。",
         run=missing_articles),
]
