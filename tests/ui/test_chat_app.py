"""The chat page (the app's default page) driven by AppTest against the ingested sample corpus."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.apptest import make_app


@pytest.fixture
def app(ingested, cli_env, monkeypatch) -> AppTest:
    assert ingested.returncode == 0
    return make_app(monkeypatch, cli_env["YINGJI_DATA_DIR"], cli_env["YINGJI_MODEL_DIR"])


def _markdown(app: AppTest) -> str:
    """Everything the page wrote as Markdown, one element a line."""
    return "\n".join(m.value for m in app.markdown)


def test_chat_shows_answer_and_citations(app: AppTest):
    app.run()
    assert not app.exception
    assert app.title[0].value.startswith("应急知识图谱助手")
    app.chat_input[0].set_value("危险化学品事故由哪个单位牵头？").run()
    assert not app.exception
    text = _markdown(app)
    assert "牵头" in text and "**直接答案**" in text  # the answer's status, as the officer reads it
    assert any("引用依据" in e.label for e in app.expander)
    assert app.caption  # the verbatim quotes
    # history survives the next question
    app.chat_input[0].set_value("燃气泄漏谁牵头？").run()
    assert len([m for m in app.chat_message if m.name == "user"]) == 2


def _card_tables(app: AppTest) -> str:
    return "\n".join(h.proto.body for h in app.get("html") if "card-table" in h.proto.body)


def test_incident_report_shows_duty_card_and_fact_graph(app: AppTest):
    import re

    app.run()
    app.chat_input[0].set_value("某小区燃气泄漏").run()
    assert not app.exception
    text = _markdown(app)
    assert "值班卡片" in text and "牵头" in text
    lines = [m.value for m in app.markdown if "badge[" in m.value]
    assert len(lines) >= 4  # 牵头/配合, 适用预案, 响应级别, 专家…: each with its status
    # every line ends with numbered citations, and the list below resolves each number
    refs = [int(n) for ln in lines for n in re.findall(r"\\\[(\d+)\\\]", ln)]
    assert all(re.search(r"(\\\[\d+\\\])+$", ln) for ln in lines), lines
    cites = next(e for e in app.expander if e.label.startswith("引用依据"))
    assert max(refs) <= int(re.search(r"（(\d+) 条）", cites.label).group(1))
    level = next(ln for ln in lines if "响应级别" in ln)
    assert "暂不判定级别" in level  # no figures given: the rule, not a level
    assert _card_tables(app).count("<tr>") >= 4  # 3–5 experts with why
    assert app.get("download_button")  # the .docx export
    graphs = app.get("graphviz_chart")
    assert graphs and "->" in graphs[0].proto.spec


def test_duty_card_phones_follow_the_role(ingested, cli_env, monkeypatch):
    import re

    def card(role: str | None) -> str:
        app = make_app(monkeypatch, cli_env["YINGJI_DATA_DIR"], cli_env["YINGJI_MODEL_DIR"],
                       role=role).run()
        app.chat_input[0].set_value("某小区燃气泄漏").run()
        assert not app.exception
        return _card_tables(app)

    viewer, officer = card(None), card("duty_officer")
    assert "****" in viewer and "tel:" not in viewer and not re.search(r"1[3-9]\d{9}", viewer)
    assert re.search(r'href="tel:1[3-9]\d{9}"', officer)


def test_off_topic_question_is_out_of_scope(app: AppTest):
    app.run()
    app.chat_input[0].set_value("明天天气怎么样").run()
    assert not app.exception
    text = _markdown(app)
    assert "超出知识库范围" in text and "直接答案" not in text
    assert not any(e.label.startswith("引用依据") for e in app.expander)


def test_login_and_conversation_survive_a_reload(ingested, cli_env, monkeypatch, tmp_path):
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys.desk]\nrole = "duty_officer"\nkey = "值班台-密钥"\n', encoding="utf-8")
    app = make_app(monkeypatch, cli_env["YINGJI_DATA_DIR"], cli_env["YINGJI_MODEL_DIR"],
                   key_file=keys).run()
    app.sidebar.text_input[0].input("值班台-密钥")
    app.form_submit_button[0].click().run()
    assert any("登录成功：值班员" in s.value for s in app.sidebar.success)
    app.chat_input[0].set_value("危险化学品事故由哪个单位牵头？").run()
    token = app.query_params["s"]
    token = token[0] if isinstance(token, list) else token
    # a reload is a new browser session that only has the address
    again = make_app(monkeypatch, cli_env["YINGJI_DATA_DIR"], cli_env["YINGJI_MODEL_DIR"],
                     key_file=keys)
    again.query_params["s"] = token
    again.run()
    assert not again.exception
    assert "值班员" in again.sidebar.markdown[0].value
    assert [m.name for m in again.chat_message][:2] == ["user", "assistant"]
    again.sidebar.button(key="logout").click().run()
    assert "查看者" in again.sidebar.markdown[0].value and not again.chat_message
    status = "\n".join(m.value for m in again.sidebar.markdown)
    assert "文档 **" in status and "检索索引：最新" in status  # the data status panel


def test_card_mode_answers_a_plain_question_as_a_duty_card(app: AppTest):
    app.run()
    app.toggle(key="card_mode").set_value(True).run()
    app.chat_input[0].set_value("化工厂储罐起火怎么办").run()
    assert not app.exception
    assert "值班卡片" in "\n".join(m.value for m in app.markdown)
    assert any(c.value.startswith("问题类型：值班卡片") for c in app.caption)


def test_an_answer_the_system_is_unsure_of_says_so(app: AppTest):
    app.run()
    app.chat_input[0].set_value("区烟草专卖局在台风里负责什么？").run()
    assert not app.exception
    text = _markdown(app)
    assert "相关条文（未能确定答案）" in text and "**直接答案**" not in text
