"""kg/browse.py over a real ArcadeDB server: the plan library with counts, one plan's sections
and facts with provenance, an entity's neighbourhood bounded and balanced across types, and
redaction of every quote and section text leaving the module."""
from __future__ import annotations

import pytest

from kg import browse
from kg.model import DocumentMeta, GraphBatch, Node
from tests.kg.conformance import plan_batch, rel, uid


@pytest.fixture(scope="module")
def sample(graph_store):
    n = {"d1": uid("plan"), "d2": uid("roster"), "org": uid("区水务局"), "inc": uid("城市内涝"),
         "sup": uid("区公安分局")}
    b = plan_batch(n["d1"], leads=n["org"], supports=[n["sup"]], incident=n["inc"],
                   title="《示例县防汛专项应急预案》")
    b.nodes[0].props.update(level="专项", issuer="示例县人民政府", issued_date="2024-05")
    # Many duties of the same unit: the neighbourhood must still show LEADS.
    for i in range(30):
        key = f"{n['d1']}#3.{i}#{n['org']}"
        b.nodes.append(Node(label="Responsibility", key=key,
                            props={"name": key, "text": f"负责第{i}项排水工作，确保管网畅通。"}))
        b.relationships.append(rel("HAS_DUTY", ("Organization", n["org"]),
                                   ("Responsibility", key), n["d1"], f"3.{i}",
                                   f"{n['org']}：负责第{i}项排水工作，确保管网畅通。"))
    graph_store.write_document(b)
    row = "1　SW-01　李海洋　排水　在库　139-5555-0001"
    sec = f"{n['d2']}#名册"
    graph_store.write_document(GraphBatch(
        document=DocumentMeta(doc_id=n["d2"], title="专家名册", kind="expert_roster",
                              source_path="x.xlsx", version="v1"),
        nodes=[Node(label="Section", key=sec, props={"path": "名册", "heading": "名册", "text": row,
                                                    "ord": 1, "doc_id": n["d2"]}),
               Node(label="Expert", key=n["d2"] + "SW-01", props={"name": "李海洋", "title": "教授",
                                                                 "phones": ["13955550001"]}),
               Node(label="Field", key=uid("排水"), props={"name": "排水"})],
        relationships=[rel("HAS_SECTION", ("Document", n["d2"]), ("Section", sec), n["d2"], "名册", row)]))
    yield n
    graph_store.delete_document(n["d1"])
    graph_store.delete_document(n["d2"])


def _mask(text: str) -> str:
    return text.replace("139-5555-0001", "139****0001")


def test_list_documents_with_counts(graph_store, sample) -> None:
    plans = {d.doc_id: d for d in browse.list_documents(graph_store)}
    d = plans[sample["d1"]]
    assert (d.title, d.level, d.issuer, d.issued_date, d.sections) == (
        "《示例县防汛专项应急预案》", "专项", "示例县人民政府", "2024-05", 1)
    assert d.facts_by_type == {"COVERS": 1, "HAS_DUTY": 30, "LEADS": 1, "SUPPORTS": 1}
    assert d.facts == 33
    assert sample["d2"] not in plans
    everything = {d.doc_id for d in browse.list_documents(graph_store, kind=None)}
    assert {sample["d1"], sample["d2"]} <= everything


def test_document_detail_sections_and_facts(graph_store, sample) -> None:
    d = browse.document_detail(graph_store, sample["d1"])
    assert d is not None and d.kind == "plan"
    assert [s.path for s in d.section_list] == ["2.1"]
    lead = next(f for f in d.fact_list if f.relation == "LEADS")
    assert (lead.subject, lead.object, lead.section) == (sample["org"], sample["inc"], "2.1")
    assert lead.quote.startswith(sample["inc"])
    assert all(f.relation != "HAS_SECTION" for f in d.fact_list)
    assert browse.document_detail(graph_store, uid("none")) is None


def test_document_detail_redacts(graph_store, sample) -> None:
    raw = browse.document_detail(graph_store, sample["d2"])
    masked = browse.document_detail(graph_store, sample["d2"], redact=_mask)
    assert "139-5555-0001" in raw.section_list[0].text
    assert "139-5555-0001" not in masked.section_list[0].text
    assert "139****0001" in masked.section_list[0].text


def test_neighbourhood_is_bounded_and_balanced(graph_store, sample) -> None:
    n = browse.neighbourhood(graph_store, sample["org"], limit=5)
    assert len(n.edges) == 5 and n.truncated and n.total_edges == 31
    assert {"LEADS", "HAS_DUTY"} <= {e.relation for e in n.edges}
    centre = next(x for x in n.nodes if x.centre)
    assert centre.id == sample["org"] and centre.label == "Organization"
    ids = {x.id for x in n.nodes}
    assert all(e.source in ids and e.target in ids for e in n.edges)
    lead = next(e for e in n.edges if e.relation == "LEADS")
    assert (lead.source, lead.target, lead.doc_id, lead.section) == (
        sample["org"], sample["inc"], sample["d1"], "2.1")
    duty = next(x for x in n.nodes if x.label == "Responsibility")
    assert duty.name.startswith("负责第")  # a duty shows its text, not its key
    assert browse.neighbourhood(graph_store, sample["org"], limit=10_000).edges.__len__() == 31


def test_neighbourhood_by_title_alias_and_incoming(graph_store, sample) -> None:
    by_title = browse.neighbourhood(graph_store, "《示例县防汛专项应急预案》")
    assert [x.label for x in by_title.nodes if x.centre] == ["Plan"]
    inc = browse.neighbourhood(graph_store, sample["inc"])
    assert {(e.source, e.relation) for e in inc.edges} >= {
        (sample["org"], "LEADS"), (sample["sup"], "SUPPORTS"), (sample["d1"], "COVERS")}
    lonely = browse.neighbourhood(graph_store, "李海洋")
    assert [(x.name, x.label) for x in lonely.nodes] == [("李海洋", "Expert")]
    assert lonely.edges == []
    assert browse.neighbourhood(graph_store, uid("无")).nodes == []
