"""Every file under corpus/lists ingested with build_batch, scored against the structured sources
(corpus/src/lists/*.json): precision and recall of (unit, list kind, item name) per row."""
import json
from pathlib import Path

from ingest.pipeline import build_batch
from ingest.taxonomy import load_taxonomy, norm
from tests.ingest._truth import assert_floor

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _truth() -> set[tuple[str, str, str]]:
    out = set()
    for f in sorted((CORPUS / "src" / "lists").glob("*.json")):
        src = json.loads(f.read_text("utf-8"))
        for kind, rows in src["lists"].items():
            for row in rows:
                if isinstance(row, list):  # a string is a group row, not an item
                    out.add((src["unit"], kind, norm(row[0])))
    return out


def _extracted() -> tuple[set[tuple[str, str, str]], int]:
    taxonomy = load_taxonomy(CORPUS / "taxonomy")
    out, n = set(), 0
    for path in sorted((CORPUS / "lists").iterdir()):
        batch, _ = build_batch(path, taxonomy)
        assert batch.document.kind == "duty_list", path
        owner = {r.end.key: r.start.key for r in batch.relationships if r.type == "HAS_DUTY"}
        for node in batch.nodes:
            if node.label == "Responsibility":
                n += 1
                out.add((owner.get(node.key, ""), node.props["list_kind"],
                         norm(node.props.get("name", ""))))
    return out, n


def test_list_rows_precision_and_recall():
    truth = _truth()
    got, rows = _extracted()
    assert_floor(f"duty-list rows ({rows} rows extracted)", truth, got, 0.95, show=10)
