"""Each consistency rule on small hand-made facts (new phrasings, not the sample corpus)."""
from __future__ import annotations


from kg.checks.engine import CheckContext, check_facts
from kg.checks.facts import FactBase
import json

from kg.checks.model import DocInfo, Fact, OrgName, Reference, SectionText, TableRow


def doc(doc_id: str, title: str, kind: str = "plan", level: str = "专项") -> DocInfo:
    return DocInfo(doc_id=doc_id, title=title, kind=kind, level=level, path=f"/x/{doc_id}")


def fact(type_: str, start: tuple[str, str], end: tuple[str, str], doc_id: str, section: str,
         quote: str, start_props: dict | None = None, end_props: dict | None = None,
         **props) -> Fact:
    return Fact(type=type_, start_label=start[0], start=start[1],
                start_props={"key": start[1], **(start_props or {})}, end_label=end[0],
                end=end[1], end_props={"key": end[1], **(end_props or {})},
                props={"doc_id": doc_id, "section": section, "quote": quote, **props})


def run(base: FactBase, rule: str, reference: Reference | None = None, focus: str | None = None):
    ctx = CheckContext(facts=base, reference=reference or Reference(), focus=focus)
    return check_facts(ctx, rules=[rule]).findings


ORGS = [OrgName(name="县自然资源局", aliases=["县资规局"], former_names=["县国土局", "县国土资源局"]),
        OrgName(name="县林业站", aliases=[], former_names=[])]


def test_outdated_name_found_in_text_grouped_per_document_and_name() -> None:
    base = FactBase(
        docs={"a": doc("a", "某县山洪灾害专项应急预案"), "g": doc("g", "某县总体应急预案", level="总体"),
              "r": doc("r", "某县条例", kind="regulation")},
        sections=[
            SectionText(doc_id="a", path="2.1", text="山体滑坡由县国土资源局牵头。\n县国土资源局负责监测。"),
            SectionText(doc_id="a", path="5", text="原县国土局的档案移交县资规局。"),
            SectionText(doc_id="g", path="三", text="地质灾害由县自然资源局牵头，县林业站配合。"),
            SectionText(doc_id="r", path="第二条", text="县国土局依法履职。")])
    refs = Reference(organizations=ORGS)
    [f] = run(base, "outdated_name", refs)
    assert f.subject == "县国土资源局" and f.severity == "warning"
    assert [(c.doc_id, c.section, c.role) for c in f.clauses] == [
        ("a", "2.1", "旧称"), ("a", "2.1", "旧称"), ("a", "5", "现行名称"), ("g", "三", "现行名称")]
    assert f.clauses[0].quote == "山体滑坡由县国土资源局牵头。"
    assert "县自然资源局" in f.explanation and "共 2 处" in f.explanation
    assert run(base, "outdated_name") == []  # no alias table: the rule has nothing to compare


def test_dangling_reference_only_for_own_jurisdiction_and_not_repealed() -> None:
    def ref(doc_id, title, relation="refers", section="1.2"):
        return fact("REFERS_TO", ("Document", doc_id), ("Document", f"title:{title}"), doc_id,
                    section, f"按照《{title}》执行。", title=title, relation=relation)

    base = FactBase(
        docs={"a": doc("a", "某县防汛专项应急预案"), "b": doc("b", "某县总体应急预案", level="总体"),
              "c": doc("c", "某县地震应急预案")},
        facts=[ref("a", "某县地震应急预案"), ref("a", "某省防汛应急预案"),
               ref("a", "某县山洪灾害应急预案"), ref("b", "某县山洪灾害应急预案", section="附件"),
               ref("b", "某县旧防汛预案", relation="repeals")])
    [f] = run(base, "dangling_plan_reference")
    assert f.subject == "某县山洪灾害应急预案" and f.severity == "error"
    assert [(c.doc_id, c.section) for c in f.clauses] == [("b", "附件"), ("a", "1.2")]
    assert run(base, "dangling_plan_reference", focus="c") == []


def lead(org, inc, doc_id, section, quote, cats=("事故灾难",), **props):
    return fact("LEADS", ("Organization", org), ("IncidentType", inc), doc_id, section, quote,
                end_props={"categories": list(cats)}, **props)


