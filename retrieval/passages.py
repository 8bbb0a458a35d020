"""Hybrid passage search over document sections: FAISS (mE5) + BM25 (jieba), fused by rank.

The indexes are rebuilt from the graph's Section nodes after every ingest, so text search and
graph answers always describe the same documents.
"""
from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from kg.store import GraphStore
from retrieval.embedder import Embedder
from retrieval.full_names import defined_short_forms
from retrieval.fusion import rrf
from retrieval.answers._match import question_bigrams
from retrieval.normalize import char_bigrams
from retrieval.lexical_index import LexicalIndex, build_lexical_index
from retrieval.vector_index import IndexItem, VectorIndex, build_vector_index

GENERATION_FILE = "GENERATION"


@dataclass
class Passage:
    doc_id: str
    title: str
    section: str
    text: str  # a verbatim sentence (or line) of the section: the quote
    score: float


@dataclass
class Section:
    """A retrieved section, whole: the reader looks for the answering sentence in it."""
    doc_id: str
    title: str
    path: str
    headings: list[str]  # from the top heading down to the section's own
    body: str
    score: float
    # the sentence introducing the list this section is an item of ("有下列情形之一的，……处
    # 五万元以上二十万元以下的罚款："): what each item means is said there
    lead: str = ""
    lead_path: str = ""


def index_generation(index_dir: Path) -> str | None:
    """Changes whenever any process rebuilt the indexes (i.e. after every ingest/delete)."""
    try:
        return (index_dir / GENERATION_FILE).read_text("utf-8").strip() or None
    except FileNotFoundError:
        return None


def build_indexes(store: GraphStore, index_dir: Path, embedder: Embedder) -> int:
    rows = store.query("sections")
    items = [IndexItem(key=r["key"], text=_passage_text(r),
                       meta={"doc_id": r["doc_id"], "title": r["title"] or r["doc_id"],
                             "path": r["path"], "body": r["text"] or ""})
             for r in rows if (r["text"] or "").strip()]
    words = [r["name"] for q in ("incident_type_names", "organization_names")
             for r in store.query(q)]
    index_dir.mkdir(parents=True, exist_ok=True)
    build_vector_index(index_dir / "vector", items, embedder)
    build_lexical_index(index_dir / "lexical", items, user_words=words)
    tmp = index_dir / f".{GENERATION_FILE}.{os.getpid()}"
    tmp.write_text(uuid.uuid4().hex, "utf-8")
    os.replace(tmp, index_dir / GENERATION_FILE)
    return len(items)


def _passage_text(row: dict) -> str:
    """Title and heading give a short section its context for both retrievers."""
    head = " ".join(x for x in (row["title"], row["heading"]) if x)
    return f"{head}\n{row['text']}" if head else row["text"]



_SENT = re.compile(r"(?<=[。！？!?\n])")
# Numbering a sentence may start with: 第十二条, （三）, (2), ①, 2.3.1, 1., 一、 — scoring looks
# at the text after it; the quote keeps it, as the line stands in the source.
_LEAD = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+条[\s　]*"
                   r"|[（(][一二三四五六七八九十\d]{1,3}[)）][\s　]*"
                   r"|[①-⑳][\s　]*"
                   r"|\d+(?:\.\d+)+[\s　]+|\d+[.、．][\s　]*"
                   r"|[一二三四五六七八九十]{1,3}、[\s　]*)")
