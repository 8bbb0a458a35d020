"""The chat page (the app's default page) driven by AppTest against the ingested sample corpus."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.apptest import make_app


@pytest.fixture
def app(ingested, cli_env, monkeypatch) -> AppTest:
    assert ingested.returncode == 0
    return make_app(monkeypatch, cli_env["YINGJI_DATA_DIR"], cli_env["YINGJI_MODEL_DIR"])


def test_chat_shows_answer_and_citations(app: AppTest):
    app.run()
    assert not app.exception
    assert app.title[0].value.startswith("应急知识图谱助手")
    app.chat_input[0].set_value("危险化学品事故由哪个单位牵头？").run()
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    assert "牵头" in text and "**直接答案**" in text  # the answer's status, as the officer reads it
    assert any("引用依据" in e.label for e in app.expander)
    assert app.caption  # the verbatim quotes
    # history survives the next question
    app.chat_input[0].set_value("燃气泄漏谁牵头？").run()
    assert len([m for m in app.chat_message if m.name == "user"]) == 2


def test_incident_report_shows_duty_card_and_fact_graph(app: AppTest):
    app.run()
    app.chat_input[0].set_value("某小区燃气泄漏").run()
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    assert "值班卡片" in text and "牵头" in text
    assert app.dataframe  # the experts of the card
    graphs = app.get("graphviz_chart")
    assert graphs and "->" in graphs[0].proto.spec


def test_duty_card_phones_follow_the_role(ingested, cli_env, monkeypatch):
    import re

    def phones(role: str | None) -> list[str]:
        app = make_app(monkeypatch, cli_env["YINGJI_DATA_DIR"], cli_env["YINGJI_MODEL_DIR"],
                       role=role).run()
        app.chat_input[0].set_value("某小区燃气泄漏").run()
        assert not app.exception
        return list(app.dataframe[0].value["电话"])

    viewer, officer = phones(None), phones("duty_officer")
    assert viewer and all("****" in p for p in viewer if p)
    assert any(re.fullmatch(r"1[3-9]\d{9}", p) for p in officer)


def test_card_mode_answers_a_plain_question_as_a_duty_card(app: AppTest):
    app.run()
    app.toggle(key="card_mode").set_value(True).run()
    app.chat_input[0].set_value("化工厂储罐起火怎么办").run()
    assert not app.exception
    assert "值班卡片" in "\n".join(m.value for m in app.markdown)
    assert app.caption[-1].value.startswith("意图：duty_card")


def test_an_answer_the_system_is_unsure_of_says_so(app: AppTest):
    app.run()
    app.chat_input[0].set_value("区烟草专卖局在台风里负责什么？").run()
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    assert "相关条文（未能确定答案）" in text and "**直接答案**" not in text
