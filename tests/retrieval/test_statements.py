"""Statement comparison on hand-made titles and sentences (no graph): which two documents a
question names, what the statement is, and which sentence of each says it."""
from __future__ import annotations

from retrieval.answers.statements import best_sentence, statement_grams, two_documents

DOCS = [{"doc_id": d, "title": t} for d, t in [
    ("p1", "某县城关镇突发事件应急预案"), ("p2", "某县河西镇突发事件应急预案"),
    ("l1", "某县城关镇四类清单"), ("r1", "某县应急物资仓库管理规定"),
    ("r2", "某县应急预案管理规定"), ("g", "某县突发事件总体应急预案")]]


def test_the_two_named_documents_in_the_order_asked():
    q = "城关镇预案说镇里不建物资仓库，这跟物资仓库管理规定对得上吗?"
    a, b = two_documents(q, DOCS)
    assert (a.doc_id, b.doc_id) == ("p1", "r1")
    grams = statement_grams(q, a, b)
    assert {"不建", "仓库"} <= grams and "城关" not in grams and "一致" not in grams


def test_one_named_document_is_no_comparison():
    assert two_documents("城关镇预案说镇里不建物资仓库，对吗?", DOCS) is None


def test_the_sentence_saying_the_statement_and_the_provision_on_its_subject():
    q = "河西镇预案说镇里不建物资仓库，这跟物资仓库管理规定对得上吗?"
    a, b = two_documents(q, DOCS)
    grams = statement_grams(q, a, b)
    said = best_sentence(grams, [("3.1", "镇政府负责辖区群众转移安置。"),
                                 ("3.4", "镇里不另建物资仓库。"),
                                 ("3.4", "需要物资的，由镇应急办向县应急局申请调拨县级仓库物资。")])
    assert said[:2] == ("3.4", "镇里不另建物资仓库。")
    context = {"申请", "调拨", "应急", "急办"}
    found = best_sentence(grams, [("第九条", "仓库应当配备专职保管员。"),
                                  ("第十二条", "乡镇需要物资的，由乡镇应急办向县应急局申请调拨，不自建仓库。")],
                          context)
    assert found[0] == "第十二条"


# ------------------------------------------------------------------ "引用的《X》第N条对吗"

def test_the_article_asked_about_and_the_findings_on_it():
    from kg.checks.model import Finding
    from retrieval.answers.article_check import asked_article, is_about

    asked = asked_article("防汛预案中写的《中华人民共和国防洪法》第七十条 引用得对吗?")
    assert asked == ("中华人民共和国防洪法", "第七十条")
    assert asked_article("防汛预案引用的防洪法对吗?") is None

    def finding(rule, subject):
        return Finding(rule=rule, severity="error", title="", explanation="", subject=subject)

    assert is_about(finding("nonexistent_article", "防洪法第七十条"), asked)
    assert not is_about(finding("nonexistent_article", "防洪法第七条"), asked)
    assert not is_about(finding("nonexistent_article", "某县防洪法实施办法第七十条"), asked)
    assert is_about(finding("nonexistent_article", "中华人民共和国防洪法第七十条"), asked)
    assert is_about(finding("superseded_regulation", "中华人民共和国防洪法"), asked)
    assert not is_about(finding("dangling_plan_reference", "某县防洪预案"), asked)


def test_a_name_may_hold_one_stray_character():
    a, b = two_documents("河西镇的预案讲镇里不建物资仓库，跟物资仓库管理规定一样吗?", DOCS)
    assert (a.doc_id, b.doc_id) == ("p2", "r1") and a.span == (0, 6)


def test_a_title_word_no_other_title_has_names_it():
    a, b = two_documents("河西镇预案说镇里组建抢险队，这跟总体预案一致吗?", DOCS)
    assert (a.doc_id, b.doc_id) == ("p2", "g")


def test_a_finding_between_the_two_documents_on_another_subject_does_not_answer():
    from kg.checks.model import Clause, Finding
    from retrieval.answers.consistency import _on_statement

    a, b = two_documents("河西镇预案说镇里组建抢险队，这跟总体预案一致吗?", DOCS)
    grams = statement_grams("河西镇预案说镇里组建抢险队，这跟总体预案一致吗?", a, b)
    grading = Finding(rule="grading_conflict", severity="error", title="", explanation="", clauses=[
        Clause(doc_id="p2", quote="死亡3人以上的为较大事件。"), Clause(doc_id="g", quote="较大　3人以上")])
    teams = grading.model_copy(update={"clauses": [Clause(doc_id="p2", quote="镇组建抢险队1支。")]})
    assert not _on_statement(grading, grams) and _on_statement(teams, grams)
