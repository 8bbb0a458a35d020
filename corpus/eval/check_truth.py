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
import re
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


# ------------------------------------------------------------------ expert library (area "experts")
def check_experts(incidents: dict, orgs: dict) -> str:
    """taxonomy/fields.csv, taxonomy/hazards.csv, src/experts/experts.csv, the generated roster and
    eval/parts/experts.*: canonical names, unambiguous taxonomy, every roster field resolvable, every
    hazard covered by some field except the planted hazard_without_expert ones, planted orphan
    incident types not covered by any plan, `expert` answers naming only in-library experts."""
    sys.path.insert(0, str(CORPUS / "builders"))
    try:
        import _experts_common as xc
    finally:
        sys.path.remove(str(CORPUS / "builders"))
    for path, header in ((xc.FIELDS, ["name", "aliases", "incident_types", "hazards"]),
                         (xc.HAZARDS, ["name", "aliases", "incident_types"])):
        if not path.is_file():
            err(f"{path.name}: missing")
            return ""
        with path.open(encoding="utf-8", newline="") as f:
            if csv.DictReader(f).fieldnames != header:
                err(f"{path.name}: header must be {','.join(header)}")
    fields = xc.load_fields()
    hazards = {r["name"].strip(): {"aliases": split_list(r["aliases"]),
                                   "incident_types": split_list(r["incident_types"])}
               for r in xc.read_csv(xc.HAZARDS)}
    _check_unambiguous("fields.csv", {n: f["aliases"] for n, f in fields.items()})
    _check_unambiguous("hazards.csv", {n: h["aliases"] for n, h in hazards.items()})
    # a field or hazard surface form must not also be an incident type or organisation name/alias
    other: dict[str, str] = {}
    for n, r in incidents.items():
        for a in [n] + r["aliases"]:
            other[a] = f"incident type {n}"
    for n, r in orgs.items():
        for a in [n] + r["aliases"] + r["former_names"]:
            other[a] = f"organisation {n}"
    seen_forms: dict[str, str] = {}
    for kind, table in (("field", fields), ("hazard", hazards)):
        for n, r in table.items():
            for a in [n] + r["aliases"]:
                if a in other:
                    err(f"{kind} {n}: '{a}' is also {other[a]}")
                if a in seen_forms and seen_forms[a] != f"{kind} {n}":
                    err(f"{kind} {n}: '{a}' is also {seen_forms[a]}")
                seen_forms[a] = f"{kind} {n}"
    for n, r in list(fields.items()) + list(hazards.items()):
        for t in r["incident_types"]:
            if t not in incidents:
                err(f"fields/hazards: {n} names unknown incident type {t}")
    for n, f in fields.items():
        for h in f["hazards"]:
            if h not in hazards:
                err(f"fields.csv: {n} names unknown hazard {h}")

    # roster source
    roster = xc.load_roster()
    lookup = xc.field_lookup(fields)
    in_library: dict[str, set[str]] = {f: set() for f in fields}
    status_of = {}
    for col in ("编号", "姓名"):
        for k, n in Counter(r[col] for r in roster).items():
            if n > 1:
                err(f"experts.csv: duplicate {col} {k}")
    for r in roster:
        who = f"experts.csv: {r['编号']} {r['姓名']}"
        status_of[r["姓名"]] = r["状态"]
        if r["状态"] not in xc.STATUSES:
            err(f"{who}: invalid 状态 {r['状态']}")
        if r["所在区域"] not in xc.REGIONS:
            err(f"{who}: invalid 所在区域 {r['所在区域']}")
        if r["专家组"] not in xc.GROUPS:
            err(f"{who}: invalid 专家组 {r['专家组']}")
        names, unknown = xc.normalise_fields(r["专业领域"], lookup)
        if unknown or not names:
            err(f"{who}: 专业领域 not in fields.csv: {unknown or r['专业领域']}")
        for phone in [p for p in re.split(r"[；;]", r["手机"]) if p.strip()] + ([r["办公电话"]] if r["办公电话"] else []):
            if "5555" not in phone.replace("-", "")[3:8]:
                err(f"{who}: phone {phone} is not in the fictional 5555 exchange")
        if r["状态"] == "退出" and (r["手机"] or r["办公电话"]):
            err(f"{who}: withdrawn expert still has phone numbers")
        if r["状态"] == "在库":
            for f in names:
                in_library[f].add(r["姓名"])
    for f, people in in_library.items():
        if not people:
            err(f"fields.csv: field {f} has no in-library expert")

    # planted issues of this area
    issues_path = CORPUS / "eval" / "parts" / "experts.issues.json"
    issues = json.loads(issues_path.read_text(encoding="utf-8")) if issues_path.is_file() else []
    for i in issues:
        if not (len(i["documents"]) == len(i["sections"]) == len(i["quotes"])):
            err(f"{i['id']}: documents, sections and quotes differ in length")
        for doc, quote in zip(i["documents"], i["quotes"]):
            path = CORPUS / doc
            u = units_for(doc)
            raw = decode_text(path.read_bytes())[0] if path.suffix in (".csv", ".txt", ".md") else ""
            if u is None or not (u.find(quote) or quote in raw):
                err(f"{i['id']}: quote not found verbatim in {doc}: {quote[:40]}…")
    planted_hazards = set()
    for i in issues:
        if i["kind"] == "hazard_without_expert":
            planted_hazards |= {q.split(",", 1)[0] for d, q in zip(i["documents"], i["quotes"])
                                if d == "taxonomy/hazards.csv"}

    # hazard coverage: a field covers a hazard directly or through an incident type (or its ancestors)
    def ancestors(t: str) -> set[str]:
        out = set()
        while t and t in incidents and t not in out:
            out.add(t)
            t = incidents[t]["parent"]
        return out

    for h, r in hazards.items():
        types = set().union(*[ancestors(t) for t in r["incident_types"]]) if r["incident_types"] else set()
        covered = [f for f, spec in fields.items()
                   if h in spec["hazards"] or types & set(spec["incident_types"])]
        covered = [f for f in covered if in_library[f]]
        if h in planted_hazards and covered:
            err(f"hazards.csv: planted hazard_without_expert {h} is covered by {covered}")
        if h not in planted_hazards and not covered:
            err(f"hazards.csv: hazard {h} has no in-library expert (not a planted issue)")

    # planted orphan incident types: no plan mentions the type or any alias
    for i in issues:
        if i["kind"] != "orphan_incident_type":
            continue
        for d, q in zip(i["documents"], i["quotes"]):
            if d != "taxonomy/incident_types.csv":
                continue
            t = q.split(",", 1)[0]
            forms = [t] + incidents.get(t, {}).get("aliases", [])
            if t not in incidents:
                err(f"{i['id']}: {t} is not in incident_types.csv")
            for p in sorted((CORPUS / "plans").iterdir()):
                u = units_for(f"plans/{p.name}")
                if u and any(f in u.full_text() for f in forms):
                    err(f"{i['id']}: orphan incident type {t} is mentioned in plans/{p.name}")

    # `expert` questions on the roster must accept only in-library experts
    everyone = set(status_of)
    qa_path = CORPUS / "eval" / "parts" / "experts.qa.jsonl"
    for r in read_jsonl(qa_path) if qa_path.is_file() else []:
        if r.get("type") == "expert" and r.get("source_file", "").startswith("experts/"):
            for a in r["accept"]:
                if a in everyone and status_of[a] != "在库":
                    err(f"{qa_path.name} {r['id']}: accepts {a}, who is {status_of[a]}")
    return (f"experts: {len(fields)} fields, {len(hazards)} hazards, {len(roster)} experts "
            f"({sum(1 for r in roster if r['状态'] == '在库')} in library), {len(issues)} planted issues")


