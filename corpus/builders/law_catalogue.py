"""The law catalogue of the sample corpus: regulations/catalogue.csv (示例数据，虚构内容 for 示例市/示例区 rows).

Source: corpus/src/regulations/catalogue.csv (UTF-8), one row per law *version*:

  title,short_title,level,issuer,version_date,effective_date,status,superseded_by,source_file

  level          法律 | 行政法规 | 部门规章 | 地方性法规 | 地方政府规章 | 规范性文件
  version_date   date the version was adopted/amended/issued (ISO); effective_date likewise
  status         现行有效 | 已修订 | 已废止 — as of 2025-03-31 (the latest document date in the corpus)
  superseded_by  "<title>（<version_date>）" of the row that replaced this version; empty if none
                 (or if it was replaced by something that is not a law, e.g. a department plan)
  source_file    the full text when there is one: a path relative to corpus/ for the corpus's own
                 documents (regulations/...), or for the national texts kept outside the repo
                 "../shared/data/regulations/..." relative to the repository root (as DESIGN.md
                 and the tests use it); empty otherwise

Every law or normative document cited with 《…》 in corpus/src/** (plans, lists, regulations) has
a row; 预案 titles and technical standards are not laws and are not listed. National laws are
real; 示例市 and 示例区 documents are fictional.

This module validates the source and writes it unchanged (LF line ends, UTF-8 without BOM).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
SRC = CORPUS / "src" / "regulations" / "catalogue.csv"
HEADER = ["title", "short_title", "level", "issuer", "version_date", "effective_date", "status",
          "superseded_by", "source_file"]
LEVELS = {"法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "规范性文件"}
STATUSES = {"现行有效", "已修订", "已废止"}


def _rows() -> list[dict]:
    text = SRC.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != HEADER:
        raise SystemExit(f"{SRC.name}: header must be {','.join(HEADER)}")
    return list(reader)


def validate(rows: list[dict]) -> None:
    keys = {}
    for i, r in enumerate(rows, 2):
        where = f"src/regulations/{SRC.name}:{i}"
        if r["level"] not in LEVELS:
            raise SystemExit(f"{where}: level {r['level']!r} not in {sorted(LEVELS)}")
        if r["status"] not in STATUSES:
            raise SystemExit(f"{where}: status {r['status']!r} not in {sorted(STATUSES)}")
        key = f"{r['title']}（{r['version_date']}）"
        if key in keys:
            raise SystemExit(f"{where}: duplicate version {key}")
        keys[key] = r
        if r["status"] == "现行有效" and r["superseded_by"]:
            raise SystemExit(f"{where}: a 现行有效 version cannot be superseded")
        if r["status"] == "已修订" and not r["superseded_by"]:
            raise SystemExit(f"{where}: an 已修订 version needs superseded_by")
    current: dict[str, int] = {}
    for r in rows:
        if r["superseded_by"] and r["superseded_by"] not in keys:
            raise SystemExit(f"{SRC.name}: superseded_by {r['superseded_by']} matches no row")
        if r["status"] == "现行有效":
            current[r["title"]] = current.get(r["title"], 0) + 1
        if r["source_file"] and not r["source_file"].startswith("../"):
            # in-corpus texts are generated files; make sure the name is one a source produces
            if not (CORPUS / r["source_file"]).parent.name == "regulations":
                raise SystemExit(f"{SRC.name}: source_file {r['source_file']} is not under regulations/")
    for title, n in current.items():
        if n > 1:
            raise SystemExit(f"{SRC.name}: {title} has {n} versions marked 现行有效")


def build() -> dict[str, bytes]:
    rows = _rows()
    validate(rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return {"regulations/catalogue.csv": buf.getvalue().encode("utf-8")}
