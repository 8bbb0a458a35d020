#!/usr/bin/env python3
"""Verify the hand-written ground truth of the sample corpus (示例数据，虚构内容).

Checks
  taxonomy/incident_types.csv  header, parents exist, aliases unambiguous
  taxonomy/organizations.csv   header, kinds valid, aliases/former names unambiguous
  eval/lead_units.jsonl        every evidence occurs verbatim in the file's text
                               (docx: a paragraph or a table cell; txt/md: decoded UTF-8 or
                               GB18030, CRLF normalised), every incident type and org is a
                               canonical taxonomy name, every org is mentioned (by name, alias or
                               former name) in the evidence or, for table cells, in the same row
  eval/dev_qa.jsonl            ids unique, fields present, evidence verbatim in source_file,
                               the reference answer satisfies its own accept list
  plans/                       formats required by the corpus brief are present, every plan
                               carries the sample-data marker, the GB18030 file is not UTF-8

Usage:  python corpus/eval/check_truth.py [--coverage]
  --coverage  also list plan lines that mention 牵头/配合 but are not used as evidence
              (for manual review; work-group and duty sentences are expected there).
Exit status 0 when everything passes.
"""
from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
SAMPLE_MARK = "（示例数据，虚构内容）"
ORG_KINDS = {"区级部门", "街镇", "指挥机构", "队伍", "企业"}
CATEGORIES = {"自然灾害", "事故灾难", "公共卫生事件", "社会安全事件"}
QA_TYPES = {
    "lead_unit", "support_units", "plan_for_incident", "member_duty", "grading",
    "response_level", "expert", "expert_rule", "resource", "regulation_article",
    "command_structure", "consistency", "free_text",
}

errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


# ------------------------------------------------------------------ reading files
def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) for a plain-text file in UTF-8 (optionally BOM) or GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


class Units:
    """Text units of one file: paragraphs/lines, table cells, and per-cell row context."""

    def __init__(self, path: Path):
        self.path = path
        self.encoding = None
        self.units: list[str] = []
        self.row_of: dict[str, list[str]] = {}  # cell text -> texts of rows containing it
        suffix = path.suffix.lower()
        if suffix == ".docx":
            self._read_docx()
        elif suffix == ".pdf":
            self._read_pdf()
        elif suffix in (".html", ".htm"):
            self._read_html()
        elif suffix == ".xlsx":
            self._read_xlsx()
        elif suffix == ".csv":
            self._read_csv()
        else:
            text, self.encoding = decode_text(path.read_bytes())
            self.units = [ln for ln in text.replace("\r\n", "\n").split("\n")]

    def _read_docx(self) -> None:
        from docx import Document  # python-docx

        doc = Document(str(self.path))
        self.units.extend(p.text for p in doc.paragraphs)
        for table in doc.tables:
            for row in table.rows:
                cells = [c.text for c in row.cells]
                row_text = "\t".join(cells)
                for c in cells:
                    self.units.append(c)
                    self.row_of.setdefault(c, []).append(row_text)

    def _add_row(self, cells: list[str]) -> None:
        row_text = "\t".join(cells)
        for c in cells:
            self.units.append(c)
            self.row_of.setdefault(c, []).append(row_text)

    def _read_pdf(self) -> None:
        """PDF lines wrap mid-sentence: the text layer is joined into one unit, lines removed."""
        import pypdf

        reader = pypdf.PdfReader(str(self.path))
        text = "".join(page.extract_text() or "" for page in reader.pages)
        self.units = ["".join(text.split("\n"))]

    def _read_html(self) -> None:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(self.path.read_bytes(), "html.parser")
        for el in soup.find_all(["h1", "h2", "h3", "p", "div", "span", "title"]):
            if el.name in ("div", "span") and el.find(["p", "div", "table"]):
                continue
            t = el.get_text(strip=True)
            if t:
                self.units.append(t)
        for tr in soup.find_all("tr"):
            self._add_row([td.get_text(strip=True) for td in tr.find_all(["td", "th"])])

    def _read_xlsx(self) -> None:
        import openpyxl

        wb = openpyxl.load_workbook(str(self.path), read_only=True, data_only=True)
        for ws in wb.worksheets:
            self.units.append(ws.title)
            for row in ws.iter_rows(values_only=True):
                cells = ["" if v is None else str(v) for v in row]
                if any(cells):
                    self._add_row(cells)

    def _read_csv(self) -> None:
        text, self.encoding = decode_text(self.path.read_bytes())
        for row in csv.reader(text.splitlines()):
            self._add_row(row)

    def find(self, evidence: str) -> list[str]:
        return [u for u in self.units if evidence in u]

    def full_text(self) -> str:
        return "\n".join(self.units)


