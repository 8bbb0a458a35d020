"""Each consistency rule on small hand-made facts (new phrasings, not the sample corpus)."""
from __future__ import annotations

from kg.checks.engine import CheckContext, check_facts
from kg.checks.facts import FactBase
from kg.checks.model import DocInfo, Fact, OrgName, Reference, SectionText


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
