"""Roles, working groups, member duties and resources from plans shaped like the ones users load:
crawled county web pages with broken lines, mixed full/half-width punctuation, tables exported
to text. The snippets are written for these tests (a fictional county), not taken from our corpus.
"""
from pathlib import Path

import pytest

from ingest.document import Block
from ingest.extract import ParsedDocument
from ingest.extract.plan_roles import (PlanRolesExtractor, logical_paragraphs, parse_role_text,
                                       split_list)
from ingest.pipeline import build_batch
from ingest.structure import parse_sections
from ingest.taxonomy import Entry, Lexicon, Taxonomy, load_taxonomy
from kg.model import DocumentMeta

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    orgs = Lexicon()
    for name, aliases in [
        ("县人民政府", ["县政府"]), ("县应急管理局", ["县应急局"]), ("县公安局", []),
        ("县卫生健康局", ["县卫健局"]), ("县住房和城乡建设局", ["县住建局"]),
        ("县交通运输局", ["县交通局"]), ("县自然资源局", []), ("县融媒体中心", []),
        ("县消防救援大队", []), ("县人民医院", []), ("县急救站", []),
        ("县地质灾害应急指挥部", []), ("县地质灾害应急指挥部办公室", []),
    ]:
        orgs.add(Entry(name=name, aliases=aliases))
    incidents = Lexicon()
    incidents.add(Entry(name="自然灾害"))
    incidents.add(Entry(name="地质灾害", parent="自然灾害", aliases=["山体滑坡", "泥石流"]))
    return Taxonomy(organizations=orgs, incident_types=incidents)


def _extract(lines: list[str | list[str]], taxonomy: Taxonomy, title: str):
    blocks = [Block(text=" | ".join(x), kind="table_row", cells=x) if isinstance(x, list)
              else Block(text=x) for x in [title, *lines]]
    sections = parse_sections(blocks, title)
    meta = DocumentMeta(doc_id="county.html", title=title, kind="plan", source_path="x",
                        version="v")
    doc = ParsedDocument(meta=meta, raw=None, sections=sections)
    return PlanRolesExtractor().extract(doc, taxonomy), blocks


TITLE = "某县地质灾害应急预案"


def _roles(out):
    held = {}
    for r in out.relationships:
        if r.type == "HELD_BY":
            held.setdefault(r.start.key, set()).add(r.end.key)
    return {n.props["role"]: (n.props["holders"], held.get(n.key, set()), n.props)
            for n in out.nodes if n.label == "Role"}


def test_roles_in_prose_with_half_width_punctuation(taxonomy):
    out, _ = _extract([
        "二、组织机构",
        "县政府成立县地质灾害应急指挥部(以下简称\"县指挥部\")。总指挥由县长担任;常务副总指挥由"
        "分管自然资源工作的副县长担任,副总指挥由县自然资源局局长、县应急局局长和县公安局"
        "分管副局长担任。",
        "指挥部办公室设在县自然资源局，由县自然资源局局长兼任办公室主任。",
        "发生山体滑坡后，由县自然资源局主要负责同志任现场指挥长；造成人员死亡的，由总指挥"
        "或者其指定的副总指挥担任。",
    ], taxonomy, TITLE)
    roles = _roles(out)
    assert roles["总指挥"][0] == ["县长"] and roles["总指挥"][1] == {"县人民政府"}
    assert roles["常务副总指挥"][0] == ["分管自然资源工作的副县长"]
    assert roles["副总指挥"][0] == ["县自然资源局局长", "县应急局局长", "县公安局分管副局长"]
    assert roles["副总指挥"][1] == {"县自然资源局", "县应急管理局", "县公安局"}
    assert roles["指挥部办公室主任"][1] == {"县自然资源局"}
    assert roles["现场指挥长"][0] == ["县自然资源局主要负责同志", "总指挥", "其指定的副总指挥"]
    assert roles["现场指挥长"][2]["conditions"][1] == "造成人员死亡的"
    defines = [r for r in out.relationships if r.type == "DEFINES"]
    assert {r.end.key for r in defines} >= {"county.html#总指挥", "county.html#现场指挥长"}


