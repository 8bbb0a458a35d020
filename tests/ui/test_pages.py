"""Each page of the Streamlit app through AppTest, over the corpus ingested once per session
(the document page over its own small data dir)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures_e2e import ROOT
from tests.ui.apptest import make_app


@pytest.fixture
def corpus_app(ingested, cli_env, monkeypatch):
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr

    def build(role: str | None = None, key_file=None) -> AppTest:
        return make_app(monkeypatch, cli_env["YINGJI_DATA_DIR"], cli_env["YINGJI_MODEL_DIR"],
                        role=role, key_file=key_file)
    return build


def _reader(app: AppTest) -> str:
    return next(h.proto.body for h in app.get("html") if "plan-doc" in h.proto.body)


def _text(app: AppTest) -> str:
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption])


def test_plans_page_browses_a_plan_and_searches(corpus_app):
    app = corpus_app().run()
    app.switch_page("app_pages/plans.py").run()
    assert not app.exception
    assert app.title[0].value == "预案库"
    assert [t.label for t in app.tabs] == ["全文", "事实", "关系图"]
    reader = _reader(app)  # the whole plan as one document, headings at their depth
    assert reader.count("<h3>") >= 3 and reader.count("<p>") > 10 and "<mark>" not in reader
    assert app.get("graphviz_chart")  # its neighbourhood
    assert any(b.label.startswith("下载原始文件") for b in app.get("download_button"))
    app.text_input(key="plan_search").set_value("燃气").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert len(table) > 0 and (table["命中"] > 0).all()  # plans whose text mentions the term
    assert list(table["命中"]) == sorted(table["命中"], reverse=True)
    pick = app.selectbox(key="plan_pick")
    assert pick.format_func(pick.value) == table["标题"][0]  # the best hit is the one shown
    assert app.subheader[0].value == table["标题"][0]
    found = next(c.value for c in app.caption if "包含“燃气”" in c.value)
    assert int(found.split()[0]) > 0 and "<mark>燃气</mark>" in _reader(app)
    facts = app.dataframe[-1].value
    assert not facts["主体"].str.contains("#|title:").any()  # readable names, not node keys
    # the facts tab narrows to one relationship type
    app.multiselect(key=f"rel_{app.selectbox(key='plan_pick').value}").set_value(["LEADS"]).run()
    assert not app.exception
    table = app.dataframe[-1].value
    assert len(table) > 0 and set(table["关系"]) == {"牵头"}
    app.text_input(key="plan_search").set_value("这个词不会出现在任何预案里").run()
    assert "符合条件 0 个" in _text(app) and not app.tabs


def test_checks_page_runs_filters_and_offers_xlsx(corpus_app):
    app = corpus_app().run()
    app.switch_page("app_pages/checks.py").run()
    assert not app.exception and app.title[0].value == "一致性检查"
    app.checkbox(key="check_semantic").uncheck()
    app.button[0].click().run()
    assert not app.exception
    counts = [int(m.value) for m in app.metric]
    total = sum(counts)
    assert total > 0  # the sample corpus has planted inconsistencies
    assert app.get("download_button")
    severity = next(s for s, n in zip(("error", "warning", "info"), counts) if n)
    app.multiselect(key="check_severities").set_value([severity]).run()
    assert not app.exception
    assert f"显示 {counts[('error', 'warning', 'info').index(severity)]} / {total} 条" in _text(app)


def test_checks_page_checks_an_uploaded_draft_without_ingesting(corpus_app):
    draft = ("示例区地下空间突发事件专项应急预案（草案）\n一、组织体系\n"
             "地下空间突发事件由区安全生产监督管理局牵头处置，区消防救援局配合。\n").encode("utf-8")
    app = corpus_app().run()
    app.switch_page("app_pages/checks.py").run()
    app.radio(key="check_scope").set_value("上传草案（不入库）").run()
    app.checkbox(key="check_semantic").uncheck()
    upload = ("underground_draft.txt", draft, "text/plain")
    app.file_uploader(key="check_draft").set_value(upload).run()
    app.button[0].click().run()
    assert not app.exception
    assert any("草案未入库" in h.value for h in app.subheader)


def test_documents_page_is_for_admins_only(corpus_app):
    viewer = corpus_app().run()
    with pytest.raises(ValueError):
        viewer.switch_page("app_pages/documents.py")  # not in the viewer's navigation
    page = ROOT / "ui" / "app_pages" / "documents.py"
    direct = AppTest.from_file(str(page), default_timeout=60).run()
    assert any("仅管理员" in e.value for e in direct.error)
    assert not direct.file_uploader


def test_sign_in_with_a_key_from_the_key_file(corpus_app, tmp_path):
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys.desk]\nrole = "admin"\nkey = "试用-管理员-密钥"\n', encoding="utf-8")
    app = corpus_app(key_file=keys).run()
    assert "查看者" in app.sidebar.markdown[0].value
    app.sidebar.text_input[0].input("猜的密钥")
    app.form_submit_button[0].click().run()
    assert any("密钥无效" in e.value for e in app.sidebar.error)
    app.sidebar.text_input[0].input("试用-管理员-密钥")
    app.form_submit_button[0].click().run()
    assert not app.exception
    assert "管理员" in app.sidebar.markdown[0].value
    app.switch_page("app_pages/documents.py").run()
    assert app.title[0].value == "文档管理" and app.file_uploader
    # a key revoked in the file stops working at the next click
    keys.write_text('[keys.other]\nrole = "admin"\nkey = "另一个密钥"\n', encoding="utf-8")
    app.switch_page("app_pages/chat.py").run()
    assert "查看者" in app.sidebar.markdown[0].value
    with pytest.raises(ValueError):
        app.switch_page("app_pages/documents.py")

@pytest.fixture
def small_data(cli_env, tmp_path):
    data = tmp_path / "data"
    env = {**cli_env, "YINGJI_DATA_DIR": str(data)}
    yield data
    subprocess.run([sys.executable, "-m", "ui.cli", "server", "stop"], env=env, cwd=ROOT,
                   capture_output=True, timeout=120)


def test_documents_page_uploads_and_deletes_one_file(cli_env, small_data, monkeypatch):
    text = ("示例县森林火灾专项应急预案\n一、组织指挥体系\n"
            "森林火灾由县林业局牵头处置，县消防救援大队、县气象局配合。\n").encode("utf-8")
    app = make_app(monkeypatch, str(small_data), cli_env["YINGJI_MODEL_DIR"], role="admin").run()
    assert "最近导入：尚未导入" in "\n".join(m.value for m in app.sidebar.markdown)  # empty dir
    app.switch_page("app_pages/plans.py").run()
    assert not app.exception and any("尚未导入任何预案" in i.value for i in app.info)
    app.switch_page("app_pages/documents.py").run()
    assert not app.exception and app.file_uploader
    app.file_uploader(key="uploads").set_value(("county_forest_fire_plan.txt", text, "text/plain"))
    app.run()
    app.button[0].click().run()
    assert not app.exception
    rows = app.dataframe[0].value
    assert list(rows["文件"]) == ["county_forest_fire_plan.txt"]
    assert rows["结果"][0] == "已导入" and rows["事实"][0] > 0
    assert any("成功 1 个" in s.value for s in app.success)
    kept = small_data / "uploads" / "county_forest_fire_plan.txt"
    assert kept.read_bytes() == text  # kept like the API's uploads, for re-ingest
    app.run()  # the delete list is read again
    assert app.selectbox(key="delete_doc").value == "county_forest_fire_plan.txt"
    app.checkbox(key="delete_sure").check().run()
    app.button[1].click().run()
    assert not app.exception
    assert any("已删除 county_forest_fire_plan.txt" in s.value for s in app.success)
    assert not kept.exists()


def test_experts_page_filters_and_explains(corpus_app):
    app = corpus_app().run()
    app.switch_page("app_pages/experts.py").run()
    assert not app.exception and app.title[0].value == "专家查询"
    app.text_input(key="ex_incident").input("液化气钢瓶漏气").run()
    assert not app.exception
    cards = [m.value for m in app.markdown if m.value.startswith("匹配原因：")]
    assert cards, [i.value for i in app.info]
    everyone = next(c.value for c in app.caption if c.value.startswith("共 "))
    app.selectbox(key="ex_avail").select("7×24 / 全天可联系").run()
    assert not app.exception
    narrowed = next((c.value for c in app.caption if c.value.startswith("共 ")), "共 0 位")
    assert int(narrowed.split()[1]) <= int(everyone.split()[1])
    # a field nobody has: an explanation, not an empty page
    app.text_input(key="ex_field").input("天体物理").run()
    assert any("天体物理" in i.value for i in app.info)


def test_experts_phones_masked_for_viewers_and_shown_to_duty_officers(corpus_app):
    import re

    def phones(role: str | None) -> str:
        app = corpus_app(role=role).run()
        app.switch_page("app_pages/experts.py").run()
        app.text_input(key="ex_field").input("燃气").run()
        text = "\n".join(m.value for m in app.markdown if "电话：" in m.value)
        return text.replace("\\", "")  # the Markdown source escapes the mask's asterisks

    viewer, officer = phones(None), phones("duty_officer")
    assert "****" in viewer and not re.search(r"1[3-9]\d{9}", viewer)
    assert re.search(r"1[3-9]\d{9}", officer)


def test_document_text_is_shown_verbatim_in_markdown():
    from markdown_it import MarkdownIt

    from ui.app_pages.common import md

    for text in ["133****5230", "费用 $5 至 $10", "见 [附件](x) 与 *注*", "1. 总则", "# 标题", ":fire: a_b_c"]:
        html = MarkdownIt().render(md(text))
        assert "<em>" not in html and "<strong>" not in html and "<a " not in html
        assert "<ol" not in html and "<h1" not in html
        assert md(text).replace("\\", "") == text.replace("\\", "")
