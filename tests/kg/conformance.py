"""GraphStore conformance suite, written once and run against every available backend
(the pattern of haystack's testing/document_store.py).

A backend's test module subclasses `GraphStoreConformance` and provides a class-scoped (or
wider) `store` fixture.
The store may be shared with other tests (and, for Neo4j, hold other data), so every test
uses its own doc ids and names and compares counts before and after, never absolute counts.
"""
from __future__ import annotations

import functools
import threading
import uuid
from typing import Any

import pytest
from neo4j.exceptions import Neo4jError

from kg.model import DocumentMeta, GraphBatch, Node, NodeRef, Provenance, Relationship
from kg.queries import QUERIES
from kg.store import GraphStore


def uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def prov(doc_id: str, section: str = "2.1", quote: str = "区应急管理局牵头处置。") -> Provenance:
    return Provenance(doc_id=doc_id, section_id=f"{doc_id}#{section}", section=section,
                      quote=quote)


def rel(type_: str, start: tuple[str, str], end: tuple[str, str], doc_id: str,
        section: str = "2.1", quote: str = "区应急管理局牵头处置。", **props: Any) -> Relationship:
    return Relationship(type=type_, start=NodeRef(label=start[0], key=start[1]),
                        end=NodeRef(label=end[0], key=end[1]),
                        provenance=prov(doc_id, section, quote), props=props)


def plan_batch(doc_id: str, *, leads: str, supports: list[str] = (), incident: str,
               title: str | None = None, version: str = "v1", quote: str | None = None,
               refers_to: str | None = None) -> GraphBatch:
    """A small plan: one section, a lead unit and supporting units for one incident type."""
    quote = quote or f"{incident}由{leads}牵头处置。"
    sec = f"{doc_id}#2.1"
    nodes = [
        Node(label="Document", key=doc_id, props={"issuer": "区政府"}, extra_labels=["Plan"]),
        Node(label="Section", key=sec, props={"path": "2.1", "heading": "组织指挥", "text": quote,
                                              "ord": 1, "doc_id": doc_id}),
        Node(label="Organization", key=leads, props={"name": leads, "aliases": [leads[:3]]}),
        Node(label="IncidentType", key=incident, props={"name": incident}),
        *(Node(label="Organization", key=s, props={"name": s}) for s in supports),
    ]
    rels = [
        rel("HAS_SECTION", ("Document", doc_id), ("Section", sec), doc_id, quote=quote),
        rel("COVERS", ("Document", doc_id), ("IncidentType", incident), doc_id, quote=quote),
        rel("LEADS", ("Organization", leads), ("IncidentType", incident), doc_id, quote=quote,
            scope="全区"),
        *(rel("SUPPORTS", ("Organization", s), ("IncidentType", incident), doc_id, quote=quote)
          for s in supports),
    ]
    if refers_to:
        rels.append(rel("REFERS_TO", ("Document", doc_id), ("Document", refers_to), doc_id,
                        quote=quote))
    meta = DocumentMeta(doc_id=doc_id, title=title or f"《{doc_id}专项应急预案》", kind="plan",
                        source_path=f"corpus/{doc_id}.txt", version=version,
                        kind_reason="标题含“应急预案”")
    return GraphBatch(document=meta, nodes=nodes, relationships=rels)


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    keys = set(after) | set(before)
    return {k: after.get(k, 0) - before.get(k, 0) for k in keys
            if after.get(k, 0) != before.get(k, 0)}


def doc_ids(store: GraphStore) -> set[str]:
    return {r["doc_id"] for r in store.query("documents")}


class WriteReadTests:
    def test_implements_the_protocol(self, store: GraphStore) -> None:
        assert isinstance(store, GraphStore)

    def test_write_and_read_back(self, store: GraphStore) -> None:
        d, org, inc = uid("doc"), uid("区应急管理局"), uid("燃气泄漏")
        before = store.counts()
        result = store.write_document(plan_batch(d, leads=org, supports=[uid("区消防救援支队")],
                                                 incident=inc))
        assert (result.doc_id, result.replaced) == (d, False)
        assert result.nodes == 5 and result.relationships == 4
        assert delta(store.counts(), before) == {
            "Document": 1, "Plan": 1, "Section": 1, "Organization": 2, "IncidentType": 1,
            "HAS_SECTION": 1, "COVERS": 1, "LEADS": 1, "SUPPORTS": 1}
        row = next(r for r in store.query("documents") if r["doc_id"] == d)
        assert row == {"doc_id": d, "title": f"《{d}专项应急预案》", "kind": "plan",
                       "version": "v1", "source_path": f"corpus/{d}.txt"}
        assert store.document_version(d) == "v1"
        assert store.document_version(uid("missing")) is None

    def test_every_fact_carries_provenance(self, store: GraphStore) -> None:
        d, org, inc = uid("doc"), uid("区应急管理局"), uid("燃气泄漏")
        store.write_document(plan_batch(d, leads=org, incident=inc, quote="原文句子。"))
        facts = store.query("document_facts", doc_id=d)
        assert {(f["subject"], f["relation"], f["object"]) for f in facts} == {
            (d, "HAS_SECTION", f"{d}#2.1"), (d, "COVERS", inc), (org, "LEADS", inc)}
        for f in facts:
            assert (f["doc_id"], f["section_id"], f["section"], f["quote"]) == (
                d, f"{d}#2.1", "2.1", "原文句子。")

    def test_write_is_idempotent(self, store: GraphStore) -> None:
        d = uid("doc")
        batch = plan_batch(d, leads=uid("org"), supports=[uid("org")], incident=uid("inc"))
        store.write_document(batch)
        once = store.counts()
        again = store.write_document(batch)
        assert again.replaced is True
        assert store.counts() == once


