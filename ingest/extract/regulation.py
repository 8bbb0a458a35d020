"""Regulations: one Article per 第X条 (with its 款 and 项), and the header facts of the text.

Articles are segmented from the document's blocks, not from the section tree, because real texts
break the tree: a crawled page wraps "第十二条" onto a line of its own or breaks a sentence across
lines, amended laws insert "第二十三条之一", and a line may begin with a reference ("第三十条规定的…")
rather than a new article. So an article starts only where its number follows the previous one,
and a line that does not end a sentence is continued by the next.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import NOTE, Block
from ingest.extract import Extraction, ParsedDocument
from ingest.extract.citations import (article_key, cn_to_int, int_to_cn, normalize_title,
                                      parse_citations, split_version)
from ingest.structure import Section, sentences
from ingest.taxonomy import Taxonomy
from kg.model import Node, NodeRef, Provenance, Relationship

_NUM = "零〇一二两三四五六七八九十百千\\d"
_CHAPTER = re.compile(rf"^(第[{_NUM}]+章)[\s　]*(.{{0,30}})$")
_JIE = re.compile(rf"^(第[{_NUM}]+节)[\s　]*(.{{0,30}})$")
_ARTICLE = re.compile(rf"^第([{_NUM}]+)条(?:之([一二三四五六七八九十]+))?"
                      r"(?:[\s　]+|$|(?![规的中、，,。；款项之至和及或第]))")
_ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
_APPENDIX = re.compile(r"^(?:附件|附表|附录|附：|附:)")
# A unit of text is complete when it ends a sentence (or introduces a list with a colon).
_ENDS = "。；;：:！!？?"
_CLOSERS = "”’」』）)】"
_MAX_GAP = 5  # a missing article or two in a crawled text, not a reference to a distant one

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{1,2})-(\d{1,2})")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
_ORDER = re.compile(r"(?:中华人民共和国)?([\u4e00-\u9fa5]{2,20}?令第\s*\d+\s*号)")
_BODY = re.compile(r"^[\s　]*(?:第[一二三四五六七八九十百\d]+届)?(.+?)第[一二三四五六七八九十百\d]+次"
                   r"(?:常务)?(?:会议|全体会议)")
_ISSUER = re.compile(r"(?:人民政府|办公室|办公厅|委员会|局|委|办|部|厅|署|总局|国务院|政府|"
                     r"安全生产委员会)$")
_EFFECTIVE = re.compile(r"自(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|公布之日|印发之日|发布之日)起"
                        r"(?:施行|实施|执行)")
_TITLE_REF = re.compile(r"《([^《》]{2,60})》")
_HTML_META = re.compile(r'<meta\s+name="(PubDate|ContentSource)"\s+content="([^"]+)"', re.I)


def _date(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def _complete(text: str) -> bool:
    t = text.rstrip(" 　" + _CLOSERS)
    return bool(t) and t[-1] in _ENDS


@dataclass
class ArticleText:
    """One 第X条 as written: its 款 (paragraphs) and 项 (items), each with the blocks it came
    from so provenance can quote them verbatim."""
    label: str  # "第二十三条", "第二十三条之一"
    number: int
    sub_number: int  # 1 for 之一, 0 otherwise
    chapter: str = ""
    chapter_title: str = ""
    jie: str = ""
    jie_title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    item_paragraph: list[int] = field(default_factory=list)  # 款 index (0-based) of each 项
    blocks: list[Block] = field(default_factory=list)
    last_kind: str = "paragraph"  # what the next continuation line extends: paragraph | item

    @property
    def text(self) -> str:
        """Body in reading order, one 款 or 项 a line, without the article number."""
        lines: list[str] = []
        for i, p in enumerate(self.paragraphs):
            lines.append(p)
            lines += [it for it, pi in zip(self.items, self.item_paragraph) if pi == i]
        return "\n".join(x for x in lines if x)

    def add_line(self, text: str) -> None:
        """A body line: a new 项, a new 款, or the continuation of a wrapped line."""
        last = (self.items[-1] if self.last_kind == "item" and self.items
                else self.paragraphs[-1] if self.paragraphs else "")
        if self.paragraphs and last and not _complete(last) and not _ITEM.match(text):
            if self.last_kind == "item":
                self.items[-1] += text
            else:
                self.paragraphs[-1] += text
            return
        if _ITEM.match(text) and self.paragraphs:
            self.items.append(text)
            self.item_paragraph.append(len(self.paragraphs) - 1)
            self.last_kind = "item"
            return
        if self.paragraphs and self.paragraphs[-1] == "":
            self.paragraphs[-1] = text  # the article number stood alone on its line
        else:
            self.paragraphs.append(text)
        self.last_kind = "paragraph"


def split_articles(blocks: list[Block]) -> list[ArticleText]:
    """Articles in document order. Text after the last article that is an attachment (附件…)
    or a table is not part of any article."""
    out: list[ArticleText] = []
    chapter = chapter_title = jie = jie_title = ""
    current: ArticleText | None = None
    for block in blocks:
        text = block.text.strip()
        if not text or block.kind == "table_row":
            continue
        plain = unicodedata.normalize("NFKC", text)
        m = _CHAPTER.match(plain)
        if m and not _complete(text):
            chapter, chapter_title = m.group(1), re.sub(r"\s+", "", m.group(2))
            jie = jie_title = ""
            current = None
            continue
        m = _JIE.match(plain)
        if m and not _complete(text):
            jie, jie_title = m.group(1), re.sub(r"\s+", "", m.group(2))
            current = None
            continue
        m = _ARTICLE.match(text)
        if m and _is_next(out, current, m, text):
            number = cn_to_int(m.group(1)) or 0
            sub = cn_to_int(m.group(2)) if m.group(2) else 0
            # "第12条" in some local documents: labelled the way citations name it, 第十二条.
            label = f"第{int_to_cn(number)}条" + (f"之{m.group(2)}" if m.group(2) else "")
            current = ArticleText(label=label, number=number, sub_number=sub or 0,
                                  chapter=chapter, chapter_title=chapter_title, jie=jie,
                                  jie_title=jie_title, blocks=[block])
            current.paragraphs.append(text[m.end():].strip())
            out.append(current)
            continue
        if _APPENDIX.match(text):
            current = None
            continue
        if current is not None:
            current.blocks.append(block)
            current.add_line(text)
    return out


def _is_next(done: list[ArticleText], current: ArticleText | None, m: re.Match[str],
             text: str) -> bool:
    """A 第X条 line is a new article when its number follows the last one and the line before
    did not break off mid-sentence (then it is a wrapped reference: "…依照本法\\n第三十条…")."""
    number = cn_to_int(m.group(1)) or 0
    sub = cn_to_int(m.group(2)) if m.group(2) else 0
    if not done:
        return number > 0
    prev = done[-1]
    if (number, sub) <= (prev.number, prev.sub_number):
        return False
    if not sub and number > prev.number + _MAX_GAP:
        return False
    if current is not None and current.paragraphs:
        last = current.items[-1] if current.last_kind == "item" and current.items \
            else current.paragraphs[-1]
        if last and not _complete(last) and not re.match(r"[\s　]", text[m.end() - 1:m.end()]):
            return False
    return True


# ---------------------------------------------------------------- header metadata


def header_metadata(blocks: list[Block], title: str, articles: list[ArticleText]) -> dict:
    """Issuer, dates and document number from the lines before the first chapter/article, and
    the effective date from the article that says "本法自…起施行"."""
    meta: dict = {}
    amendments: list[str] = []
    issuers: list[str] = []
    first = articles[0].blocks[0] if articles else None
    for block in blocks:
        if block is first or _CHAPTER.match(unicodedata.normalize("NFKC", block.text.strip())):
            break
        line = block.text.strip()
        if not line or line.strip("《》") == title or NOTE.fullmatch(line):
            continue
        for text in _events(line):
            _header_event(text, meta, amendments, issuers)
    if amendments:
        meta["amendments"] = amendments
    issuers = list(dict.fromkeys(issuers))
    if issuers:
        meta["issuer"] = "、".join(issuers)
    for article in reversed(articles):  # the effective-date article is near the end
        m = _EFFECTIVE.search("".join(article.paragraphs))
        if m:
            date = _date(m.group(1))
            meta.setdefault("effective_date", date or meta.get("promulgated_date")
                            or meta.get("issued_date"))
            if not meta.get("effective_date"):
                meta.pop("effective_date")
            break
    meta["version_date"] = (amendments[-1].split()[0] if amendments else None) or \
        meta.get("promulgated_date") or meta.get("issued_date") or meta.get("adopted_date")
    if not meta["version_date"]:
        del meta["version_date"]
    return meta


def _events(line: str) -> list[str]:
    """One header line may record several events ("（2022年11月3日…通过　2022年11月20日…公布
    　自2023年1月1日起施行）"): split it where each dated event begins."""
    line = line.strip("（）() 　")
    starts = [m.start() for m in _DATE.finditer(line)]
    if len(starts) < 2:
        return [line]
    starts[0] = 0
    return [line[a:b].strip(" 　") for a, b in zip(starts, starts[1:] + [len(line)])]


def _header_event(text: str, meta: dict, amendments: list[str], issuers: list[str]) -> None:
    date = _date(text)
    order = _ORDER.search(_DATE.sub(" ", text))
    if order:
        meta["document_number"] = re.sub(r"\s", "", order.group(1))
        issuers.append(order.group(1)[:order.group(1).index("令第")])
    number = _DOC_NUMBER.search(text)
    if number and "document_number" not in meta:
        meta["document_number"] = re.sub(r"\s", "", number.group(0))
    if date and "通过" in text:
        meta.setdefault("adopted_date", date)
        body = _BODY.search(_DATE.sub("", text))
        if body:
            # "某省第十二届人民代表大会常务委员会": the body, not its term of office.
            issuers.append(re.sub(r"第[一二三四五六七八九十百\d]+届", "", body.group(1)).strip(" 　"))
    elif date and re.search(r"修正|修订|修改", text):
        kind = re.findall(r"修正|修订|修改", text)[-1]
        amendments.append(f"{date} {kind}")
    elif date and "公布" in text:
        meta["promulgated_date"] = date
    elif date and re.search(r"施行|实施", text) and not re.search(r"印发|发布", text):
        meta["effective_date"] = date
    elif date or number:
        # "某区人民政府办公室  2024年3月20日印发", "某应急规〔2023〕2号某区应急管理局 …"
        if date:
            meta.setdefault("issued_date", date)
        rest = _DATE.sub(" ", text[number.end():] if number else text)
        rest = re.sub(r"印发|发布|公布", " ", rest)
        issuers += [p for p in re.split(r"[\s　、]+", rest) if p and _ISSUER.search(p)]
    elif len(text) <= 40 and _ISSUER.search(text) and not _complete(text):
        issuers += [p for p in re.split(r"[\s　、]+", text) if p and _ISSUER.search(p)]


def _html_meta(source_path: str) -> dict:
    """A government page keeps its publication date and source in <meta> tags, which the
    reader does not turn into blocks."""
    try:
        head = Path(source_path).read_bytes()[:8192].decode("utf-8", "ignore")
    except OSError:
        return {}
    found = dict((k.lower(), v) for k, v in _HTML_META.findall(head))
    out = {}
    if "pubdate" in found and _date(found["pubdate"]):
        out["issued_date"] = _date(found["pubdate"])
    if "contentsource" in found:
        out["publisher"] = found["contentsource"]
    return out


def repealed_titles(articles: list[ArticleText]) -> list[str]:
    """Titles the text itself says it replaces: "…《某区…办法》同时废止"."""
    out: list[str] = []
    for article in articles:
        for s in sentences("".join(article.paragraphs)):
            if "废止" in s:
                out += [split_version(t)[0] for t in _TITLE_REF.findall(s)]
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- extractor


class RegulationExtractor:
    """Article nodes and (Document:Regulation)-[:HAS_ARTICLE]->(Article), plus the
    regulation's metadata on its Document node."""

    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        blocks = doc.raw.blocks
        title = doc.meta.title or doc.raw.title
        articles = split_articles(blocks)
        section_of = _section_index(doc.sections)
        reg_title = normalize_title(title)
        meta = header_metadata(blocks, title, articles)
        if doc.raw.format in ("html", "htm"):
            for k, v in _html_meta(doc.meta.source_path).items():
                meta.setdefault(k, v)
                if k == "issued_date":
                    meta.setdefault("version_date", v)
        repeals = repealed_titles(articles)
        if repeals:
            meta["repeals"] = [t for t in repeals if t != reg_title] or repeals
        doc_ref = NodeRef(label="Document", key=doc.meta.doc_id)
        out.nodes.append(Node(label="Document", key=doc.meta.doc_id, extra_labels=["Regulation"],
                              props={"regulation": reg_title, "article_count": len(articles),
                                     **meta}))
        seen: set[str] = set()
        for ord_, article in enumerate(articles):
            key = article_key(reg_title, article.label)
            if key in seen:
                out.warnings.append(f"《{reg_title}》{article.label} 重复出现，已忽略后一处")
                continue
            seen.add(key)
            quote_block, quote = _first_sentence(article)
            section = section_of.get(id(quote_block))
            if section is None:
                out.warnings.append(f"《{reg_title}》{article.label} 找不到所在章节，未建立条文")
                continue
            out.nodes.append(Node(label="Article", key=key, props={
                "regulation": reg_title, "label": article.label, "number": article.number,
                "sub_number": article.sub_number, "chapter": article.chapter,
                "chapter_title": article.chapter_title, "jie": article.jie,
                "jie_title": article.jie_title, "text": article.text,
                "paragraphs": article.paragraphs, "items": article.items,
                "item_paragraph": article.item_paragraph, "ord": ord_,
                "section_id": doc.section_key(section)}))
            out.relationships.append(Relationship(
                type="HAS_ARTICLE", start=doc_ref, end=NodeRef(label="Article", key=key),
                provenance=Provenance(doc_id=doc.meta.doc_id, section_id=doc.section_key(section),
                                      section=section.path, quote=quote)))
            out.relationships += _citations(doc, article, reg_title, doc_ref, section_of)
        if not articles:
            out.warnings.append(f"《{reg_title}》中没有找到“第X条”条文")
        return out


def _citations(doc: ParsedDocument, article: ArticleText, own_title: str, doc_ref: NodeRef,
               section_of: dict[int, Section]) -> list[Relationship]:
    """What an article cites ("根据《…应对法》第五十七条……，制定本办法"): a normative document's
    legal basis, answered and checked like a plan's."""
    out: list[Relationship] = []
    seen: set[tuple[str, str]] = set()
    for block in article.blocks:
        section = section_of.get(id(block))
        if section is None:
            continue
        for sent in sentences(block.text):
            for cit in parse_citations(sent):
                if cit.title == own_title or cit.title.endswith("预案"):
                    continue
                prov = Provenance(doc_id=doc.meta.doc_id, section_id=doc.section_key(section),
                                  section=section.path, quote=sent)
                targets = [(f"title:{cit.title}", "Document", None),
                           *((k, "Article", a) for a, k in zip(cit.articles, cit.keys()))]
                for key, label, art in targets:
                    if (key, sent) in seen:
                        continue
                    seen.add((key, sent))
                    props = {"title": cit.title, "article": art, "version_note": cit.version_note,
                             "cited": cit.text}
                    out.append(Relationship(type="CITES", start=doc_ref,
                                            end=NodeRef(label=label, key=key), provenance=prov,
                                            props={k: v for k, v in props.items() if v}))
    return out


def _section_index(sections: list[Section]) -> dict[int, Section]:
    return {id(b): s for s in sections for b in s.blocks}


def _first_sentence(article: ArticleText) -> tuple[Block, str]:
    """The article's first sentence as it stands in one block (a wrapped sentence is quoted up
    to the line break, never stitched into text the document does not contain)."""
    for block in article.blocks:
        text = block.text.strip()
        m = _ARTICLE.match(text) if block is article.blocks[0] else None
        body = text[m.end():].strip() if m else text
        if body:
            first = sentences(text)[0]
            return block, first
    return article.blocks[0], article.blocks[0].text.strip()
