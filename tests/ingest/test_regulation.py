"""Regulations: every 第X条 found and numbered as in the text, with its 款 and 项; header
metadata; the law catalogue's supersession edges. Real law texts are read from ../shared."""
from pathlib import Path

import pytest

from ingest.catalogue import load_catalogue, split_catalogues
from ingest.extract import ParsedDocument
from ingest.extract.citations import article_key, int_to_cn
from ingest.extract.regulation import RegulationExtractor, split_articles
from ingest.pipeline import build_batch
from ingest.readers import read_document
from ingest.structure import parse_sections
from ingest.taxonomy import load_taxonomy
from kg.model import DocumentMeta

ROOT = Path(__file__).resolve().parents[2]
LAWS = ROOT.parent / "shared" / "data" / "regulations"
LOCAL = ROOT / "corpus" / "regulations"
TAXONOMY = load_taxonomy(ROOT / "corpus" / "taxonomy")

EXPECTED = {
    LAWS / "law_safety_production_2021.txt": ("中华人民共和国安全生产法", 119),
    LAWS / "law_emergency_response_2024.txt": ("中华人民共和国突发事件应对法", 106),
    LAWS / "reg_production_accident_emergency_2019.txt": ("生产安全事故应急条例", 35),
    LOCAL / "plan_management_measures.docx": ("示例区突发事件应急预案管理办法", 32),
    LOCAL / "material_reserve_measures.pdf": ("示例区应急物资储备管理办法", 28),
    LOCAL / "shelter_provisions.txt": ("示例区应急避难场所管理规定", 24),
    LOCAL / "work_safety_committee_rules.html": ("示例区安全生产委员会工作规则", 23),
    LOCAL / "expert_library_measures.docx": ("示例区应急管理专家库管理办法", 29),
}


def _parsed(path: Path) -> ParsedDocument:
    raw = read_document(path)
    meta = DocumentMeta(doc_id=path.name, title=raw.title, kind="regulation",
                        source_path=str(path), version="test")
    return ParsedDocument(meta=meta, raw=raw, sections=parse_sections(raw.blocks, raw.title))


def _extract(path: Path):
    return RegulationExtractor().extract(_parsed(path), TAXONOMY)


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.name)
def test_every_article_found_in_order_with_text(path: Path) -> None:
    title, count = EXPECTED[path]
    doc = _parsed(path)
    out = RegulationExtractor().extract(doc, TAXONOMY)
    articles = [n for n in out.nodes if n.label == "Article"]
    print(f"\n{path.name}: 《{title}》 {len(articles)} 条（应为 {count} 条）")
    assert len(articles) == count
    assert [a.props["number"] for a in articles] == list(range(1, count + 1))
    assert [a.props["label"] for a in articles] == [f"第{int_to_cn(n)}条"
                                                    for n in range(1, count + 1)]
    assert [a.key for a in articles] == [article_key(title, a.props["label"]) for a in articles]
    assert all(a.props["text"] and a.props["paragraphs"][0] for a in articles)
    assert all(a.props["chapter"].startswith("第") for a in articles)
    # Provenance: the quote is verbatim in a block of the section it names.
    sections = {doc.section_key(s): s for s in doc.sections}
    rels = [r for r in out.relationships if r.type == "HAS_ARTICLE"]
    assert len(rels) == count
    for r in rels:
        assert r.start.key == path.name
        section = sections[r.provenance.section_id]
        assert section.path == r.provenance.section
        assert any(r.provenance.quote in b.text for b in section.blocks), r.provenance.quote


def test_paragraphs_and_items_of_real_articles() -> None:
    articles = {a.label: a for a in split_articles(
        read_document(LAWS / "reg_production_accident_emergency_2019.txt").blocks)}
    a6 = articles["第六条"]
    assert (a6.chapter, a6.chapter_title) == ("第二章", "应急准备")
    assert len(a6.paragraphs) == 2 and a6.paragraphs[1].startswith("有下列情形之一的")
    assert len(a6.items) == 6 and a6.item_paragraph == [1] * 6
    assert a6.items[5] == "(六)其他应当修订的情形。"
    assert len(articles["第十七条"].items) == 7

    law = {a.label: a for a in split_articles(
        read_document(LAWS / "law_safety_production_2021.txt").blocks)}
    assert len(law["第三条"].paragraphs) == 3 and not law["第三条"].items
    assert law["第一百一十七条"].paragraphs[0] == "本法下列用语的含义:"
    assert law["第一百一十九条"].text == "本法自2002年11月1日起施行。"


