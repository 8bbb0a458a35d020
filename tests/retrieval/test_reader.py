"""The reader: the answering clause found in retrieved sections, stated only when it clearly
answers. Invented plan text (a port bureau's plan), in layouts real plans use."""
from retrieval.answers._match import bigrams
from retrieval.passages import Section
from retrieval.reader import asked_kind, asks, levels, question_terms, rank, read
from retrieval.scope import Scope

TITLE = "滨江市港航事故应急预案"


def _sec(path: str, body: str, *headings: str) -> Section:
    return Section(doc_id="port.txt", title=TITLE, path=path, headings=list(headings),
                   body=body, score=1.0)


def _item(path: str, body: str, lead: str, *headings: str) -> Section:
    """A list item under its lead (the section above it, which says what every item is about)."""
    return Section(doc_id="port.txt", title=TITLE, path=path, headings=list(headings), body=body,
                   score=1.0, lead=lead, lead_path=path.rsplit("/", 1)[0])


SECTIONS = [
    _sec("2/2.1", "领导小组组长由市港航局局长担任，副组长由分管副局长担任，成员由各处室负责人组成。",
         "2 组织体系", "2.1 领导小组"),
    _sec("2/2.2", "领导小组下设办公室，设在安全监管处。办公室主任由安全监管处处长兼任。",
         "2 组织体系", "2.2 办公室"),
    _sec("2/2.3/（1）", "由航道管理处负责人任组长，船检处、海事处负责人任副组长，相关人员担任成员。",
         "2 组织体系", "2.3 工作组", "（1）抢险救援组"),
    _sec("2/2.3/（2）", "由财务处负责人任组长，机关服务中心负责人任副组长。",
         "2 组织体系", "2.3 工作组", "（2）后勤保障组"),
    _sec("4/4.2", "（1）Ⅲ级、Ⅳ级应急响应分别由区、县港航应急指挥机构负责启动；"
                  "（2）Ⅱ级应急响应由领导小组负责启动，并报告市人民政府。",
         "4 应急响应", "4.2 响应启动"),
    _sec("4/4.1", "事发单位应当在事故发生后30分钟内电话报告，2小时内报送书面材料。",
         "4 应急响应", "4.1 信息报告"),
    _sec("6/6.1", "本预案每3年修订一次，由市港航局负责解释，自印发之日起施行。", "6 附则"),
    _sec("2/2.2/（3）", "（3）Ⅱ级事故应急处置结束后，负责组织总结评估工作；",
         "2 组织体系", "2.2 领导小组办公室"),
    _sec("3/3.1", "初判发生重大事故的，原则上由市人民政府组织指挥应对；"
                  "初判发生较大和一般事故的，原则上分别由区、县人民政府组织指挥应对。",
         "3 分级应对"),
    _sec("5/5.1", "各级港航管理机构应与大型航运企业签订应急运力储备协议，确保随时调动运力。",
         "5 保障措施", "5.1 运力保障"),
]


def _df() -> tuple[dict[str, int], int]:
    df: dict[str, int] = {}
    for s in SECTIONS:
        for g in bigrams(" ".join([s.title, *s.headings, s.body])):
            df[g] = df.get(g, 0) + 1
    return df, len(SECTIONS)


def _read(question: str, scope: Scope = Scope()):
    return read(question, rank(question, SECTIONS, scope, _df()))


def test_question_kinds_and_parts():
    assert asked_kind("书面材料多久要报？")[0] == "duration"
    assert asked_kind("抢险救援组组长是谁？")[0] == "who"
    assert asked_kind("办公室设在哪？")[0] == "place"
    assert asks("预案由谁解释？什么时候起施行？") == ["who", "date"]
    assert levels("Ⅱ级、二级、重大、橙色") == {"grade": {2}, "severity": {2}, "colour": {2},
                                         "class": set()}
    assert "道接" not in question_terms("街道接到报警后多久到场？")


def test_the_clause_of_the_group_the_question_names():
    got = _read("抢险救援组组长由谁担任？")
    assert got is not None and got.clause.startswith("由航道管理处负责人任组长")
    deputy = _read("后勤保障组副组长由谁担任？")
    assert deputy is not None and "机关服务中心负责人任副组长" in deputy.clause


