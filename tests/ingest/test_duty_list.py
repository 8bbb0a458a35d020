"""Duty lists shaped like the ones bureaus actually export: merged title rows, group rows,
vertically merged cells, a GB18030 system export with a 清单类别 column, and a unit the
taxonomy has never heard of."""
from pathlib import Path

import openpyxl
import pytest

from ingest.extract.citations import article_key
from ingest.pipeline import build_batch
from ingest.readers import read_document
from ingest.taxonomy import load_taxonomy

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(CORPUS / "taxonomy")


def _rows(batch):
    return {n.props["name"]: n for n in batch.nodes if n.label == "Responsibility"}


def _rels(batch, type_, key):
    return [r for r in batch.relationships if r.type == type_ and r.start.key == key]


def _quotes_verbatim(batch, path):
    texts = [b.text for b in read_document(path).blocks]
    return all(any(r.provenance.quote in t for t in texts) for r in batch.relationships
               if r.type != "HAS_SECTION")


def test_workbook_with_title_meta_group_rows_and_vertical_merges(tmp_path, taxonomy):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "权责事项"
    ws.append(["区城市管理行政执法局2023年度安全生产权力和责任清单"])
    ws.merge_cells("A1:F1")
    ws.append(["编制单位：区城管执法局", None, None, "发布日期：2023-03-01"])
    ws.append(["编号", "事项名称", "类型", "设定依据", "承办机构", "备注"])
    ws.append(["（一）市容环境卫生"])
    ws.merge_cells("A4:F4")
    ws.append([1, "对擅自设置大型户外广告的处罚", "行政处罚",
               "《城市市容和环境卫生管理条例》第十一条\n《中华人民共和国广告法》第六十条",
               "执法一科", None])
    ws.append([2, "对户外广告设施存在安全隐患拒不整改的强制拆除", "行政强制",
               "《城市市容和环境卫生管理条例》第三十七条", None, "汛前集中排查"])
    ws.merge_cells("E5:E6")  # 承办机构 merged over both rows
    ws.append(["（二）应急处置"])
    ws.merge_cells("A7:F7")
    ws.append([3, "台风期间户外广告设施坠落险情处置", "其他行政权力",
               "《某市防汛防台应急预案》4.3", "勤务指挥中心", None])
    ws.append(["说明：本清单随法律法规修改动态调整。"])
    f = tmp_path / "城管执法权责清单.xlsx"
    wb.save(f)

    doc = read_document(f)
    groups = [b for b in doc.blocks if b.kind == "table_row" and len(b.cells) == 1]
    assert [b.text for b in groups] == ["（一）市容环境卫生", "（二）应急处置"]
    assert not any(b.kind == "heading" and b.text.startswith("（") for b in doc.blocks)
    assert any(b.kind == "paragraph" and b.text.startswith("说明") for b in doc.blocks)

    batch, warnings = build_batch(f, taxonomy)
    rows = _rows(batch)
    assert len(rows) == 3
    ad = rows["对户外广告设施存在安全隐患拒不整改的强制拆除"]
    assert ad.props["department"] == "执法一科"  # inherited from the merged cell above
    assert ad.props["group"] == "（一）市容环境卫生"
    assert ad.props["list_kind"] == "权力清单"  # from the title (权力和责任): power first
    assert ad.key == f"{batch.document.doc_id}#权责事项#2"
    first = rows["对擅自设置大型户外广告的处罚"]
    based = {r.end.key for r in _rels(batch, "BASED_ON", first.key)}
    assert based == {article_key("城市市容和环境卫生管理条例", "第十一条"),
                     "中华人民共和国广告法#第六十条"}
    (duty,) = [r for r in batch.relationships if r.type == "HAS_DUTY" and r.end.key == first.key]
    assert duty.start.key == taxonomy.organizations.canonical("区城管执法局") or duty.start.key
    about = {r.end.key for r in _rels(batch, "ABOUT", rows["台风期间户外广告设施坠落险情处置"].key)}
    assert "户外广告设施及招牌坠落事故" in about
    assert _quotes_verbatim(batch, f)


