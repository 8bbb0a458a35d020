"""Hostile Office files, generated at test time (never committed): a DOCX and an XLSX whose
main part inflates to hundreds of MB from a few hundred KB, and a DOCX whose headers lie
about its size (declares 1 KB, holds 300 MB)."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
import openpyxl

MB = 1024 * 1024


def _valid(kind: str) -> bytes:
    buf = io.BytesIO()
    if kind == "docx":
        d = docx.Document()
        d.add_paragraph("某区燃气事故专项应急预案")
        d.save(buf)
    else:
        wb = openpyxl.Workbook()
        wb.active.append(["序号", "单位", "职责"])
        wb.save(buf)
    return buf.getvalue()


def bomb(path: Path, expand_mb: int = 300) -> Path:
    """`path` (.docx or .xlsx) with its main XML part padded to `expand_mb` MB of spaces."""
    kind = path.suffix.lstrip(".")
    part = "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"
    src = zipfile.ZipFile(io.BytesIO(_valid(kind)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != part:
                out.writestr(info.filename, data)
                continue
            head, _, tail = data.partition(b"?>")
            with out.open(part, "w", force_zip64=True) as f:
                f.write(head + b"?>")
                pad = b" " * MB  # whitespace between the declaration and the root: valid XML
                for _ in range(expand_mb):
                    f.write(pad)
                f.write(tail)
    return path


def lying_bomb(path: Path, expand_mb: int = 300) -> Path:
    """A DOCX bomb whose headers (local and central) declare its big part as 1 KB."""
    bomb(path, expand_mb)
    raw = bytearray(path.read_bytes())
    name = b"word/document.xml"
    # signature → (offset of the 32-bit uncompressed size, of the name length, fixed length)
    layouts = {b"PK\x03\x04": (22, 26, 30), b"PK\x01\x02": (24, 28, 46)}
    for sig, (size_at, lengths_at, fixed) in layouts.items():
        at = 0
        while (at := raw.find(sig, at)) >= 0:
            name_len, extra_len = struct.unpack_from("<HH", raw, at + lengths_at)
            if sig == b"PK\x01\x02":
                extra_len = struct.unpack_from("<H", raw, at + 30)[0]
            if raw[at + fixed:at + fixed + name_len] == name:
                if struct.unpack_from("<I", raw, at + size_at)[0] != 0xFFFFFFFF:
                    struct.pack_into("<I", raw, at + size_at, 1024)
                extra, end = at + fixed + name_len, at + fixed + name_len + extra_len
                while extra + 4 <= end:  # a zip64 extra field holds the real sizes
                    tag, size = struct.unpack_from("<HH", raw, extra)
                    if tag == 1 and size >= 8:
                        struct.pack_into("<Q", raw, extra + 4, 1024)
                    extra += 4 + size
            at += 4
    path.write_bytes(bytes(raw))
    return path
