"""Plan metadata and citations from real-world-shaped plans (not our corpus's words)."""
import pytest

from ingest.document import Block, RawDocument
from ingest.extract import ParsedDocument
from ingest.extract.citations import article_key
from ingest.extract.plan_refs import PlanRefsExtractor, parse_date
from ingest.structure import parse_sections
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from kg.model import DocumentMeta


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    orgs = Lexicon()
    orgs.add(Entry(name="区应急管理局", aliases=["某区应急管理局"]))
    return Taxonomy(organizations=orgs, incident_types=Lexicon())


def extract(title: str, lines: list[str], taxonomy: Taxonomy, table: list[list[str]] = ()):
    blocks = [Block(text=t) for t in lines] + [
        Block(text="　".join(r), kind="table_row", cells=r) for r in table]
    raw = RawDocument(path="p.txt", format="txt", title=title, blocks=blocks)
    meta = DocumentMeta(doc_id="p.txt", title=title, kind="plan", source_path="p.txt",
                        version="v")
    out = PlanRefsExtractor().extract(
        ParsedDocument(meta=meta, raw=raw, sections=parse_sections(blocks, title)), taxonomy)
    for r in out.relationships:
        assert r.provenance.quote in raw.full_text()
    return out


@pytest.mark.parametrize("text,date", [("2024年12月", "2024-12"), ("二〇二五年一月八日印发", "2025-01-08"),
                                       ("2023年 11 月 20 日", "2023-11-20"), ("无日期", None)])
def test_dates(text, date):
    assert parse_date(text) == date


def test_header_scope_effective_and_citations(taxonomy):
    out = extract("某区森林火灾应急预案", [
        "某区森林火灾应急预案",
        "某区应急管理局 编制　二〇二四年六月",
        "1 总则",
        "1.1 编制依据",
        "依据《中华人民共和国森林法》、《森林防火条例》第二十五条、第二十六条和《某市森林火灾应急预案》《某区突发事件总体应急预案》，制定本预案。",
        "1.2 适用范围",
        "本预案适用于本区行政区域内发生的森林火灾的应对工作。",
        "7 附则",
        "本预案自2024年7月1日起施行，2016年印发的《某区森林防火预案》同时废止。",
    ], taxonomy)
    doc = out.nodes[0]
    assert doc.label == "Document" and doc.key == "p.txt"
    assert doc.props["issuer"] == "某区应急管理局" and doc.props["issuer_org"] == "区应急管理局"
    assert doc.props["issued_date"] == "2024-06"
    assert doc.props["scope"] == "本预案适用于本区行政区域内发生的森林火灾的应对工作。"
    assert doc.props["effective_date"] == "2024-07-01"
    rels = {(r.type, r.end.label, r.end.key) for r in out.relationships}
    assert ("CITES", "Document", "title:中华人民共和国森林法") in rels
    assert ("CITES", "Article", article_key("森林防火条例", "第二十五条")) in rels
    assert ("CITES", "Article", article_key("森林防火条例", "第二十六条")) in rels
    assert ("REFERS_TO", "Document", "title:某市森林火灾应急预案") in rels
    assert ("PART_OF", "Document", "title:某区突发事件总体应急预案") in rels
    repeal = next(r for r in out.relationships if r.end.key == "title:某区森林防火预案")
    assert (repeal.type, repeal.props["relation"]) == ("REFERS_TO", "repeals")


def test_named_parent_and_plan_table(taxonomy):
    out = extract("某区教育局校园安全事件部门应急预案", [
        "某区教育局",
        "2025年3月",
        "一、总则",
        "本预案是《某区突发公共卫生事件专项应急预案》和《某区校园安全专项应急预案》的配套部门预案。",
        "依据《某区突发事件总体应急预案》制定本预案。",
        "附件 相关预案",
    ], taxonomy, table=[["序号", "预案名称"], ["1", "某区防汛防台专项应急预案"]])
    parents = {r.end.key for r in out.relationships if r.type == "PART_OF"}
    assert parents == {"title:某区突发公共卫生事件专项应急预案", "title:某区校园安全专项应急预案"}
    listed = [r for r in out.relationships if r.end.key == "title:某区防汛防台专项应急预案"]
    assert listed and listed[0].type == "REFERS_TO" and listed[0].props["relation"] == "lists"
    assert out.nodes[0].props["issued_date"] == "2025-03"


def test_a_department_issuer_on_its_own_line_above_the_date(taxonomy):
    """A provincial department's plan: issuer (…厅) on one line, the date in Chinese numerals on
    the next."""
    out = extract("某省港口突发事件应急预案", [
        "某省港口突发事件应急预案", "某省交通运输厅", "二〇二三年一月", "1 总则", "1.1 编制目的",
        "为提高港口突发事件应对能力，制定本预案。"], taxonomy)
    doc = out.nodes[0]
    assert doc.props["issuer"] == "某省交通运输厅" and doc.props["issued_date"] == "2023-01"


def test_a_repealed_decision_and_the_plan_naming_itself(taxonomy):
    out = extract("【编者注】某省突发事件总体应急预案（主要内容）", [
        "近日，省政府印发了《某省突发事件总体应急预案》。",
        "《某省人民政府关于实施突发公共事件总体应急预案的决定》（某政发〔2006〕1号）同时废止。",
        "一、总则",
        "依据《中华人民共和国突发事件应对法》和《国家突发事件总体应急预案》制定本预案。",
    ], taxonomy)
    refs = {(r.type, r.end.key, r.props.get("relation")) for r in out.relationships}
    assert ("REFERS_TO", "title:某省人民政府关于实施突发公共事件总体应急预案的决定", "repeals") in refs
    assert not any(k == "title:某省突发事件总体应急预案" for _, k, _ in refs)  # itself
    assert ("REFERS_TO", "title:国家突发事件总体应急预案", "refers") in refs
    assert any(t == "CITES" and k == "title:中华人民共和国突发事件应对法" for t, k, _ in refs)
