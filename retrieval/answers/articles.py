"""regulation_article: which article of which regulation says so (依据/第几条), and what a plan
cites as its basis.

Candidates are the paragraphs and items of the ingested regulations' articles and the sentences
of plans and duty lists that cite an article ("……（《X条例》第九条）"). The one sharing the most
character bigrams with the question wins, restricted to the regulation the question names
(《…》 or a short name such as 安全生产法) and to an article number it names. Superseded versions
(the catalogue's SUPERSEDES edges) are never used unless the question asks for the old text.
"""
from __future__ import annotations

import math
import re
from typing import Any

from kg.store import GraphStore
from retrieval.answers import Query
from retrieval.answers._match import bigrams, cite, clean, question_bigrams, source
from retrieval.contract import Answer, Fact
from retrieval.normalize import in_order
from retrieval.passages import answer_types, best_quote

ROUTES: list[tuple[str, str, int]] = [
    ("regulation_article",
     r"哪一?条|第几条|哪几条|哪些条|(?:法律|法规|政策)依据|依据(?:是|的是)?(?:什么|哪)|哪部法|根据哪"
     r"|依据哪些|(?:什么|哪些)法(?:律|规)?(?:规定|依据)|第[一二三四五六七八九十百零〇\d]+条",
     5),
]

_NUM = "一二三四五六七八九十百零〇"
_ARTICLE_RE = re.compile(rf"第[{_NUM}\d]+条")
_NAMED_RE = re.compile(r"《([^》]{2,40})》")
_OLD_RE = re.compile(r"旧版|原来的|修订前|废止|老版|以前的版本")
MAX_ALSO = 2  # other citing documents named for the same article
# Words that ask what an article says, not what it is about ("第十七条说了什么").
_ABOUT_ARTICLE = bigrams("规定了什么说的是啥讲的是什么内容说了什么写的是什么条文具体意思说了啥讲了啥写了啥")
# A 法律责任 article (penalties), and a question that asks about one.
_PENALTY = re.compile(r"罚款|处分|追究刑事责任|吊销|责令停产|没收违法所得|给予警告|治安管理处罚")
_PENALTY_Q = re.compile(r"罚|处分|法律责任|追究|惩处|处理|后果|制裁|警告")
# Formal names a question shortens: "镇政府" is the text's "镇人民政府".
_FORMAL = re.compile(r"人民政府")


def _plain(text: str) -> str:
    return _FORMAL.sub("政府", text or "")


_BASIS_RE = re.compile(r"预案.{0,6}(?:依据|根据)(?:了)?(?:哪些|什么)(?:法律|法规|文件|规定)")


def _short_names(title: str) -> set[str]:
    """Ways a question may name a regulation: full title, without the country or place prefix."""
    out = {title}
    t = re.sub(r"^中华人民共和国", "", title)
    out.add(t)
    m = re.match(r"^.{1,6}?[省市区县镇](.{4,})$", t)
    if m:
        out.add(m.group(1))
    return {s for s in out if len(s) >= 4}


def _abbreviates(short: str, name: str) -> bool:
    """应对法 ⊂ 突发事件应对法, 安法 ⊂ 安全生产法, 应急条例 ⊂ 生产安全事故应急条例: the characters in
    order, the same ending (法/条例/办法…), and a two-character form only with the first one."""
    if len(short) >= len(name) or short[-1] != name[-1]:
        return False
    if len(short) == 2 and short[0] != name[0]:
        return False
    return in_order(short, name)


_ABBR_END = re.compile(r"(?:法|条例|办法|规定|细则)")


def _abbreviations(text: str, titles: set[str]) -> dict[str, set[str]]:
    """Abbreviations in the question (the longest ending at each 法/条例/…) → regulations."""
    out: dict[str, set[str]] = {}
    for m in _ABBR_END.finditer(text):
        end = m.end()
        for start in range(max(0, end - 8), end - 1):
            short = text[start:end]
            if not re.fullmatch(r"[\u4e00-\u9fff]+", short):
                continue
            hits = {t for t in titles if any(_abbreviates(short, s) for s in _short_names(t))}
            if hits:
                out[short] = hits
                break
    return out


def _abbreviated(text: str, titles: set[str]) -> set[str]:
    return {t for hits in _abbreviations(text, titles).values() for t in hits}


def _named(text: str, titles: set[str]) -> set[str]:
    named = set()
    for m in _NAMED_RE.finditer(text):
        named |= {t for t in titles if m.group(1) in _short_names(t) or m.group(1) == t}
    for t in titles:
        if any(s in text for s in _short_names(t)):
            named.add(t)
    if not named:
        named = _abbreviated(text, titles)
    # "安全生产法" also occurs inside "…安全生产法实施…" titles: keep the longest names only.
    return {t for t in named if not any(t != o and t in o for o in named)}