def test_law_header_metadata() -> None:
    meta = {p.name: _extract(p).nodes[0].props for p in EXPECTED}
    safety = meta["law_safety_production_2021.txt"]
    assert safety["issuer"] == "全国人民代表大会常务委员会"
    assert safety["adopted_date"] == "2002-06-29"
    assert safety["version_date"] == "2021-06-10"
    assert safety["amendments"][-1] == "2021-06-10 修正" and len(safety["amendments"]) == 3
    response = meta["law_emergency_response_2024.txt"]
    assert (response["version_date"], response["effective_date"]) == ("2024-06-28", "2024-11-01")
    regulation = meta["reg_production_accident_emergency_2019.txt"]
    assert regulation["issuer"] == "国务院"
    assert regulation["document_number"] == "国务院令第708号"
    assert (regulation["promulgated_date"], regulation["effective_date"]) == (
        "2019-02-17", "2019-04-01")
    plans = meta["plan_management_measures.docx"]
    assert plans["document_number"] == "示府办规〔2024〕3号"
    assert plans["issuer"] == "示例区人民政府办公室"
    assert (plans["version_date"], plans["effective_date"]) == ("2024-03-20", "2024-04-01")
    reserve = meta["material_reserve_measures.pdf"]
    assert reserve["issuer"] == "示例区应急管理局、示例区发展和改革委员会"
    shelter = meta["shelter_provisions.txt"]
    assert shelter["issuer"] == "示例区人民政府办公室"
    assert shelter["repeals"] == ["示例区应急避难场所管理暂行办法"]
    assert meta["work_safety_committee_rules.html"]["version_date"] == "2023-04-10"
    assert meta["expert_library_measures.docx"]["effective_date"] == "2025-01-01"


def test_pipeline_builds_articles_for_a_regulation() -> None:
    batch, warnings = build_batch(LAWS / "reg_production_accident_emergency_2019.txt", TAXONOMY)
    assert batch.document.kind == "regulation"
    assert batch.counts()["HAS_ARTICLE"] == 35
    assert sum(1 for n in batch.nodes if n.label == "Article") == 35
    keys = {(n.label, n.key) for n in batch.nodes}
    assert len(keys) == len(batch.nodes)
    doc = batch.nodes[0]
    assert (doc.label, doc.key) == ("Document", "reg_production_accident_emergency_2019.txt")
    assert doc.props["version_date"] == "2019-02-17" and doc.props["issuer"] == "国务院"
    assert doc.props["kind"] == "regulation" and "Regulation" in doc.extra_labels


def test_reingesting_regulations_and_catalogue_twice_keeps_counts(graph_store) -> None:
    from ingest.catalogue import ingest_catalogue
    from ingest.pipeline import ingest_paths

    before = graph_store.counts()
    paths = [LAWS / "law_safety_production_2021.txt", LAWS / "reg_production_accident_emergency_2019.txt",
             LOCAL / "shelter_provisions.txt"]
    try:
        counts = []
        for _ in range(2):
            report = ingest_paths(paths, graph_store, TAXONOMY, force=True)
            assert not report.failed
            result = ingest_catalogue(LOCAL / "catalogue.csv", graph_store, force=True)
            assert result.status == "ingested" and result.facts == {"SUPERSEDES": 9}
            counts.append(graph_store.counts())
        print(f"\n两次导入后计数：{counts[1]}")
        assert counts[0] == counts[1]
        assert ingest_catalogue(LOCAL / "catalogue.csv", graph_store).status == "unchanged"
    finally:
        for doc_id in [p.name for p in paths] + ["catalogue.csv"]:
            graph_store.delete_document(doc_id)
    assert graph_store.counts() == before


# ---------------------------------------------------------------- real-world-shaped variants

FULL_WIDTH = """某某市城市供热应急管理办法
（2022年11月3日某某市人民政府第18次常务会议通过　2022年11月20日某某市人民政府令第52号公布　自2023年1月1日起施行）
第一章　总　　则
第一条　为了保障冬季城市集中供热安全，及时处置供热突发事件，制定本办法。
第二条　本办法适用于本市行政区域内城市集中供热设施突发事件的应急管理。
第二章　应急处置
第一节　抢　修
第三条　供热单位应当建立24小时抢修值班制度。
有下列情形之一的，供热单位应当在2小时内到达现场：
（一）主干管网爆管；
（二）热源厂停运。
供热单位未按照前款规定到达现场的，由市城市管理部门责令改正。
第二节　保　障
第四条　市城市管理部门应当储备必要的抢修物资。
第三章　附　　则
第五条　本办法自2023年1月1日起施行。
附件：供热抢修单位名录
"""

NO_SPACE_WRAPPED = """某县森林防火管理规定
发布时间：2021-10-08　来源：某县人民政府办公室
第一条为了预防和扑救森林火灾，保护森林资源，结合本县实际，制定本
规定。
第二条
本县行政区域内森林火灾的预防和扑救，适用本规定。
第三条县林业主管部门负责全县森林防火的监督管理。乡镇人民政府依照本规定
第二条确定的范围，组织本辖区的森林防火工作；村民委员会应当按照
第四条执行。
第四条 森林防火期内，禁止在林区野外用火。因特殊情况需要用火的，应当经县林业主管部门批准，
并采取防火措施。
第5条 本规定自发布之日起施行。
"""

