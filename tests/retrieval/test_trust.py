"""When a graph answer may stand as a direct answer. Invented answers and wording."""
from retrieval.answers._match import bigrams
from retrieval.contract import Answer, Citation
from retrieval.scope import Scope
from retrieval.trust import fits_ask, holds_up, in_scope, makes_claim


def _ans(text: str, intent: str = "lead_unit", doc: str = "a.txt", quote: str = "某句。",
         experts: list | None = None) -> Answer:
    return Answer(question="", intent=intent, answer=text, experts=experts or [],
                  citations=[Citation(doc_id=doc, title="t", section="1", quote=quote)])


def test_saying_nothing_was_found_is_no_claim():
    assert not makes_claim(_ans("按《某预案》4.2，预案未写明二级响应由谁决定启动。", "response_level"))
    assert not makes_claim(_ans("未发现不一致。《甲》写明……", "consistency"))
    # a consistency question may ask whether something is missing: then absence is the finding
    assert makes_claim(_ans("未写明决定主体：《甲》的Ⅳ级响应未写明由谁决定启动。", "consistency"))
    assert makes_claim(_ans("河道险情由区水务局牵头。"))


def test_a_source_outside_the_named_scope_does_not_hold_up():
    scope = Scope(places={"河西"}, by_place={"hx.txt"})
    assert holds_up(_ans("由区水务局牵头。", doc="hx.txt"), scope)
    assert not holds_up(_ans("由区水务局牵头。", doc="other.txt"), scope)
    side_by_side = _ans("不一致：……", "consistency", doc="other.txt")
    side_by_side.citations.append(Citation(doc_id="hx.txt", title="t", section="2", quote="q"))
    assert in_scope(side_by_side, scope)
    assert holds_up(_ans("由区水务局牵头。", doc="any.txt"), Scope())


def test_the_answer_is_of_the_kind_asked():
    experts = _ans("可联系港航领域专家：张三。", "expert", experts=[{"name": "张三"}])
    assert fits_ask("码头起火找哪位专家？", experts)
    assert not fits_ask("港航专家组要研判哪些内容？", experts)
    leader = _ans("副组长由其他局领导担任。", "command_structure",
                  quote="领导小组组长由局长担任，副组长由其他局领导担任。")
    assert not fits_ask("通信保障组副组长有哪些单位？", leader)
    assert fits_ask("领导小组副组长是谁？", leader)


def test_the_first_sentence_holds_the_value_asked():
    starter = _ans("按《港航预案》4.3，四级响应由市、县级应急指挥机构决定启动。", "response_level")
    assert fits_ask("Ⅳ级响应由谁启动？", starter)
    assert not fits_ask("县里启动了Ⅳ级响应后要向谁报告？", starter)  # asked: to whom it reports
    assert not fits_ask("启动Ⅲ级响应时办公室要做什么？", starter)  # asked: what to do
    table = _ans("按《某预案》三，较大事故（Ⅲ级）：造成3人以上10人以下死亡。", "grading")
    assert fits_ask("死了5个人算哪一级？", table)
    assert not fits_ask("较大事故要逐级上报到哪一级监管部门？", table)
    leader = _ans("领导小组组长由局长担任。", "command_structure")
    assert not fits_ask("领导小组的副组长由谁担任？", leader)
    # the source named before the value is no value: a town's plan title names no body asked for
    town = _ans("按《某镇生产安全事故专项应急预案》首部，较大事故（Ⅲ级）：造成3人以上10人以下死亡。",
                "grading")
    assert not fits_ask("较大事故要逐级上报到哪一级监管部门？", town)


def test_who_starts_a_level_does_not_answer_whether_another_body_may():
    starter = _ans("按《港航预案》4.3，四级响应由市、县级应急指挥机构决定启动。", "response_level")
    assert not fits_ask("Ⅳ级响应能不能由领导小组办公室启动？", starter)
    assert not fits_ask("Ⅳ级响应可以由办公室启动吗？", starter)
    assert fits_ask("Ⅳ级响应由谁启动？", starter)


def test_experts_do_not_answer_who_chooses_experts():
    experts = _ans("可联系交通运输领域在库专家：张三。", "expert", experts=[{"name": "张三"}])
    assert fits_ask("码头起火找哪位专家？", experts)
    assert not fits_ask("专家组由谁选专家组成？", experts)


def test_a_sentence_describing_the_situation_does_not_outdo_the_answer():
    from retrieval.passages import Section
    from retrieval.reader import rank
    from retrieval.trust import outdone

    def sec(path: str, body: str) -> Section:
        return Section(doc_id="p.txt", title="某区拥挤踩踏事件专项应急预案", path=path, headings=[],
                       body=body, score=1.0)

    risk = sec("1.5", "跨年夜演唱会散场是拥挤踩踏的高风险时段。")
    lead = sec("2.3", "大型群众性活动拥挤踩踏事件由区公安分局牵头，区文化旅游局配合。")
    other = sec("2.4", "跨年夜演唱会散场发生拥挤踩踏的，由区文化旅游局牵头。")
    q = "跨年夜演唱会散场发生踩踏，谁牵头？"
    ans = _ans("大型群众性活动拥挤踩踏事件由区公安分局牵头处置。", doc="p.txt",
               quote="大型群众性活动拥挤踩踏事件由区公安分局牵头，区文化旅游局配合。")

    def df_of(secs):
        df: dict[str, int] = {}
        for s in secs:
            for g in bigrams(s.title + s.body):
                df[g] = df.get(g, 0) + 1
        return df, len(secs)

    secs = [risk, lead]
    assert not outdone(q, ans, rank(q, secs, Scope(), df_of(secs)), Scope(), df_of(secs))
    secs = [risk, lead, other]  # a clause naming another lead for exactly this situation
    assert outdone(q, ans, rank(q, secs, Scope(), df_of(secs)), Scope(), df_of(secs))
