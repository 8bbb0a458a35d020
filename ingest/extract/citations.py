"""Citations of regulations ("《中华人民共和国安全生产法》（2021年修正）第九条、第十条") and the
Article key convention shared by every extractor that points at an article.

A duty list or plan may cite an article before (or without) the regulation itself being ingested,
so both sides must derive the same key from the title and the article number alone:
"<normalised title>#<第X条>", the title without 《》 and without a trailing version note, the
article number in Chinese numerals.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kg.numerals import cn_to_int, int_to_cn  # noqa: F401  (re-exported for the extractors)

# A trailing note that dates a version, not part of the title: （2021年修正）, (2014年修订版).
_VERSION_NOTE = re.compile(
    r"[（(](?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?)?[^（）()]{0,8}?"
    r"(?:修正|修订|修改|版|施行|公布|发布)[^（）()]{0,4}[)）]$")
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条")
_RANGE = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条(?:至|到|-|—|~|～)"
                    r"第([零〇一二两三四五六七八九十百千\d]+)条")
_TITLE = re.compile(r"《([^《》]{2,60})》")
# A version note right after the closing 》: "《…安全生产法》（2014年修正）第九条".
_NOTE_AFTER = re.compile(r"^[\s　]*([（(][^（）()]{2,16}[)）])")
_ARTICLE_RUN = re.compile(
    r"(?:[\s　]*(?:第[零〇一二两三四五六七八九十百千\d]+(?:条|款|项)|第?[（(][零〇一二三四五六七八九十\d]+[)）](?:项|款)?"
    r"|[、，,和及至到\-—~～]))*")
# An article named in a bracket after the title: "《…应对法》（其中第二十二条规定，……）".
_ARTICLE_IN_NOTE = re.compile(
    r"^[\s　]*[（(](?:其中|特别是|尤其是)?[\s　]*((?:第[零〇一二两三四五六七八九十百千\d]+条[、和及]?)+)"
    r"(?:规定|明确|要求)")
_MAX_RANGE = 30  # "第一条至第一百条" is a scope, not a list of articles to link one by one


@dataclass
class Citation:
    title: str  # normalised: no 《》, no version note
    version_note: str  # "2014年修正" or ""
    articles: list[str] = field(default_factory=list)  # "第九条", in Chinese numerals
    text: str = ""  # the cited span, verbatim from the source

    def keys(self) -> list[str]:
        return [article_key(self.title, a) for a in self.articles]


def normalize_article(article: str) -> str:
    """"第9条" / "第 九 条" / "九" → "第九条"."""
    a = re.sub(r"[\s　]", "", article)
    m = re.fullmatch(r"第?([零〇一二两三四五六七八九十百千\d]+)条?", unicodedata.normalize("NFKC", a))
    n = cn_to_int(m.group(1)) if m else None
    return f"第{int_to_cn(n)}条" if n else a


def split_version(title: str) -> tuple[str, str]:
    """("中华人民共和国安全生产法", "2014年修正") from "《中华人民共和国安全生产法（2014年修正）》"."""
    t = re.sub(r"[\s　]", "", title).strip("《》<>")
    t = t.replace("(", "（").replace(")", "）")
    note = ""
    m = _VERSION_NOTE.search(t)
    if m and m.start() > 0:
        note, t = m.group(0)[1:-1], t[:m.start()]
    return t, note


def normalize_title(title: str) -> str:
    """Title without 《》 and version note; a national law cited by its short name
    ("《安全生产法》") gets its full name, so both spellings reach the same Article."""
    t = split_version(title)[0]
    if (t.endswith("法") and not t.endswith("办法") and not t.startswith("中华人民共和国")
            and len(t) <= 14 and not re.search(r"[省市县]|^.{0,4}区|自治", t)):
        t = "中华人民共和国" + t
    return t


def article_key(title: str, article: str) -> str:
    """Key of an Article node: "<normalised title>#第X条"."""
    return f"{normalize_title(title)}#{normalize_article(article)}"


def _articles(span: str) -> list[str]:
    out: list[str] = []
    for m in _RANGE.finditer(span):
        a, b = cn_to_int(m.group(1)), cn_to_int(m.group(2))
        if a and b and 0 < b - a <= _MAX_RANGE:
            out += [f"第{int_to_cn(n)}条" for n in range(a, b + 1)]
    for m in _ARTICLE.finditer(span):
        key = normalize_article(m.group(0))
        if key not in out:
            out.append(key)
    return out


def parse_citations(text: str) -> list[Citation]:
    """Every 《title》 in `text` with the articles cited right after it (up to the next title
    or the end of the line/sentence); a title cited without articles has `articles == []`."""
    out: list[Citation] = []
    titles = list(_TITLE.finditer(text))
    for n, m in enumerate(titles):
        end = titles[n + 1].start() if n + 1 < len(titles) else len(text)
        tail = text[m.end():end]
        stop = re.search(r"[\n。；;]|(?:和|及|以及|或者)(?=《)", tail)
        tail = tail[:stop.start()] if stop else tail
        _, note = split_version(m.group(1))
        title = normalize_title(m.group(1))
        offset = 0
        after = _NOTE_AFTER.match(tail)
        if after and not note:
            _, note = split_version(f"X{after.group(1)}")
            if note:
                offset = after.end()
        # Only articles that follow the title directly ("第九条、第十条第（二）项"), not an
        # article number further on in running text.
        lead = _ARTICLE_RUN.match(tail, offset)
        span = lead.group(0).rstrip("、，,和及至到-—~～ 　") if lead else ""
        cited_end = m.end() + offset + len(span)
        in_note = _ARTICLE_IN_NOTE.match(tail) if not span and not offset else None
        if in_note:
            span, cited_end = in_note.group(1), m.end() + in_note.end()
        out.append(Citation(title=title, version_note=note, articles=_articles(span),
                            text=text[m.start():cited_end]))
    return out