def answer(store: GraphStore, query: Query) -> Answer | None:
    q = query.text
    if _BASIS_RE.search(q):
        basis = plan_basis(store, query)
        if basis is not None:
            return basis
    return article_answer(store, query)


def article_answer(store: GraphStore, query: Query) -> Answer | None:
    q = query.text
    arts = store.query("articles")
    cites = store.query("article_citations")
    if not arts and not cites:
        return None
    old_ok = bool(_OLD_RE.search(q))
    titles = {a["title"] for a in arts} | {c["regulation"] for c in cites if c["regulation"]}
    named = _named(q, titles)
    labels = set(_ARTICLE_RE.findall(q))
    qb = question_bigrams(q)
    for t in named:  # the regulation's name says which law, not what the article is about
        qb -= bigrams(t)
    shorts = list(_abbreviations(q, named))
    for short in shorts:
        qb -= bigrams(short)
    if labels and not _topic_bigrams(q, labels, named, shorts):
        whole = whole_articles(query, arts, named, labels, old_ok)
        if whole is not None:
            return whole
    asks_penalty = bool(_PENALTY_Q.search(q))
    want = answer_types(q)

    cands: list[dict[str, Any]] = []
    for a in arts:
        if a["superseded"] and not old_ok:
            continue
        if named and a["title"] not in named:
            continue
        if labels and a["label"] not in labels:
            continue
        parts = [p for p in (a.get("paragraphs") or []) if p] + [i for i in (a.get("items") or []) if i]
        for p in parts or [a.get("text") or ""]:
            cands.append({"kind": "article", "regulation": a["title"], "label": a["label"],
                          "doc_id": a["doc_id"], "title": a["title"], "section": a["section"],
                          "quote": p, "article": a["article"], "whole": a.get("text") or ""})
    for c in cites:
        if not c["quote"] or not c["label"]:
            continue
        if named and c["regulation"] not in named:
            continue
        if labels and c["label"] not in labels:
            continue
        cands.append({"kind": "citation", "regulation": c["regulation"], "label": c["label"],
                      "doc_id": c["doc_id"], "title": c["title"], "section": c["section"],
                      "quote": c["quote"], "article": c["article"], "whole": "",
                      "table_row": c["doc_kind"] != "plan" and c["doc_kind"] != "regulation"})
    if not cands:
        return None
    inc = query.first("IncidentType")
    core = re.sub(r"(?:突发)?(?:事故|事件|灾害)$", "", inc.name) if inc else ""
    # Rare shared bigrams count more than common ones (idf over the candidates).
    bg = [bigrams(_plain(c["quote"])) for c in cands]
    df: dict[str, int] = {}
    for b in bg:
        for x in b & qb:
            df[x] = df.get(x, 0) + 1
    n = len(cands)
    idf = {x: math.log(1 + n / d) for x, d in df.items()}
    units: list[tuple[float, dict[str, Any]]] = []
    for c, b in zip(cands, bg):
        hit = qb & b
        if not hit:
            continue
        score = sum(idf[x] for x in hit) / (len(b) ** 0.15)
        score += 0.1 * sum(idf.get(x, 0) for x in qb & bigrams(_plain(c["whole"])))
        if core and c["kind"] == "citation" and core in (c["title"] or ""):
            score *= 1.5  # the incident's own plan citing its law
        if c.get("table_row"):
            score *= 0.6  # a list row citing its basis says less than the article or the plan
        if c["kind"] == "article" and _PENALTY.search(c["whole"] or c["quote"]):
            # The 法律责任 article restates a duty as "未……的": it answers what the penalty is,
            # the duty itself is in an earlier article.
            score *= 1.5 if asks_penalty else 0.45
        if want and any(w.search(c["quote"]) for w in want):
            score *= 1.6  # it holds the kind of value asked for (a time, a number, a definition)
        units.append((score, c))
    if not units:
        return None
    units.sort(key=lambda u: (-u[0], u[1]["kind"] != "article", len(u[1]["quote"])))
    best_score, best = units[0]
    if best_score < 2.5 and not labels:
        return None
    # Other articles the same sentence cites ("第八十四条、第八十五条") and, for a citing
    # sentence, the article's own text when the regulation is ingested.
    same = [u for s, u in units if u["quote"] == best["quote"] and u["doc_id"] == best["doc_id"]]
    refs: list[str] = []
    for u in same:
        r = f"《{u['regulation']}》{u['label']}"
        if r not in refs:
            refs.append(r)
    used = [best]
    if best["kind"] == "article":  # other paragraphs of the same article that match nearly as well
        used += [u for s, u in units[1:] if u["article"] == best["article"] and u["kind"] == "article"
                 and u["quote"] != best["quote"] and s >= 0.6 * best_score][:2]
        order = {p: i for i, p in enumerate(best["whole"].split("\n"))}
        used.sort(key=lambda u: order.get(u["quote"], 0))
    body = "".join(clean(u["quote"]) for u in used if u["kind"] == "article") or clean(best["quote"])
    # The sentence of the provision that answers the question first, the provision after it.
    lead = best_quote(body, query.text)
    text = (f"依据{'、'.join(refs)}：{lead}" if lead == body or lead not in body
            else f"依据{'、'.join(refs)}：{lead}\n（该条原文：{body}）")
    if best["kind"] == "citation":
        text += f"（见{source(best)}）"
        own = next((u for s, u in units if u["kind"] == "article" and u["article"] == best["article"]),
                   None)
        if own is not None:
            used.append(own)
        # Other documents citing the same article for the same point ("另见").
        also = [u for s, u in units[1:MAX_ALSO * 4] if u["kind"] == "citation" and s >= 0.6 * best_score
                and u["article"] == best["article"] and u["doc_id"] != best["doc_id"]
                and not u.get("table_row")]
        seen_docs: set[str] = set()
        also = [u for u in also if not (u["doc_id"] in seen_docs or seen_docs.add(u["doc_id"]))][:MAX_ALSO]
        if also:
            text += "；另见" + "、".join(source(u) for u in also)
            used += also
    else:
        text += f"（{source(best)}）"
    facts = [Fact(subject=u["title"], relation="CITES" if u["kind"] == "citation" else "HAS_ARTICLE",
                  object=f"{u['regulation']}{u['label']}", doc_id=u["doc_id"],
                  section=u["section"] or "") for u in used]
    return Answer(question=query.question, intent="regulation_article", entities=query.entities,
                  answer=text, facts=facts, citations=cite(used))