@pytest.mark.parametrize("text,expected", [
    ("由分管副县长任总指挥。", [("总指挥", "分管副县长")]),
    ("总指挥:县长", [("总指挥", "县长")]),
    ("领导小组组长由局长担任，副组长由分管副局长担任。",
     [("组长", "局长"), ("副组长", "分管副局长")]),
    ("平安办主任兼任办公室主任。", [("办公室主任", "平安办主任")]),
    # the body named before a colon; a name left out ("［姓名略］"); no condition from the
    # sentence before
    ("发生亡人事故的应报告上级。镇指挥部的组成：镇长［姓名略］同志任组长，副镇长［姓名略］任副组长。",
     [("组长", "镇长［姓名略］同志"), ("副组长", "副镇长［姓名略］")]),
    # a holder list broken by a comma after "视情由……"
    ("由规划科负责人任组长，视情由港航中心常务副主任，执法大队、航道站负责人任副组长。",
     [("组长", "规划科负责人"), ("副组长", "港航中心常务副主任、执法大队、航道站负责人")]),
])
def test_role_sentence_shapes(text, expected):
    assert [(r, h) for r, h, _, _ in parse_role_text(text)] == expected


def test_holder_lists_keep_conjunctions_inside_a_position():
    assert split_list("分管农业和水务的副镇长、派出所所长和消防站站长") == [
        "分管农业和水务的副镇长", "派出所所长", "消防站站长"]


def test_role_table(taxonomy):
    out, _ = _extract([
        "2 指挥体系",
        ["职务", "担任人员"],
        ["总指挥", "县长"],
        ["副总指挥", "县应急局局长、县住建局局长"],
    ], taxonomy, TITLE)
    roles = _roles(out)
    assert roles["副总指挥"][1] == {"县应急管理局", "县住房和城乡建设局"}


def test_working_groups_in_three_shapes(taxonomy):
    out, _ = _extract([
        "三、现场工作组",
        "(一)抢险救援组。由县消防救援大队牵头，县住建局、县交通局参加，负责搜救被困人员。",
        "（二）医疗救护组：县卫健局牵头，县人民医院、县急救站参加。",
        "现场指挥部下设治安警戒组（县公安局牵头）和宣传报道组（县融媒体中心牵头）。",
        "转移安置组由县应急局牵头，各乡镇参加。",
    ], taxonomy, TITLE)
    roles = _roles(out)
    assert roles["抢险救援组"][1] == {"县消防救援大队"}
    assert roles["抢险救援组"][2]["members"] == ["县住房和城乡建设局", "县交通运输局"]
    assert roles["抢险救援组"][2]["duty"] == "负责搜救被困人员"
    assert roles["医疗救护组"][2]["members"] == ["县人民医院", "县急救站"]
    assert roles["治安警戒组"][1] == {"县公安局"}
    assert roles["宣传报道组"][1] == {"县融媒体中心"}
    assert roles["转移安置组"][1] == {"县应急管理局"}
    assert all(n.props["kind"] == "工作组" for n in out.nodes
               if n.label == "Role" and n.props["role"].endswith("组"))


def test_member_duties_from_broken_lines_tables_and_headless_prose(taxonomy):
    out, blocks = _extract([
        "四、成员单位职责",
        "1.县自然资源局：负责地质灾害隐患点的调查、监测和预警，组织专家",
        "开展险情研判和应急调查。",
        "2.县住建局、县交通局：分别负责房屋和公路边坡的排查。",
        "五、附件",
        ["责任单位", "工作职责"],
        ["县卫健局", "负责伤员救治和卫生防疫。"],
        ["县融媒体中心", "负责信息发布。"],
        ["单位", "值班电话"],
        ["县应急局", "0000-1234"],
        "六、其他",
        "县公安局：负责灾区治安维护和交通管制。",
        "县应急局：牵头组织救灾物资调拨。",
    ], taxonomy, TITLE)
    duties = {(n.props["org"], n.props["text"]) for n in out.nodes if n.label == "Responsibility"}
    assert ("县自然资源局", "负责地质灾害隐患点的调查、监测和预警，组织专家开展险情研判和应急调查。") \
        in duties
    assert ("县住房和城乡建设局", "分别负责房屋和公路边坡的排查。") in duties
    assert ("县交通运输局", "分别负责房屋和公路边坡的排查。") in duties
    assert ("县卫生健康局", "负责伤员救治和卫生防疫。") in duties
    assert ("县公安局", "负责灾区治安维护和交通管制。") in duties
    assert not any(org == "县应急管理局" for org, _ in duties)  # phone table, lead sentence
    text = "\n".join(b.text for b in blocks)
    for r in out.relationships:
        assert r.provenance.quote in text  # verbatim, line breaks kept where the source had them
    about = {(r.start.key, r.end.key) for r in out.relationships if r.type == "ABOUT"}
    assert about and {e for _, e in about} == {"地质灾害"}
    keys = [n.key for n in out.nodes if n.label == "Responsibility"]
    assert len(keys) == len(set(keys)) and all(n.props["doc_id"] == "county.html" for n in out.nodes
                                               if n.label == "Responsibility")


