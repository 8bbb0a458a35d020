"""Government web pages: the article text without navigation, breadcrumbs and footers."""
from __future__ import annotations

from pathlib import Path

from ingest.document import Block, RawDocument, ReadError
from ingest.readers.text_reader import decode_text

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "form", "iframe")
_CONTENT_HINTS = ("zoom", "article-content", "article_content", "content", "TRS_Editor", "main")


class HtmlReader:
    suffixes = (".html", ".htm")

    def read(self, path: Path) -> RawDocument:
        from bs4 import BeautifulSoup

        try:
            data = path.read_bytes()
        except OSError as e:
            raise ReadError(f"{path}: 无法读取文件（{e.strerror or e}）") from e
        text, encoding = decode_text(data, path)
        soup = BeautifulSoup(text, "html.parser")
        for tag in soup(list(_DROP)):
            tag.decompose()
        root = self._content_root(soup)
        if root is None:
            raise ReadError(f"{path}: 网页中没有找到正文")
        blocks: list[Block] = []
        n = 0
        for el in root.find_all(["h1", "h2", "h3", "h4", "p", "li", "tr", "div"]):
            if el.name == "div" and el.find(["p", "div", "table", "h1", "h2", "h3", "h4", "li"]):
                continue
            if el.find_parent("tr") is not None and el.name != "tr":
                continue
            n += 1
            if el.name == "tr":
                cells = [c.get_text(" ", strip=True) for c in el.find_all(["td", "th"])]
                if any(cells):
                    blocks.append(Block(text="　".join(c for c in cells if c), kind="table_row",
                                        cells=cells, position=f"第{n}段"))
                continue
            t = el.get_text("", strip=True)
            if not t:
                continue
            level = int(el.name[1]) if el.name in ("h1", "h2", "h3", "h4") else None
            blocks.append(Block(text=t, kind="heading" if level else "paragraph",
                                heading_level=level, position=f"第{n}段"))
        if not blocks:
            raise ReadError(f"{path}: 网页中没有找到正文")
        meta = soup.find("meta", attrs={"name": "ArticleTitle"})
        title = (meta.get("content") if meta else "") or next(
            (b.text for b in blocks if b.kind == "heading"), "")
        if not title and soup.title:
            title = soup.title.get_text(strip=True).split("_")[0]
        return RawDocument(path=str(path), format="html", encoding=encoding,
                           title=title or blocks[0].text[:60], blocks=blocks)

    @staticmethod
    def _content_root(soup):
        for hint in _CONTENT_HINTS:
            el = soup.find(id=hint) or soup.find(class_=hint)
            if el is not None and el.get_text(strip=True):
                return el
        # Otherwise the element holding the most paragraph text.
        best, best_len = None, 0
        for el in soup.find_all(["article", "div", "td", "body"]):
            length = sum(len(p.get_text(strip=True)) for p in el.find_all("p", recursive=False))
            if length > best_len:
                best, best_len = el, length
        return best or soup.body
