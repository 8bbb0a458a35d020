"""Lead/support statements: "；"-continued clauses, units followed by what they do, units in
brackets, a street plan calling itself 街道, a cited plan naming the incident. New wordings."""
import pytest

from ingest.extract.plan import parse_unit_sentence, statement_units
from ingest.taxonomy import Entry, Lexicon, Taxonomy


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    orgs = Lexicon()
    for name, aliases in [
        ("区应急管理局", ["区应急局"]), ("区建设和管理委员会", ["区建管委"]),
        ("区消防救援局", []), ("区公安分局", []), ("区水务局", []), ("区生态环境局", []),
        ("区卫生健康委员会", ["区卫生健康委", "区卫健委"]), ("区民政局", []),
        ("区市场监督管理局", ["区市场监管局"]), ("江北街道", ["江北街道办事处"]),
        ("区房屋管理局", ["区房管局"]), ("各街道（镇）", ["事发地街道（镇）"]),
    ]:
        orgs.add(Entry(name=name, aliases=aliases))
    incidents = Lexicon()
    for name, parent, aliases in [
        ("事故灾难", None, []),
        ("危险化学品事故", "事故灾难", ["危化品事故"]),
        ("桥梁垮塌事故", "事故灾难", ["桥梁垮塌"]),
        ("道路交通事故", "事故灾难", ["交通事故"]),
        ("突发环境事件", "事故灾难", ["河道污染"]),
        ("大面积停水事件", "事故灾难", ["停水"]),
        ("防汛防台", None, ["台风", "暴雨"]),
    ]:
        incidents.add(Entry(name=name, aliases=aliases, parent=parent))
    return Taxonomy(organizations=orgs, incident_types=incidents)


def _units(text, taxonomy, **kw):
    out = []
    for unit in statement_units(text, taxonomy):
        st = parse_unit_sentence(unit, taxonomy, **kw)
        if st:
            out.append((st.incident, st.lead, st.support))
    return out


def test_units_after_a_semicolon_belong_to_the_statement(taxonomy):
    text = ("桥梁垮塌事故由区建管委牵头，区公安分局配合；区卫健委、区民政局按照职责做好伤员救治和"
            "群众安置。")
    assert _units(text, taxonomy) == [
        ("桥梁垮塌事故", ["区建设和管理委员会"], ["区公安分局", "区卫生健康委员会", "区民政局"])]
    assert statement_units(text, taxonomy) == [text]


def test_a_semicolon_part_about_another_incident_stands_alone(taxonomy):
    text = "危化品事故由区应急局牵头，区消防救援局配合；交通事故中区公安分局负责现场管控。"
    assert len(statement_units(text, taxonomy)) == 2
    assert _units(text, taxonomy) == [("危险化学品事故", ["区应急管理局"], ["区消防救援局"])]


def test_a_numbered_item_after_a_semicolon_stands_alone(taxonomy):
    text = "危化品事故由区应急局牵头，区消防救援局配合；（2）区水务局负责排水设施巡查。"
    assert len(statement_units(text, taxonomy)) == 2


def test_unit_followed_by_what_it_does(taxonomy):
    sentence = ("停水超过12小时的大面积停水事件，由区水务局牵头，区卫健委提供饮用水卫生监测，"
                "区房管局、事发地街道（镇）依照各自职责配合。")
    st = parse_unit_sentence(sentence, taxonomy)
    assert st.incident == "大面积停水事件"
    assert st.lead == ["区水务局"]
    assert st.support == ["区卫生健康委员会", "区房屋管理局", "各街道（镇）"]


@pytest.mark.parametrize("sentence,support", [
    # Units spelled out in brackets after a description of them.
    ("危化品事故由区应急局牵头，相关行业主管部门（区市场监管局、区生态环境局）配合处置。",
     ["区市场监督管理局", "区生态环境局"]),
    # A remit in brackets stays with its unit.
    ("危化品事故由区应急局牵头，区生态环境局（环境监测）、区公安分局配合。",
     ["区生态环境局", "区公安分局"]),
    # 等部门 and a one-character verb after the last unit.
    ("交通事故由区公安分局牵头处置，区建管委、区卫健委等部门按职责配合。",
     ["区建设和管理委员会", "区卫生健康委员会"]),
])
def test_support_lists(sentence, support, taxonomy):
    assert parse_unit_sentence(sentence, taxonomy).support == support