def _topic_bigrams(q: str, labels: set[str], named: set[str], shorts: list[str]) -> set[str]:
    """What the question says besides the article, the regulation and "规定了什么"."""
    rest = q
    for s in sorted({*labels, *shorts, *(n for t in named for n in _short_names(t))}, key=len, reverse=True):
        rest = rest.replace(s, "，")
    return question_bigrams(rest) - _ABOUT_ARTICLE


def whole_articles(query: Query, arts: list[dict[str, Any]], named: set[str], labels: set[str],
                   old_ok: bool) -> Answer | None:
    """"第二十二条规定了什么": the article's whole text (of each regulation that has it, when the
    question names none)."""
    found = [a for a in arts if a["label"] in labels and (not named or a["title"] in named)
             and (old_ok or not a["superseded"]) and (a.get("text") or "").strip()]
    if not found:
        return None
    found = found[:3]
    parts = [f"《{a['title']}》{a['label']}规定：{clean(a['text'])}" for a in found]
    rows = [{"doc_id": a["doc_id"], "title": a["title"], "section": a["section"], "quote": a["text"]}
            for a in found]
    facts = [Fact(subject=a["title"], relation="HAS_ARTICLE", object=f"{a['title']}{a['label']}",
                  doc_id=a["doc_id"], section=a["section"] or "") for a in found]
    return Answer(question=query.question, intent="regulation_article", entities=query.entities,
                  answer="\n".join(parts), facts=facts, citations=cite(rows))


def plan_basis(store: GraphStore, query: Query) -> Answer | None:
    """What laws and documents a plan cites as its basis: the plan is the one whose title shares
    the most with the question (the incident's own plan when an incident type is named)."""
    docs = [d for d in store.query("documents") if d["kind"] == "plan"]
    if not docs:
        return None
    qb = question_bigrams(query.text)
    inc = query.incident()
    core = re.sub(r"(?:突发)?(?:事故|事件|灾害)$", "", inc.name) if inc else ""

    def score(d: dict[str, Any]) -> float:
        title = d["title"] or ""
        return len(qb & bigrams(title)) + (3 if core and core in title else 0)

    best = max(docs, key=score)
    if score(best) < 2:
        return None
    rows = store.query("plan_bases", docs=[best["doc_id"]])
    if not rows:
        return None
    cited: list[str] = []
    for r in rows:
        name = re.sub(r"^title:", "", r["cited"] or "").strip("《》")
        if name and name not in cited and name != best["title"]:
            cited.append(name)
    if not cited:
        return None
    text = (f"《{best['title']}》的编制依据是：" + "、".join(f"《{c}》" for c in cited) + "。")
    facts = [Fact(subject=best["title"], relation="CITES", object=re.sub(r"^title:", "", r["cited"]),
                  doc_id=r["doc_id"], section=r["section"] or "") for r in rows]
    return Answer(question=query.question, intent="regulation_article", entities=query.entities,
                  answer=text, facts=facts, citations=cite(rows))