def test_resources_and_expert_group(taxonomy):
    out, _ = _extract([
        "一、组织机构",
        "县政府成立县地质灾害应急指挥部（以下简称“县指挥部”），统一指挥全县地质灾害应对。",
        "七、保障措施",
        "（一）县住建局组建地质灾害抢险队（30人），驻城南路12号。",
        "（二）县级救灾物资储备库（城北大道66号）储备帐篷、折叠床和发电机。",
        "（三）需要转移群众的，就近启用县体育馆、城东公园等应急避难场所。",
        "（四）县指挥部办公室建立地质灾害专家组，由地质、岩土、水文等领域专家组成。",
    ], taxonomy, TITLE)
    res = {n.key: n.props for n in out.nodes if n.label == "Resource"}
    assert res["县住建局地质灾害抢险队"]["capacity"] == "30人"
    assert res["县住建局地质灾害抢险队"]["location"] == "城南路12号"
    assert res["县级救灾物资储备库"]["location"] == "城北大道66号"
    assert res["县体育馆"]["kind"] == res["城东公园"]["kind"] == "避难场所"
    manages = {(r.start.key, r.end.key) for r in out.relationships if r.type == "MANAGES"}
    assert ("县住房和城乡建设局", "县住建局地质灾害抢险队") in manages
    assert {r.end.key for r in out.relationships if r.type == "FOR"} == {"地质灾害"}
    experts = [n for n in out.nodes if n.label == "Role" and n.props["kind"] == "专家组"]
    assert experts[0].props["role"] == "地质灾害专家组"
    assert experts[0].props["fields"] == ["地质", "岩土", "水文"]
    held = {r.end.key for r in out.relationships if r.type == "HELD_BY"
            and r.start.key == experts[0].key}
    assert held == {"县地质灾害应急指挥部办公室"}  # "县指挥部" read through the plan's abbreviation


def test_quotes_keep_the_item_number_the_source_line_starts_with(taxonomy):
    """A quote is the source line as written ("3．县急救站：……"); the stored duty text and the
    role holders drop the number."""
    out, _ = _extract([
        "三、组织体系",
        "（二）成员单位职责",
        "3．县急救站：接到群体伤病员呼救后立即调派救护车，并向县卫健局报告伤员人数。",
        "（4）县融媒体中心：负责滚动播发避险提示。",
        "2.总指挥：分管副县长。",
    ], taxonomy, TITLE)
    duties = {n.props["org"]: n for n in out.nodes if n.label == "Responsibility"}
    assert duties["县急救站"].props["text"].startswith("接到群体伤病员呼救后")
    quotes = {r.start.key: r.provenance.quote for r in out.relationships if r.type == "HAS_DUTY"}
    assert quotes["县急救站"] == "3．县急救站：接到群体伤病员呼救后立即调派救护车，并向县卫健局报告伤员人数。"
    assert quotes["县融媒体中心"] == "（4）县融媒体中心：负责滚动播发避险提示。"
    role_quotes = {r.provenance.quote for r in out.relationships if r.type == "DEFINES"}
    assert role_quotes == {"2.总指挥：分管副县长。"}
    assert _roles(out)["总指挥"][0] == ["分管副县长"]


def test_duties_given_inside_a_paragraph(taxonomy):
    """"……第一责任人。村委会负责：……" in a duty section: the sentence is the duty and its quote;
    outside a duty section, or when the sentence opens the paragraph otherwise, nothing."""
    out, _ = _extract([
        "二、组织体系",
        "（三）村级职责",
        "村党支部书记为本村防灾第一责任人。村委会负责：组织巡查山体裂缝；接到预警后逐户通知转移。"
        "每个自然村确定1名信息员。",
        "三、预防预警",
        "气象站为信息来源。县急救站负责：备好救护车。",
    ], taxonomy, TITLE)
    duties = {n.props["org"]: n.props["text"] for n in out.nodes if n.label == "Responsibility"}
    assert duties == {"村委会": "组织巡查山体裂缝；接到预警后逐户通知转移。"}
    quotes = {r.provenance.quote for r in out.relationships if r.type == "HAS_DUTY"}
    assert quotes == {"村委会负责：组织巡查山体裂缝；接到预警后逐户通知转移。"}


def test_logical_paragraphs_do_not_swallow_the_next_label():
    paras = logical_paragraphs([Block(text="副总指挥：县应急局局长、县公安局分管副局长"),
                                Block(text="成员单位：县应急局、县公安局。")])
    assert len(paras) == 2


