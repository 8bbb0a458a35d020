"""Files → GraphBatch → GraphStore, one document at a time.

A file that fails is reported with its reason and leaves the graph as it was for that document;
the other files are still ingested. Unchanged files (same content hash) are skipped.
"""
from __future__ import annotations

import fnmatch
import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from ingest.classify import KINDS, classify
from ingest.document import ReadError
from ingest.extract import ParsedDocument
from ingest.extract.plan import plan_level
from ingest.extract.registry import extractors_for
from ingest.normalize import annotate, collect_matches, warnings_for
from ingest.readers import read_document, supported_suffixes
from ingest.readers.archive import DEFAULT_MAX_UNZIPPED_MB
from ingest.structure import parse_sections, sentences
from ingest.taxonomy import Taxonomy
from kg.model import DocumentMeta, GraphBatch, Node, NodeRef, Provenance, Relationship
from kg.store import GraphStore, GraphUnavailable

log = logging.getLogger(__name__)
IGNORE_FILE = ".yingjiignore"


class FileResult(BaseModel):
    path: str
    doc_id: str = ""
    kind: str = ""
    title: str = ""
    status: str  # "ingested" | "unchanged" | "failed"
    sections: int = 0
    facts: dict[str, int] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    error: str = ""
    seconds: dict[str, float] = Field(default_factory=dict)  # read, structure, extract, write


class IngestReport(BaseModel):
    files: list[FileResult] = Field(default_factory=list)
    # Documents whose passage index was found out of step with the graph and rebuilt (an
    # earlier ingest interrupted between its graph commit and its index build).
    index_repaired: list[str] = Field(default_factory=list)

    @property
    def changed_ids(self) -> set[str]:
        return {f.doc_id for f in self.files if f.status == "ingested"}

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def changed(self) -> bool:
        return any(f.status == "ingested" for f in self.files)


@functools.lru_cache(maxsize=8)
def pipeline_fingerprint(taxonomy_dir: str | None) -> str:
    """Changes when the ingest code or the alias tables change, so stored facts made by an older
    extractor or taxonomy are re-extracted instead of being skipped as unchanged."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        h.update(f.read_bytes())
    if taxonomy_dir and Path(taxonomy_dir).is_dir():
        for f in sorted(Path(taxonomy_dir).glob("*.csv")):
            h.update(f.read_bytes())
    return h.hexdigest()[:8]


def document_version(data: bytes, taxonomy: Taxonomy) -> str:
    return hashlib.sha256(data).hexdigest()[:16] + "-" + pipeline_fingerprint(taxonomy.source_dir)


def doc_id_for(path: Path) -> str:
    """The file name: stable across re-ingests of a revised file, readable in `yingji delete`."""
    return path.name


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest; directories are walked, honouring .yingjiignore glob lists."""
    suffixes = supported_suffixes()
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            patterns = _ignore_patterns(p)
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).as_posix()
                if any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.is_file() and f.suffix.lower() in suffixes and not _ignored(rel, patterns):
                    out.append(f)
        else:
            out.append(p)  # named explicitly: an unsupported suffix is reported, not skipped
    return out