def test_a_level_asked_is_answered_by_that_level_only():
    got = _read("Ⅱ级应急响应由谁启动？")
    assert got is not None and "领导小组负责启动" in got.clause and "Ⅲ级" not in got.clause
    got = _read("Ⅳ级应急响应由谁启动？")
    assert got is not None and "区、县港航应急指挥机构" in got.clause


def test_a_duration_and_a_place():
    got = _read("书面材料要在多长时间内报送？")
    assert got is not None and got.value.startswith("2小时")
    got = _read("领导小组办公室设在哪里？")
    assert got is not None and "设在安全监管处" in got.clause


def test_no_answer_when_unsure():
    assert _read("预案由谁解释？什么时候起施行？") is None  # two asks
    assert _read("事故造成5人死亡属于哪一级？") is None  # figures need the thresholds
    assert _read("通信保障组组长由谁担任？") is None  # no such group: the leader of another is no answer
    assert _read("码头起火了怎么办？") is None  # no value asked for


def test_only_the_named_scope_is_read():
    elsewhere = Scope(places={"河东区"}, by_place={"other.txt"})
    assert _read("领导小组办公室设在哪里？", elsewhere) is None


def test_a_duty_listed_under_its_body_heading_is_that_body_s():
    got = _read("Ⅱ级事故处置结束后，总结评估由谁组织？")
    assert got is not None and got.value == "领导小组办公室"
    assert got.clause.startswith("领导小组办公室：Ⅱ级事故应急处置结束后，负责组织总结评估工作")


def test_the_level_a_piece_speaks_of_comes_from_the_piece_before_it():
    got = _read("初判发生一般事故的，原则上由谁组织指挥应对？")
    assert got is not None and "区、县人民政府" in got.value
    got = _read("初判发生重大事故的，原则上由谁组织指挥应对？")
    assert got is not None and "市人民政府" in got.value


def test_a_clause_answering_a_how_question_is_stated_whole():
    got = _read("应急运力怎么保障？")
    assert got is not None and "签订应急运力储备协议" in got.clause
    # what a group does is not who leads it
    assert _read("抢险救援组具体干啥？") is None


def test_a_group_and_its_post_are_two_words():
    assert "组组" not in question_terms("应急指挥组组长是谁？")
    assert "部总" not in question_terms("现场指挥部总指挥由谁担任？")
    got = _read("后勤保障组谁牵头？")  # a group's lead is its 组长
    assert got is not None and "财务处负责人任组长" in got.clause


def test_a_group_s_duties_are_its_duty_sentence_and_the_title_word_breaks_ties():
    """"应急指挥组主要干啥": the duty sentence under the group's heading, whole; two plans with a
    group of that name tie unless a word of the question only one plan's title has (港口)
    singles it out."""
    def sec(doc: str, title: str, body: str) -> Section:
        return Section(doc_id=doc, title=title, path="2/（2）", headings=["2 组织体系", "（2）应急指挥组"],
                       body=body, score=1.0)

    port = sec("port.txt", "甲省港口突发事件应急预案", "主要职责：指挥港口应急处置工作；制定救援方案。")
    road = sec("road.txt", "乙市道路运输突发事件应急预案", "主要职责：指挥港口周边道路应急处置工作；疏导交通。")
    df: dict[str, int] = {}
    for s in (port, road, *SECTIONS):
        for g in bigrams(" ".join([s.title, *s.headings, s.body])):
            df[g] = df.get(g, 0) + 1
    q = "港口应急指挥组主要干啥？"
    cands = rank(q, [port, road, *SECTIONS], Scope(), (df, len(SECTIONS) + 2))
    assert read(q, cands) is None  # two plans' groups, other duties: unsure
    got = read(q, cands, topic={"port.txt"})
    assert got is not None and got.clause == "主要职责：指挥港口应急处置工作；制定救援方案"