class ReplaceTests:
    def test_reingest_replaces_exactly_one_document(self, store: GraphStore) -> None:
        a, b = uid("docA"), uid("docB")
        shared, old_org, new_org, inc = uid("共享单位"), uid("旧单位"), uid("新单位"), uid("事件")
        store.write_document(plan_batch(a, leads=old_org, supports=[shared], incident=inc))
        store.write_document(plan_batch(b, leads=shared, incident=inc))
        b_facts = store.query("document_facts", doc_id=b)
        before = store.counts()

        store.write_document(plan_batch(a, leads=new_org, incident=inc, version="v2"))

        # A's old lead unit and its SUPPORTS fact are gone, the new lead is there.
        assert delta(store.counts(), before) == {"SUPPORTS": -1}
        units = store.query("units_for_incidents", incidents=[inc])
        assert {(u["org"], u["relation"], u["doc_id"]) for u in units} == {
            (new_org, "LEADS", a), (shared, "LEADS", b)}
        names = {r["name"] for r in store.query("organization_names")}
        assert new_org in names and shared in names and old_org not in names
        assert store.document_version(a) == "v2"
        # B is untouched.
        assert store.query("document_facts", doc_id=b) == b_facts


class DeleteTests:
    def test_delete_restores_counts(self, store: GraphStore) -> None:
        d = uid("doc")
        before = nonzero(store.counts())
        store.write_document(plan_batch(d, leads=uid("org"), supports=[uid("org")],
                                        incident=uid("inc")))
        assert store.delete_document(d) is True
        assert nonzero(store.counts()) == before
        assert d not in doc_ids(store)
        assert store.document_version(d) is None
        assert store.query("document_facts", doc_id=d) == []
        assert store.delete_document(d) is False

    def test_shared_nodes_survive_while_used(self, store: GraphStore) -> None:
        a, b, org, inc = uid("docA"), uid("docB"), uid("区卫健委"), uid("传染病疫情")
        before = nonzero(store.counts())
        store.write_document(plan_batch(a, leads=org, incident=inc))
        store.write_document(plan_batch(b, leads=org, incident=inc))
        store.delete_document(a)
        assert org in {r["name"] for r in store.query("organization_names")}
        assert inc in {r["name"] for r in store.query("incident_type_names")}
        units = store.query("units_for_incidents", incidents=[inc])
        assert [(u["org"], u["doc_id"]) for u in units] == [(org, b)]
        store.delete_document(b)
        assert org not in {r["name"] for r in store.query("organization_names")}
        assert nonzero(store.counts()) == before


class CrossDocumentTests:
    def test_reference_to_a_document_not_yet_ingested(self, store: GraphStore) -> None:
        general, special = uid("总体预案"), uid("专项预案")
        before = nonzero(store.counts())
        store.write_document(plan_batch(special, leads=uid("org"), incident=uid("inc"),
                                        refers_to=general))
        assert general not in doc_ids(store)  # only a stub
        assert store.document_version(general) is None

        stub = delta(store.counts(), before)
        assert stub["Document"] == 2 and stub["Plan"] == 1  # the stub has no kind label yet

        store.write_document(plan_batch(general, leads=uid("org"), incident=uid("inc")))
        assert delta(store.counts(), before)["Plan"] == 2  # the stub was claimed, relabelled
        store.write_document(plan_batch(general, leads=uid("org"), incident=uid("inc"),
                                        version="v2"))
        assert general in doc_ids(store)
        assert delta(store.counts(), before)["Document"] == 2
        refs = [f for f in store.query("document_facts", doc_id=special)
                if f["relation"] == "REFERS_TO"]
        assert [(f["subject"], f["object"]) for f in refs] == [(special, general)]

        # Reclassified while another document points at it: labels follow the kind.
        regulation = plan_batch(general, leads=uid("org"), incident=uid("inc"), version="v3")
        regulation.document.kind = "regulation"
        regulation.nodes[0].extra_labels = ["Regulation"]
        store.write_document(regulation)
        now = delta(store.counts(), before)
        assert (now["Plan"], now["Regulation"]) == (1, 1)

        store.delete_document(general)  # the other plan still refers to it: back to a stub
        assert general not in doc_ids(store)
        assert len([f for f in store.query("document_facts", doc_id=special)
                    if f["relation"] == "REFERS_TO"]) == 1
        store.delete_document(special)
        assert nonzero(store.counts()) == before


class RollbackTests:
    @pytest.mark.parametrize("bad_value", [{"nested": "map"}, object()],
                             ids=["server-rejects", "driver-rejects"])
    def test_failing_batch_leaves_graph_as_it_was(self, store: GraphStore,
                                                  bad_value: object) -> None:
        d, org, inc = uid("doc"), uid("org"), uid("inc")
        store.write_document(plan_batch(d, leads=org, incident=inc))
        before, facts = store.counts(), store.query("document_facts", doc_id=d)

        bad = plan_batch(d, leads=uid("org"), incident=inc, version="v2")
        bad.relationships[-1].props["detail"] = bad_value  # fails after the old facts went
        with pytest.raises((Neo4jError, TypeError, ValueError)):
            store.write_document(bad)

        assert store.counts() == before
        assert store.query("document_facts", doc_id=d) == facts
        assert store.document_version(d) == "v1"

        new = uid("doc")
        bad_new = plan_batch(new, leads=uid("org"), incident=uid("inc"))
        bad_new.relationships[-1].props["detail"] = bad_value
        with pytest.raises((Neo4jError, TypeError, ValueError)):
            store.write_document(bad_new)
        assert store.counts() == before
        assert store.document_version(new) is None

    def test_provenance_from_another_document_is_refused(self, store: GraphStore) -> None:
        d = uid("doc")
        batch = plan_batch(d, leads=uid("org"), incident=uid("inc"))
        batch.relationships[0].provenance.doc_id = uid("other")
        with pytest.raises(ValueError, match="provenance"):
            store.write_document(batch)
        assert store.document_version(d) is None


class InjectionTests:
    NASTY = ("区应急管理局'}) MATCH (n) DETACH DELETE n //", '引号"与\\反斜杠\\\'', "`反引号`",
             "$param {x} \n 换行\t制表", "危险化学品事故（第十二条）")

    def test_text_is_data_not_cypher(self, store: GraphStore) -> None:
        before = nonzero(store.counts())
        d = uid("doc") + "'\"\\"
        org, inc, quote, title, _ = self.NASTY
        batch = plan_batch(d, leads=org + uid(""), incident=inc + uid(""), quote=quote,
                           title=title)
        store.write_document(batch)
        row = next(r for r in store.query("documents") if r["doc_id"] == d)
        assert row["title"] == title
        lead, incident = batch.nodes[2].key, batch.nodes[3].key
        units = store.query("units_for_incidents", incidents=[incident])
        assert [(u["org"], u["quote"], u["title"]) for u in units] == [(lead, quote, title)]
        assert store.query("units_for_incidents", incidents=[self.NASTY[0]]) == []
        store.delete_document(d)
        assert nonzero(store.counts()) == before