def support(org, inc, doc_id, section, quote, cats=("事故灾难",)):
    return fact("SUPPORTS", ("Organization", org), ("IncidentType", inc), doc_id, section, quote,
                end_props={"categories": list(cats)})


def statement(doc_id, section, inc, leads, supports, quote):
    return ([lead(o, inc, doc_id, section, quote) for o in leads] +
            [support(o, inc, doc_id, section, quote) for o in supports])


def test_lead_conflict_reports_the_plan_departing_from_the_higher_plan() -> None:
    q_total = "森林火灾：县林业局牵头，县消防救援大队、县公安局配合。"
    q_special = "发生森林火灾的，由县消防救援大队会同县林业局牵头扑救。"  # co-lead: no conflict
    q_town = "辖区林区起火的，由镇政府牵头处置，县林业局、县消防救援大队配合。"
    q_refer = "景区林火按照《某县森林火灾专项应急预案》由县文旅局牵头。"  # hands over: not compared
    q_each = "林区、景区火灾分别由县林业局、县文旅局牵头。"  # 分别: each its own part
    base = FactBase(
        docs={"t": doc("t", "某县总体应急预案", level="总体"), "s": doc("s", "某县森林火灾专项应急预案"),
              "z": doc("z", "某县青山镇应急预案", level="街镇"), "r": doc("r", "某县景区应急预案"),
              "e": doc("e", "某县林区应急预案")},
        facts=(statement("t", "三", "森林火灾", ["县林业局"], ["县消防救援大队", "县公安局"], q_total)
               + statement("s", "2.1", "森林火灾", ["县消防救援大队", "县林业局"], [], q_special)
               + statement("z", "三/（一）", "森林火灾", ["青山镇"], ["县林业局", "县消防救援大队"], q_town)
               + statement("r", "2", "森林火灾", ["县文旅局"], [], q_refer)
               + statement("e", "2", "森林火灾", ["县林业局", "县文旅局"], [], q_each)))
    [f] = run(base, "lead_conflict")
    assert f.subject == "森林火灾" and f.severity == "error"
    assert [(c.doc_id, c.role) for c in f.clauses] == [("z", "本预案"), ("t", "对照预案")]
    assert f.clauses[0].quote == q_town and "青山镇" in f.explanation and "县林业局" in f.explanation
    assert run(base, "lead_conflict", focus="s") == []


def test_lead_conflict_on_a_swapped_lead_between_two_special_plans() -> None:
    qa = "| 地铁站 | 县公安局 | 县交通局 |"
    qb = "地铁站内踩踏的：县交通局牵头，县公安局配合。"
    qc = "地铁站客流踩踏由县公安局牵头。"
    base = FactBase(
        docs={"a": doc("a", "某县踩踏专项应急预案"), "b": doc("b", "某县地下空间专项应急预案"),
              "c": doc("c", "某县城关街道应急预案", level="街镇")},
        facts=(statement("a", "2.3", "地铁踩踏", ["县公安局"], ["县交通局"], qa)
               + statement("b", "二", "地铁踩踏", ["县交通局"], ["县公安局"], qb)
               + statement("c", "三", "地铁踩踏", ["县公安局"], [], qc)))
    [f] = run(base, "lead_conflict")
    assert f.clauses[0].doc_id == "b" and {c.doc_id for c in f.clauses[1:]} == {"a", "c"}


def defines(doc_id, label, key, section, quote, node: dict, **props):
    return fact("DEFINES", ("Document", doc_id), (label, key), doc_id, section, quote,
                end_props=node, **props)