def test_a_definition_is_read_off_its_是指_clause_and_how_asks_for_its_verb():
    def sec(path: str, body: str, *heads: str) -> Section:
        return Section(doc_id="law.txt", title="某省安全条例", path=path, headings=list(heads),
                       body=body, score=1.0)

    law = [sec("第九条", "危险物品，是指易燃易爆物品、放射性物品等危及人身安全的物品。"),
           sec("第十条", "储存危险物品的单位应当建立专门安全管理制度。"),
           sec("6/6.3", "6.3 资金保障\n按照分级负担的原则，应急资金纳入部门预算。", "6 保障措施", "6.3 资金保障"),
           sec("2/2.5", "根据工作需要，选取相关专家组成专家组。\n主要职责：研究评估专家意见，提出处置建议。",
               "2 组织体系", "2.5 专家组")]
    df: dict[str, int] = {}
    for s in law:
        for g in bigrams(" ".join([s.title, *s.headings, s.body])):
            df[g] = df.get(g, 0) + 1
    ask = lambda q: read(q, rank(q, law, Scope(), (df, len(law))))  # noqa: E731
    got = ask("条例里的危险物品指哪些东西？")
    assert got is not None and got.clause.startswith("是指易燃易爆物品")
    got = ask("应急资金怎么保障？")  # the heading line "6.3 资金保障" is no rival of its clause
    assert got is not None and "纳入部门预算" in got.clause
    got = ask("专家组是怎么组成的？")
    assert got is None or "组成" in got.clause  # never its duties


def test_classes_deadlines_and_colloquial_acts():
    """"Ⅲ类避难场所" is read like a level; "什么时候补" is answered by a deadline; "谁批" asks who
    approves; the key word is a content word (平时 is no topic)."""
    assert levels("Ⅲ类应急避难场所")["class"] == {3} and not levels("四类清单")["class"]

    def sec(path: str, body: str) -> Section:
        return Section(doc_id="m.txt", title="某区应急物资和避难场所管理办法", path=path, headings=[],
                       body=body, score=1.0)

    docs = [sec("第三条", "Ⅱ类应急避难场所，可供避难人员生活10天至30天；"
                         "Ⅲ类应急避难场所，可供避难人员生活10天以内。"),
            sec("第十八条", "一次调用金额在20万元以下的，由区应急管理局主要负责同志批准；"
                           "20万元以上的，报分管副区长批准。"),
            sec("第十九条", "情况紧急时，可以先电话申请、先行调用，调用单位应当在24小时内补办书面手续。"),
            sec("第二十条", "区绿化市容局负责公园类应急避难场所的日常维护管理。")]
    df: dict[str, int] = {}
    for s in docs:
        for g in bigrams(" ".join([s.title, s.body])):
            df[g] = df.get(g, 0) + 1
    ask = lambda q: read(q, rank(q, docs, Scope(), (df, len(docs))))  # noqa: E731
    got = ask("Ⅲ类避难场所最多能住几天？")
    assert got is not None and got.value == "10天以内"
    got = ask("电话先调了物资，书面手续什么时候补？")
    assert got is not None and "24小时内" in got.value
    got = ask("公园里的避难场所平时归谁维护？")
    assert got is not None and "区绿化市容局" in got.value


def test_two_asks_are_two_questions_about_what_the_first_names():
    from retrieval.reader import ask_parts

    assert ask_parts("《某预案》由谁负责解释？什么时候开始实施？") == [
        "《某预案》由谁负责解释", "《某预案》什么时候开始实施"]
    assert ask_parts("区安委会办公室设在哪？办公室主任是谁兼？")[1].startswith("区安委会办公室")
    assert ask_parts("燃气泄漏谁牵头？") == ["燃气泄漏谁牵头？"]