class QueryTests:
    COLUMNS = {
        "documents": {"doc_id", "title", "kind", "version", "source_path"},
        "sections": {"key", "doc_id", "title", "path", "heading", "text", "ord"},
        "incident_type_names": {"name", "aliases", "categories"},
        "organization_names": {"name", "aliases"},
        "units_for_incidents": {"org", "relation", "incident", "doc_id", "title", "level",
                                "section", "quote", "scope"},
        "plans_for_incidents": {"doc_id", "title", "level", "incident", "section", "quote"},
        "document_facts": {"subject", "relation", "object", "doc_id", "section_id", "section",
                           "quote"},
        "document_fact_nodes": {"key", "labels", "props"},
        "plan_references": {"doc_id", "title", "relation", "referenced_title", "target",
                            "resolved_doc_id", "kind", "section", "quote"},
        "linkable_names": {"label", "name", "aliases", "doc_id", "incidents"},
        "plan_profiles": {"doc_id", "title", "level", "incidents"},
        "severity_levels_of_plans": {"doc_id", "level", "rank", "roman", "incident_types",
                                     "section", "quote", "criteria", "deaths_min",
                                     "deaths_max", "injuries_min", "injuries_max",
                                     "evacuated_min", "evacuated_max", "loss_min", "loss_max",
                                     "other"},
        "response_levels_of_plans": {"doc_id", "level", "rank", "label", "condition", "starter",
                                     "starters", "special_starts", "ender", "ender_quote",
                                     "ender_section", "severities", "section", "quote"},
        "roles_of_plans": {"doc_id", "key", "role", "title", "kind", "body", "holders",
                           "members", "conditions", "duty", "fields", "section", "quote",
                           "orgs"},
    }

    @pytest.fixture(scope="class")
    @classmethod
    def sample(cls, store: GraphStore):
        d1, d2 = uid("doc"), uid("doc")
        names = {"lead": uid("区应急管理局"), "support": uid("区公安分局"),
                 "inc": uid("危险化学品事故"), "d1": d1, "d2": d2}
        store.write_document(plan_batch(d1, leads=names["lead"], supports=[names["support"]],
                                        incident=names["inc"]))
        store.write_document(plan_batch(d2, leads=names["support"], incident=names["inc"],
                                        title="《二号预案》"))
        # A plan referring by title to d2 and to a plan nobody ingested.
        d3 = names["d3"] = uid("doc")
        refs = plan_batch(d3, leads=uid("org"), incident=uid("inc"), refers_to="title:《二号预案》")
        refs.relationships[-1].props.update(title="《二号预案》", relation="refers")
        refs.relationships.append(rel("PART_OF", ("Document", d3), ("Document", "title:不存在的预案"),
                                      d3, title="不存在的预案"))
        store.write_document(refs)
        # A plan defining severity and response levels and command roles.
        d4 = names["d4"] = uid("doc")
        store.write_document(levels_batch(d4, names["lead"]))
        yield names
        store.delete_document(d1)
        store.delete_document(d2)
        store.delete_document(d3)
        store.delete_document(d4)

    def test_every_query_has_a_test(self) -> None:
        assert set(QUERIES) == set(self.COLUMNS)

    @pytest.mark.parametrize("name", sorted(COLUMNS))
    def test_query_runs_and_returns_its_columns(self, store: GraphStore, sample, name: str):
        params = {"units_for_incidents": {"incidents": [sample["inc"]]},
                  "plans_for_incidents": {"incidents": [sample["inc"]]},
                  "document_facts": {"doc_id": sample["d1"]},
                  "document_fact_nodes": {"doc_id": sample["d1"]},
                  "severity_levels_of_plans": {"doc_ids": [sample["d4"]]},
                  "response_levels_of_plans": {"doc_ids": [sample["d4"]]},
                  "roles_of_plans": {"doc_ids": [sample["d4"]]}}.get(name, {})
        rows = store.query(name, **params)
        assert rows, name
        assert all(set(r) == self.COLUMNS[name] for r in rows)

    def test_documents_and_sections(self, store: GraphStore, sample) -> None:
        docs = {r["doc_id"]: r for r in store.query("documents")}
        assert docs[sample["d2"]]["title"] == "《二号预案》"
        secs = [s for s in store.query("sections") if s["doc_id"] == sample["d1"]]
        assert [(s["key"], s["path"], s["heading"], s["ord"]) for s in secs] == [
            (f"{sample['d1']}#2.1", "2.1", "组织指挥", 1)]
        assert secs[0]["title"] == f"《{sample['d1']}专项应急预案》"
        assert secs[0]["text"].startswith(sample["inc"])

    def test_names(self, store: GraphStore, sample) -> None:
        orgs = {r["name"]: r["aliases"] for r in store.query("organization_names")}
        assert orgs[sample["lead"]] == [sample["lead"][:3]]
        incs = {r["name"] for r in store.query("incident_type_names")}
        assert sample["inc"] in incs

    def test_units_for_incidents(self, store: GraphStore, sample) -> None:
        rows = store.query("units_for_incidents", incidents=[sample["inc"], uid("none")])
        got = sorted((r["org"], r["relation"], r["doc_id"]) for r in rows)
        assert got == sorted([(sample["lead"], "LEADS", sample["d1"]),
                              (sample["support"], "SUPPORTS", sample["d1"]),
                              (sample["support"], "LEADS", sample["d2"])])
        lead = next(r for r in rows if r["relation"] == "LEADS" and r["doc_id"] == sample["d1"])
        assert lead["scope"] == "全区" and lead["section"] == "2.1"
        assert lead["quote"] == f"{sample['inc']}由{sample['lead']}牵头处置。"
        assert [r["doc_id"] for r in rows] == sorted(r["doc_id"] for r in rows)

    def test_plans_for_incidents(self, store: GraphStore, sample) -> None:
        rows = store.query("plans_for_incidents", incidents=[sample["inc"]])
        assert sorted((r["doc_id"], r["incident"], r["section"]) for r in rows) == sorted(
            [(sample["d1"], sample["inc"], "2.1"), (sample["d2"], sample["inc"], "2.1")])

    def test_plan_references(self, store: GraphStore, sample) -> None:
        rows = [r for r in store.query("plan_references") if r["doc_id"] == sample["d3"]]
        got = sorted((r["relation"], r["referenced_title"], r["target"], r["resolved_doc_id"])
                     for r in rows)
        assert got == [("PART_OF", "不存在的预案", "title:不存在的预案", None),
                       ("REFERS_TO", "《二号预案》", "title:《二号预案》", sample["d2"])]
        assert all(r["section"] == "2.1" and r["quote"] for r in rows)

    def test_plan_profiles(self, store: GraphStore, sample) -> None:
        rows = {r["doc_id"]: r for r in store.query("plan_profiles")}
        assert rows[sample["d1"]]["incidents"] == [sample["inc"]]
        assert rows[sample["d4"]]["title"] == "《四号专项应急预案》"

    def test_levels_and_roles_of_plans(self, store: GraphStore, sample) -> None:
        d4, other = sample["d4"], uid("none")
        sev = store.query("severity_levels_of_plans", doc_ids=[d4, other])
        assert [(r["level"], r["rank"], r["deaths_min"], r["deaths_max"], r["section"])
                for r in sev] == [("较大", 3, 3, 10, "3.3")]
        assert sev[0]["quote"] == "造成3人以上10人以下死亡的，为较大事故。"
        resp = store.query("response_levels_of_plans", doc_ids=[d4])
        assert [(r["level"], r["starter"], r["condition"], r["ender"]) for r in resp] == [
            ("二级", "区长", "发生较大事故", "区长")]
        roles = store.query("roles_of_plans", doc_ids=[d4])
        assert [(r["title"], r["kind"], r["holders"], r["orgs"]) for r in roles] == [
            ("抢险救援组", "工作组", [sample["lead"]], [sample["lead"]])]
        assert store.query("roles_of_plans", doc_ids=[other]) == []

    def test_linkable_names(self, store: GraphStore, sample) -> None:
        d, hazard, field, inc = uid("doc"), uid("燃气管道"), uid("燃气"), uid("燃气管道泄漏")
        batch = plan_batch(d, leads=uid("区建管委"), incident=inc, title="《五号专项应急预案》")
        batch.nodes += [Node(label="Hazard", key=hazard, props={"name": hazard, "aliases": ["管网"]}),
                        Node(label="Field", key=field, props={"name": field, "aliases": ["燃气工程"]})]
        batch.relationships.append(rel("INVOLVES", ("IncidentType", inc), ("Hazard", hazard), d))
        store.write_document(batch)
        try:
            rows = {(r["label"], r["name"]): r for r in store.query("linkable_names")}
            assert rows[("Hazard", hazard)]["aliases"] == ["管网"]
            assert set(rows[("Hazard", hazard)]["incidents"]) == {inc}
            assert rows[("Field", field)]["aliases"] == ["燃气工程"]
            assert rows[("Plan", "《五号专项应急预案》")]["doc_id"] == d
            assert rows[("Plan", "《二号预案》")]["doc_id"] == sample["d2"]
        finally:
            store.delete_document(d)

    def test_unknown_query_is_refused(self, store: GraphStore) -> None:
        with pytest.raises(KeyError, match="unknown query"):
            store.query("MATCH (n) DETACH DELETE n")