# What kind of value a question asks for, and how a sentence giving it looks.
_ANSWER_TYPES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    # How often ("多久开一次"): a frequency (每半年, 每2年), not a deadline.
    (re.compile(r"(?:多久|多长时间|几年|几个月)[^，。？?]{0,6}一次|每隔多久|频次|频率"),
     re.compile(r"每(?:半|\d+|[一两二三四五六七八九十]+)?个?(?:年|季度|月|周|星期|天|日)")),
    (re.compile(r"(?:多久|多长时间)(?![^，。？?]{0,6}一次)|几个?小时|几天|多少天|几分钟|什么时候|何时|时限|期限"
                r"|哪天|哪一天|什么日期|几月几[日号]"),
     re.compile(r"\d+(?:个)?(?:分钟|小时|日|天|个工作日|周|月|年)(?:内|以内|前|后)"
                r"|[一二三四五六七八九十两]+(?:个)?(?:小时|日|天|个工作日|周|月|年)(?:内|以内|前|后)"
                r"|月底前|年底前|立即|及时"
                r"|\d{4}年\d{1,2}月\d{1,2}日(?:起|前|以前|后|以后)")),
    (re.compile(r"多少|几[个人名家处座台辆张顶]|多大|容量|规模"),
     re.compile(r"\d+(?:\.\d+)?(?:万|千|百)?(?:人|名|个|家|处|座|台|辆|张|顶|平方米|立方米|吨|元)")),
    (re.compile(r"在哪|哪里|什么地方|地址|位置"),
     re.compile(r"[路街巷弄]\d+号|位于|设在")),
    (re.compile(r"要做什么|该做什么|做些什么|干什么|怎么做|怎么处置|如何处置|采取什么措施"),
     re.compile(r"应当|立即|必须|严禁")),
    (re.compile(r"向谁|报给谁|报告给谁|找谁报|报哪里|向哪"),
     re.compile(r"向[^，。；]{2,40}?报告|报[^，。；]{2,20}?备案|报送[^，。；]{2,20}")),
    (re.compile(r"谁|哪个单位|哪个部门|哪家"),
     re.compile(r"由[^，。；、]{2,24}?(?:承担|负责|牵头|决定|批准|组织|实施|兼任)|报[^，。；]{2,16}批准")),
    (re.compile(r"定义|含义|什么意思|是指什么|指的是|什么叫|什么是"),
     re.compile(r"是指|指的是|包括")),
]
_ARTICLE_LEAD = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")
_LIST_INTRO = ("：", ":")
_MAX_FOLLOW = 300
_MAX_PAIR = 220


def strip_number(sentence: str) -> str:
    """The sentence without the clause number it starts with (unchanged if that leaves little)."""
    s = sentence.strip()
    rest = _LEAD.sub("", s, count=1).strip()
    return rest if len(rest) >= 4 else s


def is_heading(sentence: str) -> bool:
    """A title line ("6.3.1 高层建筑火灾。", "（三）避难场所。") names what follows, it answers nothing."""
    core = re.sub(r"[。：:；;\s]", "", strip_number(sentence))
    return len(core) < 14 and not re.search(r"[，,]", core)


def sentences(body: str) -> list[str]:
    """The section's sentences (ending at 。！？ or a line end), each without its leading number."""
    return [strip_number(p) for p in _SENT.split(body) if p.strip()]


def answer_types(question: str) -> list[re.Pattern[str]]:
    return [ans for asks, ans in _ANSWER_TYPES if asks.search(question)]


def sentence_score(sentence: str, q: set[str], want: list[re.Pattern[str]]) -> float:
    """Question bigrams the sentence shares, +2 when it holds the kind of value asked for,
    -2 for a bare heading."""
    score = float(len(q & char_bigrams(unicodedata.normalize("NFKC", sentence))))
    if want and any(p.search(sentence) for p in want):
        score += 2
    if is_heading(sentence):
        score -= 2
    return score


def _best_sentence(body: str, q: set[str], want: list[re.Pattern[str]]) -> tuple[str, float, list[str], int]:
    """The best sentence (and the next one when that matches about as well: "征用……。被征用的财产
    ……应当及时返还。"), its score, the section's sentences and the index after the quote."""
    raw = [p for p in _SENT.split(body) if p.strip()]
    if not raw:
        return body.strip(), -2.0, [], 0
    scores = [sentence_score(strip_number(p), q, want) for p in raw]
    best = max(range(len(raw)), key=lambda i: (scores[i], -i))
    end = best + 1
    # An item stands alone (（三）……。); an article's first sentence may go on in the next one.
    numbered = (strip_number(raw[best]) != raw[best].strip()
                and not _ARTICLE_LEAD.match(raw[best].strip()))
    if (not numbered and end < len(raw) and scores[end] >= max(1.0, 0.3 * scores[best])
            and len(raw[best]) + len(raw[end]) <= _MAX_PAIR and not raw[best].rstrip().endswith(_LIST_INTRO)):
        end += 1
    quote = "".join(raw[best:end]).strip()
    return quote, scores[best], [p.strip() for p in raw], end