def test_a_rule_for_the_asked_level_alone_beats_one_for_several():
    def sec(path: str, body: str) -> Section:
        return Section(doc_id="w.txt", title="某省港口突发事件应急预案", path=path,
                       headings=["3.3 预警发布"], body=body, score=1.0)

    docs = [sec("3.3/（1）", "达到启动Ⅳ级预警条件的，由县级应急指挥机构发布蓝色预警；"),
            sec("3.3/（2）", "Ⅲ级、Ⅳ级预警分别由市、县级应急指挥机构负责启动和发布。")]
    df: dict[str, int] = {}
    for s in docs:
        for g in bigrams(" ".join([s.title, *s.headings, s.body])):
            df[g] = df.get(g, 0) + 1
    q = "港口蓝色预警由谁发布？"
    got = read(q, rank(q, docs, Scope(), (df, len(docs))))
    assert got is not None and got.value.startswith("由县级应急指挥机构")


def test_the_latest_or_earliest_of_a_document_s_dates():
    def sec(body: str) -> Section:
        return Section(doc_id="law.txt", title="某省安全生产条例", path="首部", headings=[],
                       body=body, score=1.0)

    docs = [sec("2009年8月27日省人大常委会会议第一次修正\n2014年8月31日省人大常委会会议第二次修正\n"
                "2021年6月10日省人大常委会会议第三次修正"),
            Section(doc_id="law.txt", title="某省安全生产条例", path="第九十条", headings=[],
                    body="本条例自2002年11月1日起施行。", score=1.0)]
    df: dict[str, int] = {}
    for s in docs:
        for g in bigrams(s.title + s.body):
            df[g] = df.get(g, 0) + 1
    ask = lambda q: read(q, rank(q, docs, Scope(), (df, len(docs))))  # noqa: E731
    assert ask("条例最近一次修正是什么时候？").value == "2021年6月10日"
    assert ask("条例第一次修正是什么时候？").value == "2009年8月27日"


def test_a_time_for_something_else_is_no_rival_of_the_asked_act_s_time():
    def sec(path: str, body: str) -> Section:
        return Section(doc_id="s.txt", title="某区应急避难场所管理规定", path=path, headings=[],
                       body=body, score=1.0)

    docs = [sec("第十六条", "临时安置点由所在街道决定启用，并在启用后1小时内报告区应急管理局；"),
            sec("第三条", "临时安置点由街道启用，用于短时转移安置，一般不超过3天。")]
    df: dict[str, int] = {}
    for s in docs:
        for g in bigrams(s.title + s.body):
            df[g] = df.get(g, 0) + 1
    q = "街道启用临时安置点后，多久要报告区应急管理局？"
    got = read(q, rank(q, docs, Scope(), (df, len(docs))))
    assert got is not None and got.value == "1小时内"



def _read_in(question: str, sections: list[Section]):
    df: dict[str, int] = {}
    for s in sections:
        for g in bigrams(" ".join([s.title, *s.headings, s.body])):
            df[g] = df.get(g, 0) + 1
    return read(question, rank(question, sections, Scope(), (df, len(sections))))


def test_a_clause_takes_its_level_from_the_piece_before_it():
    sections = SECTIONS + [
        _sec("4/4.3", "启动Ⅲ级应急响应的，区指挥机构应报告区人民政府；"
                      "启动Ⅳ级应急响应的，县指挥机构应报告县人民政府和区指挥机构。",
             "4 应急响应", "4.3 响应报告"),
        _sec("3/3.2", "Ⅲ级、Ⅳ级预警由区、县指挥机构负责发布，并报告本级人民政府和上一级指挥机构。",
             "3 预警", "3.2 预警发布"),
    ]
    got = _read_in("启动了Ⅳ级应急响应，县指挥机构要报告谁？", sections)
    assert got is not None and "县人民政府和区指挥机构" in got.clause


def test_a_subject_that_shall_decide_answers_who_decides():
    sections = SECTIONS + [
        _sec("5/5.3", "事故的威胁和危害得到控制或者消除后，有关人民政府应当决定停止执行应急处置措施。",
             "5 后期处置", "5.3 措施解除"),
    ]
    got = _read_in("事故威胁控制住以后，谁决定停止执行应急处置措施？", sections)
    assert got is not None and "有关人民政府" in got.value


