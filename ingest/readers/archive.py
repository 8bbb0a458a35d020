"""Zip-based formats (DOCX, XLSX) checked before any parser opens them: what the archive's
central directory declares, then what its members really inflate to, both bounded. A zip bomb
(a small file expanding to gigabytes) is refused with a message naming the file, never
decompressed in full; memory stays flat however large the bomb claims or turns out to be.

Members are inflated in bounded steps (zipfile's deflate reads), and only stored or deflated
members are accepted: Office files use nothing else, and bzip2/lzma members inflate a whole
block at a time. zipfile never yields more than a member's declared size; a member whose data
does not match its header fails its CRC and the file is refused as damaged."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.document import ReadError

ARCHIVE_SUFFIXES = (".docx", ".xlsx")
DEFAULT_MAX_UNZIPPED_MB = 50.0
MAX_MEMBERS = 10_000
# Paragraphs (DOCX) or rows (XLSX) one file may hold: a 2,000-page plan has ~100,000; a file
# of a million empty paragraphs compresses to a few hundred KB and would cost minutes and GBs.
MAX_ELEMENTS = 100_000
_ELEMENTS = {".docx": ("word/document.xml", re.compile(rb"<w:p[ >/]"), "段落"),
             ".xlsx": ("xl/worksheets/", re.compile(rb"<(?:\w+:)?row[ >/]"), "表格行")}
_CHUNK = 1024 * 1024
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_ADVICE = "可能是“压缩炸弹”或异常文件，未导入（上限可用环境变量 YINGJI_MAX_UNZIPPED_MB 调整）"


def check_archive(path: Path, max_unzipped_mb: float = DEFAULT_MAX_UNZIPPED_MB) -> None:
    """ReadError when the archive declares or really holds more than `max_unzipped_mb` once
    decompressed, or too many members. A file that is no zip at all is left to its reader,
    which says so in its own words."""
    limit = int(max_unzipped_mb * 1024 * 1024)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ReadError(f"{path}: 压缩包内文件过多（{len(members)} 个，上限 {MAX_MEMBERS}），{_ADVICE}")
        declared = sum(m.file_size for m in members)
        if declared > limit:
            raise ReadError(f"{path}: 解压后过大（声明 {_mb(declared)}，上限 {_mb(limit)}），{_ADVICE}")
        odd = next((m for m in members if m.compress_type not in _METHODS), None)
        if odd is not None:
            raise ReadError(f"{path}: 压缩包使用了 Office 文件不用的压缩方式（{odd.filename}），{_ADVICE}")
        inflated = elements = 0
        part, element, element_cn = _ELEMENTS.get(path.suffix.lower(), ("", None, ""))
        for member in members:
            counted = element is not None and member.filename.startswith(part)
            tail = b""
            try:
                with archive.open(member) as f:
                    while chunk := f.read(_CHUNK):
                        inflated += len(chunk)
                        if inflated > limit:
                            raise ReadError(f"{path}: 解压后过大（超过上限 {_mb(limit)}），{_ADVICE}")
                        if counted:
                            found, tail = _count(element, tail + chunk)
                            elements += found
                            if elements > MAX_ELEMENTS:
                                raise ReadError(f"{path}: {element_cn}过多（超过 {MAX_ELEMENTS} 个），"
                                                "可能是异常文件，未导入")
            except (zipfile.BadZipFile, EOFError, OSError, ValueError,
                    NotImplementedError, RuntimeError) as e:
                raise ReadError(f"{path}: 压缩包已损坏（{member.filename}：{e}），未导入") from e


def _count(element: re.Pattern[bytes], data: bytes, keep: int = 8) -> tuple[int, bytes]:
    """Tags starting before the last `keep` bytes, and those bytes: a tag cut between two
    chunks is counted once, with the next chunk."""
    cut = len(data) - keep
    return sum(1 for m in element.finditer(data) if m.start() < cut), data[max(cut, 0):]


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