def test_grading_conflict_on_thresholds_and_response_criteria() -> None:
    base = FactBase(
        docs={"t": doc("t", "某县总体应急预案", level="总体"), "s": doc("s", "某县燃气专项应急预案")},
        facts=[
            defines("t", "SeverityLevel", "t#较大", "四", "较大　3人以上10人以下",
                    {"level": "较大", "rank": 3, "incident_types": ["事故灾难"]},
                    deaths_min=3, deaths_max=10, loss_min=1000, loss_max=5000),
            defines("s", "SeverityLevel", "s#较大", "3.3", "造成2人以上10人以下死亡的，为较大事故",
                    {"level": "较大", "rank": 3, "incident_types": ["燃气事故"]},
                    deaths_min=2, deaths_max=10),
            defines("t", "ResponseLevel", "t#三", "七", "三级　发生造成2人死亡或者5人以上重伤的一般突发事件",
                    {"level": "三级", "rank": 3, "label": "三级", "starters": ["副县长"]},
                    condition="发生造成2人死亡或者5人以上重伤的一般突发事件"),
            defines("t", "ResponseLevel", "t#四", "七", "四级　发生一般突发事件",
                    {"level": "四级", "rank": 4, "label": "四级", "starters": ["局长"]},
                    condition="发生一般突发事件"),
            defines("s", "ResponseLevel", "s#三", "6.1", "Ⅲ级：发生造成人员死亡的一般事故",
                    {"level": "三级", "rank": 3, "label": "Ⅲ级响应", "starters": ["总指挥"]},
                    condition="发生造成人员死亡的一般事故"),
            defines("s", "ResponseLevel", "s#四", "6.1", "Ⅳ级：发生一般事故且未造成人员死亡的",
                    {"level": "四级", "rank": 4, "label": "Ⅳ级响应", "starters": ["主任"]},
                    condition="发生一般事故且未造成人员死亡的"),
            fact("COVERS", ("Document", "s"), ("IncidentType", "燃气事故"), "s", "1", "适用于燃气事故。",
                 end_props={"categories": ["事故灾难"]})])
    [f] = run(base, "grading_conflict")
    assert f.clauses[0].doc_id == "s" and "t" in {c.doc_id for c in f.clauses}
    assert "死亡2人以上10人以下（对照：3人以上10人以下）" in f.explanation
    assert "死亡1人的一般事件：本预案为Ⅲ级响应，对照预案为四级" in f.explanation
    assert run(base, "response_level_gap") == []  # both plans cover every 一般 case


def test_response_level_gap_unnamed_ender_and_uncovered_figures() -> None:
    base = FactBase(
        docs={"z": doc("z", "某县青山镇应急预案", level="街镇")},
        facts=[
            defines("z", "ResponseLevel", "z#三", "四/1", "三级：未造成人员伤亡、需转移群众30人以下的，由办公室主任决定启动。",
                    {"level": "三级", "rank": 3, "label": "三级响应", "starters": ["办公室主任"],
                     "ender": "办公室主任", "ender_quote": "由决定启动的负责人宣布终止。",
                     "ender_section": "四/3"},
                    condition="发生未造成人员伤亡、需转移群众30人以下的突发事件"),
            defines("z", "ResponseLevel", "z#二", "四/2", "二级：造成1人以上死亡或者需转移群众100人以上的，由镇长决定启动。",
                    {"level": "二级", "rank": 2, "label": "二级响应", "starters": ["镇长"]},
                    condition="发生造成1人以上死亡，或者需转移群众100人以上的突发事件")])
    found = run(base, "response_level_gap")
    assert {f.title for f in found} == {"《某县青山镇应急预案》：二级响应未写明由谁决定终止",
                                        "《某县青山镇应急预案》的响应条件有空档"}
    gap = next(f for f in found if "空档" in f.title)
    assert "重伤或受伤1人以上" in gap.explanation and "疏散转移30人以上100人以下" in gap.explanation