def test_the_same_rule_in_two_documents_is_one_statement():
    from retrieval.reader import same_statement
    assert same_statement("突发事件分为特别重大、重大、较大和一般四级。",
                          "突发事件分为特别重大、重大、较大、一般4级。")
    assert not same_statement("应急资金预算纳入部门预算。", "应急资金预算并纳入本级财政预算。")
    assert not same_statement("1小时内书面报告", "12小时内书面报告")


def test_a_plan_applying_itself_names_its_own_title():
    sections = SECTIONS + [
        _sec("1/1.4", "航道突发事件需要多部门联合保障时，根据本预案启动相应级别的应急响应。",
             "1 总则", "1.4 适用范围"),
    ]
    got = _read_in("航道出事需要多部门联合保障时，按哪个预案启动响应？", sections)
    assert got is not None and got.value == f"《{TITLE}》"
    assert TITLE in got.clause and "本预案" not in got.clause


def test_of_listed_titles_the_one_the_question_is_about():
    sections = SECTIONS + [
        _sec("1/1.6", "本预案与《滨江市公路交通突发事件应急预案》、《滨江市港航网络安全突发事件应急预案》、"
                      "《滨江市港航防洪防台应急预案》相衔接。", "1 总则", "1.6 预案体系"),
    ]
    got = _read_in("港航系统遭到网络攻击，预案体系里对应哪个预案？", sections)
    assert got is None or got.value == "《滨江市港航网络安全突发事件应急预案》"
    from retrieval.reader import _best_title, KINDS
    value = next(v for k, _, v in KINDS if k == "document")
    m = _best_title(sections[-1].body, value, bigrams("遭到网络攻击对应哪个预案"))
    assert m.group(0) == "《滨江市港航网络安全突发事件应急预案》"


def test_a_holder_list_broken_by_a_comma_is_read_whole():
    sections = SECTIONS + [
        _sec("2/2.3/（3）", "由规划处负责人任组长，视情由港航中心常务副主任，执法大队、航道站负责人任副组长。",
             "2 组织体系", "2.3 工作组", "（3）现场指挥组"),
    ]
    got = _read_in("现场指挥组的副组长由哪些单位的负责人担任？", sections)
    assert got is not None and "港航中心常务副主任" in got.clause


def test_an_item_takes_the_value_its_lists_lead_states():
    lead = "有关单位有下列情形之一的，由港航局责令改正，并处五万元以上二十万元以下的罚款；情节特别严重的，并处二十万元以上一百万元以下的罚款："
    sections = SECTIONS + [
        _item("7/7.2/（二）", "（二）未及时清理航道碍航物，导致船舶搁浅的；", lead, "7 罚则", "7.2 处罚"),
    ]
    got = _read_in("没及时清理航道碍航物导致船舶搁浅，罚款多少？", sections)
    assert got is not None and got.value == "五万元"  # not the 情节特别严重 range
    assert got.lead == lead and got.lead_section == "7/7.2"
    assert "五万元以上二十万元以下" in got.clause and "碍航物" in got.clause


def test_a_rule_for_other_figures_does_not_answer():
    from retrieval.reader import _figures_agree
    assert not _figures_agree("一次超过20万元要谁批？", "一次调用金额在20万元以下的，由局长批准")
    assert _figures_agree("一次超过20万元要谁批？", "20万元以上的，报分管副区长批准")
    assert _figures_agree("多久要报？", "1小时内书面报告")


def test_the_bodies_a_who_question_asks_are_read_off_its_act():
    """"还要通知哪些单位": the bodies after 通知; "由哪些部门负责建立……": the doer before 建立."""
    sections = SECTIONS + [
        _sec("4/4.3", "港航局接到事故报告后，应当立即上报，并通知海事局、公安分局和所在地街道；",
             "4 应急响应", "4.3 信息通报"),
        _sec("5/5.2", "通信管理局、广电局等有关部门建立健全港区应急通信网络。",
             "5 保障措施", "5.2 通信保障"),
    ]
    got = _read_in("港航局接到事故报告后，除了上报，还要通知哪些单位？", sections)
    assert got is not None and got.value.startswith("海事局、公安分局")
    got = _read_in("由哪些部门负责建立健全港区应急通信网络？", sections)
    assert got is not None and got.value.startswith("通信管理局、广电局")
    assert asked_kind("决定要报哪里备案？")[0] == "who"
    assert asked_kind("编制依据中的市级专项预案是哪一个？")[0] == "document"