def test_gb18030_export_with_list_category_column(tmp_path, taxonomy):
    lines = [
        "某区住房保障和房屋管理局安全生产四类清单（导出）,,,,,,",
        "序号,清单类别,事项名称,事项内容,法律依据,责任科室,完成时间",
        "1,责任,老旧住宅燃气管道隐患排查,会同燃气企业排查老旧住宅燃气立管腐蚀隐患，发现燃气泄漏立即报告。,"
        "《城镇燃气管理条例》第四十一条,物业监管科,",
        "2,任务清单,危旧房屋汛前检查,汛前完成全部危旧房屋检查并建立台账。,,房屋安全科,2025年5月底前",
        "3,监管,住宅物业服务企业消防安全监管,督促物业企业落实消防通道管理。,"
        "《中华人民共和国消防法》（2021年修正）第十八条,物业监管科,",
        "4,权力,对物业服务企业违规行为的处罚,,《物业管理条例》第五十六条至第五十八条,执法大队,",
    ]
    f = tmp_path / "房管局四类清单导出.csv"
    f.write_bytes("\r\n".join(lines).encode("gb18030"))
    batch, _ = build_batch(f, taxonomy)
    assert batch.document.kind == "duty_list"
    rows = _rows(batch)
    assert {n.props["name"]: n.props["list_kind"] for n in rows.values()} == {
        "老旧住宅燃气管道隐患排查": "责任清单", "危旧房屋汛前检查": "任务清单",
        "住宅物业服务企业消防安全监管": "监管清单", "对物业服务企业违规行为的处罚": "权力清单"}
    assert rows["危旧房屋汛前检查"].props["deadline"] == "2025年5月底前"
    owner = {r.start.key for r in batch.relationships if r.type == "HAS_DUTY"}
    assert owner == {"区房管局"}
    fire = rows["住宅物业服务企业消防安全监管"]
    assert {r.end.key for r in _rels(batch, "BASED_ON", fire.key)} == {"中华人民共和国消防法#第十八条"}
    (cite,) = _rels(batch, "BASED_ON", fire.key)
    assert cite.props["version_note"] == "2021年修正"
    penalty = rows["对物业服务企业违规行为的处罚"]
    assert len(_rels(batch, "BASED_ON", penalty.key)) == 3  # 第五十六条至第五十八条
    gas = rows["老旧住宅燃气管道隐患排查"]
    assert {r.end.key for r in _rels(batch, "ABOUT", gas.key)} == {"城镇燃气事故"}
    assert _quotes_verbatim(batch, f)


def test_street_word_list_and_reingest_is_stable(taxonomy):
    path = CORPUS / "lists" / "town_beitang.docx"
    a, _ = build_batch(path, taxonomy)
    b, _ = build_batch(path, taxonomy)
    assert a.counts() == b.counts() and [n.key for n in a.nodes] == [n.key for n in b.nodes]
    assert {r.start.key for r in a.relationships if r.type == "HAS_DUTY"} == {"北塘镇"}
    kinds = {n.props["list_kind"] for n in a.nodes if n.label == "Responsibility"}
    assert kinds == {"责任清单", "权力清单", "监管清单", "任务清单"}
    assert _quotes_verbatim(a, path)


def test_unknown_unit_is_kept_as_written(tmp_path, taxonomy):
    f = tmp_path / "list.csv"
    f.write_text("梧桐山林场安全生产责任清单\n序号,职责事项,职责内容\n"
                 "1,森林火灾先期处置,发现森林火灾立即报告并组织扑救初起火。\n", "utf-8")
    batch, _ = build_batch(f, taxonomy, kind="duty_list")
    assert {r.start.key for r in batch.relationships if r.type == "HAS_DUTY"} == {"梧桐山林场"}