class SchemaAndConcurrencyTests:
    def test_ensure_schema_is_idempotent(self, store: GraphStore) -> None:
        store.ensure_schema()
        store.ensure_schema()

    def test_concurrent_writers_sharing_new_nodes(self, store: GraphStore) -> None:
        org, inc = uid("并发单位"), uid("并发事件")
        docs = [uid("doc") for _ in range(6)]
        errors: list[BaseException] = []
        start = threading.Barrier(len(docs))

        def write(d: str) -> None:
            try:
                start.wait(timeout=30)
                store.write_document(plan_batch(d, leads=org, incident=inc))
            except BaseException as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=write, args=(d,)) for d in docs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], [f"{type(e).__name__}: {e}"[:400] for e in errors]
        units = store.query("units_for_incidents", incidents=[inc])
        assert sorted(u["doc_id"] for u in units) == sorted(docs)
        for d in docs:
            store.delete_document(d)
        assert store.query("units_for_incidents", incidents=[inc]) == []


class GraphStoreConformance(WriteReadTests, ReplaceTests, DeleteTests, CrossDocumentTests,
                            RollbackTests, InjectionTests, QueryTests, SchemaAndConcurrencyTests):
    """Everything a GraphStore backend must pass. Subclasses provide the `store` fixture."""


# ---- Expert finder queries (retrieval/answers/experts.py) -------------------------------------
# Appended without touching the classes above: the columns join QueryTests.COLUMNS (so the
# guard test knows them) and one test writing its own roster, plan and regulation joins
# QueryTests (so every backend runs it).

EXPERT_COLUMNS = {
    "expert_vocabulary": {"label", "key", "name", "aliases"},
    "field_relevance": {"field", "kind", "target"},
    "incident_hazards": {"incident", "hazard"},
    "experts_in_fields": {"key", "name", "title", "organisation", "fields", "research",
                          "availability", "region", "status", "remark", "phones", "field",
                          "doc_id", "doc_title", "section", "quote"},
    "experts_by_name": {"key", "name", "title", "organisation", "fields", "research",
                        "availability", "region", "status", "remark", "phones", "field",
                        "doc_id", "doc_title", "section", "quote"},
    "expert_groups_for_incidents": {"doc_id", "title", "level", "incident", "group_name",
                                    "fields", "section", "quote"},
    "document_sections": {"key", "path", "heading", "text", "ord"},
    "articles_of_regulations_titled": {"doc_id", "title", "label", "number", "text", "ord",
                                       "section"},
}
QueryTests.COLUMNS.update(EXPERT_COLUMNS)