def test_the_section_a_how_question_names_by_its_heading_answers():
    sections = SECTIONS + [
        _sec("5/5.3", "按照分级负担的原则，港航局应编制应急资金预算，纳入本级财政预算。",
             "5 保障措施", "5.3 资金保障"),
        _sec("2/2.3/（2）#2", "主要职责：提供应急资金保障；负责后勤服务。",
             "2 组织体系", "2.3 工作组", "（2）后勤保障组"),
    ]
    got = _read_in("应急资金怎么保障？", sections)
    assert got is not None and "纳入本级财政预算" in got.clause


def test_two_rules_for_the_asked_level_naming_the_same_doer_agree():
    sections = SECTIONS + [
        _sec("3/3.2/（4）", "达到Ⅰ级预警条件的，由领导小组报请市人民政府发布红色预警。",
             "3 预警", "3.2 预警发布"),
        _sec("3/3.3", "Ⅰ级预警由市人民政府启动和发布。", "3 预警", "3.3 预警启动"),
    ]
    got = _read_in("红色预警怎么发布？", sections)
    assert got is not None and "市人民政府" in got.clause


def test_question_phrases_break_a_tie_of_words():
    from retrieval.reader import phrased
    q = "县级以上党委和政府的应急预案由哪几类组成？"
    assert phrased(q, "县级以上党委和政府应急预案由总体应急预案、专项应急预案组成。") >= 1.5 * phrased(
        q, "县级以上地方党委和政府设立由本级党委和政府主要负责同志牵头组成的应急指挥机构。")


def test_asks_counted_in_years_and_where_a_rule_is_written():
    assert asked_kind("多少年内不得担任？")[0] == "duration"
    assert asked_kind("条例是根据哪两部法律制定的？")[0] == "document"
    sections = SECTIONS + [
        _sec("4/4.5", "港航应急响应分为四级，具体启动条件在各港区专项应急预案中予以明确。",
             "4 应急响应", "4.5 响应分级"),
    ]
    got = _read_in("港航应急响应的具体启动条件写在哪里？", sections)
    assert got is not None and "各港区专项应急预案" in got.clause


def test_a_list_item_is_read_with_its_lead_and_a_title_with_what_it_is_for():
    lead = "发生航道事故，对负有责任的航运企业处以罚款："
    sections = SECTIONS + [
        _item("7/7.3/（二）", "（二）发生较大事故的，处五十万元以上一百万元以下的罚款；", lead,
              "7 罚则", "7.3 事故罚款"),
        _item("7/7.3/（一）", "（一）发生一般事故的，处十万元以上五十万元以下的罚款；", lead,
              "7 罚则", "7.3 事故罚款"),
        _sec("1/1.1", "为了规范港航应急工作，根据《中华人民共和国港口法》和《中华人民共和国航道法》，制定本预案。",
             "1 总则", "1.1 目的"),
    ]
    got = _read_in("出了一起较大航道事故，对负有责任的航运企业罚多少钱？", sections)
    assert got is not None and "五十万元以上一百万元以下" in got.clause
    got = _read_in("本预案是根据哪两部法律制定的？", sections)
    assert got is not None and "《中华人民共和国航道法》" in got.clause


def test_a_sentence_going_on_from_the_one_before_and_days_counted_as_日():
    sections = SECTIONS + [
        _sec("6/6.2", "专项预案送审前，港航局应当组织专家论证。论证专家不少于5人，从专家库中选取。",
             "6 附则", "6.2 预案管理"),
        _sec("6/6.3", "职责调整的，有关处室应当在30日内修订本处室应急手册。", "6 附则", "6.3 手册"),
    ]
    got = _read_in("专项预案送审前要找几个专家论证？", sections)
    assert got is not None and got.value == "5人"
    got = _read_in("职责调整了，处室应急手册多少天内要修订？", sections)
    assert got is not None and "30日内" in got.value