_cache: dict[str, Units] = {}


def units_for(rel: str) -> Units | None:
    if rel not in _cache:
        path = CORPUS / rel
        if not path.is_file():
            return None
        _cache[rel] = Units(path)
    return _cache[rel]


# ------------------------------------------------------------------ taxonomy
def split_list(s: str) -> list[str]:
    return [x.strip() for x in (s or "").split("|") if x.strip()]


def load_incident_types() -> dict[str, dict]:
    path = CORPUS / "taxonomy" / "incident_types.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["name", "parent", "aliases"]:
            err(f"{path.name}: header must be name,parent,aliases, got {reader.fieldnames}")
        rows = {}
        for r in reader:
            if r["name"] in rows:
                err(f"{path.name}: duplicate name {r['name']}")
            rows[r["name"]] = {"parent": r["parent"].strip(), "aliases": split_list(r["aliases"])}
    for name, r in rows.items():
        if not r["parent"]:
            if name not in CATEGORIES:
                err(f"{path.name}: top-level type {name} is not one of the four categories")
        elif r["parent"] not in rows:
            err(f"{path.name}: {name} has unknown parent {r['parent']}")
    missing = CATEGORIES - set(rows)
    if missing:
        err(f"{path.name}: missing categories {sorted(missing)}")
    _check_unambiguous(path.name, {n: r["aliases"] for n, r in rows.items()})
    return rows


def load_organizations() -> dict[str, dict]:
    path = CORPUS / "taxonomy" / "organizations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["name", "aliases", "former_names", "kind"]:
            err(f"{path.name}: header must be name,aliases,former_names,kind, got {reader.fieldnames}")
        rows = {}
        for r in reader:
            if r["name"] in rows:
                err(f"{path.name}: duplicate name {r['name']}")
            if r["kind"] not in ORG_KINDS:
                err(f"{path.name}: {r['name']} has invalid kind {r['kind']}")
            rows[r["name"]] = {
                "aliases": split_list(r["aliases"]),
                "former_names": split_list(r["former_names"]),
                "kind": r["kind"],
            }
    _check_unambiguous(path.name, {n: r["aliases"] + r["former_names"] for n, r in rows.items()})
    return rows


def _check_unambiguous(fname: str, names: dict[str, list[str]]) -> None:
    owner: dict[str, str] = {n: n for n in names}
    for canon, alts in names.items():
        for a in alts:
            if a in owner and owner[a] != canon:
                err(f"{fname}: '{a}' maps to both {owner[a]} and {canon}")
            owner.setdefault(a, canon)


# ------------------------------------------------------------------ checks
def read_jsonl(path: Path) -> list[dict]:
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            err(f"{path.name}:{i}: invalid JSON ({e})")
    return out