AMENDED = """某省安全生产条例
2015年9月25日某省第十二届人民代表大会常务委员会第二十次会议通过
2023年3月30日某省第十四届人民代表大会常务委员会第二次会议修正
第二十二条 生产经营单位应当建立安全风险分级管控制度。
第二十三条 生产经营单位应当建立事故隐患排查治理制度。
第二十三条之一 高危行业生产经营单位应当投保安全生产责任保险。
(一)矿山；
(二)危险化学品；
(三)烟花爆竹。
前款规定以外的生产经营单位，鼓励投保安全生产责任保险。
第二十四条 本条例自2015年12月1日起施行。
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_full_width_space_chapters_sections_and_items(tmp_path: Path) -> None:
    path = _write(tmp_path, "heating.txt", FULL_WIDTH)
    out = _extract(path)
    arts = {n.props["label"]: n.props for n in out.nodes if n.label == "Article"}
    assert list(arts) == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    a3 = arts["第三条"]
    assert (a3["chapter"], a3["chapter_title"], a3["jie"], a3["jie_title"]) == (
        "第二章", "应急处置", "第一节", "抢修")
    assert a3["paragraphs"] == ["供热单位应当建立24小时抢修值班制度。",
                                "有下列情形之一的，供热单位应当在2小时内到达现场：",
                                "供热单位未按照前款规定到达现场的，由市城市管理部门责令改正。"]
    assert a3["items"] == ["（一）主干管网爆管；", "（二）热源厂停运。"]
    assert a3["item_paragraph"] == [1, 1]
    assert arts["第四条"]["jie"] == "第二节"
    assert arts["第五条"]["text"] == "本办法自2023年1月1日起施行。"  # attachment left out
    meta = out.nodes[0].props
    assert meta["adopted_date"] == "2022-11-03"
    assert meta["promulgated_date"] == "2022-11-20"
    assert meta["effective_date"] == "2023-01-01"
    assert meta["document_number"] == "某某市人民政府令第52号"
    assert meta["issuer"] == "某某市人民政府"


def test_crawled_text_without_spaces_and_with_wrapped_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, "forest_fire.txt", NO_SPACE_WRAPPED)
    doc = _parsed(path)
    out = RegulationExtractor().extract(doc, TAXONOMY)
    arts = {n.props["label"]: n.props for n in out.nodes if n.label == "Article"}
    assert list(arts) == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert arts["第一条"]["paragraphs"] == [
        "为了预防和扑救森林火灾，保护森林资源，结合本县实际，制定本规定。"]
    assert arts["第二条"]["paragraphs"] == ["本县行政区域内森林火灾的预防和扑救，适用本规定。"]
    # "第二条确定的范围" and "第四条执行" continue wrapped sentences; they are not articles.
    assert arts["第三条"]["paragraphs"] == [
        "县林业主管部门负责全县森林防火的监督管理。乡镇人民政府依照本规定第二条确定的范围，"
        "组织本辖区的森林防火工作；村民委员会应当按照第四条执行。"]
    assert arts["第四条"]["paragraphs"][0].endswith("并采取防火措施。")
    assert arts["第五条"]["number"] == 5
    assert out.nodes[0].props["issued_date"] == "2021-10-08"
    assert out.nodes[0].props["effective_date"] == "2021-10-08"  # 自发布之日起施行
    blocks = [b.text for b in doc.raw.blocks]
    for r in out.relationships:
        assert any(r.provenance.quote in b for b in blocks)
    quotes = {r.end.key: r.provenance.quote for r in out.relationships}
    assert quotes[article_key("某县森林防火管理规定", "第二条")] == \
        "本县行政区域内森林火灾的预防和扑救，适用本规定。"


def test_inserted_article_and_half_width_items(tmp_path: Path) -> None:
    path = _write(tmp_path, "amended.txt", AMENDED)
    out = _extract(path)
    arts = [n for n in out.nodes if n.label == "Article"]
    assert [a.props["label"] for a in arts] == ["第二十二条", "第二十三条", "第二十三条之一",
                                                "第二十四条"]
    inserted = arts[2]
    assert inserted.key == "某省安全生产条例#第二十三条之一"
    assert (inserted.props["number"], inserted.props["sub_number"]) == (23, 1)
    assert inserted.props["items"] == ["(一)矿山；", "(二)危险化学品；", "(三)烟花爆竹。"]
    assert inserted.props["paragraphs"][1].startswith("前款规定以外")
    meta = out.nodes[0].props
    assert meta["issuer"] == "某省人民代表大会常务委员会"
    assert meta["amendments"] == ["2023-03-30 修正"] and meta["version_date"] == "2023-03-30"


def test_crawled_html_page(tmp_path: Path) -> None:
    html = """<html><head><meta charset="utf-8"><title>某区防汛工作规定_某区人民政府</title>