def test_reingesting_a_corpus_plan_gives_identical_facts():
    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    path = CORPUS / "plans" / "water_supply_drainage_plan.txt"  # lines broken mid-sentence
    first, _ = build_batch(path, taxonomy)
    second, _ = build_batch(path, taxonomy)
    assert [(n.label, n.key) for n in first.nodes] == [(n.label, n.key) for n in second.nodes]
    assert first.counts() == second.counts()
    assert first.counts().get("HAS_DUTY", 0) >= 10 and first.counts().get("HELD_BY", 0) >= 5
    keys = [(n.label, n.key) for n in first.nodes]
    assert len(keys) == len(set(keys))


def test_groups_under_their_own_headings_keep_their_leaders_apart(taxonomy):
    """A department plan that gives each group a heading and its leader on the next line: each
    组长 belongs to the group above it, not one 组长 holding every group's leader."""
    out, _ = _extract([
        "2.1.3 应急工作组",
        "领导小组下设综合协调组、现场处置组和后勤保障组等工作组，负责应急各项工作的具体实施。",
        "（1）综合协调组",
        "由局办公室负责人任组长，规划科、执法大队相关负责人任副组长，局机关相关人员担任成员。",
        "主要职责：收集、汇总应急工作情况。",
        "（2）现场处置组",
        "由安全监督科负责人任组长，相关单位人员担任成员。",
        "（3）后勤保障组",
        "由机关服务中心负责人任组长。",
    ], taxonomy, "某县交通运输局突发事件应急预案")
    roles = {n.props["title"]: n.props for n in out.nodes if n.label == "Role"}
    assert roles["综合协调组组长"]["holders"] == ["局办公室负责人"]
    assert roles["综合协调组副组长"]["holders"] == ["规划科", "执法大队相关负责人"]
    assert roles["现场处置组组长"]["holders"] == ["安全监督科负责人"]
    assert roles["后勤保障组组长"]["holders"] == ["机关服务中心负责人"]
    assert "组长" not in roles
    assert {"综合协调组", "现场处置组", "后勤保障组"} <= set(roles)  # not "后勤保障组组"


def test_group_leads_no_table_knows_are_kept_as_written(taxonomy):
    out, _ = _extract([
        "二、组织机构",
        "安全保卫组：由派出所、社区、平台公司负责，对事故现场进行警戒。",
    ], taxonomy, "某镇生产安全事故专项应急预案")
    roles = _roles(out)
    assert roles["安全保卫组"][0] == ["派出所", "社区", "平台公司"]


def test_duties_and_members_under_a_group_or_bodys_heading(taxonomy):
    out, _ = _extract([
        "2.1.2 领导小组办公室",
        "领导小组办公室设在规划科。办公室主任由局安全总监兼任。",
        "主要职责：",
        "（1）收集、分析突发事件信息，并向领导小组报告；",
        "（2）参与事件调查，侧重分析技术层面原因。",
        "2.1.3 应急工作组",
        "（1）综合协调组",
        "由局办公室负责人任组长，局办公室、规划科相关人员担任成员。",
        "主要职责：综合协调抢险救援力量；承办领导小组交办的其他工作。",
    ], taxonomy, "某县交通运输局突发事件应急预案")
    roles = {n.props["title"]: n.props for n in out.nodes if n.label == "Role"}
    office = roles["领导小组办公室"]["duty"].split("；")
    assert office == ["收集、分析突发事件信息，并向领导小组报告", "参与事件调查，侧重分析技术层面原因"]
    assert roles["综合协调组"]["duty"] == "综合协调抢险救援力量；承办领导小组交办的其他工作"
    assert roles["综合协调组"]["members"] == ["局办公室", "规划科"]
    assert roles["综合协调组组长"]["holders"] == ["局办公室负责人"]


def test_a_bodys_posts_after_its_colon_keep_the_body_and_drop_left_out_names(taxonomy):
    out, _ = _extract([
        "一、组织机构",
        "镇应急指挥部的组成：党委副书记、镇长［姓名略］同志任组长，副镇长［姓名略］任副组长。",
    ], taxonomy, "某镇生产安全事故专项应急预案")
    roles = {n.props["title"]: n.props for n in out.nodes if n.label == "Role"}
    assert roles["镇应急指挥部组长"]["holders"] == ["党委副书记", "镇长"]
    assert roles["镇应急指挥部组长"]["conditions"] == ["", ""]
    assert roles["镇应急指挥部副组长"]["holders"] == ["副镇长"]
