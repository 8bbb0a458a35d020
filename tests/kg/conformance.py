"""GraphStore conformance suite, written once and run against every available backend
(the pattern of haystack's testing/document_store.py).

A backend's test module subclasses `GraphStoreConformance` and provides a class-scoped (or
wider) `store` fixture.
The store may be shared with other tests (and, for Neo4j, hold other data), so every test
uses its own doc ids and names and compares counts before and after, never absolute counts.
"""
from __future__ import annotations

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
        "plan_references": {"doc_id", "title", "relation", "referenced_title", "target",
                            "resolved_doc_id", "kind", "section", "quote"},
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
        yield names
        store.delete_document(d1)
        store.delete_document(d2)
        store.delete_document(d3)

    def test_every_query_has_a_test(self) -> None:
        assert set(QUERIES) == set(self.COLUMNS)

    @pytest.mark.parametrize("name", sorted(COLUMNS))
    def test_query_runs_and_returns_its_columns(self, store: GraphStore, sample, name: str):
        params = {"units_for_incidents": {"incidents": [sample["inc"]]},
                  "plans_for_incidents": {"incidents": [sample["inc"]]},
                  "document_facts": {"doc_id": sample["d1"]}}.get(name, {})
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
