"""The law catalogue (catalogue.csv): every version of every regulation the documents cite, with
its status and what replaced it — the data behind "this plan cites a superseded version".

It is a table, not a document to read for facts, so it has its own loader: one Document node per
version and (newer)-[:SUPERSEDES]->(older) edges, each quoting the catalogue row verbatim. A
version whose full text is ingested (source_file given) is keyed by that file's doc_id, so the
edges meet the ingested Regulation; other versions are keyed "<normalised title>@<version_date>".
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.document import ReadError
from ingest.extract.citations import normalize_title
from ingest.pipeline import FileResult, pipeline_fingerprint
from kg.model import DocumentMeta, GraphBatch, Node, NodeRef, Provenance, Relationship
from kg.store import GraphStore

CATALOGUE_NAME = "catalogue.csv"
COLUMNS = ("title", "short_title", "level", "issuer", "version_date", "effective_date",
           "status", "superseded_by", "source_file")
_SUPERSEDED_BY = re.compile(r"^(?P<title>.+?)[（(](?P<date>\d{4}-\d{2}-\d{2})[)）]$")


@dataclass
class CatalogueRow:
    line: int  # 1-based line number in the file
    raw: str  # the line as written, quoted as provenance
    fields: dict[str, str]

    @property
    def title(self) -> str:
        return normalize_title(self.fields["title"])

    @property
    def version_date(self) -> str:
        return self.fields["version_date"].strip()

    @property
    def key(self) -> str:
        return version_key(self.fields["title"], self.version_date, self.fields["source_file"])


def version_key(title: str, version_date: str, source_file: str = "") -> str:
    """The ingested file's doc_id when the catalogue names one, else "<title>@<date>"."""
    if source_file.strip():
        return Path(source_file.strip()).name
    return f"{normalize_title(title)}@{version_date.strip()}"


def read_rows(path: Path) -> list[CatalogueRow]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(f"{path}: 无法读取法规目录（{e.strerror or e}）") from e
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ReadError(f"{path}: 法规目录缺少列：{'、'.join(missing)}")
    rows: list[CatalogueRow] = []
    for rec in reader:
        line = reader.line_num  # rows in this table do not span lines
        fields = {c: (rec.get(c) or "").strip() for c in COLUMNS}
        if not fields["title"]:
            continue
        rows.append(CatalogueRow(line=line, raw=lines[line - 1].strip(), fields=fields))
    return rows


def load_catalogue(path: Path, doc_id: str = CATALOGUE_NAME) -> GraphBatch:
    """Catalogue rows → version nodes, one Section per row and SUPERSEDES edges."""
    path = Path(path)
    rows = read_rows(path)
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:16] + "-" + \
        pipeline_fingerprint(None)
    meta = DocumentMeta(doc_id=doc_id, title="法规目录", kind="other",
                        source_path=str(path.resolve()), version=version,
                        kind_reason="法规目录数据表")
    doc_ref = NodeRef(label="Document", key=doc_id)
    nodes = [Node(label="Document", key=doc_id, props={"row_count": len(rows)})]
    rels: list[Relationship] = []
    by_version = {(r.title, r.version_date): r for r in rows}
    for row in rows:
        section_id, section = f"{doc_id}#第{row.line}行", f"第{row.line}行"
        prov = Provenance(doc_id=doc_id, section_id=section_id, section=section, quote=row.raw)
        nodes.append(Node(label="Section", key=section_id, props={
            "doc_id": doc_id, "path": section, "label": section, "heading": "",
            "text": row.raw, "level": 1, "ord": row.line, "parent_path": "",
            "position": section}))
        rels.append(Relationship(type="HAS_SECTION", start=doc_ref,
                                 end=NodeRef(label="Section", key=section_id), provenance=prov))
        f = row.fields
        nodes.append(Node(label="Document", key=row.key, props={
            "title": f["title"], "regulation": row.title, "short_title": f["short_title"],
            "level": f["level"], "issuer": f["issuer"], "version_date": row.version_date,
            "effective_date": f["effective_date"], "status": f["status"],
            "superseded_by": f["superseded_by"], "source_file": f["source_file"],
            "catalogue": True}))
        newer = _newer(row, by_version)
        if newer is not None:
            rels.append(Relationship(
                type="SUPERSEDES", start=NodeRef(label="Document", key=newer.key),
                end=NodeRef(label="Document", key=row.key), provenance=prov,
                props={"regulation": row.title, "newer_title": newer.title,
                       "newer_version_date": newer.version_date,
                       "newer_status": newer.fields["status"],
                       "older_title": row.title, "older_version_date": row.version_date,
                       "older_status": f["status"], "older_effective_date": f["effective_date"]}))
    return GraphBatch(document=meta, nodes=nodes, relationships=rels)


def _newer(row: CatalogueRow, by_version: dict[tuple[str, str], CatalogueRow]
           ) -> CatalogueRow | None:
    m = _SUPERSEDED_BY.match(row.fields["superseded_by"].replace(" ", ""))
    if not m:
        return None
    return by_version.get((normalize_title(m.group("title")), m.group("date")))


def split_catalogues(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(catalogue files, the other paths): a catalogue.csv passed by name, or one under a
    directory being ingested (<dir>/regulations/catalogue.csv or <dir>/catalogue.csv)."""
    catalogues: list[Path] = []
    others: list[Path] = []
    for p in paths:
        if p.is_file() and p.name == CATALOGUE_NAME:
            catalogues.append(p)
            continue
        others.append(p)
        if p.is_dir():
            for candidate in (p / "regulations" / CATALOGUE_NAME, p / CATALOGUE_NAME):
                if candidate.is_file():
                    catalogues.append(candidate)
    return list(dict.fromkeys(catalogues)), others


def ingest_catalogue(path: Path, store: GraphStore, *, force: bool = False) -> FileResult:
    """Write the catalogue as document "catalogue.csv", replacing its previous contribution."""
    try:
        batch = load_catalogue(path)
        if not force and store.document_version(batch.document.doc_id) == \
                batch.document.version:
            return FileResult(path=str(path), doc_id=batch.document.doc_id, status="unchanged")
        store.write_document(batch)
    except ReadError as e:
        return FileResult(path=str(path), doc_id=CATALOGUE_NAME, status="failed", error=str(e))
    except (csv.Error, UnicodeDecodeError) as e:
        return FileResult(path=str(path), doc_id=CATALOGUE_NAME, status="failed",
                          error=f"{path}: 法规目录格式错误（{e}）")
    facts = {k: v for k, v in batch.counts().items() if k != "HAS_SECTION"}
    return FileResult(path=str(path), doc_id=batch.document.doc_id, kind="other",
                      title=batch.document.title, status="ingested",
                      sections=sum(1 for n in batch.nodes if n.label == "Section"), facts=facts)