def _rows_with_columns(store: GraphStore, name: str, **params) -> list[dict]:
    """Rows of a named query, asserting there are some and each has the query's columns."""
    rows = store.query(name, **params)
    assert rows, name
    assert all(set(r) == QueryTests.COLUMNS[name] for r in rows), name
    return rows


def _expert_batches(names: dict[str, str]) -> list[GraphBatch]:
    roster, plan, reg = names["roster"], names["plan"], names["reg"]
    f, hz, inc, code = names["field"], names["hazard"], names["incident"], names["code"]
    row = f"1　{code}　{names['expert']}　{f}　在库　139-5555-1207"
    sec = f"{roster}#名册"
    roster_batch = GraphBatch(
        document=DocumentMeta(doc_id=roster, title=f"{roster}名册", kind="expert_roster",
                              source_path=f"corpus/{roster}.xlsx", version="v1"),
        nodes=[Node(label="Section", key=sec, props={"path": "名册", "heading": "名册",
                                                    "text": row, "ord": 1, "doc_id": roster}),
               Node(label="Expert", key=code,
                    props={"name": names["expert"], "title": "高级工程师", "organisation": "示例单位",
                           "fields": [f], "research": "泄漏处置", "availability": "7×24",
                           "region": "示例区", "status": "在库", "remark": None,
                           "phones": ["13955551207"]}),
               Node(label="Field", key=f, props={"name": f, "aliases": [f + "工程"]}),
               Node(label="Hazard", key=hz, props={"name": hz, "aliases": []}),
               Node(label="IncidentType", key=inc, props={"name": inc})],
        relationships=[
            rel("HAS_SECTION", ("Document", roster), ("Section", sec), roster, "名册", row),
            rel("EXPERT_IN", ("Expert", code), ("Field", f), roster, "名册", row),
            rel("RELEVANT_TO", ("Field", f), ("Hazard", hz), roster, "名册", row),
            rel("RELEVANT_TO", ("Field", f), ("IncidentType", inc), roster, "名册", row),
            rel("INVOLVES", ("IncidentType", inc), ("Hazard", hz), roster, "名册", row)])
    group_quote = f"区应急管理局建立专家组，由{f}等领域专家组成。"
    group = f"{plan}#专家组"
    plan_batch_ = GraphBatch(
        document=DocumentMeta(doc_id=plan, title=f"{plan}专项应急预案", kind="plan",
                              source_path=f"corpus/{plan}.txt", version="v1"),
        nodes=[Node(label="Document", key=plan, props={"level": "专项"}, extra_labels=["Plan"]),
               Node(label="IncidentType", key=inc, props={"name": inc}),
               Node(label="Role", key=group, props={"title": "专家组", "kind": "专家组",
                                                    "fields": [f]})],
        relationships=[
            rel("COVERS", ("Document", plan), ("IncidentType", inc), plan, "1.3", group_quote),
            rel("DEFINES", ("Document", plan), ("Role", group), plan, "2.6", group_quote)])
    art = f"{reg}#第三条"
    reg_batch = GraphBatch(
        document=DocumentMeta(doc_id=reg, title=names["reg_title"], kind="regulation",
                              source_path=f"corpus/{reg}.docx", version="v1"),
        nodes=[Node(label="Document", key=reg, props={}, extra_labels=["Regulation"]),
               Node(label="Article", key=art, props={"label": "第三条", "number": 3,
                                                     "text": "专家聘期为3年。", "ord": 2})],
        relationships=[rel("HAS_ARTICLE", ("Document", reg), ("Article", art), reg,
                           "第一章/第三条", "第三条　专家聘期为3年。")])
    return [roster_batch, plan_batch_, reg_batch]


def _test_expert_queries(self, store: GraphStore) -> None:
    names = {"roster": uid("roster"), "plan": uid("plan"), "reg": uid("reg"),
             "field": uid("燃气"), "hazard": uid("燃气管道"), "incident": uid("燃气事故"),
             "code": uid("AQ"), "expert": uid("王建平")}
    names["reg_title"] = f"{uid('示例区')}专家库管理办法"
    for b in _expert_batches(names):
        store.write_document(b)
    try:
        check = functools.partial(_rows_with_columns, store)

        vocab = {(r["label"], r["key"]) for r in check("expert_vocabulary")}
        assert {("Field", names["field"]), ("Hazard", names["hazard"]),
                ("Expert", names["code"])} <= vocab
        rel_rows = {(r["field"], r["kind"], r["target"]) for r in check("field_relevance")}
        assert {(names["field"], "Hazard", names["hazard"]),
                (names["field"], "IncidentType", names["incident"])} <= rel_rows
        assert (names["incident"], names["hazard"]) in {
            (r["incident"], r["hazard"]) for r in check("incident_hazards")}
        [e] = check("experts_in_fields", fields=[names["field"]])
        assert (e["key"], e["name"], e["status"], e["phones"], e["doc_id"], e["section"]) == (
            names["code"], names["expert"], "在库", ["13955551207"], names["roster"], "名册")
        assert e["quote"].startswith("1　" + names["code"])
        [b] = check("experts_by_name", names=[names["expert"]])
        assert b["field"] == names["field"] and b["doc_title"] == f"{names['roster']}名册"
        [g] = check("expert_groups_for_incidents", incidents=[names["incident"]])
        assert (g["doc_id"], g["level"], g["group_name"], g["fields"], g["section"]) == (
            names["plan"], "专项", "专家组", [names["field"]], "2.6")
        [s] = check("document_sections", doc_id=names["roster"])
        assert s["path"] == "名册" and names["expert"] in s["text"]
        [a] = check("articles_of_regulations_titled", word=names["reg_title"][-10:])
        assert (a["doc_id"], a["label"], a["number"], a["text"], a["section"]) == (
            names["reg"], "第三条", 3, "专家聘期为3年。", "第一章/第三条")
        assert store.query("experts_in_fields", fields=[uid("none")]) == []
        assert store.query("articles_of_regulations_titled", word=uid("none")) == []
    finally:
        for d in (names["roster"], names["plan"], names["reg"]):
            store.delete_document(d)


QueryTests.test_expert_queries = _test_expert_queries


