"""Which documents a question names: places learned from titles and issuers, and titles named by
words no other title has. Invented places and plans, none of the sample district's."""
from retrieval.scope import NATIONAL, ScopeIndex, places_of, short_forms

DOCS = [
    {"doc_id": "hx", "title": "河西区突发事件总体应急预案", "issuer": "河西区人民政府"},
    {"doc_id": "hx-town", "title": "河西区柳林镇防汛应急预案", "issuer": "柳林镇人民政府"},
    {"doc_id": "sn-port", "title": "山南省港航突发事件应急预案", "issuer": None},
    {"doc_id": "sn-road", "title": "山南省公路交通突发事件应急预案", "issuer": None},
    {"doc_id": "ym", "title": "云梦壮族自治区水上交通应急预案", "issuer": None},
    {"doc_id": "law", "title": "中华人民共和国防震减灾法", "issuer": "全国人民代表大会常务委员会"},
    {"doc_id": "cfg", "title": "【编者注】国家森林火灾应急预案（摘要）", "issuer": None},
]


def test_places_are_read_off_titles_outermost_first():
    assert places_of("河西区柳林镇防汛应急预案") == ["河西区", "柳林镇"]
    assert places_of("中华人民共和国防震减灾法") == [NATIONAL]
    assert places_of("【编者注】国家森林火灾应急预案（摘要）") == [NATIONAL]
    assert places_of("河西区房管局住宅小区突发事件部门应急预案") == ["河西区"]  # a body is no place
    assert short_forms("云梦壮族自治区") == {"云梦壮族自治区", "云梦"}
    assert short_forms("柳林镇") == {"柳林镇", "柳林"}


def test_a_place_admits_its_own_documents_those_inside_it_and_those_above_it():
    idx = ScopeIndex(DOCS)
    town = idx.scope("柳林镇河堤出现管涌谁牵头？")
    assert town.places == {"柳林镇"} and town.docs == {"hx", "hx-town"}
    assert idx.scope("河西区暴雨积水谁牵头？").docs == {"hx", "hx-town"}
    assert idx.scope("河西区的总体预案谁解释？").docs == {"hx"}  # the place and the title
    assert idx.scope("山南那边港航事故谁牵头？").docs == {"sn-port", "sn-road"}
    assert idx.scope("云梦那边船翻了找谁？").docs == {"ym"}


def test_the_national_level_is_one_jurisdiction_however_it_is_said():
    idx = ScopeIndex(DOCS)
    assert idx.scope("全国性的地震由谁统一领导？").docs == {"law", "cfg"}


def test_a_road_named_after_a_place_is_not_the_place():
    assert not ScopeIndex(DOCS).scope("柳林路上车翻了谁牵头？").named


def test_a_title_is_named_by_a_word_only_it_has_not_by_its_kind():
    idx = ScopeIndex(DOCS)
    assert idx.scope("港航预案里谁负责通信保障？").by_title == {"sn-port"}
    assert idx.scope("防震减灾法第几条规定了地震监测？").by_title == {"law"}
    assert idx.scope("应急预案里谁负责通信保障？").by_title == set()  # a kind of document
    assert not idx.scope("暴雨来了谁牵头？").named
    assert idx.scope("暴雨来了谁牵头？").allows("anything")


def test_a_word_only_one_title_has_is_the_question_s_topic_not_its_scope():
    from retrieval.scope import ScopeIndex

    idx = ScopeIndex([{"doc_id": "port.txt", "title": "甲省港口突发事件应急预案"},
                      {"doc_id": "road.txt", "title": "甲省道路运输突发事件应急预案"}])
    s = idx.scope("港口应急指挥组主要干啥？")
    assert s.topic == {"port.txt"} and not s.named
    assert idx.scope("应急指挥组主要干啥？").topic == set()


def test_a_title_is_named_by_two_words_only_it_holds_together():
    docs = DOCS + [
        {"doc_id": "sn-comp", "title": "山南省交通运输综合应急预案", "issuer": None},
        {"doc_id": "hx-safety", "title": "河西区生产安全事故综合应急预案", "issuer": None},
        {"doc_id": "hx-med", "title": "河西区医疗卫生救援应急预案", "issuer": None},
    ]
    idx = ScopeIndex(docs)
    # 交通 (two titles) and 综合 (two titles) are together in one: "交通综合预案" names it
    assert idx.scope("交通综合预案里应急资金怎么保障？").docs == {"sn-comp"}
    # 应急 is in nearly every title: with 综合 it still names either of two plans
    assert idx.scope("综合应急预案里应急资金怎么保障？").docs == set()
