"""Lead/support units from the many ways real plans phrase them."""
import pytest

from ingest.document import Block
from ingest.extract import ParsedDocument
from ingest.extract.plan import PlanExtractor, parse_unit_sentence, plan_level
from ingest.structure import parse_sections
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from kg.model import DocumentMeta


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    orgs = Lexicon()
    for name, aliases, former in [
        ("区应急管理局", ["区应急局"], ["区安监局"]),
        ("区建设和管理委员会", ["区建管委"], []),
        ("区消防救援局", [], ["区消防救援支队"]),
        ("区公安分局", [], []), ("区水务局", [], []), ("区生态环境局", [], []),
        ("区卫生健康委员会", ["区卫生健康委", "区卫健委"], []),
    ]:
        orgs.add(Entry(name=name, aliases=aliases, former_names=former))
    incidents = Lexicon()
    for name, parent, aliases in [
        ("事故灾难", None, []),
        ("危险化学品事故", "事故灾难", ["危化品事故"]),
        ("城镇燃气事故", "事故灾难", ["燃气管道泄漏事故", "燃气泄漏"]),
        ("防汛防台", "自然灾害", ["台风", "暴雨"]),
        ("道路交通事故", "事故灾难", []),
    ]:
        incidents.add(Entry(name=name, aliases=aliases, parent=parent))
    return Taxonomy(organizations=orgs, incident_types=incidents)


@pytest.mark.parametrize("sentence,incident,lead,support", [
    ("（3）燃气管道泄漏事故：区建管委牵头，区公安分局、区消防救援局配合。",
     "城镇燃气事故", ["区建设和管理委员会"], ["区公安分局", "区消防救援局"]),
    ("(3)燃气管道泄漏事故:区建管委牵头,区公安分局、区消防救援支队配合。",
     "城镇燃气事故", ["区建设和管理委员会"], ["区公安分局", "区消防救援局"]),
    ("危险化学品事故由区应急管理局会同区公安分局、区消防救援支队牵头处置。",
     "危险化学品事故", ["区应急管理局", "区公安分局", "区消防救援局"], []),
    ("危化品事故由区安监局牵头处置，区生态环境局、区卫健委等单位配合。",
     "危险化学品事故", ["区应急管理局"], ["区生态环境局", "区卫生健康委员会"]),
    ("区水务局负责牵头组织防汛防台抢险工作，区民防办、各街道（镇）配合。",
     "防汛防台", ["区水务局"], ["区民防办", "各街道（镇）"]),
    ("道路交通事故的应急处置由区公安分局牵头负责，区建管委参与。",
     "道路交通事故", ["区公安分局"], ["区建设和管理委员会"]),
    ("危险化学品道路运输事故，由区应急管理局会同区公安分局牵头处置，区建管委配合。",
     "危险化学品事故", ["区应急管理局", "区公安分局"], ["区建设和管理委员会"]),
    ("牵头单位：区应急管理局；配合单位：区公安分局、区卫生健康委。",
     None, ["区应急管理局"], ["区公安分局", "区卫生健康委员会"]),
])
def test_unit_sentences(taxonomy, sentence, incident, lead, support):
    context = ("危险化学品事故", "危险化学品事故")
    st = parse_unit_sentence(sentence, taxonomy, context)
    assert st is not None
    assert st.incident == (incident or "危险化学品事故")
    assert st.lead == lead
    assert st.support == support
    assert st.quote == sentence


@pytest.mark.parametrize("sentence", [
    "区应急管理局负责综合协调。",
    "各成员单位按照职责做好应急处置工作。",
    "抢险救援组：区消防救援支队牵头，事故单位专职救援队伍参加。",  # a working group, not an incident
])
def test_sentences_without_a_lead_assign_nothing(taxonomy, sentence):
    assert parse_unit_sentence(sentence, taxonomy) is None


def test_extractor_cites_verbatim_sentences_and_uses_headings(taxonomy):
    lines = ["示例区危险化学品事故专项应急预案", "一、组织体系", "（一）危险化学品泄漏处置",
             "由区应急管理局牵头，区消防救援局配合。",
             "（二）燃气泄漏", "燃气泄漏事故：区建管委牵头，区公安分局配合。"]
    blocks = [Block(text=t) for t in lines]
    sections = parse_sections(blocks, lines[0])
    meta = DocumentMeta(doc_id="d.txt", title=lines[0], kind="plan", source_path="d.txt", version="x")
    out = PlanExtractor().extract(ParsedDocument(meta=meta, raw=None, sections=sections), taxonomy)
    leads = {(r.start.key, r.end.key, r.provenance.section) for r in out.relationships if r.type == "LEADS"}
    assert leads == {("区应急管理局", "危险化学品事故", "一/（一）"),
                     ("区建设和管理委员会", "城镇燃气事故", "一/（二）")}
    text = "\n".join(lines)
    assert all(r.provenance.quote in text for r in out.relationships)
    covers = {r.end.key for r in out.relationships if r.type == "COVERS"}
    assert covers == {"危险化学品事故", "城镇燃气事故"}


@pytest.mark.parametrize("title,level", [
    ("示例区突发事件总体应急预案", "总体"), ("示例区城镇燃气事故专项应急预案", "专项"),
    ("示例区新华街道突发事件应急预案", "街镇"), ("示例区应急管理局生产安全事故部门应急预案", "部门"),
])
def test_plan_level(title, level):
    assert plan_level(title) == level


def test_classifier_prefers_regulation_titles_over_plan_words():
    from ingest.classify import classify
    from ingest.document import RawDocument

    for title, kind in [("示例区突发事件应急预案管理办法", "regulation"),
                        ("示例区应急管理专家库管理办法", "regulation"),
                        ("示例区应急专家库名册", "expert_roster"),
                        ("示例区应急管理局责任清单", "duty_list"),
                        ("示例区城镇燃气事故专项应急预案", "plan")]:
        assert classify(RawDocument(path="x", format="txt", title=title), [])[0] == kind, title