def check_lead_units(incidents: dict, orgs: dict) -> list[dict]:
    path = CORPUS / "eval" / "lead_units.jsonl"
    rows = read_jsonl(path)
    seen = Counter()
    for i, r in enumerate(rows, 1):
        where = f"{path.name}:{i}"
        for k in ("file", "incident_type", "lead", "support", "evidence"):
            if k not in r:
                err(f"{where}: missing field {k}")
        if any(k not in r for k in ("file", "incident_type", "lead", "support", "evidence")):
            continue
        seen[(r["file"], r["incident_type"], r["evidence"])] += 1
        if r["incident_type"] not in incidents:
            err(f"{where}: incident_type {r['incident_type']} not in incident_types.csv")
        if not r["lead"] and not r["support"]:
            err(f"{where}: both lead and support are empty")
        for org in r["lead"] + r["support"]:
            if org not in orgs:
                err(f"{where}: org {org} is not a canonical name in organizations.csv")
        if set(r["lead"]) & set(r["support"]):
            err(f"{where}: org both lead and support: {set(r['lead']) & set(r['support'])}")
        u = units_for(r["file"])
        if u is None:
            err(f"{where}: file {r['file']} not found")
            continue
        hits = u.find(r["evidence"])
        if not hits:
            err(f"{where}: evidence not found verbatim in {r['file']}: {r['evidence'][:40]}…")
            continue
        # every org must be named in the evidence, or (table cell) in the same table row
        context = r["evidence"]
        for h in hits:
            for row_text in u.row_of.get(h, []):
                context += "\n" + row_text
        for org in r["lead"] + r["support"]:
            if org not in orgs:
                continue
            names = [org] + orgs[org]["aliases"] + orgs[org]["former_names"]
            if not any(n in context for n in names):
                err(f"{where}: org {org} is not mentioned in the evidence or its table row")
    for key, n in seen.items():
        if n > 1:
            err(f"{path.name}: duplicate entry {key[0]} / {key[1]}")
    return rows


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def check_dev_qa() -> list[dict]:
    path = CORPUS / "eval" / "dev_qa.jsonl"
    rows = read_jsonl(path)
    ids = Counter(r.get("id") for r in rows)
    for k, n in ids.items():
        if n > 1:
            err(f"{path.name}: duplicate id {k}")
    for i, r in enumerate(rows, 1):
        where = f"{path.name}:{i} ({r.get('id')})"
        for k in ("id", "question", "type", "answer", "accept", "source_file", "evidence"):
            if k not in r or r[k] in ("", None, []):
                err(f"{where}: missing or empty field {k}")
        if any(k not in r for k in ("type", "answer", "accept", "source_file", "evidence")):
            continue
        if r["type"] not in QA_TYPES:
            err(f"{where}: unknown type {r['type']}")
        if not any(_norm(a) in _norm(r["answer"]) for a in r["accept"]):
            err(f"{where}: reference answer matches none of its accept strings")
        u = units_for(r["source_file"])
        if u is None:
            err(f"{where}: source_file {r['source_file']} not found")
        elif not u.find(r["evidence"]):
            err(f"{where}: evidence not found verbatim in {r['source_file']}: {r['evidence'][:40]}…")
    return rows


def check_plans() -> None:
    plans = sorted((CORPUS / "plans").iterdir())
    kinds = set()
    for p in plans:
        rel = f"plans/{p.name}"
        u = units_for(rel)
        if u is None:
            continue
        if SAMPLE_MARK not in u.full_text():
            err(f"{rel}: missing sample-data marker {SAMPLE_MARK}")
        if p.suffix == ".docx":
            kinds.add("docx")
            from docx import Document

            doc = Document(str(p))
            styles = {para.style.name for para in doc.paragraphs}
            if not {"Heading 1", "Heading 2"} <= styles:
                err(f"{rel}: expected Word heading styles, found {sorted(styles)}")
            if not doc.tables:
                err(f"{rel}: expected at least one table")
        elif p.suffix == ".md":
            kinds.add("md")
        elif p.suffix == ".txt":
            kinds.add(f"txt-{u.encoding}")
            if u.encoding == "gb18030":
                try:
                    p.read_bytes().decode("utf-8")
                    err(f"{rel}: declared GB18030 but decodes as UTF-8")
                except UnicodeDecodeError:
                    pass
    for need in ("docx", "md", "txt-utf-8", "txt-gb18030"):
        if need not in kinds:
            err(f"plans/: no file of kind {need}")


def coverage(lead_rows: list[dict]) -> None:
    used: dict[str, list[str]] = {}
    for r in lead_rows:
        used.setdefault(r["file"], []).append(r["evidence"])
    print("\n--- lines mentioning 牵头/配合 that are not lead-unit evidence (review) ---")
    for p in sorted((CORPUS / "plans").iterdir()):
        rel = f"plans/{p.name}"
        u = units_for(rel)
        for line in dict.fromkeys(u.units):
            if ("牵头" in line or "配合" in line) and not any(e in line for e in used.get(rel, [])):
                print(f"{rel}: {line[:90]}")


def main(argv: list[str]) -> int:
    incidents = load_incident_types()
    orgs = load_organizations()
    check_plans()
    lead_rows = check_lead_units(incidents, orgs)
    qa_rows = check_dev_qa()
    if "--coverage" in argv:
        coverage(lead_rows)
    by_file = Counter(r.get("file") for r in lead_rows)
    by_type = Counter(r.get("type") for r in qa_rows)
    print(f"taxonomy: {len(incidents)} incident types, {len(orgs)} organizations")
    print(f"lead_units.jsonl: {len(lead_rows)} statements " + ", ".join(f"{k}={v}" for k, v in sorted(by_file.items())))
    print(f"dev_qa.jsonl: {len(qa_rows)} questions " + ", ".join(f"{k}={v}" for k, v in sorted(by_type.items())))
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  -", e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