# ------------------------------------------------------------------ special plans, area "special_a"
SPECIAL_A_PLANS = ("plans/construction_plan.pdf", "plans/road_traffic_plan.html",
                   "plans/fire_plan.docx", "plans/special_equipment_plan.txt")
ISSUE_KINDS = {
    "lead_conflict", "grading_conflict", "response_level_gap", "duty_missing_in_list",
    "list_duty_without_plan", "outdated_name", "superseded_regulation", "nonexistent_article",
    "dangling_plan_reference", "orphan_incident_type", "hazard_without_expert",
}


def check_special_a() -> str:
    """The four special plans of area special_a and eval/parts/special_a.*: formats (the special-
    equipment plan is GB18030 with CRLF), lead-unit rows only for these plans, QA ids prefixed,
    planted issues with a known kind, each quote verbatim in its document and inside the section
    path that corpus/eval/sections.py prints for it."""
    parts = CORPUS / "eval" / "parts"
    if not (parts / "special_a.issues.json").is_file():
        return ""
    for rel in SPECIAL_A_PLANS:
        if not (CORPUS / rel).is_file():
            err(f"special_a: {rel} missing (run corpus/build.py)")
            return ""
    raw = (CORPUS / "plans/special_equipment_plan.txt").read_bytes()
    if b"\r\n" not in raw or raw.replace(b"\r\n", b"").count(b"\n"):
        err("special_a: plans/special_equipment_plan.txt must use CRLF line ends only")
    if decode_text(raw)[1] != "gb18030":
        err("special_a: plans/special_equipment_plan.txt must be GB18030")
    for r in read_jsonl(parts / "special_a.lead_units.jsonl"):
        if r.get("file") not in SPECIAL_A_PLANS:
            err(f"special_a.lead_units.jsonl: file {r.get('file')} is not a special_a plan")
    qa = read_jsonl(parts / "special_a.qa.jsonl")
    for r in qa:
        if not str(r.get("id", "")).startswith("special_a-"):
            err(f"special_a.qa.jsonl: id {r.get('id')} lacks the special_a- prefix")
        if any(len(_norm(a)) < 2 for a in r.get("accept", [])):
            err(f"special_a.qa.jsonl {r.get('id')}: accept string too short to be specific")
    try:  # section paths as the ingest structure parser gives them
        sys.path.insert(0, str(CORPUS.parent))
        from ingest.readers import read_document
        from ingest.structure import parse_sections
    except ImportError:
        read_document = parse_sections = None
    finally:
        sys.path.remove(str(CORPUS.parent))
    issues = json.loads((parts / "special_a.issues.json").read_text(encoding="utf-8"))
    sections_of: dict[str, dict] = {}
    for i in issues:
        iid = i.get("id", "?")
        if not iid.startswith("special_a-"):
            err(f"special_a.issues.json: id {iid} lacks the special_a- prefix")
        if i.get("kind") not in ISSUE_KINDS:
            err(f"special_a.issues.json {iid}: unknown kind {i.get('kind')}")
        if not i.get("explanation"):
            err(f"special_a.issues.json {iid}: missing explanation")
        docs, secs, quotes = i.get("documents", []), i.get("sections", []), i.get("quotes", [])
        if not docs or not (len(docs) == len(secs) == len(quotes)):
            err(f"special_a.issues.json {iid}: documents, sections and quotes differ in length")
            continue
        for doc, sec, quote in zip(docs, secs, quotes):
            u = units_for(doc)
            if u is None or not u.find(quote):
                err(f"special_a.issues.json {iid}: quote not found verbatim in {doc}: {quote[:40]}…")
                continue
            if read_document is None:
                continue
            if doc not in sections_of:
                d = read_document(CORPUS / doc)
                sections_of[doc] = {s.path: s for s in parse_sections(d.blocks, d.title)}
            s = sections_of[doc].get(sec)
            if s is None:
                err(f"special_a.issues.json {iid}: no section {sec} in {doc}")
            elif quote not in s.text:
                err(f"special_a.issues.json {iid}: quote is not in section {sec} of {doc}")
    return f"special_a: {len(SPECIAL_A_PLANS)} plans, {len(qa)} questions, {len(issues)} planted issues"


