"""Plans: who issued them and when, what they apply to, and what they cite.

A plan names its issuer and date under the title ("某区人民政府  2024年12月修订", the date on
a line of its own in text exports), when it takes effect in 附则 ("本预案自2022年9月1日起实施"),
its scope under 适用范围. It cites laws ("《中华人民共和国突发事件应对法》第三条") and other
plans, sometimes only in a table of plan names without 《》. A cited law becomes a CITES edge to a
Document stub keyed "title:<normalised title>" plus one to each cited Article (the Article key
every extractor shares); a cited plan a REFERS_TO edge to a stub keyed "title:<plan title>", which
the `plan_references` query resolves against ingested plans' titles. "本预案是《X》的部门预案"
and, for a special, department or street plan, the general plan in its 编制依据 give PART_OF.
"""
from __future__ import annotations

import re

from ingest.document import NOTE, Block
from ingest.extract import Extraction, ParsedDocument
from ingest.extract.citations import Citation, article_key, parse_citations
from ingest.extract.plan import plan_level
from ingest.structure import PREAMBLE, Section, sentences, strip_number
from ingest.taxonomy import Taxonomy
from kg.model import Node, NodeRef, Provenance, Relationship

_CN_DIGIT = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
             "七": "7", "八": "8", "九": "9"}
_DATE = re.compile(r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                   r"(?:\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?")
_ORG_TAIL = re.compile(r"(?:政府|办公室|办事处|委员会|指挥部|局|委|办|分局|中心|公司|队|所|厅|部|院|署)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
_EFFECTIVE = re.compile(r"本预案自[^。；]*?起(?:施行|实施|执行|生效)")
_PART_OF = re.compile(r"本预案(?:是|为|作为)((?:《[^》]+》[、和及与]?)+)的[^。；，]{0,12}?"
                      r"(?:专项|部门|支撑性|配套|子|组成部分|分预案|下位)")
_BASIS_HEAD = re.compile(r"编制依据|依据")
_REPEAL = re.compile(r"同时废止|予以废止|不再执行")
_PLAN_TITLE_CELL = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9（）()、]{4,60}预案$")


def _cn_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGIT for c in text):
        return int("".join(_CN_DIGIT[c] for c in text))
    total = 0
    if "十" in text:
        tens, _, ones = text.partition("十")
        total = (int(_CN_DIGIT[tens]) if tens else 1) * 10 + (int(_CN_DIGIT[ones]) if ones else 0)
        return total
    return int(_CN_DIGIT.get(text, "0"))


def parse_date(text: str) -> str | None:
    """"2024年12月" → "2024-12", "二〇二五年一月八日" → "2025-01-08"."""
    m = _DATE.search(text)
    if not m:
        return None
    y, mo = _cn_int(m.group("y")), _cn_int(m.group("m"))
    if not 1 <= mo <= 12:
        return None
    if m.group("d"):
        return f"{y:04d}-{mo:02d}-{_cn_int(m.group('d')):02d}"
    return f"{y:04d}-{mo:02d}"


def header_metadata(blocks: list[Block], title: str, taxonomy: Taxonomy) -> dict:
    """Issuer, issue date and document number from the lines under the title."""
    meta: dict = {}
    previous = ""
    for block in blocks[:12]:
        line = block.text.strip()
        if line and strip_number(line) != line:
            break  # the numbered body has begun
        line = NOTE.sub("", line.replace(title, "")).strip(" 　")
        if not line:
            continue
        number = _DOC_NUMBER.search(line)
        if number and "document_number" not in meta:
            meta["document_number"] = re.sub(r"\s", "", number.group(0))
        date = _DATE.search(line)
        if date and "issued_date" not in meta:
            meta["issued_date"] = parse_date(line)
            meta["issued"] = line[date.start():].split("　")[0].split("  ")[0].strip()
            before = line[:date.start()].strip(" 　")
            before = re.sub(r"[\s　]*(?:编制|印发|制定|发布|修订)$", "", before).strip(" 　")
            issuer = before or previous
            if issuer and _ORG_TAIL.search(issuer) and len(issuer) <= 30:
                meta["issuer"] = issuer
                org = taxonomy.organizations.canonical(issuer)
                if org:
                    meta["issuer_org"] = org
            meta["header_quote"] = block.text.strip()
            if re.search(r"修订", line[date.end():date.end() + 6]):
                meta["revised"] = True
        previous = line
        if len(line) > 40:
            break  # body text: the header is over
    return meta


