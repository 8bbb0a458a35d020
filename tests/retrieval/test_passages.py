"""Quotes for passage answers: the sentence that answers, verbatim, not the section or a heading.

Pure functions over made-up section texts (wordings no corpus document uses)."""
from __future__ import annotations

import unicodedata

from retrieval.passages import (answer_types, best_quote, fuse, holds_kind, is_heading, sentences,
                                strip_number)


def _n(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_strip_number_keeps_the_verbatim_rest():
    assert strip_number("第四十条 仓库管理员应当每日巡查库房。") == "仓库管理员应当每日巡查库房。"
    assert strip_number("（3）关闭上游阀门；") == "关闭上游阀门；"
    assert strip_number("2.4.1  泵站值守人员立即开机排水。") == "泵站值守人员立即开机排水。"
    assert strip_number("③ 封闭桥面。") == "封闭桥面。"
    assert strip_number("五、后期处置") == "后期处置"
    assert strip_number("（一）") == "（一）"  # nothing would be left: keep it


def test_headings_are_recognised():
    assert is_heading("7.2.3 桥梁垮塌事故。")
    assert is_heading("（四）通信保障")
    assert not is_heading("桥梁管理单位立即封闭桥面，设置绕行标志。")


def test_sentences_end_at_full_stops_not_semicolons():
    body = "渡口管理员发现超载，立即停止上客；报告镇海事站。\n（2）乘客落水时抛投救生圈。"
    assert sentences(body) == ["渡口管理员发现超载，立即停止上客；报告镇海事站。",
                               "乘客落水时抛投救生圈。"]


def test_the_sentence_holding_the_answer_beats_the_heading():
    body = ("6.4.2 冷库氨泄漏。（1）切断制冷机组电源；（2）佩戴正压式呼吸器进入，严禁未佩戴防护"
            "装备人员靠近泄漏点；（3）用雾状水稀释。")
    quote = best_quote(body, "冷库漏氨了，没戴防护的人能不能靠近？")
    assert "严禁未佩戴防护装备人员靠近泄漏点" in quote
    assert not quote.startswith("6.4.2")


def test_a_time_question_prefers_the_sentence_with_a_time():
    body = ("渡船维修单位接到故障报告后应当立即组织抢修。全区各渡口均配备值守人员，"
            "抢修人员45分钟内到达渡口。渡口名单见附件。")
    assert "45分钟内" in best_quote(body, "渡船坏了维修的人多久能赶到？")
    assert answer_types("多长时间能到？") and not answer_types("修好了吗？")


def test_a_who_question_prefers_the_sentence_naming_who_bears_it():
    body = ("抢险队伍接到调度指令后立即出发。\n"
            "抢险队伍按调度指令参加抢险所发生的费用，由责任企业承担；责任企业无力承担的，由镇政府协调。")
    assert "由责任企业承担" in best_quote(body, "抢险队出动的开销谁来付？")


def test_the_next_sentence_joins_when_it_continues_the_answer():
    body = "镇政府可以借用村民的船只、抽水机等物品。借用的物品在汛期结束后应当及时归还并登记。"
    quote = best_quote(body, "汛期借用村民的船只，用完以后怎么办？")
    assert _n("借用的物品在汛期结束后应当及时归还") in _n(quote)
    assert _n(quote) in _n(body)  # still verbatim


def test_a_list_introduction_brings_its_items():
    body = "第九条 发布高温红色预警后，街道应当采取下列措施：\n（一）开放纳凉点；\n（二）暂停户外作业。"
    quote = best_quote(body, "高温红色预警发布后街道要采取哪些措施？")
    assert "开放纳凉点" in quote and "暂停户外作业" in quote
    assert _n(quote) in _n(body)


def test_full_width_numerals_match_the_normalised_question():
    body = "一、Ⅰ类场所由镇长批准启用。\n二、Ⅳ类场所，报分管副镇长批准后启用。"
    assert "分管副镇长" in best_quote(body, "IV类场所谁批准开？")


def test_a_to_whom_question_prefers_the_sentence_naming_the_recipient():
    body = ("码头经营单位发现油品泄漏后，应当立即组织码头作业人员停止装卸。"
            "码头经营单位应当在1小时内向区交通委报告。")
    assert best_quote(body, "码头漏油了，经营单位要报给谁？") == "码头经营单位应当在1小时内向区交通委报告。"


def test_a_what_to_do_question_prefers_the_sentence_saying_what_must_be_done():
    body = "事故单位名单由区商务委汇总。事故单位应当立即关闭氨阀门。"
    assert best_quote(body, "冷库漏氨，事故单位要做什么？") == "事故单位应当立即关闭氨阀门。"



def _fused(question: str, quotes: dict[str, str], rankings: list[list[str]]) -> list[str]:
    want = answer_types(question)
    return [key for key, _ in fuse(rankings, lambda key: holds_kind(quotes[key], want))]


def test_a_passage_holding_the_asked_kind_of_value_outranks_one_restating_the_topic():
    quotes = {"topic": "桥下涵洞地势低洼，暴雨时极易积水，历年多次发生车辆熄火被困。",
              "action": "涵洞管理单位应当立即放下拦车杆，禁止车辆驶入。"}
    # Two of three retrievers put the topic sentence first; only the other says what to do.
    rankings = [["topic", "action"], ["action", "topic"], ["topic", "action"]]
    assert _fused("涵洞里车子泡水了，先得怎么处置？", quotes, rankings) == ["action", "topic"]
    # A question asking for no particular kind of value keeps the plain fused order.
    assert _fused("涵洞的情况介绍一下", quotes, rankings) == ["topic", "action"]


def test_how_often_asks_for_a_frequency_not_a_deadline():
    want = answer_types("镇防汛指挥部的成员会议隔多久开一次？")
    assert holds_kind("镇防汛指挥部成员会议每季度召开1次。", want)
    assert not holds_kind("接报后2小时内召开紧急会议。", want)
    assert holds_kind("接报后2小时内召开紧急会议。", answer_types("接报后多久要开会？"))


def test_the_quote_keeps_the_number_its_line_starts_with():
    """A quote is the source line as written: "第十一条　……" is how a reader finds it again."""
    body = "第十一条　区园林所负责街心花园类避难点的日常养护，保持应急通道畅通。"
    quote = best_quote(body, "街心花园的避难点平时谁养护？")
    assert quote == body


def test_a_when_question_prefers_the_sentence_with_a_calendar_date():
    body = ("本条例所称防汛物资，是指用于防汛抢险的器材和物料。本条例自2019年6月1日起施行。"
            "本条例施行前已建成的物资仓库应当按照本条例改造。")
    assert best_quote(body, "这个条例哪天开始施行？").startswith("本条例自2019年6月1日起施行。")