DEPT_STREET_PLANS = ("plans/yjj_safety_dept_plan.docx", "plans/wjw_medical_dept_plan.md",
                      "plans/scjg_food_dept_plan.txt", "plans/fgj_residential_dept_plan.pdf",
                      "plans/donghu_street_plan.html", "plans/nanyuan_street_plan.txt",
                      "plans/beitang_town_plan.docx")


def check_dept_street() -> str:
    """Area dept_street (four department plans, three street/town plans) and
    eval/parts/dept_street.*: output encodings (market-supervision plan UTF-8 with BOM, Nanyuan plan
    GB18030 with CRLF only), lead-unit rows only for these plans, QA ids prefixed and accept strings
    not trivially short, planted issues of a known kind whose quotes are verbatim in the document
    and inside the section path that corpus/eval/sections.py prints."""
    parts = CORPUS / "eval" / "parts"
    if not (parts / "dept_street.issues.json").is_file():
        return ""
    for rel in DEPT_STREET_PLANS:
        if not (CORPUS / rel).is_file():
            err(f"dept_street: {rel} missing (run corpus/build.py)")
            return ""
    raw = (CORPUS / "plans/scjg_food_dept_plan.txt").read_bytes()
    if not raw.startswith(b"\xef\xbb\xbf"):
        err("dept_street: plans/scjg_food_dept_plan.txt must start with a UTF-8 BOM")
    raw = (CORPUS / "plans/nanyuan_street_plan.txt").read_bytes()
    if b"\r\n" not in raw or raw.replace(b"\r\n", b"").count(b"\n"):
        err("dept_street: plans/nanyuan_street_plan.txt must use CRLF line ends only")
    if decode_text(raw)[1] != "gb18030":
        err("dept_street: plans/nanyuan_street_plan.txt must be GB18030")
    for r in read_jsonl(parts / "dept_street.lead_units.jsonl"):
        if r.get("file") not in DEPT_STREET_PLANS:
            err(f"dept_street.lead_units.jsonl: file {r.get('file')} is not a dept_street plan")
    qa = read_jsonl(parts / "dept_street.qa.jsonl")
    for r in qa:
        if not str(r.get("id", "")).startswith("dept_street-"):
            err(f"dept_street.qa.jsonl: id {r.get('id')} lacks the dept_street- prefix")
        if any(len(_norm(a)) < 2 for a in r.get("accept", [])):
            err(f"dept_street.qa.jsonl {r.get('id')}: accept string too short to be specific")
    try:  # section paths as the ingest structure parser gives them
        sys.path.insert(0, str(CORPUS.parent))
        from ingest.readers import read_document
        from ingest.structure import parse_sections
    except ImportError:
        read_document = parse_sections = None
    finally:
        sys.path.remove(str(CORPUS.parent))
    issues = json.loads((parts / "dept_street.issues.json").read_text(encoding="utf-8"))
    sections_of: dict[str, dict] = {}
    for i in issues:
        iid = i.get("id", "?")
        if not iid.startswith("dept_street-"):
            err(f"dept_street.issues.json: id {iid} lacks the dept_street- prefix")
        if i.get("kind") not in ISSUE_KINDS:
            err(f"dept_street.issues.json {iid}: unknown kind {i.get('kind')}")
        if not i.get("explanation"):
            err(f"dept_street.issues.json {iid}: missing explanation")
        docs, secs, quotes = i.get("documents", []), i.get("sections", []), i.get("quotes", [])
        if not docs or not (len(docs) == len(secs) == len(quotes)):
            err(f"dept_street.issues.json {iid}: documents, sections and quotes differ in length")
            continue
        for doc, sec, quote in zip(docs, secs, quotes):
            u = units_for(doc)
            if u is None or not u.find(quote):
                err(f"dept_street.issues.json {iid}: quote not found verbatim in {doc}: {quote[:40]}…")
                continue
            if read_document is None:
                continue
            if doc not in sections_of:
                d = read_document(CORPUS / doc)
                sections_of[doc] = {s.path: s for s in parse_sections(d.blocks, d.title)}
            s = sections_of[doc].get(sec)
            if s is None:
                err(f"dept_street.issues.json {iid}: no section {sec} in {doc}")
            elif quote not in s.text:
                err(f"dept_street.issues.json {iid}: quote is not in section {sec} of {doc}")
    return f"dept_street: {len(DEPT_STREET_PLANS)} plans, {len(qa)} questions, {len(issues)} planted issues"