def levels_batch(doc_id: str, org: str) -> GraphBatch:
    """A plan with one severity level, one response level and one working group."""
    sev_q, resp_q, role_q = ("造成3人以上10人以下死亡的，为较大事故。",
                             "二级响应：发生较大事故，由区长决定启动。", f"抢险救援组：{org}牵头。")
    plan = ("Document", doc_id)
    nodes = [
        Node(label="Document", key=doc_id, props={}, extra_labels=["Plan"]),
        Node(label="SeverityLevel", key=f"{doc_id}#较大", props={
            "name": "较大", "level": "较大", "rank": 3, "roman": "Ⅲ级", "incident_types": [],
            "deaths_min": 3, "deaths_max": 10}),
        Node(label="ResponseLevel", key=f"{doc_id}#二级", props={
            "name": "二级", "level": "二级", "rank": 2, "label": "二级响应",
            "condition": "发生较大事故", "starter": "区长", "starters": ["区长"],
            "special_starts": [], "ender": "区长", "ender_quote": resp_q, "ender_section": "6.1",
            "severities": ["较大"]}),
        Node(label="Role", key=f"{doc_id}#抢险救援组", props={
            "name": f"{doc_id}#抢险救援组", "role": "抢险救援组", "title": "抢险救援组",
            "kind": "工作组", "body": "", "holders": [org], "members": [], "conditions": [""],
            "duty": "", "fields": []}),
        Node(label="Organization", key=org, props={"name": org}),
    ]
    rels = [
        rel("DEFINES", plan, ("SeverityLevel", f"{doc_id}#较大"), doc_id, section="3.3",
            quote=sev_q, criteria="造成3人以上10人以下死亡", deaths_min=3, deaths_max=10),
        rel("DEFINES", plan, ("ResponseLevel", f"{doc_id}#二级"), doc_id, section="6.1",
            quote=resp_q, condition="发生较大事故", starter="区长"),
        rel("DEFINES", plan, ("Role", f"{doc_id}#抢险救援组"), doc_id, section="2.5",
            quote=role_q),
        rel("HELD_BY", ("Role", f"{doc_id}#抢险救援组"), ("Organization", org), doc_id,
            section="2.5", quote=role_q),
    ]
    meta = DocumentMeta(doc_id=doc_id, title="《四号专项应急预案》", kind="plan",
                        source_path=f"corpus/{doc_id}.txt", version="v1",
                        kind_reason="标题含“应急预案”")
    return GraphBatch(document=meta, nodes=nodes, relationships=rels)


# ---- Duty, resource and article queries (retrieval/answers/duties|resources|articles.py) -------

DUTY_COLUMNS = {
    "duties_of_orgs": {"org", "duty", "kind", "list_kind", "head", "item", "text", "content",
                       "about", "doc_id", "title", "level", "doc_kind", "section", "quote"},
    "duty_holders": {"org", "heads", "duties"},
    "resources": {"resource", "kind", "location", "capacity", "quantity", "speciality",
                  "relation", "other",
                  "doc_id", "title", "level", "section", "quote"},
    "articles": {"doc_id", "title", "article", "label", "number", "text", "paragraphs", "items",
                 "section", "ord", "superseded"},
    "article_citations": {"relation", "article", "regulation", "label", "doc_id", "title",
                          "doc_kind", "section", "quote"},
    "plan_bases": {"doc_id", "title", "cited", "cited_doc_id", "section", "quote"},
    "superseded_regulations": {"old", "old_key", "new", "new_doc_id"},
}
QueryTests.COLUMNS.update(DUTY_COLUMNS)


def _duty_batches(n: dict[str, str]) -> list[GraphBatch]:
    plan, reg = n["plan"], n["reg"]
    duty_q = f"{n['org']}：负责组织楼内居民疏散。"
    res_q = f"{n['org']}防汛物资储备点设在南苑路150号，储备移动泵40台。"
    cite_q = f"单位负责人应当于1小时内报告（《{n['reg_title']}》第九条）。"
    duty, res, art = f"{plan}#2.3#{n['org']}", n["res"], f"{n['reg_title']}#第九条"
    plan_b = GraphBatch(
        document=DocumentMeta(doc_id=plan, title=f"{plan}专项应急预案", kind="plan",
                              source_path=f"corpus/{plan}.txt", version="v1"),
        nodes=[Node(label="Document", key=plan, props={"level": "专项"}, extra_labels=["Plan"]),
               Node(label="Organization", key=n["org"], props={"name": n["org"]}),
               Node(label="IncidentType", key=n["inc"], props={"name": n["inc"]}),
               Node(label="Responsibility", key=duty,
                    props={"kind": "member_duty", "head": n["org"], "org": n["org"],
                           "text": "负责组织楼内居民疏散。"}),
               Node(label="Resource", key=res, props={"name": res, "kind": "物资储备点",
                                                      "location": "南苑路150号"}),
               Node(label="Article", key=art, props={"stub": True})],
        relationships=[
            rel("HAS_DUTY", ("Organization", n["org"]), ("Responsibility", duty), plan, "2.3", duty_q),
            rel("ABOUT", ("Responsibility", duty), ("IncidentType", n["inc"]), plan, "2.3", duty_q),
            rel("MANAGES", ("Organization", n["org"]), ("Resource", res), plan, "5.2", res_q),
            rel("FOR", ("Resource", res), ("IncidentType", n["inc"]), plan, "5.2", res_q),
            rel("CITES", ("Document", plan), ("Article", art), plan, "6", cite_q,
                title=n["reg_title"], article="第九条"),
            rel("CITES", ("Document", plan), ("Document", f"title:{n['reg_title']}"), plan, "6",
                cite_q, title=n["reg_title"])])
    reg_b = GraphBatch(
        document=DocumentMeta(doc_id=reg, title=n["reg_title"], kind="regulation",
                              source_path=f"corpus/{reg}.docx", version="v1"),
        nodes=[Node(label="Document", key=reg, props={}, extra_labels=["Regulation"]),
               Node(label="Article", key=f"{reg}#第二条",
                    props={"label": "第二条", "number": 2, "text": "预案每3年评估1次。",
                           "paragraphs": ["预案每3年评估1次。"], "items": [], "ord": 1}),
               Node(label="Document", key=f"{reg}@old", props={"title": n["reg_title"] + "（旧）"})],
        relationships=[
            rel("HAS_ARTICLE", ("Document", reg), ("Article", f"{reg}#第二条"), reg,
                "第一章/第二条", "第二条　预案每3年评估1次。"),
            rel("SUPERSEDES", ("Document", reg), ("Document", f"{reg}@old"), reg, "目录",
                n["reg_title"])])
    return [plan_b, reg_b]


