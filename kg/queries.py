"""Named, parameterised read queries. The only Cypher outside the writer and schema.

Written in the openCypher subset that both ArcadeDB (Bolt) and Neo4j 5 run.
"""
from __future__ import annotations

QUERIES: dict[str, str] = {
    # All documents, for listings and the CLI summary. Stubs (documents only referred to,
    # not ingested) have no doc_id and are left out.
    "documents": (
        "MATCH (d:Document) WHERE d.doc_id IS NOT NULL "
        "RETURN d.doc_id AS doc_id, d.title AS title, d.kind AS kind, d.version AS version, "
        "d.source_path AS source_path ORDER BY d.doc_id"
    ),
    # Every section with its text, for building the vector and lexical indexes.
    "sections": (
        "MATCH (d:Document)-[:HAS_SECTION]->(s:Section) "
        "RETURN s.key AS key, s.doc_id AS doc_id, d.title AS title, s.path AS path, "
        "s.heading AS heading, s.text AS text, s.ord AS ord ORDER BY s.doc_id, s.ord"
    ),
    # Names for the entity linker's gazetteer.
    "incident_type_names": (
        "MATCH (i:IncidentType) RETURN i.key AS name, i.aliases AS aliases, "
        "i.categories AS categories"
    ),
    "organization_names": "MATCH (o:Organization) RETURN o.key AS name, o.aliases AS aliases",
    # Lead and supporting units for incident types, with the provenance of each fact.
    "units_for_incidents": (
        "MATCH (o:Organization)-[r:LEADS|SUPPORTS]->(i:IncidentType) "
        "WHERE i.key IN $incidents "
        "MATCH (d:Document {doc_id: r.doc_id}) "
        "RETURN o.key AS org, type(r) AS relation, i.key AS incident, r.doc_id AS doc_id, "
        "d.title AS title, d.level AS level, r.section AS section, r.quote AS quote, "
        "r.scope AS scope ORDER BY r.doc_id, r.section"
    ),
    # Plans covering incident types.
    "plans_for_incidents": (
        "MATCH (p:Document)-[r:COVERS]->(i:IncidentType) WHERE i.key IN $incidents "
        "RETURN p.doc_id AS doc_id, p.title AS title, p.level AS level, i.key AS incident, "
        "r.section AS section, r.quote AS quote"
    ),
    # Plans a plan refers to or belongs to, each resolved to the ingested plan of that title
    # (references are keyed "title:<title>" because a plan cannot know another's file name);
    # resolved_doc_id is null for a plan that is not in the graph.
    "plan_references": (
        "MATCH (p:Document)-[r:REFERS_TO|PART_OF]->(s:Document) "
        "OPTIONAL MATCH (t:Document) WHERE t.doc_id IS NOT NULL AND t.title = r.title "
        "RETURN p.doc_id AS doc_id, p.title AS title, type(r) AS relation, "
        "coalesce(r.title, s.title, s.key) AS referenced_title, s.key AS target, "
        "coalesce(t.doc_id, s.doc_id) AS resolved_doc_id, r.relation AS kind, "
        "r.section AS section, r.quote AS quote "
        "ORDER BY doc_id, section, referenced_title"
    ),
    # Every fact one document contributed, with its provenance (browsing, tests).
    "document_facts": (
        "MATCH (a)-[r]->(b) WHERE r.doc_id = $doc_id "
        "RETURN a.key AS subject, type(r) AS relation, b.key AS object, r.doc_id AS doc_id, "
        "r.section_id AS section_id, r.section AS section, r.quote AS quote "
        "ORDER BY relation, subject, object, section_id"
    ),
}


def get(name: str) -> str:
    try:
        return QUERIES[name]
    except KeyError:
        raise KeyError(f"unknown query {name!r}; known: {sorted(QUERIES)}") from None