# ------------------------------------------------------------------ special plans, area "special_b"
SPECIAL_B_PLANS = {
    "plans/underground_space_plan.docx": "src/special_b/underground_space_plan.md",
    "plans/crowd_crush_plan.md": "src/special_b/crowd_crush_plan.md",
    "plans/power_outage_plan.pdf": "src/special_b/power_outage_plan.md",
    "plans/water_supply_drainage_plan.txt": "src/special_b/water_supply_drainage_plan.txt",
    "plans/production_safety_plan.html": "src/special_b/production_safety_plan.md",
}
SPECIAL_B_QA_MIN = {"lead_unit": 12, "support_units": 8, "plan_for_incident": 8, "grading": 6,
                    "response_level": 6, "resource": 6, "command_structure": 5, "member_duty": 5,
                    "consistency": 4, "free_text": 1}
SHARED_REGULATIONS = CORPUS.parent.parent / "shared" / "data" / "regulations"


def check_special_b() -> str:
    """The five special plans of area special_b and eval/parts/special_b.*: each plan present in
    its format (docx with heading styles and tables, markdown with a pipe table, pdf with a text
    layer, UTF-8 text with LF and sentences wrapped across lines, government-page html), 3,000–7,000
    characters of source; lead-unit rows only for these plans; QA ids prefixed, per-type minimums,
    accept strings specific; planted issues with a known kind, quotes verbatim and inside the printed
    section path; the dangling plan reference named by no other source; the nonexistent article
    absent from the regulation text in ../shared/data/regulations (when that directory exists)."""
    import re

    parts = CORPUS / "eval" / "parts"
    if not (parts / "special_b.issues.json").is_file():
        return ""
    for rel, src in SPECIAL_B_PLANS.items():
        path = CORPUS / rel
        if not path.is_file():
            err(f"special_b: {rel} missing (run corpus/build.py)")
            return ""
        body = (CORPUS / src).read_text(encoding="utf-8").split("\n", 1)[1]
        n = len("".join(body.split()))
        if not 3000 <= n <= 7000:
            err(f"special_b: {src} has {n} characters, expected 3,000–7,000")
    from docx import Document

    doc = Document(str(CORPUS / "plans/underground_space_plan.docx"))
    if len(doc.tables) < 2:
        err("special_b: plans/underground_space_plan.docx should hold its duty and grading tables")
    md = (CORPUS / "plans/crowd_crush_plan.md").read_text(encoding="utf-8")
    if not any(ln.startswith("| ") and "区公安分局" in ln for ln in md.splitlines()):
        err("special_b: plans/crowd_crush_plan.md has no lead/support pipe table")
    if "区发展改革委" not in units_for("plans/power_outage_plan.pdf").full_text():
        err("special_b: plans/power_outage_plan.pdf has no usable text layer")
    raw = (CORPUS / "plans/water_supply_drainage_plan.txt").read_bytes()
    if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw or decode_text(raw)[1] != "utf-8":
        err("special_b: plans/water_supply_drainage_plan.txt must be UTF-8 without BOM, LF line ends")
    lines = [ln for ln in raw.decode("utf-8", "replace").split("\n") if ln.strip()]
    wrapped = sum(1 for a in lines if len(a) > 30 and a[-1] not in "。；：:;！？）》”")
    if wrapped < 5:
        err("special_b: plans/water_supply_drainage_plan.txt should wrap sentences across lines")
    page = (CORPUS / "plans/production_safety_plan.html").read_text(encoding="utf-8")
    if 'id="zoom"' not in page or "breadcrumb" not in page:
        err("special_b: plans/production_safety_plan.html is not a government-portal page")

    for r in read_jsonl(parts / "special_b.lead_units.jsonl"):
        if r.get("file") not in SPECIAL_B_PLANS:
            err(f"special_b.lead_units.jsonl: file {r.get('file')} is not a special_b plan")
    qa = read_jsonl(parts / "special_b.qa.jsonl")
    types = Counter(r.get("type") for r in qa)
    for t, need in SPECIAL_B_QA_MIN.items():
        if types[t] < need:
            err(f"special_b.qa.jsonl: {types[t]} {t} questions, expected at least {need}")
    for r in qa:
        if not str(r.get("id", "")).startswith("special_b-"):
            err(f"special_b.qa.jsonl: id {r.get('id')} lacks the special_b- prefix")
        if any(len(_norm(a)) < 2 for a in r.get("accept", [])):
            err(f"special_b.qa.jsonl {r.get('id')}: accept string too short to be specific")

    try:  # section paths as the ingest structure parser gives them
        sys.path.insert(0, str(CORPUS.parent))
        from ingest.readers import read_document
        from ingest.structure import parse_sections
    except ImportError:
        read_document = parse_sections = None
    finally:
        sys.path.remove(str(CORPUS.parent))
    issues = json.loads((parts / "special_b.issues.json").read_text(encoding="utf-8"))
    sections_of: dict[str, dict] = {}
    sources = [p for p in (CORPUS / "src").rglob("*") if p.is_file() and p.suffix in (".md", ".txt", ".csv", ".json")]
    for i in issues:
        iid = i.get("id", "?")
        if not iid.startswith("special_b-"):
            err(f"special_b.issues.json: id {iid} lacks the special_b- prefix")
        if i.get("kind") not in ISSUE_KINDS:
            err(f"special_b.issues.json {iid}: unknown kind {i.get('kind')}")
        if not i.get("explanation"):
            err(f"special_b.issues.json {iid}: missing explanation")
        docs, secs, quotes = i.get("documents", []), i.get("sections", []), i.get("quotes", [])
        if not docs or not (len(docs) == len(secs) == len(quotes)):
            err(f"special_b.issues.json {iid}: documents, sections and quotes differ in length")
            continue
        for doc_rel, sec, quote in zip(docs, secs, quotes):
            u = units_for(doc_rel)
            if u is None or not u.find(quote):
                err(f"special_b.issues.json {iid}: quote not found verbatim in {doc_rel}: {quote[:40]}…")
                continue
            if read_document is not None:
                if doc_rel not in sections_of:
                    d = read_document(CORPUS / doc_rel)
                    sections_of[doc_rel] = {s.path: s for s in parse_sections(d.blocks, d.title)}
                s = sections_of[doc_rel].get(sec)
                if s is None:
                    err(f"special_b.issues.json {iid}: no section {sec} in {doc_rel}")
                elif quote not in s.text:
                    err(f"special_b.issues.json {iid}: quote is not in section {sec} of {doc_rel}")
            if i.get("kind") == "dangling_plan_reference":
                own = CORPUS / SPECIAL_B_PLANS.get(doc_rel, doc_rel)
                for title in re.findall(r"《(示例区[^》]*预案)》", quote):
                    for p in sources:
                        if p != own and title in p.read_text(encoding="utf-8", errors="replace"):
                            err(f"special_b.issues.json {iid}: 《{title}》 is named in {p.relative_to(CORPUS)}")
            if i.get("kind") == "nonexistent_article" and SHARED_REGULATIONS.is_dir():
                for title, art in re.findall(r"《([^》]+)》(第[零〇一二三四五六七八九十百]+条)", quote):
                    for reg in SHARED_REGULATIONS.glob("*.txt"):
                        text = reg.read_text(encoding="utf-8")
                        if text.startswith(f"# {title}\n") and re.search(rf"^{art}\s", text, re.M):
                            err(f"special_b.issues.json {iid}: {title}{art} exists in {reg.name}")
    return f"special_b: {len(SPECIAL_B_PLANS)} plans, {len(qa)} questions, {len(issues)} planted issues"