def _with_items(quote: str, items: list[str]) -> str:
    """A sentence introducing a list ("采取下列措施：") with the items after it, verbatim."""
    follow: list[str] = []
    for it in items:
        if follow and sum(map(len, follow)) + len(it) > _MAX_FOLLOW:
            break
        follow.append(it.strip())
    return "\n".join([quote, *follow]) if follow else quote


def best_quote(body: str, question: str) -> str:
    """The sentence of `body` that best answers the question (verbatim, with its number); a
    sentence introducing a list keeps the items that follow it."""
    quote, _, raw, end = _best_sentence(body, question_bigrams(question), answer_types(question))
    if quote.endswith(_LIST_INTRO):
        quote = _with_items(quote, raw[end:])
    return quote


def holds_kind(text: str, want: list[re.Pattern[str]]) -> bool:
    return any(p.search(text) for p in want)


def fuse(rankings: list[list[str]], holds) -> list[tuple[str, float]]:
    """Rank fusion plus one more voice for the candidates whose quote holds the kind of value
    asked for (a time, a frequency, what must be done): a sentence restating the question's
    topic ("涵洞地势低洼易积水") shares its words but answers nothing."""
    by_kind = [key for key, _ in rrf(rankings) if holds(key)]
    return rrf([*rankings, by_kind])


