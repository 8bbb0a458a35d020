"""Extractors turn a parsed document into facts, each with the sentence it came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ingest.document import RawDocument
from ingest.structure import Section
from ingest.taxonomy import Taxonomy
from kg.model import DocumentMeta, Node, Relationship


@dataclass
class ParsedDocument:
    meta: DocumentMeta
    raw: RawDocument
    sections: list[Section]

    def section_key(self, section: Section) -> str:
        return f"{self.meta.doc_id}#{section.path}"


@dataclass
class Extraction:
    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Extractor(Protocol):
    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction: ...