# ------------------------------------------------------------------ duty lists and regulations, area "lists_regs"
LISTS_REGS_QA_MIN = {"regulation_article": 18, "member_duty": 12, "consistency": 6}
LISTS_REGS_DOCS = ("regulations/plan_management_measures.docx",
                   "regulations/material_reserve_measures.pdf",
                   "regulations/shelter_provisions.txt",
                   "regulations/work_safety_committee_rules.html")
# cited titles that are not laws or normative documents (standards, forms)
NOT_IN_CATALOGUE = ("标准》", "推荐表》", "预案》")


def check_lists_regs() -> str:
    """Area lists_regs: the 四类清单 rendered from src/lists/*.json (every output present, the
    sample-data marker in each file, the 区房管局 责任清单 free of the duty another area plants as
    missing, the 区应急管理局 责任清单 free of 地震), the four local normative documents, the law
    catalogue (vocabulary, superseded_by resolving, every title cited in src/lists and
    src/regulations catalogued; titles cited elsewhere in src/ but missing are reported, not
    failed), and eval/parts/lists_regs.*: QA ids, per-type minimums, member_duty answered from a
    list file, issues with known kinds whose quotes sit verbatim in the printed section path."""
    import re

    parts = CORPUS / "eval" / "parts"
    if not (parts / "lists_regs.issues.json").is_file():
        return ""
    src = CORPUS / "src" / "lists"
    outputs: list[str] = []
    for path in sorted(src.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for o in data.get("outputs", []):
            outputs.append(o["path"])
        kinds = set(data.get("lists", {}))
        if "责任清单" not in kinds:
            err(f"lists_regs: src/lists/{path.name} has no 责任清单")
        duty_text = json.dumps(data["lists"].get("责任清单", []), ensure_ascii=False)
        if data.get("unit") == "区房管局" and ("燃气" in duty_text or "物业" in duty_text):
            err("lists_regs: the 区房管局 责任清单 must not hold 燃气/物业 duties (planted as missing by dept_street)")
        if data.get("unit") == "区应急管理局" and "地震" in duty_text:
            err("lists_regs: the 区应急管理局 责任清单 must keep lacking 地震 (planted duty_missing_in_list)")
    for rel in outputs + list(LISTS_REGS_DOCS) + ["regulations/catalogue.csv"]:
        u = units_for(rel)
        if u is None:
            err(f"lists_regs: {rel} missing (run corpus/build.py)")
            continue
        if rel != "regulations/catalogue.csv" and SAMPLE_MARK not in u.full_text():
            err(f"lists_regs: {rel} lacks the sample-data marker {SAMPLE_MARK}")
    # law catalogue
    with (CORPUS / "regulations" / "catalogue.csv").open(encoding="utf-8", newline="") as f:
        cat = list(csv.DictReader(f))
    keys = {f"{r['title']}（{r['version_date']}）" for r in cat}
    titles = {r["title"] for r in cat}
    for r in cat:
        if r["superseded_by"] and r["superseded_by"] not in keys:
            err(f"lists_regs: catalogue superseded_by {r['superseded_by']} matches no row")
        sf = r["source_file"]
        if sf and not sf.startswith("../") and not (CORPUS / sf).is_file():
            err(f"lists_regs: catalogue source_file {sf} not found")
        # national texts: "../shared/..." from the repository root, as DESIGN.md and tests use it
        if sf.startswith("../") and (CORPUS.parent.parent / "shared").is_dir() \
                and not (CORPUS.parent / sf).is_file():
            err(f"lists_regs: catalogue source_file {sf} not found")
    cited = re.compile(r"《([^《》]+)》")
    missing_own, missing_other = set(), set()
    for path in sorted((CORPUS / "src").rglob("*")):
        if path.suffix not in (".md", ".txt", ".json") or not path.is_file() \
                or path.name.upper().startswith("README"):
            continue
        own = path.parent.name in ("lists", "regulations")
        for t in cited.findall(path.read_text(encoding="utf-8")):
            if t in titles or any(f"《{t}》".endswith(s) for s in NOT_IN_CATALOGUE):
                continue
            (missing_own if own else missing_other).add(t)
    for t in sorted(missing_own):
        err(f"lists_regs: 《{t}》 is cited in src/lists or src/regulations but not in regulations/catalogue.csv")
    # QA
    qa = read_jsonl(parts / "lists_regs.qa.jsonl")
    types = Counter(r.get("type") for r in qa)
    for t, n in LISTS_REGS_QA_MIN.items():
        if types[t] < n:
            err(f"lists_regs.qa.jsonl: {types[t]} {t} questions, need at least {n}")
    for r in qa:
        if not str(r.get("id", "")).startswith("lists_regs-"):
            err(f"lists_regs.qa.jsonl: id {r.get('id')} lacks the lists_regs- prefix")
        if any(len(_norm(a)) < 2 for a in r.get("accept", [])):
            err(f"lists_regs.qa.jsonl {r.get('id')}: accept string too short to be specific")
        if r.get("type") == "member_duty" and not str(r.get("source_file", "")).startswith("lists/"):
            err(f"lists_regs.qa.jsonl {r.get('id')}: member_duty must be answered from a list file")
    # planted issues
    try:  # section paths as the ingest structure parser gives them
        sys.path.insert(0, str(CORPUS.parent))
        from ingest.readers import read_document
        from ingest.structure import parse_sections
    except ImportError:
        read_document = parse_sections = None
    finally:
        sys.path.remove(str(CORPUS.parent))
    issues = json.loads((parts / "lists_regs.issues.json").read_text(encoding="utf-8"))
    sections_of: dict[str, list] = {}
    for i in issues:
        iid = i.get("id", "?")
        if not iid.startswith("lists_regs-"):
            err(f"lists_regs.issues.json: id {iid} lacks the lists_regs- prefix")
        if i.get("kind") not in ISSUE_KINDS:
            err(f"lists_regs.issues.json {iid}: unknown kind {i.get('kind')}")
        if not i.get("explanation"):
            err(f"lists_regs.issues.json {iid}: missing explanation")
        docs, secs, quotes = i.get("documents", []), i.get("sections", []), i.get("quotes", [])
        if not docs or not (len(docs) == len(secs) == len(quotes)):
            err(f"lists_regs.issues.json {iid}: documents, sections and quotes differ in length")
            continue
        for doc, sec, quote in zip(docs, secs, quotes):
            u = units_for(doc)
            if u is None or not u.find(quote):
                err(f"lists_regs.issues.json {iid}: quote not found verbatim in {doc}: {quote[:40]}…")
                continue
            if read_document is None:
                continue
            if doc not in sections_of:
                d = read_document(CORPUS / doc)
                sections_of[doc] = parse_sections(d.blocks, d.title)
            here = [s for s in sections_of[doc] if s.path == sec]
            if not here:
                err(f"lists_regs.issues.json {iid}: no section {sec} in {doc}")
            elif not any(quote in b.text or any(quote in c for c in (b.cells or []))
                         for b in here[0].blocks):
                err(f"lists_regs.issues.json {iid}: quote is not in section {sec} of {doc}")
    summary = (f"lists_regs: {len(outputs)} list files, {len(cat)} catalogue rows, {len(qa)} questions, "
               f"{len(issues)} planted issues")
    if missing_other:
        summary += f"\n  (not in regulations/catalogue.csv, cited by other areas: {'、'.join(sorted(missing_other))})"
    return summary


def main(argv: list[str]) -> int:
    incidents = load_incident_types()
    orgs = load_organizations()
    check_plans()
    lead_rows = check_lead_units(incidents, orgs)
    qa_rows = check_dev_qa()
    experts_summary = check_experts(incidents, orgs)
    special_a_summary = check_special_a()
    special_b_summary = check_special_b()
    dept_street_summary = check_dept_street()
    lists_regs_summary = check_lists_regs()
    if "--coverage" in argv:
        coverage(lead_rows)
    by_file = Counter(r.get("file") for r in lead_rows)
    by_type = Counter(r.get("type") for r in qa_rows)
    print(f"taxonomy: {len(incidents)} incident types, {len(orgs)} organizations")
    print(f"lead_units.jsonl: {len(lead_rows)} statements " + ", ".join(f"{k}={v}" for k, v in sorted(by_file.items())))
    print(f"dev_qa.jsonl: {len(qa_rows)} questions " + ", ".join(f"{k}={v}" for k, v in sorted(by_type.items())))
    if experts_summary:
        print(experts_summary)
    if special_a_summary:
        print(special_a_summary)
    if special_b_summary:
        print(special_b_summary)
    if dept_street_summary:
        print(dept_street_summary)
    if lists_regs_summary:
        print(lists_regs_summary)
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  -", e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