class HybridPassageSearch:
    """Sections ranked by three voices fused by rank: the mE5 vector index, BM25 over jieba
    tokens, and how well each candidate's best sentence matches the question (shared bigrams,
    the kind of value asked for). The quote is that sentence, not the whole section."""

    def __init__(self, index_dir: Path, embedder: Embedder, depth: int = 25):
        self._vector = VectorIndex.open(index_dir / "vector")
        self._lexical = LexicalIndex.open(index_dir / "lexical")
        self._embedder = embedder
        self._depth = depth
        self._children: dict[tuple[str, str], list[str]] = {}
        self._children_stamp: str | None = None
        self._heading_map: dict[tuple[str, str], str] = {}
        self._heading_stamp: str | None = None
        self._lead_map: dict[tuple[str, str], str] = {}
        self._df: dict[str, int] = {}
        self._df_n = 0
        self._df_stamp: str | None = None
        self._query_vectors: dict[str, object] = {}
        self._short_forms: dict[str, dict[str, str]] = {}
        self._short_stamp: str | None = None

    def _child_texts(self, doc_id: str, path: str) -> list[str]:
        stamp = self._vector.stamp
        if stamp != self._children_stamp or not self._children:
            kids: dict[tuple[str, str], list[str]] = {}
            for it in self._vector.items:
                p = it.meta.get("path") or ""
                if "/" in p:
                    kids.setdefault((it.meta["doc_id"], p.rsplit("/", 1)[0]), []).append(
                        it.meta.get("body") or "")
            self._children, self._children_stamp = kids, stamp
        return self._children.get((doc_id, path), [])

    def _quote(self, key: str, q: set[str], want: list[re.Pattern[str]]) -> tuple[str, float, int]:
        """The quote, its score and the length of its own sentence(s) (without list items)."""
        m = self._item(key).meta
        quote, score, raw, end = _best_sentence(m["body"], q, want)
        size = len(quote)
        if quote.endswith(_LIST_INTRO):
            following = raw[end:] or self._child_texts(m["doc_id"], m["path"])
            quote = _with_items(quote, following)
            score += 0.5 * max((sentence_score(f, q, want) for f in following), default=0)
        return quote, score, size

    def _item(self, key: str) -> IndexItem:
        return self._vector.item(key) if key in self._vector else self._lexical.item(key)

    def _query_vector(self, question: str):
        """The question's embedding, once per question: the reader and the evidence list both
        search with it."""
        cache = self._query_vectors
        if question not in cache:
            if len(cache) > 32:
                cache.clear()
            cache[question] = self._embedder.encode_queries([question])[0]
        return cache[question]

    def _rankings(self, question: str, depth: int) -> tuple[list[str], list[str]]:
        self._vector.refresh()
        self._lexical.refresh()
        qv = self._query_vector(question)
        return ([key for key, _ in self._vector.search(qv, depth)],
                [key for key, _ in self._lexical.search(question, depth)])

    def _headings(self) -> dict[tuple[str, str], str]:
        """(doc_id, path) → the section's heading, read off the indexed text's first line."""
        if self._heading_stamp != self._vector.stamp or not self._heading_map:
            out, leads = {}, {}
            for it in self._vector.items:
                first = it.text.split("\n", 1)[0] if "\n" in it.text else ""
                title = it.meta.get("title") or ""
                key = (it.meta["doc_id"], it.meta.get("path") or "")
                out[key] = (first[len(title):].strip() if first.startswith(title)
                            else first.strip())
                body = (it.meta.get("body") or "").strip()
                if body.endswith(_LIST_INTRO):
                    leads[key] = re.split(r"(?<=[。！？\n])", body)[-1].strip()
            self._heading_map, self._lead_map = out, leads
            self._heading_stamp = self._vector.stamp
        return self._heading_map

    def bigram_df(self) -> tuple[dict[str, int], int]:
        """How many sections (title, heading and text) hold each character bigram, and how many
        sections there are: the reader weighs a question's words by it (a word no document uses
        tells nothing)."""
        if self._df_stamp != self._vector.stamp or not self._df:
            df: dict[str, int] = {}
            items = self._vector.items
            for it in items:
                for g in char_bigrams(unicodedata.normalize("NFKC", it.text or "")):
                    df[g] = df.get(g, 0) + 1
            self._df, self._df_n, self._df_stamp = df, len(items), self._vector.stamp
        return self._df, self._df_n

    def short_forms(self, doc_id: str) -> dict[str, str]:
        """The short names a document defines ("以下简称“领导小组”") → their full names."""
        if self._short_stamp != self._vector.stamp:
            out: dict[str, dict[str, str]] = {}
            for it in self._vector.items:
                body = it.meta.get("body") or ""
                if "以下" in body:
                    for short, full in defined_short_forms(body).items():
                        out.setdefault(it.meta["doc_id"], {}).setdefault(short, full)
            self._short_forms, self._short_stamp = out, self._vector.stamp
        return self._short_forms.get(doc_id, {})

    def sections(self, question: str, depth: int | None = None) -> list[Section]:
        """The sections both retrievers find for the question, fused by rank, each with the
        headings above it (a group's duties sit under "（2）应急指挥组")."""
        vec, lex = self._rankings(question, depth or self._depth)
        heads = self._headings()
        out = []
        for key, score in rrf([vec, lex]):
            m = self._item(key).meta
            path = m.get("path") or ""
            parts = path.split("/")
            chain = [heads.get((m["doc_id"], "/".join(parts[:i])), "")
                     for i in range(1, len(parts) + 1)]
            parent = "/".join(parts[:-1])
            lead = self._lead_map.get((m["doc_id"], parent), "") if parent else ""
            out.append(Section(doc_id=m["doc_id"], title=m["title"], path=path,
                               headings=[h for h in chain if h], body=m.get("body") or "",
                               score=score, lead=lead, lead_path=parent if lead else ""))
        return out

    def search(self, question: str, k: int = 5) -> list[Passage]:
        vec, lex = self._rankings(question, self._depth)
        pool = [key for key, _ in rrf([vec, lex])]
        q, want = question_bigrams(question), answer_types(question)
        quotes = {key: self._quote(key, q, want) for key in pool}
        # Long sentences share more bigrams by chance: rank by score per length.
        by_sentence = sorted(pool, key=lambda key: -quotes[key][1] / max(quotes[key][2], 20) ** 0.3)
        out: list[Passage] = []
        for key, score in fuse([vec, lex, by_sentence], lambda key: holds_kind(quotes[key][0], want)):
            text = quotes[key][0]
            if is_heading(text) and len(pool) > k:
                continue  # a bare title line: its content is in other sections
            m = self._item(key).meta
            out.append(Passage(doc_id=m["doc_id"], title=m["title"], section=m["path"],
                               text=text, score=score))
            if len(out) == k:
                break
        return out
