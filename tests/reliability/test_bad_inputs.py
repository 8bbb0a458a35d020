"""The bad-input set, built here: each bad file fails alone with a Chinese message naming it,
next to a good document that is ingested as usual; a spreadsheet formula without its computed
value is ingested with a warning instead of silently losing the cells."""
from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from ingest.pipeline import ingest_paths
from ingest.taxonomy import load_taxonomy
from tests.kg.conformance import uid

ROOT = Path(__file__).resolve().parents[2]
GOOD = "示例县{tag}森林火灾专项应急预案\n\n1 总则\n森林火灾由示例县林业局牵头处置，示例县消防救援大队配合。\n"


def _bad_files(d: Path, tag: str) -> dict[str, str]:
    """file name → a word its failure message must contain."""
    pdf = (ROOT / "corpus" / "plans" / "power_outage_plan.pdf").read_bytes()
    files = {
        f"截断{tag}.pdf": pdf[: len(pdf) // 3],
        f"乱码{tag}.docx": random.Random(1).randbytes(5000),
        f"图片{tag}.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        f"空白{tag}.txt": b"",
        f"嵌套{tag}.html": b"<html><body>" + b"<div>" * 100_000 + "预案".encode() + b"</div>" * 100_000,
        f"超大{tag}.txt": "应急".encode() * 600_000,  # 3.4 MB, above the 1 MB limit set below
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    (d / f"循环{tag}.txt").symlink_to(d / f"循环{tag}.txt")
    return {n: n for n in files}


def test_each_bad_file_fails_alone(graph_store, tmp_path) -> None:
    tag = uid("")
    (tmp_path / f"好{tag}.txt").write_text(GOOD.format(tag=tag), encoding="gb18030")
    bad = _bad_files(tmp_path, tag)
    report = ingest_paths([tmp_path], graph_store, load_taxonomy(ROOT / "corpus" / "taxonomy"),
                          max_file_mb=1)
    by_name = {Path(r.path).name: r for r in report.files}
    assert by_name[f"好{tag}.txt"].status == "ingested"
    assert graph_store.document_version(f"好{tag}.txt")
    for name in bad:
        r = by_name.get(name)
        if r is None or r.status != "failed":
            # the deeply nested page may be read for its one word; never a crash
            assert name.startswith("嵌套") and r is not None, (name, r)
            continue
        assert name in r.error and "Traceback" not in r.error
        assert any("\u4e00" <= c <= "\u9fff" for c in r.error.replace(name, "")), r.error
        assert graph_store.document_version(name) is None


def test_uncomputed_formulas_are_a_warning(graph_store, tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "物资储备"
    ws.append(["序号", "物资名称", "数量", "存放地点"])
    ws.append([1, "冲锋舟", 6, "城东仓库"])
    ws.append([2, "救生衣", "=C2*50", "城东仓库"])
    path = tmp_path / f"{uid('物资')}.xlsx"
    wb.save(path)
    [r] = ingest_paths([path], graph_store, load_taxonomy(ROOT / "corpus" / "taxonomy")).files
    assert r.status == "ingested", r.error
    assert any("公式" in w and "第3行" in w for w in r.warnings), r.warnings