def _test_duty_resource_article_queries(self, store: GraphStore) -> None:
    n = {"plan": uid("plan"), "reg": uid("reg"), "org": uid("区房管局"), "inc": uid("燃气泄漏"),
         "res": uid("防汛物资储备点"), "reg_title": uid("示例区预案管理办法")}
    for b in _duty_batches(n):
        store.write_document(b)
    try:
        check = functools.partial(_rows_with_columns, store)

        [d] = check("duties_of_orgs", orgs=[n["org"]])
        assert (d["text"], d["about"], d["doc_id"], d["section"], d["doc_kind"]) == (
            "负责组织楼内居民疏散。", n["inc"], n["plan"], "2.3", "plan")
        assert store.query("duties_of_orgs", orgs=[uid("none")]) == []
        assert {"org": n["org"], "heads": [n["org"]], "duties": 1} in check("duty_holders")
        res = {(r["relation"], r["other"]) for r in check("resources") if r["resource"] == n["res"]}
        assert res == {("MANAGES", n["org"]), ("FOR", n["inc"])}
        [a] = [r for r in check("articles") if r["doc_id"] == n["reg"]]
        assert (a["label"], a["paragraphs"], a["superseded"]) == ("第二条", ["预案每3年评估1次。"], False)
        [c] = [r for r in check("article_citations") if r["doc_id"] == n["plan"]]
        assert (c["regulation"], c["label"], c["section"]) == (n["reg_title"], "第九条", "6")
        bases = check("plan_bases", docs=[n["plan"]])
        assert {(b["cited"], b["section"]) for b in bases} == {(n["reg_title"], "6")}
        sup = [r for r in check("superseded_regulations") if r["new_doc_id"] == n["reg"]]
        assert [(r["old_key"], r["new"]) for r in sup] == [(f"{n['reg']}@old", n["reg_title"])]
    finally:
        for doc in (n["plan"], n["reg"]):
            store.delete_document(doc)


QueryTests.test_duty_resource_article_queries = _test_duty_resource_article_queries


# ---- Browsing queries (kg/browse.py: document library, plan detail, graph neighbourhood) ------

BROWSE_COLUMNS = {
    "document_list": {"doc_id", "title", "kind", "level", "issuer", "issued_date",
                      "effective_date", "scope", "version", "sections"},
    "document_fact_counts": {"doc_id", "relation", "n"},
    "graph_neighbourhood": {"centre", "centre_labels", "centre_name", "other", "other_labels",
                            "other_name", "other_title", "other_text", "relation", "outgoing",
                            "n_sources", "source"},
}
QueryTests.COLUMNS.update(BROWSE_COLUMNS)


def _test_browse_queries(self, store: GraphStore) -> None:
    d1, d2 = uid("plan"), uid("plan")
    org, other, inc = uid("区住建委"), uid("区公安分局"), uid("燃气管道泄漏")
    store.write_document(plan_batch(d1, leads=org, supports=[other], incident=inc,
                                    title="《甲专项应急预案》"))
    store.write_document(plan_batch(d2, leads=org, incident=inc, title="《乙专项应急预案》"))
    try:
        check = functools.partial(_rows_with_columns, store)

        listed = {r["doc_id"]: r for r in check("document_list", kind="plan", doc_id=None)}
        assert {d1, d2} <= set(listed)
        assert (listed[d1]["title"], listed[d1]["sections"]) == ("《甲专项应急预案》", 1)
        [one] = check("document_list", kind=None, doc_id=d2)
        assert one["doc_id"] == d2 and one["kind"] == "plan"
        assert store.query("document_list", kind="regulation", doc_id=d1) == []
        assert store.query("document_list", kind=None, doc_id=uid("none")) == []
        counts = {(r["relation"], r["n"]) for r in check("document_fact_counts")
                  if r["doc_id"] == d1}
        assert counts == {("COVERS", 1), ("LEADS", 1), ("SUPPORTS", 1)}  # HAS_SECTION left out
        rows = check("graph_neighbourhood", entity=org, cap=100)
        assert {r["centre"] for r in rows} == {org}
        [lead] = [r for r in rows if r["relation"] == "LEADS"]
        assert (lead["other"], lead["outgoing"], lead["n_sources"]) == (inc, True, 2)
        assert lead["source"]["doc_id"] in (d1, d2) and lead["source"]["quote"]
        by_alias = check("graph_neighbourhood", entity=org[:3], cap=100)  # plan_batch alias
        assert org in {r["centre"] for r in by_alias}
        incoming = check("graph_neighbourhood", entity=inc, cap=100)
        assert {(r["other"], r["relation"], r["outgoing"]) for r in incoming} >= {
            (org, "LEADS", False), (other, "SUPPORTS", False), (d1, "COVERS", False)}
        assert len(check("graph_neighbourhood", entity=inc, cap=2)) == 2
        assert store.query("graph_neighbourhood", entity=uid("none"), cap=10) == []
    finally:
        store.delete_document(d1)
        store.delete_document(d2)


QueryTests.test_browse_queries = _test_browse_queries


# ---- Consistency-check queries (kg/checks/facts.py) -------------------------------------------

CHECK_COLUMNS = {
    "check_documents": {"doc_id", "title", "kind", "level", "source_path"},
    "check_facts": {"type", "start_labels", "start", "start_props", "end_labels", "end",
                    "end_props", "props"},
}
QueryTests.COLUMNS.update(CHECK_COLUMNS)


