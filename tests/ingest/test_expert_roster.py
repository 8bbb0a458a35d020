"""Expert rosters shaped like the ones bureaus really hold: title and note rows above a two-row
merged header, a 序号 column, several fields typed into one cell, phones written every way,
English-header system exports, Word tables and pasted text. All names and numbers are fictional
(5555 exchange)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.classify import classify
from ingest.extract.expert_roster import column_role, parse_phones, split_fields
from ingest.pipeline import build_batch
from ingest.readers import read_document
from ingest.structure import parse_sections
from ingest.taxonomy import load_taxonomy

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(CORPUS / "taxonomy")


def _experts(path: Path, taxonomy):
    batch, warnings = build_batch(path, taxonomy)
    experts = {n.key: n.props for n in batch.nodes if n.label == "Expert"}
    fields: dict[str, list[str]] = {k: [] for k in experts}
    quotes = {b.text for b in read_document(path).blocks}
    for r in batch.relationships:
        if r.type == "HAS_SECTION":
            continue  # the pipeline's, not the roster extractor's
        assert r.provenance.quote in quotes  # verbatim row text, never composed
        if r.type == "EXPERT_IN":
            fields[r.start.key].append(r.end.key)
    return batch, experts, fields, warnings


@pytest.mark.parametrize("cell,fields,unknown", [
    ("燃气工程（输配）", ["燃气"], []),
    ("特种设备(电梯)", ["特种设备"], []),
    ("岩土工程/深基坑", ["岩土工程"], []),  # an alias that contains the separator
    ("消防/危化品安全", ["消防", "危险化学品"], []),
    ("环境监测，危化品安全", ["环境监测", "危险化学品"], []),
    ("电气工程; 给排水；急诊医学", ["电力", "给水排水", "医疗救援"], []),
    ("结构工程、抗震鉴定", ["建筑结构"], []),
    ("城镇燃气输配技术", ["燃气"], []),  # an alias inside a longer phrase
    ("核与辐射安全、消防", ["消防"], ["核与辐射安全"]),
])
def test_field_cells(taxonomy, cell, fields, unknown):
    assert split_fields(cell, taxonomy.fields) == (fields, unknown)


@pytest.mark.parametrize("cell,phones", [
    ("139-5555-1207", ["13955551207"]),
    ("13955551207；138-5555-0199", ["13955551207", "13855550199"]),
    ("139 5555 1207 / 021-5555-3301", ["13955551207", "02155553301"]),
    ("+86 186 5555 0001", ["18655550001"]),
    ("（021）5555 3301转8012", ["02155553301-8012"]),
    ("13955551207 13855550199", ["13955551207", "13855550199"]),
    ("", []),
])
def test_phone_cells(cell, phones):
    assert parse_phones(cell) == phones


@pytest.mark.parametrize("header,role", [
    ("姓 名", "name"), ("专家姓名", "name"), ("专业领域（可填多项）", "fields"), ("专业特长", "fields"),
    ("从事专业年限", "years"), ("专业技术职称", "title"), ("工作单位及职务", "org"),
    ("联系电话", "mobile"), ("办公电话", "tel"), ("Full Name", "name"), ("Speciality", "fields"),
    ("Mobile Phone", "mobile"), ("可联系时段", "availability"), ("分管领域", None), ("unit price", None),
])
def test_column_roles(header, role):
    assert column_role(header) == role


def test_xlsx_with_merged_two_row_header(tmp_path, taxonomy):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024年度"
    ws.append(["东川区安全生产专家库成员名单"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：东川区应急管理局", None, None, None, None, "填报日期：2024年3月"])
    ws.append(["序号", "专家编号", "姓名", "性别", "工作单位", "职称", "专业领域", "联系方式", None])
    ws.append([None, None, None, None, None, None, None, "手机", "座机"])
    for c in "ABCDEFG":
        ws.merge_cells(f"{c}3:{c}4")
    ws.merge_cells("H3:I3")
    ws.append([1, "DC-07", "姜明远", "男", "东川燃气有限公司", "高级工程师",
               "燃气工程（输配）、特种设备（压力管道）", "139 5555 0701", "0571-5555-0701"])
    ws.append([2, "DC-08", "沐晓雯", "女", "东川区疾病预防控制中心", "主任医师",
               "流行病学，卫生应急", "13855550802；15955550802", None])
    ws.append([3, "DC-09", "骆川", "男", "东川水利设计院", "正高级工程师", "水利工程/防洪排涝 岩土",
               "186-5555-0903", "0571-5555-0903转12"])
    ws.append([None, "合计：3人"])
    other = wb.create_sheet("领域统计")
    other.append(["序号", "专业领域", "人数"])
    other.append([1, "燃气", 1])
    path = tmp_path / "东川区专家成员.xlsx"
    wb.save(path)

    batch, experts, fields, _ = _experts(path, taxonomy)
    assert batch.document.kind == "expert_roster"
    assert set(experts) == {"DC-07", "DC-08", "DC-09"}
    assert fields["DC-07"] == ["燃气", "特种设备"]
    assert fields["DC-08"] == ["疾病预防控制"]
    assert fields["DC-09"] == ["防汛水利", "岩土工程"]
    assert experts["DC-07"]["phones"] == ["13955550701", "057155550701"]
    assert experts["DC-08"]["phones"] == ["13855550802", "15955550802"]
    assert experts["DC-09"]["phones"] == ["18655550903", "057155550903-12"]
    assert experts["DC-07"]["organisation"] == "东川燃气有限公司"
    assert experts["DC-07"]["fields_raw"] == "燃气工程（输配）、特种设备（压力管道）"


def test_english_export_merges_with_chinese_roster_by_code(tmp_path, taxonomy):
    export = tmp_path / "export_20240611.csv"
    export.write_text(
        "Expert No,Full Name,Sex,Speciality,Employer,Mobile Phone,Status,Years\n"
        "DC-07,姜明远,M,燃气;特种设备,东川燃气有限公司,13955550701,Active,22\n"
        "DC-10,闻舟,F,Emergency,东川区急救中心,13755551010,Suspended,9\n"
        "dc-11,岑远,M,心理学 / 精神医学,东川区精神卫生中心,,Withdrawn,\n",
        encoding="utf-8-sig")
    raw = read_document(export)
    kind, reason = classify(raw, parse_sections(raw.blocks, raw.title))
    assert kind == "expert_roster", reason
    batch, experts, fields, warnings = _experts(export, taxonomy)
    assert set(experts) == {"DC-07", "DC-10", "DC-11"}
    assert fields["DC-07"] == ["燃气", "特种设备"]
    assert fields["DC-11"] == ["心理援助"]
    assert [experts[k]["status"] for k in ("DC-07", "DC-10", "DC-11")] == ["在库", "暂停", "退出"]
    assert experts["DC-07"]["years"] == 22 and experts["DC-11"]["phones"] == []
    # "Emergency" is no field of the taxonomy: kept as its own Field, with a warning.
    assert fields["DC-10"] == ["Emergency"] and any("Emergency" in w for w in warnings)


def test_word_table_roster_without_roster_words_in_title(tmp_path, taxonomy):
    import docx

    d = docx.Document()
    d.add_paragraph("附件2")
    d.add_paragraph("2024年度应急专家信息汇总")
    t = d.add_table(rows=3, cols=6)
    for row, values in zip(t.rows, [
        ["序号", "姓  名", "所在单位", "专业特长", "联系电话", "备注"],
        ["1", "郁青禾", "东川区人民医院", "急诊医学、重症医学", "133-5555-2001", "汛期7×24"],
        ["2", "贝松", "东川市政设计院", "给排水，市政排水", "021-5555-2002", ""],
    ]):
        for cell, v in zip(row.cells, values):
            cell.text = v
    path = tmp_path / "附件2.docx"
    d.save(path)
    batch, experts, fields, _ = _experts(path, taxonomy)
    assert batch.document.kind == "expert_roster"
    # No code column: keyed by name and organisation.
    assert fields == {"郁青禾@东川区人民医院": ["医疗救援"], "贝松@东川市政设计院": ["给水排水"]}
    assert experts["郁青禾@东川区人民医院"]["phones"] == ["13355552001"]


def test_pasted_text_table(tmp_path, taxonomy):
    path = tmp_path / "专家名单.txt"
    path.write_bytes("东川区防汛防台专家名单\n"
                     "序号\t姓名\t专业\t单位\t手机\n"
                     "1\t吕望川\t水文、气象预报\t东川水文站\t13955553001\n"
                     "2\t桑宁\t地质工程\t东川地质大队\t13955553002\n".encode("gb18030"))
    batch, experts, fields, _ = _experts(path, taxonomy)
    assert batch.document.kind == "expert_roster"
    assert sorted(fields.values()) == [["地质灾害防治"], ["防汛水利", "气象"]]
    relevant = {(r.start.key, r.end.key) for r in batch.relationships if r.type == "RELEVANT_TO"}
    assert ("气象", "气象灾害") in relevant and ("地质灾害防治", "地质灾害") in relevant


def test_regulation_and_plan_annex_and_contact_list_are_not_rosters(tmp_path):
    raw = read_document(CORPUS / "regulations" / "expert_library_measures.docx")
    assert classify(raw, parse_sections(raw.blocks, raw.title))[0] == "regulation"
    contacts = tmp_path / "值班通讯录.csv"
    contacts.write_text("姓名,职务,分管领域,联系电话\n岑远,副局长,安全生产,13955550001\n",
                        encoding="utf-8")
    raw = read_document(contacts)
    assert classify(raw, parse_sections(raw.blocks, raw.title))[0] != "expert_roster"


def test_building_twice_gives_the_same_batch(taxonomy):
    path = CORPUS / "experts" / "示例区应急专家库名册.xlsx"
    a, _ = build_batch(path, taxonomy)
    b, _ = build_batch(path, taxonomy)
    assert a.model_dump() == b.model_dump()


def test_roster_flattened_into_web_page_text(tmp_path, taxonomy):
    """A roster copied from a government web page: the table is lines of space-separated
    columns, with prose and a page footer around it."""
    path = tmp_path / "关于公布第二批区级应急专家的通知.html"
    path.write_text(
        "<html><head><title>关于公布第二批区级应急专家的通知</title></head><body>"
        "<p>各街道、镇，区各有关部门：</p>"
        "<p>经个人申报、单位推荐和专家评审，现将第二批区级应急专家名单公布如下。</p>"
        "<p>序号 姓名 工作单位 专业领域 职称</p>"
        "<p>1 甘棠 东川区人民医院 中毒救治、急诊医学 主任医师</p>"
        "<p>2 谭  越 东川区气象台 天气预报 高级工程师</p>"
        "<p>3 井 立 东川供电公司 配电 工程师</p>"
        "<p>东川区应急管理局 2024年6月3日</p></body></html>", encoding="utf-8")
    batch, experts, fields, _ = _experts(path, taxonomy)
    assert batch.document.kind == "expert_roster", batch.document.kind_reason
    assert fields == {"甘棠@东川区人民医院": ["医疗救援"], "谭越@东川区气象台": ["气象"],
                      "井立@东川供电公司": ["电力"]}
    assert experts["谭越@东川区气象台"]["name"] == "谭越"


def test_row_numbers_in_a_code_column_are_not_identities(tmp_path, taxonomy):
    path = tmp_path / "专家名册.csv"
    path.write_text("编号,姓名,单位,专业\n1,甘棠,东川区人民医院,急诊医学\n"
                    "1,谭越,东川区气象台,气象\n", encoding="utf-8")
    _, experts, _, _ = _experts(path, taxonomy)
    assert set(experts) == {"甘棠@东川区人民医院", "谭越@东川区气象台"}
