"""Documents a question names by a short title, and the sentence each gives for the question."""
from retrieval.answers.named_docs import best_sentence, named_documents

DOCS = [
    {"doc_id": "a", "title": "某县水利局安全生产和应急管理四类清单（2024年版）"},
    {"doc_id": "b", "title": "某县水利局防汛抗旱部门应急预案"},
    {"doc_id": "c", "title": "某县突发事件总体应急预案"},
    {"doc_id": "d", "title": "某县森林火灾专项应急预案"},
    {"doc_id": "e", "title": "某县应急救援专家管理办法"},
    {"doc_id": "f", "title": "某县卫生健康委员会责任清单"},
    {"doc_id": "g", "title": "某县交通运输局责任清单"},
]


def _named(text: str) -> list[str]:
    return [d["doc_id"] for group, _ in named_documents(text, DOCS) for d in group]


def test_a_list_named_by_its_department():
    assert _named("山洪预警谁发布？水利局清单里怎么写的？") == ["a"]


def test_a_department_with_several_lists_names_them_all():
    docs = DOCS + [{"doc_id": "h", "title": "某县水利局任务清单"}]
    named = named_documents("水利局清单里怎么写的？", docs)
    assert [[d["doc_id"] for d in g] for g, _ in named] == [["a", "h"]]


def test_an_abbreviated_department_names_its_list():
    assert _named("卫健委清单里谁管救护车调度？") == ["f"]


def test_two_plans_named_in_one_question():
    assert _named("山火蔓延，总体预案和森林火灾预案的牵头单位一样吗？") == ["c", "d"]


def test_a_normative_document_named_by_the_words_of_its_title():
    assert _named("专家管理办法是依据哪部法律定的？") == ["e"]


def test_kind_words_used_as_verbs_or_for_no_known_document_name_none():
    assert _named("暴雨红色预警发布后有什么规定？") == []
    assert _named("公安局清单里写了什么？") == []  # no such list: nothing is guessed


def test_the_named_documents_sentence_that_answers():
    sections = [{"path": "一", "text": "1　防汛抗旱\n1.负责水情监测和预报；\n2.汛期实行24小时值班。"},
                {"path": "二", "text": "3.县防汛办主任决定启动防汛四级响应；县长决定启动一级响应。"}]
    section, sentence, _ = best_sentence(sections, "防汛四级响应谁决定？水利局清单里怎么写？", "水利局清单")
    assert section["path"] == "二" and sentence.startswith("3.县防汛办主任决定启动防汛四级响应")
    assert best_sentence(sections, "地震了怎么办？", "水利局清单") is None