def test_street_plan_calling_itself_jiedao(taxonomy):
    sentence = "河道污染由区生态环境局牵头，区水务局配合，街道负责组织沿河巡查和群众劝离。"
    own = parse_unit_sentence(sentence, taxonomy, self_org="江北街道")
    assert own.support == ["区水务局", "江北街道"]
    dept = parse_unit_sentence(sentence, taxonomy, self_org="区房屋管理局")
    assert dept.support == ["区水务局"]


def test_cited_plan_names_the_incident(taxonomy):
    sentence = "出厂水受到污染的，依照《某区突发环境事件专项应急预案》由区生态环境局牵头处置。"
    st = parse_unit_sentence(sentence, taxonomy, context_incident=("停水", "大面积停水事件"))
    assert st.incident == "突发环境事件"
    assert st.lead == ["区生态环境局"]


def test_table_row_of_places_read_in_the_plan_type(taxonomy):
    from ingest.document import Block
    from ingest.extract.plan import _table_statements
    from ingest.taxonomy import Entry

    tax = Taxonomy(organizations=taxonomy.organizations, incident_types=Lexicon())
    for e in taxonomy.incident_types.entries.values():
        tax.incident_types.add(e)
    tax.incident_types.add(Entry(name="溺水事件", parent="事故灾难", aliases=["溺水"]))
    tax.incident_types.add(Entry(name="水库溺水事件", parent="溺水事件", aliases=["水库溺水"]))
    tax.incident_types.add(Entry(name="游泳场所溺水事件", parent="溺水事件",
                                 aliases=["游泳池溺水", "游泳馆溺水"]))
    rows = [Block(kind="table_row", text="", cells=c) for c in (
        ["场所", "牵头单位", "配合单位"],
        ["游泳池、室内游泳馆", "区应急局", "区公安分局"],
        ["水库、山塘", "区水务局", "事发地街道（镇）"],
        ["危化品泄漏", "区应急局", "区消防救援局"],
    )]
    got = [(st.incident, st.lead) for st in
           _table_statements(rows, tax, context=("溺水", "溺水事件"))]
    assert got == [("游泳场所溺水事件", ["区应急管理局"]), ("水库溺水事件", ["区水务局"]),
                   ("危险化学品事故", ["区应急管理局"])]


def test_units_leading_each_by_their_own_remit(taxonomy):
    sentence = "区应急局、区卫健委按照各自职责分别牵头处置危化品事故，区公安分局配合。"
    st = parse_unit_sentence(sentence, taxonomy)
    assert st.lead == ["区应急管理局", "区卫生健康委员会"]
    assert st.support == ["区公安分局"]


def test_half_width_marks_and_a_bracketed_remit(taxonomy):
    sentence = "(4)暴雨:区水务局(防汛)牵头,区建管委(道路排水)、区民政局配合;"
    st = parse_unit_sentence(sentence, taxonomy)
    assert (st.incident, st.lead, st.support) == (
        "防汛防台", ["区水务局"], ["区建设和管理委员会", "区民政局"])


def test_units_sent_to_the_scene_take_part(taxonomy):
    sentence = ("交通事故由区公安分局牵头，区卫健委配合，区应急局负责通知区消防救援局和区民政局"
                "立即赶赴现场。")
    st = parse_unit_sentence(sentence, taxonomy)
    assert st.support == ["区卫生健康委员会", "区应急管理局", "区消防救援局", "区民政局"]
    # Units only named as the object of other work are not.
    other = "交通事故由区公安分局牵头，区应急局负责督促区民政局落实救助资金。"
    assert parse_unit_sentence(other, taxonomy).support == ["区应急管理局"]
