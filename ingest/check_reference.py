"""The taxonomy tables as consistency-check reference data (kg.checks.model.Reference).

kg/ reads no files, so the alias and taxonomy tables are read here and handed over as plain
rows; each taxonomy row keeps its verbatim CSV line and line number, quoted in findings about
an incident type no plan covers or a hazard no expert field serves.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.taxonomy import Taxonomy
from kg.checks.model import OrgName, Reference, TableRow


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def table_rows(path: Path, table: str) -> list[TableRow]:
    """Rows of one taxonomy CSV with their verbatim line (rows do not span lines)."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    reader = csv.DictReader(io.StringIO(text))
    out: list[TableRow] = []
    for rec in reader:
        name = (rec.get("name") or "").strip()
        if not name or name.startswith("#"):
            continue
        line = reader.line_num
        out.append(TableRow(table=table, line=line, raw=lines[line - 1].strip(), name=name,
                            parent=(rec.get("parent") or "").strip(),
                            aliases=_split(rec.get("aliases")),
                            incident_types=_split(rec.get("incident_types")),
                            hazards=_split(rec.get("hazards"))))
    return out


def check_reference(taxonomy: Taxonomy) -> Reference:
    orgs = [OrgName(name=e.name, aliases=e.aliases, former_names=e.former_names)
            for e in taxonomy.organizations.entries.values()]
    directory = Path(taxonomy.source_dir) if taxonomy.source_dir else None
    if directory is None:
        return Reference(organizations=orgs)
    base = directory.name
    return Reference(
        organizations=orgs,
        incident_types=table_rows(directory / "incident_types.csv",
                                  f"{base}/incident_types.csv"),
        hazards=table_rows(directory / "hazards.csv", f"{base}/hazards.csv"),
        fields=table_rows(directory / "fields.csv", f"{base}/fields.csv"))