class PlanRefsExtractor:
    """Plan metadata, cited laws and articles, referenced and parent plans."""

    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        meta = doc.meta
        plan_ref = NodeRef(label="Document", key=meta.doc_id)
        props = header_metadata([b for s in doc.sections[:1] for b in s.blocks]
                                if doc.sections and doc.sections[0].path == PREAMBLE else
                                doc.raw.blocks[:6], meta.title, taxonomy)
        props["level"] = plan_level(meta.title)
        by_path = {s.path: s for s in doc.sections}
        seen: set[tuple[str, str, str, str]] = set()

        def prov(section: Section, quote: str) -> Provenance:
            return Provenance(doc_id=meta.doc_id, section_id=doc.section_key(section),
                              section=section.path, quote=quote)

        def link(rel: str, key: str, section: Section, quote: str, **rprops) -> None:
            if (rel, key, section.path, quote) in seen:
                return
            seen.add((rel, key, section.path, quote))
            label = "Article" if rel == "CITES" and "#" in key else "Document"
            out.relationships.append(Relationship(
                type=rel, start=plan_ref, end=NodeRef(label=label, key=key),
                provenance=prov(section, quote),
                props={k: v for k, v in rprops.items() if v not in (None, "", [])}))

        # A plan that says whose plan it is ("本预案是《X》的部门预案") is not also made part of
        # the general plan it merely lists among its bases.
        explicit_any = any(_PART_OF.search(b.text) for b in doc.raw.blocks)
        parents: set[str] = {"<explicit>"} if explicit_any else set()
        for section in doc.sections:
            headings = self._headings(section, by_path)
            if any("适用范围" in h for h in headings) and "scope" not in props:
                body = [b.text for b in section.blocks if b.kind != "heading"
                        and strip_number(b.text) != "适用范围"]
                if body:
                    props["scope"] = strip_number(body[0])
            for block in section.blocks:
                units = [block.text] if block.kind == "table_row" else sentences(block.text)
                for sent in units:
                    if "scope" not in props and sent.startswith("本预案适用于"):
                        props["scope"] = sent
                    eff = _EFFECTIVE.search(sent)
                    if eff and "effective" not in props:
                        props["effective"] = eff.group(0)
                        date = parse_date(eff.group(0)) or (
                            props.get("issued_date") if "印发之日" in eff.group(0) else None)
                        if date:
                            props["effective_date"] = date
                    explicit = _PART_OF.search(sent)
                    explicit_titles = set(re.findall(r"《([^》]+)》", explicit.group(1))) \
                        if explicit else set()
                    for cit in parse_citations(sent):
                        self._cite(cit, sent, section, headings, explicit_titles, parents,
                                   meta.title, props["level"], link)
                if block.kind == "table_row":
                    self._table_plans(block, section, meta.title, link)
        out.nodes.append(Node(label="Document", key=meta.doc_id, extra_labels=["Plan"],
                              props=props))
        return out

    @staticmethod
    def _cite(cit: Citation, sent: str, section: Section, headings: list[str],
              explicit: set[str], parents: set[str], own_title: str, level: str, link) -> None:
        title = cit.title
        bare = re.sub(r"(?:（[^（）]*）|\([^()]*\))$", "", re.sub(r"^【[^】]*】", "", own_title))
        if title in (own_title, bare):
            return  # "2019年印发的《本预案》同时废止", or the plan naming itself under its title
        found = _REPEAL.search(sent)
        # "《X的决定》（国发〔2005〕11号）同时废止": what is repealed is named before the words
        repeal = bool(found) and 0 <= sent.find(title) < found.start()
        if not title.endswith("预案") and repeal:
            link("REFERS_TO", f"title:{title}", section, sent, title=title, relation="repeals")
            return
        if title.endswith("预案"):
            key = f"title:{title}"
            link("REFERS_TO", key, section, sent, title=title,
                 relation="repeals" if repeal else "refers")
            basis = any(_BASIS_HEAD.search(h) for h in headings) or "制定本预案" in sent
            if title in explicit or (basis and "总体应急预案" in title and level != "总体"
                                     and not repeal and not parents):
                if title not in parents:
                    parents.add(title)
                    link("PART_OF", key, section, sent, title=title,
                         basis="本预案是…的预案" if title in explicit else "编制依据")
            return
        link("CITES", f"title:{title}", section, sent, title=title,
             version_note=cit.version_note, articles=cit.articles, cited=cit.text)
        for article, key in zip(cit.articles, cit.keys()):
            link("CITES", key, section, sent, title=title, article=article,
                 version_note=cit.version_note, cited=cit.text)

    @staticmethod
    def _table_plans(block: Block, section: Section, own_title: str, link) -> None:
        """A table listing plans by name ("附件2 区专项应急预案目录"), without 《》."""
        for cell in block.cells:
            name = cell.strip()
            if "《" not in name and _PLAN_TITLE_CELL.match(name) and name != own_title:
                link("REFERS_TO", f"title:{name}", section, block.text, title=name,
                     relation="lists")

    @staticmethod
    def _headings(section: Section, by_path: dict[str, Section]) -> list[str]:
        out, s = [], section
        while s is not None:
            out.append(s.heading or "")
            s = by_path.get(s.parent_path) if s.parent_path else None
        return out