def test_superseded_version_and_missing_article() -> None:
    sup = fact("SUPERSEDES", ("Document", "law2021"), ("Document", "某法@2014-08-31"), "cat.csv",
               "第5行", "某某安全法,2014-08-31,已修订", older_title="中华人民共和国某某安全法",
               older_version_date="2014-08-31", older_status="已修订",
               newer_title="中华人民共和国某某安全法", newer_version_date="2021-06-10")
    arts = [fact("HAS_ARTICLE", ("Document", "reg"), ("Article", f"reg#{n}"), "reg", f"第一章/{n}",
                 f"{n}　条文。", end_props={"label": n, "number": i})
            for i, n in enumerate(["第一条", "第二条", "第三条"], 1)]
    cite = fact("BASED_ON", ("Responsibility", "l#1"), ("Article", "某县物资办法#第十二条"), "l",
                "责任清单", "物资结算　《某县物资办法》第十二条", title="某县物资办法", article="第十二条")
    ok = fact("CITES", ("Document", "p"), ("Article", "某县物资办法#第二条"), "p", "6",
              "依照《某县物资办法》第二条。", title="某县物资办法", article="第二条")
    base = FactBase(
        docs={"p": doc("p", "某县防汛专项应急预案"), "l": doc("l", "某县应急局责任清单", kind="duty_list"),
              "reg": doc("reg", "某县物资办法", kind="regulation"), "cat.csv": doc("cat.csv", "法规目录", kind="other")},
        facts=[sup, *arts, cite, ok],
        sections=[SectionText(doc_id="p", path="1.2", text="依据《某某安全法》（2014年修正）和《某某安全法》制定。"),
                  SectionText(doc_id="l", path="责任清单", text="检查　《中华人民共和国某某安全法》第十条")])
    [s] = run(base, "superseded_regulation")
    assert s.clauses[0].doc_id == "p" and s.clauses[-1].doc_id == "cat.csv"
    assert "2021年修正" in s.explanation and "2021年6月10日" in s.explanation
    [a] = run(base, "nonexistent_article")
    assert a.subject == "某县物资办法第十二条" and "共 3 条" in a.explanation
    assert a.clauses[-1].quote == "第三条　条文。"


def test_orphan_incident_type_and_hazard_without_expert() -> None:
    rows = [TableRow(table="tax/incident_types.csv", line=2, raw="事故灾难,,", name="事故灾难"),
            TableRow(table="tax/incident_types.csv", line=3, raw="踩踏事件,事故灾难,", name="踩踏事件",
                     parent="事故灾难"),
            TableRow(table="tax/incident_types.csv", line=4, raw="商场踩踏,踩踏事件,", name="商场踩踏",
                     parent="踩踏事件"),
            TableRow(table="tax/incident_types.csv", line=5, raw="氢能站事故,事故灾难,加氢站爆炸",
                     name="氢能站事故", parent="事故灾难")]
    hazards = [TableRow(table="tax/hazards.csv", line=2, raw="加氢站,,氢能站事故", name="加氢站",
                        incident_types=["氢能站事故"]),
               TableRow(table="tax/hazards.csv", line=3, raw="商场,,踩踏事件", name="商场",
                        incident_types=["踩踏事件"])]
    fields = [TableRow(table="tax/fields.csv", line=2, raw="公共安全,,踩踏事件,", name="公共安全",
                       incident_types=["踩踏事件"])]
    base = FactBase(docs={"p": doc("p", "某县踩踏专项应急预案")},
                    facts=[fact("COVERS", ("Document", "p"), ("IncidentType", "踩踏事件"), "p", "1", "适用于踩踏事件。")])
    refs = Reference(incident_types=rows, hazards=hazards, fields=fields)
    [o] = run(base, "orphan_incident_type", refs)
    assert o.subject == "氢能站事故" and o.clauses[0].quote == "氢能站事故,事故灾难,加氢站爆炸"
    [h] = run(base, "hazard_without_expert", refs)
    assert h.subject == "加氢站" and h.clauses[0].section == "第2行"


def test_duty_gaps_through_incident_types_without_embeddings() -> None:
    inc = {"categories": ["自然灾害"], "aliases": ["地震"]}
    base = FactBase(
        docs={"t": doc("t", "某县总体应急预案", level="总体"), "l": doc("l", "某县应急局责任清单", kind="duty_list"),
              "m": doc("m", "某县文广局责任清单", kind="duty_list")},
        facts=[lead("县应急局", "地震灾害", "t", "三", "地震灾害由县应急局牵头。", cats=("自然灾害",)),
               lead("县应急局", "森林火灾", "t", "三", "森林火灾由县应急局牵头。", cats=("自然灾害",)),
               lead("县外事办", "涉外事件", "t", "四", "涉外事件：县外事办牵头。", cats=("社会安全事件",)),
               fact("HAS_DUTY", ("Organization", "县应急局"), ("Responsibility", "l#1"), "l", "责任清单",
                    "1　森林防火　牵头组织森林火灾扑救。", end_props={"name": "森林防火",
                    "content": "牵头组织森林火灾扑救。", "list_kind": "责任清单"}),
               fact("HAS_DUTY", ("Organization", "县文广局"), ("Responsibility", "m#1"), "m", "责任清单",
                    "1　境外游客事件　牵头处置境外旅游团涉外事件。", end_props={"name": "境外游客事件",
                    "content": "牵头处置境外旅游团涉外事件。", "list_kind": "责任清单"}),
               fact("ABOUT", ("Responsibility", "x"), ("IncidentType", "地震灾害"), "t", "三", "地震。",
                    end_props=inc)],
    )
    [m] = run(base, "duty_missing_in_list")
    assert m.subject == "县应急局：地震灾害" and m.similarity is None
    assert [c.doc_id for c in m.clauses] == ["t"]
    [w] = run(base, "list_duty_without_plan")
    assert w.subject == "县文广局：涉外事件" and "县外事办" in w.explanation
    assert [c.doc_id for c in w.clauses] == ["m", "t"]