<meta name="PubDate" content="2020-05-06"></head><body>
<div class="nav">首页 &gt; 政策文件</div>
<div id="zoom"><p>某区防汛工作规定</p>
<p>第一章 总则</p>
<p>第一条　为了做好防汛工作，减轻洪涝灾害损失，制定本规定。</p>
<p>第二条　区防汛指挥部统一领导全区防汛工作，其办公室设在区水务局。</p>
<p>第二章 附则</p><p>第三条　本规定自2020年6月1日起施行。</p></div></body></html>"""
    path = tmp_path / "flood.html"
    path.write_text(html, encoding="utf-8")
    out = _extract(path)
    arts = [n for n in out.nodes if n.label == "Article"]
    assert [a.props["label"] for a in arts] == ["第一条", "第二条", "第三条"]
    assert arts[1].props["chapter"] == "第一章"
    assert out.nodes[0].props["version_date"] == "2020-05-06"
    assert out.nodes[0].props["effective_date"] == "2020-06-01"


# ---------------------------------------------------------------- catalogue


def test_catalogue_versions_and_supersession() -> None:
    path = LOCAL / "catalogue.csv"
    batch = load_catalogue(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    versions = [n for n in batch.nodes if n.label == "Document" and n.key != "catalogue.csv"]
    supersedes = [r for r in batch.relationships if r.type == "SUPERSEDES"]
    print(f"\ncatalogue.csv: {len(versions)} 个版本，{len(supersedes)} 条 SUPERSEDES")
    assert len(versions) == 81
    assert len(supersedes) == 9
    edges = {(r.start.key, r.end.key) for r in supersedes}
    assert ("law_safety_production_2021.txt", "中华人民共和国安全生产法@2014-08-31") in edges
    assert ("law_emergency_response_2024.txt", "中华人民共和国突发事件应对法@2007-08-30") in edges
    assert ("expert_library_measures.docx", "示例区安全生产专家管理暂行办法@2019-05-20") in edges
    assert ("突发事件应急预案管理办法@2024-01-31", "突发事件应急预案管理办法@2013-10-25") in edges
    for r in batch.relationships:
        assert r.provenance.doc_id == "catalogue.csv"
        assert r.provenance.quote in lines
    old = next(n for n in versions if n.key == "中华人民共和国安全生产法@2014-08-31")
    assert (old.props["status"], old.props["effective_date"]) == ("已修订", "2014-12-01")
    # Nothing that is not superseded gets an edge (the 已废止 row without a successor).
    assert not any("食品安全事故处置工作规程" in k for e in edges for k in e)


def test_catalogue_found_in_an_ingested_directory(tmp_path: Path) -> None:
    catalogues, others = split_catalogues([ROOT / "corpus"])
    assert catalogues == [ROOT / "corpus" / "regulations" / "catalogue.csv"]
    assert others == [ROOT / "corpus"]
    named = tmp_path / "catalogue.csv"
    named.write_bytes((LOCAL / "catalogue.csv").read_bytes())
    catalogues, others = split_catalogues([named, LOCAL / "shelter_provisions.txt"])
    assert catalogues == [named] and others == [LOCAL / "shelter_provisions.txt"]


def test_an_article_citing_another_law_is_a_citation(tmp_path: Path) -> None:
    """A normative document's basis ("根据《…》第X条……，制定本办法") is cited like a plan's."""
    path = _write(tmp_path, "heat.txt", "某县高温天气劳动保护办法\n"
                  "第一条　为了保障高温天气下劳动者的身体健康，根据《中华人民共和国劳动法》第五十四条和"
                  "《某省高温天气劳动保护办法》的规定，结合本县实际，制定本办法。\n"
                  "第二条　用人单位应当在高温天气来临前采取防暑降温措施。\n")
    out = _extract(path)
    cites = {(r.end.label, r.end.key): r for r in out.relationships if r.type == "CITES"}
    art = cites[("Article", "中华人民共和国劳动法#第五十四条")]
    assert art.props["article"] == "第五十四条"
    assert art.provenance.section == "第一条" and "制定本办法" in art.provenance.quote
    assert ("Document", "title:某省高温天气劳动保护办法") in cites
    assert len(cites) == 3  # the law's title, its article and the provincial 办法


def test_real_laws_cite_the_laws_they_rest_on() -> None:
    out = _extract(LAWS / "law_emergency_response_2024.txt")
    titles = {r.props["title"] for r in out.relationships if r.type == "CITES"}
    assert titles and "中华人民共和国突发事件应对法" not in titles
