"""Named, parameterised read queries. The only Cypher outside the writer and schema.

Written in the openCypher subset that both ArcadeDB (Bolt) and Neo4j 5 run.
"""
from __future__ import annotations

# One expert per roster row with its field and source: the rows every expert query returns.
_EXPERT_ROWS = (
    "MATCH (d:Document {doc_id: r.doc_id}) "
    "RETURN e.key AS key, e.name AS name, e.title AS title, e.organisation AS organisation, "
    "e.fields AS fields, e.research AS research, e.availability AS availability, "
    "e.region AS region, e.status AS status, e.remark AS remark, e.phones AS phones, "
    "f.key AS field, r.doc_id AS doc_id, d.title AS doc_title, r.section AS section, "
    "r.quote AS quote ORDER BY e.key, r.doc_id"
)

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
    # Lead and supporting units stated by some documents (a plan named in the question, a
    # town's own plan), whatever incident type: the same columns as units_for_incidents.
    "units_in_documents": (
        "MATCH (o:Organization)-[r:LEADS|SUPPORTS]->(i:IncidentType) "
        "WHERE r.doc_id IN $doc_ids "
        "MATCH (d:Document {doc_id: r.doc_id}) "
        "RETURN o.key AS org, type(r) AS relation, i.key AS incident, r.doc_id AS doc_id, "
        "d.title AS title, d.level AS level, r.section AS section, r.quote AS quote, "
        "r.scope AS scope ORDER BY r.doc_id, r.section"
    ),
    # Some sections by key ("doc_id#path"): the lines a cited clause stands in.
    "sections_by_key": (
        "MATCH (s:Section) WHERE s.key IN $keys "
        "RETURN s.key AS key, s.doc_id AS doc_id, s.path AS path, s.text AS text"
    ),
    # Sections of plans under a heading holding one of some words (e.g. 保障: the chapter on
    # teams, materials and shelters), the headed section and all sections below it.
    "plan_sections_under_headings": (
        "MATCH (d:Document)-[:HAS_SECTION]->(r:Section) "
        "WHERE d.kind = 'plan' AND any(w IN $words WHERE r.heading CONTAINS w) "
        "MATCH (d)-[:HAS_SECTION]->(s:Section) "
        "WHERE s.path = r.path OR s.path STARTS WITH r.path + '/' "
        "RETURN DISTINCT d.doc_id AS doc_id, d.title AS title, d.level AS level, s.path AS path, "
        "s.heading AS heading, s.text AS text ORDER BY doc_id, path"
    ),
    # A plan's sentences referring to another plan (按照/执行《…》, a table's 适用预案 column, 同时
    # 废止), without resolving titles (the caller matches them against the plans it knows).
    "plan_referrals": (
        "MATCH (p:Document)-[r:REFERS_TO]->(s:Document) "
        "RETURN p.doc_id AS doc_id, p.title AS title, coalesce(r.title, s.title, s.key) AS "
        "referenced_title, s.doc_id AS target_doc_id, r.relation AS kind, r.section AS section, "
        "r.quote AS quote"
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
    # Duties (plan member duties and 四类清单 rows) of organisations, one row per ABOUT target
    # (about is null when the duty names no incident type or hazard), with the source document.
    "duties_of_orgs": (
        "MATCH (o:Organization)-[h:HAS_DUTY]->(r:Responsibility) WHERE o.key IN $orgs "
        "OPTIONAL MATCH (r)-[:ABOUT]->(x) "
        "MATCH (d:Document {doc_id: h.doc_id}) "
        "RETURN o.key AS org, r.key AS duty, r.kind AS kind, r.list_kind AS list_kind, "
        "r.head AS head, r.name AS item, r.text AS text, r.content AS content, x.key AS about, "
        "h.doc_id AS doc_id, d.title AS title, d.level AS level, d.kind AS doc_kind, "
        "h.section AS section, h.quote AS quote ORDER BY h.doc_id, h.section"
    ),
    # Sections whose text names a unit: its duties written into other sentences ("……牵头，
    # 区卫生健康委配合，负责……") that no duty fact holds.
    "sections_mentioning": (
        "MATCH (d:Document)-[:HAS_SECTION]->(s:Section) WHERE s.text CONTAINS $unit "
        "RETURN s.doc_id AS doc_id, d.title AS title, d.kind AS doc_kind, d.level AS level, "
        "s.path AS path, s.text AS text ORDER BY s.doc_id, s.ord"
    ),
    # Every organisation that holds a duty, with the heads its duties were written under
    # (sub-units and groups such as "轨道交通运营单位"), for fuzzy matching of the asked unit.
    "duty_holders": (
        "MATCH (o:Organization)-[:HAS_DUTY]->(r:Responsibility) "
        "RETURN o.key AS org, collect(DISTINCT r.head) AS heads, count(r) AS duties"
    ),
    # Resources with the unit managing them, the incident types they serve and the plan text
    # naming them: one row per MANAGES / FOR / DEFINES fact.
    "resources": (
        "MATCH (a)-[f:MANAGES|FOR|DEFINES]-(r:Resource) "
        "MATCH (d:Document {doc_id: f.doc_id}) "
        "RETURN r.key AS resource, r.kind AS kind, r.location AS location, "
        "r.capacity AS capacity, r.quantity AS quantity, r.speciality AS speciality, "
        "type(f) AS relation, a.key AS other, "
        "f.doc_id AS doc_id, d.title AS title, d.level AS level, f.section AS section, "
        "f.quote AS quote ORDER BY f.doc_id, f.section"
    ),
    # Articles of the ingested regulations, with whether a newer version supersedes them.
    "articles": (
        "MATCH (g:Regulation)-[h:HAS_ARTICLE]->(a:Article) "
        "OPTIONAL MATCH (n:Regulation)-[:SUPERSEDES]->(g) "
        "RETURN g.doc_id AS doc_id, g.title AS title, a.key AS article, a.label AS label, "
        "a.number AS number, a.text AS text, a.paragraphs AS paragraphs, a.items AS items, "
        "h.section AS section, a.ord AS ord, count(n) > 0 AS superseded ORDER BY doc_id, ord"
    ),
    # Citations of articles (plan CITES, duty-list BASED_ON), each with the citing sentence.
    "article_citations": (
        "MATCH (s)-[c:CITES|BASED_ON]->(a:Article) "
        "MATCH (d:Document {doc_id: c.doc_id}) "
        "RETURN type(c) AS relation, a.key AS article, c.title AS regulation, "
        "c.article AS label, c.doc_id AS doc_id, d.title AS title, d.kind AS doc_kind, "
        "c.section AS section, c.quote AS quote ORDER BY c.doc_id, c.section"
    ),
    # Laws and documents a plan cites as its basis (CITES to a Regulation or a title stub).
    "plan_bases": (
        "MATCH (p:Document)-[c:CITES]->(g:Document) WHERE p.doc_id IN $docs "
        "RETURN p.doc_id AS doc_id, p.title AS title, coalesce(c.title, g.title, g.key) AS cited, "
        "g.doc_id AS cited_doc_id, c.section AS section, c.quote AS quote "
        "ORDER BY doc_id, section"
    ),
    # Regulation titles replaced by a newer version (the catalogue's SUPERSEDES edges).
    "superseded_regulations": (
        "MATCH (n:Document)-[s:SUPERSEDES]->(o:Document) "
        "RETURN coalesce(o.title, o.key) AS old, o.key AS old_key, "
        "coalesce(n.title, n.key) AS new, n.doc_id AS new_doc_id"
    ),
    # Every fact one document contributed, with its provenance (browsing, tests).
    "document_facts": (
        "MATCH (a)-[r]->(b) WHERE r.doc_id = $doc_id "
        "RETURN a.key AS subject, type(r) AS relation, b.key AS object, r.doc_id AS doc_id, "
        "r.section_id AS section_id, r.section AS section, r.quote AS quote "
        "ORDER BY relation, subject, object, section_id"
    ),
    # The nodes of one document's facts with their labels and properties, so that browsing
    # shows each by a readable name (a duty's text, a role's title) instead of its key.
    "document_fact_nodes": (
        "MATCH (a)-[r]->(b) WHERE r.doc_id = $doc_id UNWIND [a, b] AS n "
        "RETURN DISTINCT n.key AS key, labels(n) AS labels, properties(n) AS props"
    ),
    # Expert finder (retrieval/answers/experts.py): the field and hazard vocabulary for linking,
    # what each field is relevant to, and experts with the roster row (EXPERT_IN provenance).
    "expert_vocabulary": (
        "MATCH (n) WHERE n:Field OR n:Hazard OR n:Expert "
        "RETURN CASE WHEN n:Field THEN 'Field' WHEN n:Hazard THEN 'Hazard' ELSE 'Expert' END "
        "AS label, n.key AS key, coalesce(n.name, n.key) AS name, n.aliases AS aliases"
    ),
    "field_relevance": (
        "MATCH (f:Field)-[r:RELEVANT_TO]->(t) "
        "RETURN DISTINCT f.key AS field, CASE WHEN t:Hazard THEN 'Hazard' ELSE 'IncidentType' END "
        "AS kind, t.key AS target"
    ),
    "incident_hazards": (
        "MATCH (i:IncidentType)-[:INVOLVES]->(h:Hazard) "
        "RETURN DISTINCT i.key AS incident, h.key AS hazard"
    ),
    "experts_in_fields": (
        "MATCH (e:Expert)-[r:EXPERT_IN]->(f:Field) WHERE f.key IN $fields "
        + _EXPERT_ROWS
    ),
    "experts_by_name": (
        "MATCH (e:Expert)-[r:EXPERT_IN]->(f:Field) WHERE e.name IN $names "
        + _EXPERT_ROWS
    ),
    # Expert groups (Role kind 专家组) defined by the plans covering incident types.
    "expert_groups_for_incidents": (
        "MATCH (p:Document)-[:COVERS]->(i:IncidentType) WHERE i.key IN $incidents "
        "MATCH (p)-[r:DEFINES]->(g:Role) WHERE g.kind = '专家组' "
        "RETURN DISTINCT p.doc_id AS doc_id, p.title AS title, p.level AS level, "
        "i.key AS incident, g.title AS group_name, g.fields AS fields, r.section AS section, "
        "r.quote AS quote"
    ),
    # Sections of one document (e.g. a roster's summary sheet).
    "document_sections": (
        "MATCH (d:Document {doc_id: $doc_id})-[:HAS_SECTION]->(s:Section) "
        "RETURN s.key AS key, s.path AS path, s.heading AS heading, s.text AS text, s.ord AS ord "
        "ORDER BY s.ord"
    ),
    # Articles of the regulations whose title contains a word (e.g. 专家).
    "articles_of_regulations_titled": (
        "MATCH (d:Document)-[r:HAS_ARTICLE]->(a:Article) "
        "WHERE d.doc_id IS NOT NULL AND d.title CONTAINS $word "
        "RETURN d.doc_id AS doc_id, d.title AS title, a.label AS label, a.number AS number, "
        "a.text AS text, a.ord AS ord, r.section AS section ORDER BY doc_id, ord"
    ),
    # Plans with the incident types they cover (answer modules rank the applicable plan).
    "plan_profiles": (
        "MATCH (d:Document) WHERE d.doc_id IS NOT NULL AND d.kind = 'plan' "
        "OPTIONAL MATCH (d)-[:COVERS]->(i:IncidentType) "
        "RETURN d.doc_id AS doc_id, d.title AS title, d.level AS level, "
        "collect(DISTINCT i.key) AS incidents ORDER BY doc_id"
    ),
    # 事件分级 clauses of some plans: one row per defining clause, with that clause's thresholds.
    "severity_levels_of_plans": (
        "MATCH (p:Document)-[r:DEFINES]->(s:SeverityLevel) WHERE r.doc_id IN $doc_ids "
        "RETURN r.doc_id AS doc_id, s.level AS level, s.rank AS rank, s.roman AS roman, "
        "s.incident_types AS incident_types, r.section AS section, r.quote AS quote, "
        "r.criteria AS criteria, r.deaths_min AS deaths_min, r.deaths_max AS deaths_max, "
        "r.injuries_min AS injuries_min, r.injuries_max AS injuries_max, "
        "r.evacuated_min AS evacuated_min, r.evacuated_max AS evacuated_max, "
        "r.loss_min AS loss_min, r.loss_max AS loss_max, r.other AS other "
        "ORDER BY doc_id, rank, section"
    ),
    # 响应分级 rules of some plans: who starts and ends each level, on which condition.
    "response_levels_of_plans": (
        "MATCH (p:Document)-[r:DEFINES]->(s:ResponseLevel) WHERE r.doc_id IN $doc_ids "
        "RETURN r.doc_id AS doc_id, s.level AS level, s.rank AS rank, s.label AS label, "
        "r.condition AS condition, r.starter AS starter, s.starters AS starters, "
        "s.special_starts AS special_starts, s.ender AS ender, s.ender_quote AS ender_quote, "
        "s.ender_section AS ender_section, s.severities AS severities, "
        "r.section AS section, r.quote AS quote ORDER BY doc_id, rank, section"
    ),
    # Command roles (指挥机构, 工作组, 专家组) some plans define, with who holds them.
    "roles_of_plans": (
        "MATCH (p:Document)-[r:DEFINES]->(s:Role) WHERE r.doc_id IN $doc_ids "
        "OPTIONAL MATCH (s)-[:HELD_BY]->(o:Organization) "
        "RETURN r.doc_id AS doc_id, s.key AS key, s.role AS role, s.title AS title, "
        "s.kind AS kind, s.body AS body, s.holders AS holders, s.members AS members, "
        "s.conditions AS conditions, s.duty AS duty, s.fields AS fields, "
        "r.section AS section, r.quote AS quote, collect(DISTINCT o.key) AS orgs "
        "ORDER BY doc_id, section, key"
    ),
    # Names for the entity linker beyond incident types and organisations: hazards and expert
    # fields with their aliases (a hazard with the incident types involving it), and the titles
    # of ingested plans and regulations.
    "linkable_names": (
        "MATCH (n) WHERE n:Hazard OR n:Field OR "
        "((n:Plan OR n:Regulation) AND n.doc_id IS NOT NULL) "
        "RETURN CASE WHEN n:Hazard THEN 'Hazard' WHEN n:Field THEN 'Field' "
        "WHEN n:Plan THEN 'Plan' ELSE 'Regulation' END AS label, "
        "coalesce(n.title, n.key) AS name, n.aliases AS aliases, n.doc_id AS doc_id, "
        "[(i:IncidentType)-[:INVOLVES]->(n) | i.key] AS incidents"
    ),
    # Browsing (kg/browse.py): documents with their metadata and section counts ($kind and
    # $doc_id null: all), fact counts per document and relationship type, and the
    # neighbourhood of an entity (matched by key, name, title or alias) for drawing: one row
    # per (centre, neighbour, type, direction) with the first fact's provenance; a centre
    # without edges comes back once with other null.
    "document_list": (
        "MATCH (d:Document) WHERE d.doc_id IS NOT NULL AND ($kind IS NULL OR d.kind = $kind) "
        "AND ($doc_id IS NULL OR d.doc_id = $doc_id) "
        "OPTIONAL MATCH (d)-[:HAS_SECTION]->(s:Section) "
        "WITH d, count(s) AS sections "
        "RETURN d.doc_id AS doc_id, d.title AS title, d.kind AS kind, d.level AS level, "
        "d.issuer AS issuer, d.issued_date AS issued_date, d.effective_date AS effective_date, "
        "d.scope AS scope, d.version AS version, sections ORDER BY doc_id"
    ),
    "document_fact_counts": (
        "MATCH ()-[r]->() WHERE r.doc_id IS NOT NULL AND type(r) <> 'HAS_SECTION' "
        "RETURN r.doc_id AS doc_id, type(r) AS relation, count(*) AS n"
    ),
    "graph_neighbourhood": (
        "MATCH (n) WHERE n.key = $entity OR n.name = $entity OR n.title = $entity "
        "OR $entity IN n.aliases "
        "WITH n LIMIT 5 "
        "OPTIONAL MATCH (n)-[r]-(m) WHERE type(r) <> 'HAS_SECTION' "
        "WITH n, m, type(r) AS relation, startNode(r) = n AS outgoing, "
        "collect({doc_id: r.doc_id, section: r.section, quote: r.quote}) AS sources "
        "RETURN n.key AS centre, labels(n) AS centre_labels, "
        "coalesce(n.name, n.title) AS centre_name, m.key AS other, labels(m) AS other_labels, "
        "m.name AS other_name, m.title AS other_title, m.text AS other_text, relation, "
        "outgoing, size(sources) AS n_sources, sources[0] AS source "
        "ORDER BY relation, other LIMIT $cap"
    ),
    # Consistency checks (kg/checks): every ingested document, and every fact of some
    # relationship types with both end nodes' labels and properties, so that rules compare
    # stored facts and a draft's facts (kg/checks/facts.py) in one shape.
    "check_documents": (
        "MATCH (d:Document) WHERE d.doc_id IS NOT NULL "
        "RETURN d.doc_id AS doc_id, d.title AS title, d.kind AS kind, d.level AS level, "
        "d.source_path AS source_path ORDER BY d.doc_id"
    ),
    "check_facts": (
        "MATCH (a)-[r]->(b) WHERE type(r) IN $types "
        "RETURN type(r) AS type, labels(a) AS start_labels, a.key AS start, "
        "properties(a) AS start_props, labels(b) AS end_labels, b.key AS end, "
        "properties(b) AS end_props, properties(r) AS props"
    ),
}


def get(name: str) -> str:
    try:
        return QUERIES[name]
    except KeyError:
        raise KeyError(f"unknown query {name!r}; known: {sorted(QUERIES)}") from None