def test_draft_batch_replaces_the_stored_version_of_the_same_document() -> None:
    from kg.checks.facts import batch_facts
    from kg.model import DocumentMeta, GraphBatch, Node, NodeRef, Provenance, Relationship

    quote = "森林火灾由县公安局牵头处置。"
    batch = GraphBatch(
        document=DocumentMeta(doc_id="s", title="某县森林火灾专项应急预案（修订稿）", kind="plan",
                              source_path="/tmp/s.txt", version="v2"),
        nodes=[Node(label="Document", key="s", props={"level": "专项"}, extra_labels=["Plan"]),
               Node(label="Section", key="s#2", props={"path": "2", "text": quote, "ord": 1}),
               Node(label="IncidentType", key="森林火灾", props={"categories": ["自然灾害"]})],
        relationships=[Relationship(type="LEADS", start=NodeRef(label="Organization", key="县公安局"),
                                    end=NodeRef(label="IncidentType", key="森林火灾"),
                                    provenance=Provenance(doc_id="s", section_id="s#2", section="2",
                                                          quote=quote))])
    stored = FactBase(docs={"s": doc("s", "旧稿"), "t": doc("t", "某县总体应急预案", level="总体")},
                      facts=[lead("县林业局", "森林火灾", "s", "2", "森林火灾由县林业局牵头。"),
                             lead("县林业局", "森林火灾", "t", "三", "森林火灾：县林业局牵头。")])
    merged = stored.with_draft(batch_facts(batch))
    assert merged.docs["s"].title.endswith("（修订稿）") and merged.docs["s"].level == "专项"
    assert [(f.start, f.doc_id) for f in merged.of_type("LEADS")] == [("县林业局", "t"), ("县公安局", "s")]
    assert merged.sections[0].text == quote
    [f] = run(merged, "lead_conflict", focus="s")
    assert f.clauses[0].quote == quote and f.clauses[1].doc_id == "t"


def test_report_renderers_show_every_clause(tmp_path) -> None:
    from kg.checks.model import CheckReport, Clause, Finding, RuleInfo
    from ui.check_report import render_report, to_xlsx

    f = Finding(rule="lead_conflict", severity="error", title="甲乙不一致", explanation="说明。",
                clauses=[Clause(doc_id="a", title="甲预案", section="2.1", quote="由A|牵头。", role="本预案"),
                         Clause(doc_id="b", title="乙预案", section="三", quote="由B牵头。", role="对照预案")],
                similarity=0.5)
    report = CheckReport(scope="全库", findings=[f], documents=2,
                         rules=[RuleInfo(name="lead_conflict", title="牵头单位冲突", severity="error",
                                         description="")])
    table = render_report(report, "table")
    assert "《甲预案》 2.1（本预案）：由A|牵头。" in table and "《乙预案》 三（对照预案）：由B牵头。" in table
    assert "共 1 条：错误 1" in table
    md = render_report(report, "md")
    assert "| 本预案 | 甲预案 | 2.1 | 由A\\|牵头。 |" in md and "语义相似度：0.50" in md
    data = json.loads(render_report(report, "json"))
    assert data["findings"][0]["clauses"][1]["quote"] == "由B牵头。"
    from openpyxl import load_workbook

    ws = load_workbook(to_xlsx(report, tmp_path / "r.xlsx"))["一致性检查"]
    assert [c.value for c in ws[3]][-1] == "由B牵头。" and ws.max_row == 3


