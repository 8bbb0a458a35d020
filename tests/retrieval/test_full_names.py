"""Short names said in full: a document's own 以下简称 definitions and its issuer's bare 处."""
from pathlib import Path

import pytest

from retrieval.full_names import defined_short_forms, explain, with_notes

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "docs"


def test_definitions_in_invented_layouts():
    text = ("本区应急指挥机构由某区防汛防台指挥部（以下简称“区防指”）和各街镇防汛分指挥部组成。"
            "为规范某区应急管理局（以下简称本局）应急工作，制定本预案。"
            "本办法所称专家库（以下简称库），是指……")
    assert defined_short_forms(text) == {"区防指": "某区防汛防台指挥部", "本局": "某区应急管理局"}


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real documents not present")
def test_definitions_in_real_plans():
    port = defined_short_forms((REAL / "plan_dept_port_guangxi_2023.txt").read_text("utf-8"))
    assert port["领导小组"] == "自治区交通运输厅应急管理工作领导小组"
    assert port["市、县级应急指挥机构"] == "相关市、县级交通运输主管部门及厅直属单位应急指挥机构"
    town = defined_short_forms(
        (REAL / "plan_production_safety_chuansha_2023.txt").read_text("utf-8"))
    assert town == {"新镇应急救援指挥部": "川沙新镇生产安全事故应急救援指挥部"}


def test_notes_name_the_unit_in_full():
    forms = {"领导小组": "某省交通运输厅应急管理工作领导小组"}
    notes = explain("领导小组下设办公室，设在建设管理处，应急处置由安全监督处负责", forms,
                    "某省交通运输厅")
    assert notes == ["“领导小组”即某省交通运输厅应急管理工作领导小组",
                     "建设管理处即某省交通运输厅建设管理处", "安全监督处即某省交通运输厅安全监督处"]
    # a government's plan has no divisions of its own to name; 应急处置 is no unit
    assert explain("由应急处置组负责", {}, "某区人民政府") == []
    answer = with_notes("设在建设管理处（《某预案》2.1）。\n原文：……", notes[1:2])
    assert answer.startswith("设在建设管理处（《某预案》2.1）（建设管理处即某省交通运输厅建设管理处）。")