def _test_check_queries(self, store: GraphStore) -> None:
    d, org, inc = uid("plan"), uid("区应急管理局"), uid("燃气事故")
    batch = plan_batch(d, leads=org, incident=inc, title="《丙专项应急预案》")
    batch.nodes[0].props["level"] = "专项"
    store.write_document(batch)
    try:
        docs = {r["doc_id"]: r for r in store.query("check_documents")}
        assert set(docs[d]) == CHECK_COLUMNS["check_documents"]
        assert (docs[d]["title"], docs[d]["kind"], docs[d]["level"]) == (
            "《丙专项应急预案》", "plan", "专项")
        rows = [r for r in store.query("check_facts", types=["LEADS", "COVERS"])
                if r["props"].get("doc_id") == d]
        assert rows and all(set(r) == CHECK_COLUMNS["check_facts"] for r in rows)
        [lead] = [r for r in rows if r["type"] == "LEADS"]
        assert "Organization" in lead["start_labels"] and lead["start"] == org
        assert lead["end"] == inc and lead["end_props"]["name"] == inc
        assert lead["props"]["section"] == "2.1" and lead["props"]["scope"] == "全区"
        assert lead["props"]["quote"] == f"{inc}由{org}牵头处置。"
        assert not [r for r in store.query("check_facts", types=["SUPPORTS"])
                    if r["props"].get("doc_id") == d]
    finally:
        store.delete_document(d)


QueryTests.test_check_queries = _test_check_queries


# ---- Unit answers (retrieval/answers/clauses.py) ----------------------------------------------

UNIT_COLUMNS = {"units_in_documents": {"org", "relation", "incident", "doc_id", "title", "level",
                                       "section", "quote", "scope"},
                "sections_by_key": {"key", "doc_id", "path", "text"},
                "plan_sections_under_headings": {"doc_id", "title", "level", "path", "heading",
                                                 "text"},
                "plan_referrals": {"doc_id", "title", "referenced_title", "target_doc_id", "kind",
                                   "section", "quote"}}
QueryTests.COLUMNS.update(UNIT_COLUMNS)


def _test_units_in_documents(self, store: GraphStore) -> None:
    d1, d2, org, inc = uid("plan"), uid("plan"), uid("区应急管理局"), uid("燃气事故")
    store.write_document(plan_batch(d1, leads=org, supports=[uid("区公安分局")], incident=inc))
    store.write_document(plan_batch(d2, leads=uid("区建管委"), incident=uid("火灾")))
    try:
        rows = store.query("units_in_documents", doc_ids=[d1, uid("none")])
        assert rows and all(set(r) == UNIT_COLUMNS["units_in_documents"] for r in rows)
        assert {r["doc_id"] for r in rows} == {d1}
        assert sorted(r["relation"] for r in rows) == ["LEADS", "SUPPORTS"]
        lead = next(r for r in rows if r["relation"] == "LEADS")
        assert (lead["org"], lead["incident"], lead["section"]) == (org, inc, "2.1")
        assert store.query("units_in_documents", doc_ids=[uid("none")]) == []
        [sec] = store.query("sections_by_key", keys=[f"{d1}#2.1", uid("none")])
        assert set(sec) == UNIT_COLUMNS["sections_by_key"]
        assert (sec["doc_id"], sec["path"], sec["text"]) == (d1, "2.1", lead["quote"])
    finally:
        store.delete_document(d1)
        store.delete_document(d2)


QueryTests.test_units_in_documents = _test_units_in_documents


# ---- Duty sentences (retrieval/answers/duties.py) ---------------------------------------------

MENTION_COLUMNS = {"sections_mentioning": {"doc_id", "title", "doc_kind", "level", "path", "text"}}
QueryTests.COLUMNS.update(MENTION_COLUMNS)


def _test_sections_mentioning(self, store: GraphStore) -> None:
    d1, org, inc = uid("plan"), uid("区卫生健康委"), uid("食品安全事件")
    store.write_document(plan_batch(d1, leads=uid("区市场监管局"), incident=inc,
                                    quote=f"{inc}：区市场监管局牵头，{org}配合，负责病人救治。"))
    try:
        rows = store.query("sections_mentioning", unit=org)
        assert rows and all(set(r) == MENTION_COLUMNS["sections_mentioning"] for r in rows)
        assert {(r["doc_id"], r["path"], r["doc_kind"]) for r in rows} == {(d1, "2.1", "plan")}
        assert org in rows[0]["text"]
        assert store.query("sections_mentioning", unit=uid("无此单位")) == []
    finally:
        store.delete_document(d1)


QueryTests.test_sections_mentioning = _test_sections_mentioning


def _test_plan_sections_under_headings(self, store: GraphStore) -> None:
    d, word = uid("plan"), uid("保障")
    text = "区应急局储备帐篷50顶。"
    batch = plan_batch(d, leads=uid("区应急局"), incident=uid("火灾"))
    batch.nodes[0].props["kind"] = "plan"
    secs = [("8", f"{word}措施", "八、保障"), ("8/8.1", "物资", text), ("9", "附则", "附则")]
    for i, (path, heading, body) in enumerate(secs, start=2):
        key = f"{d}#{path}"
        batch.nodes.append(Node(label="Section", key=key, props={
            "path": path, "heading": heading, "text": body, "ord": i, "doc_id": d}))
        batch.relationships.append(rel("HAS_SECTION", ("Document", d), ("Section", key), d,
                                       path, body))
    store.write_document(batch)
    try:
        rows = store.query("plan_sections_under_headings", words=[word])
        assert rows and all(set(r) == UNIT_COLUMNS["plan_sections_under_headings"] for r in rows)
        assert [(r["doc_id"], r["path"]) for r in rows] == [(d, "8"), (d, "8/8.1")]
        assert rows[1]["text"] == text and rows[1]["heading"] == "物资"
        assert store.query("plan_sections_under_headings", words=[uid("none")]) == []
    finally:
        store.delete_document(d)


QueryTests.test_plan_sections_under_headings = _test_plan_sections_under_headings


def _test_plan_referrals(self, store: GraphStore, sample) -> None:
    rows = [r for r in store.query("plan_referrals") if r["doc_id"] == sample["d3"]]
    assert rows and all(set(r) == UNIT_COLUMNS["plan_referrals"] for r in rows)
    assert [(r["referenced_title"], r["kind"], r["section"]) for r in rows] == [
        ("《二号预案》", "refers", "2.1")]
    assert rows[0]["quote"]


QueryTests.test_plan_referrals = _test_plan_referrals