def test_lead_units_with_remits_in_brackets_are_not_a_conflict() -> None:
    q_total = "城市内涝：县水务局牵头，县住建局、县交通局配合。"
    q_scoped = "城市内涝：县交通局（道路）、县住建局（房屋安全）分片牵头，县水务局配合。"
    base = FactBase(
        docs={"t": doc("t", "某县总体应急预案", level="总体"), "f": doc("f", "某县防汛专项应急预案")},
        facts=(statement("t", "三", "城市内涝", ["县水务局"], ["县住建局", "县交通局"], q_total)
               + [lead("县交通局", "城市内涝", "f", "2", q_scoped, scope="道路"),
                  lead("县住建局", "城市内涝", "f", "2", q_scoped, scope="房屋安全"),
                  support("县水务局", "城市内涝", "f", "2", q_scoped)]))
    assert run(base, "lead_conflict") == []


def test_a_plan_repealing_the_old_version_does_not_cite_it() -> None:
    sup = fact("SUPERSEDES", ("Document", "new"), ("Document", "old"), "cat.csv", "第9行",
               "某县防汛预案管理暂行办法,2018-01-01,已废止", older_title="某县防汛预案管理暂行办法",
               older_version_date="2018-01-01", older_status="已废止",
               newer_title="某县防汛预案管理规定", newer_version_date="2024-01-01")
    base = FactBase(
        docs={"p": doc("p", "某县防汛专项应急预案"), "cat.csv": doc("cat.csv", "法规目录", kind="other")},
        facts=[sup],
        sections=[SectionText(doc_id="p", path="9", text="本预案自印发之日起施行，2018年印发的《某县防汛预案管理暂行办法》同时废止。"),
                  SectionText(doc_id="p", path="1.2", text="依据《某县防汛预案管理暂行办法》制定。")])
    [f] = run(base, "superseded_regulation")
    assert [(c.doc_id, c.section) for c in f.clauses] == [("p", "1.2"), ("cat.csv", "第9行")]
    assert "某县防汛预案管理规定" in f.explanation


def test_orphans_quote_the_whole_catch_all_rule_and_the_field_list() -> None:
    """The catch-all is quoted up to its 。 (who decides when unclear is the useful half); a hazard
    without expert field also cites the sentence that sets up the fields."""
    rows = [TableRow(table="t/incident_types.csv", line=2, raw="事故灾难,,", name="事故灾难"),
            TableRow(table="t/incident_types.csv", line=3, raw="光伏电站事故,事故灾难,光伏板起火",
                     name="光伏电站事故", parent="事故灾难")]
    hazards = [TableRow(table="t/hazards.csv", line=4, raw="光伏电站,,光伏电站事故", name="光伏电站",
                        incident_types=["光伏电站事故"])]
    fields = [TableRow(table="t/fields.csv", line=i + 2, raw=n, name=n)
              for i, n in enumerate(["水利", "燃气", "地震", "医疗", "气象"])]
    general = ("其他未列明的突发事件，由主管部门牵头；主管部门不明确的，报县应急委确定。\n"
               "各部门按职责分工做好保障。")
    base = FactBase(
        docs={"g": doc("g", "某县突发事件总体应急预案", level="总体"),
              "m": doc("m", "某县专家管理细则", kind="regulation"),
              "p": doc("p", "某县防汛专项应急预案")},
        sections=[SectionText(doc_id="g", path="3.4", text=general),
                  SectionText(doc_id="p", path="5", text="需要时邀请水利、气象专家会商。"),
                  SectionText(doc_id="m", path="第六条",
                              text="第六条　专家分为水利、燃气、地震、医疗和气象五类。专家实行聘任制。")])
    refs = Reference(incident_types=rows, hazards=hazards, fields=fields)
    [o] = run(base, "orphan_incident_type", refs)
    assert o.clauses[-1].quote == "其他未列明的突发事件，由主管部门牵头；主管部门不明确的，报县应急委确定。"
    [h] = run(base, "hazard_without_expert", refs)
    assert h.clauses[-1].doc_id == "m" and h.clauses[-1].quote.startswith("第六条　专家分为水利")
    assert "《某县专家管理细则》" in h.explanation
    few = Reference(incident_types=rows, hazards=hazards, fields=fields[:2])
    [h2] = run(base, "hazard_without_expert", few)
    assert len(h2.clauses) == 1  # two names are no list of fields
