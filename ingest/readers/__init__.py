"""Readers by file suffix."""
from __future__ import annotations

from pathlib import Path

from ingest.document import RawDocument, ReadError, Reader
from ingest.readers.archive import ARCHIVE_SUFFIXES, DEFAULT_MAX_UNZIPPED_MB, check_archive
from ingest.readers.docx_reader import DocxReader
from ingest.readers.html_reader import HtmlReader
from ingest.readers.pdf_reader import PdfReader
from ingest.readers.table_reader import CsvReader, XlsxReader
from ingest.readers.text_reader import TextReader

READERS: tuple[Reader, ...] = (TextReader(), DocxReader(), PdfReader(), HtmlReader(),
                               XlsxReader(), CsvReader())


def supported_suffixes() -> set[str]:
    return {s for r in READERS for s in r.suffixes}


def read_document(path: Path, *, max_unzipped_mb: float = DEFAULT_MAX_UNZIPPED_MB) -> RawDocument:
    """`max_unzipped_mb`: the bound on what a DOCX/XLSX may decompress to (zip bombs)."""
    suffix = path.suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        check_archive(path, max_unzipped_mb)
    for reader in READERS:
        if suffix in reader.suffixes:
            return reader.read(path)
    raise ReadError(f"{path}: 不支持的文件格式“{suffix or '无扩展名'}”")