def _ignore_patterns(root: Path) -> list[str]:
    f = root / IGNORE_FILE
    if not f.is_file():
        return []
    return [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


def _ignored(rel: str, patterns: list[str]) -> bool:
    for pat in patterns:
        if pat.endswith("/"):
            if rel.startswith(pat) or f"/{pat}" in f"/{rel}":
                return True
        elif fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(rel.rsplit("/", 1)[-1], pat):
            return True
    return False


class _Clock:
    """Seconds per phase, added into `phases` when one is given."""

    def __init__(self, phases: dict[str, float] | None):
        self.phases, self.t = phases, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.phases is not None:
            self.phases[name] = self.phases.get(name, 0.0) + now - self.t
        self.t = now


def build_batch(path: Path, taxonomy: Taxonomy, kind: str | None = None,
                phases: dict[str, float] | None = None, *,
                max_unzipped_mb: float = DEFAULT_MAX_UNZIPPED_MB) -> tuple[GraphBatch, list[str]]:
    """Read, structure, classify and extract one file. Raises ReadError on unreadable input.
    `phases`, when given, receives the seconds spent reading, structuring and extracting;
    `max_unzipped_mb` bounds what a DOCX/XLSX may decompress to."""
    clock = _Clock(phases)
    data = path.read_bytes()
    raw = read_document(path, max_unzipped_mb=max_unzipped_mb)
    clock.lap("read")
    sections = parse_sections(raw.blocks, raw.title)
    if kind:
        if kind not in KINDS:
            raise ReadError(f"{path}: 未知的文档类型“{kind}”（可选：{'、'.join(KINDS)}）")
        reason = "用户指定"
    else:
        kind, reason = classify(raw, sections)
    clock.lap("structure")
    meta = DocumentMeta(doc_id=doc_id_for(path), title=raw.title, kind=kind,
                        source_path=str(path.resolve()),
                        version=document_version(data, taxonomy), kind_reason=reason)
    parsed = ParsedDocument(meta=meta, raw=raw, sections=sections)
    taxonomy = taxonomy.for_document(raw.title)  # another jurisdiction's document: its own names
    doc_props = meta.model_dump()
    if kind == "plan":
        doc_props["level"] = plan_level(raw.title)
    labels = {"plan": ["Plan"], "regulation": ["Regulation"], "duty_list": ["DutyList"],
              "expert_roster": ["ExpertRoster"]}.get(kind, [])
    nodes = [Node(label="Document", key=meta.doc_id, props=doc_props, extra_labels=labels)]
    rels: list[Relationship] = []
    doc_ref = NodeRef(label="Document", key=meta.doc_id)
    for s in sections:
        key = parsed.section_key(s)
        text = s.text
        nodes.append(Node(label="Section", key=key, props={
            "doc_id": meta.doc_id, "path": s.path, "label": s.label, "heading": s.heading,
            "text": text, "level": s.level, "ord": s.ord, "parent_path": s.parent_path or "",
            "position": s.blocks[0].position if s.blocks else ""}))
        first = next(iter(sentences(text)), s.heading or s.path)
        rels.append(Relationship(type="HAS_SECTION", start=doc_ref,
                                 end=NodeRef(label="Section", key=key),
                                 provenance=Provenance(doc_id=meta.doc_id, section_id=key,
                                                       section=s.path, quote=first)))
    warnings: list[str] = list(raw.warnings)
    seen = {(n.label, n.key): n for n in nodes}
    with collect_matches() as org_notes:  # organisation names mapped beyond the alias table
        for extractor in extractors_for(kind):
            extraction = extractor.extract(parsed, taxonomy)
            for node in extraction.nodes:  # extractors may each mention the same shared node
                first = seen.get((node.label, node.key))
                if first is None:
                    seen[(node.label, node.key)] = node
                    nodes.append(node)
                else:  # a later mention adds properties (a regulation's dates on its Document)
                    for k, v in node.props.items():
                        first.props.setdefault(k, v)
                    first.extra_labels += [x for x in node.extra_labels
                                           if x not in first.extra_labels]
            rels += extraction.relationships
            warnings += extraction.warnings
    annotate(rels, org_notes, taxonomy)
    warnings += warnings_for(meta.doc_id, org_notes)
    clock.lap("extract")
    return GraphBatch(document=meta, nodes=nodes, relationships=rels), warnings


def ingest_paths(paths: Iterable[Path], store: GraphStore, taxonomy: Taxonomy, *,
                 force: bool = False, kind: str | None = None,
                 progress: Callable[[FileResult], None] | None = None,
                 max_file_mb: float | None = None,
                 max_unzipped_mb: float = DEFAULT_MAX_UNZIPPED_MB) -> IngestReport:
    """`max_file_mb`: a larger file is refused (reported as failed); None sets no limit.
    `max_unzipped_mb`: likewise for what a DOCX/XLSX decompresses to."""
    report = IngestReport()
    for path in discover(paths):
        result = ingest_file(path, store, taxonomy, force=force, kind=kind,
                             max_file_mb=max_file_mb, max_unzipped_mb=max_unzipped_mb)
        report.files.append(result)
        if progress:
            progress(result)
    return report


def ingest_file(path: Path, store: GraphStore, taxonomy: Taxonomy, *, force: bool = False,
                kind: str | None = None, max_file_mb: float | None = None,
                max_unzipped_mb: float = DEFAULT_MAX_UNZIPPED_MB) -> FileResult:
    phases: dict[str, float] = {}
    try:
        if not path.is_file():
            raise ReadError(f"{path}: 文件不存在")
        size_mb = path.stat().st_size / 1024 / 1024
        if max_file_mb is not None and size_mb > max_file_mb:
            raise ReadError(f"{path}: 文件过大（{size_mb:.1f} MB），超过单个文件上限 "
                            f"{max_file_mb:g} MB，未导入（可用环境变量 YINGJI_MAX_FILE_MB 调整）")
        if not force:
            version = document_version(path.read_bytes(), taxonomy)
            if store.document_version(doc_id_for(path)) == version:
                return FileResult(path=str(path), doc_id=doc_id_for(path), status="unchanged")
        batch, warnings = build_batch(path, taxonomy, kind, phases,
                                      max_unzipped_mb=max_unzipped_mb)
        clock = _Clock(phases)
        store.write_document(batch)
        clock.lap("write")
    except ReadError as e:
        return FileResult(path=str(path), doc_id=doc_id_for(path), status="failed", error=str(e))
    except GraphUnavailable:  # not this file's fault, and no later file can be written either
        raise
    except Exception as e:  # one broken file must not stop the others
        log.exception("ingest failed for %s", path)
        return FileResult(path=str(path), doc_id=doc_id_for(path), status="failed",
                          error=f"{path}: 处理失败（{type(e).__name__}: {e}）")
    sections = sum(1 for n in batch.nodes if n.label == "Section")
    facts = {k: v for k, v in batch.counts().items() if k != "HAS_SECTION"}
    return FileResult(path=str(path), doc_id=batch.document.doc_id, kind=batch.document.kind,
                      title=batch.document.title, status="ingested", sections=sections,
                      facts=facts, warnings=warnings, seconds=phases)
