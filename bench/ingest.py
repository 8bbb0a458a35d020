"""Ingest speed: pages per second for a cold first ingest and a warm `--force` re-ingest.

Usage: python bench/ingest.py [--sets sample,real] [--keep]
Sets: `sample` is corpus/; `real` is ../shared/data/real/docs + ../shared/data/regulations.
A page is 700 characters of extracted text. Each set gets its own data dir (data_bench_<set>,
removed first, so the first run is a true first ingest: graph server start, model conversion);
the second run re-ingests the same files with --force into it. Each run is a fresh process, as
`yingji ingest` is; "wall" includes process start and imports. Per phase: server start (open),
read, structure, extract, write, model (conversion and loading), embed, index (lexical), and the
peak RSS of the ingesting process and of the graph server. Exits with 2 and a one-line reason when inputs are missing
(`make bench` runs it).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's packages, also in the child processes
SETS = {"sample": ["corpus"],
        "real": ["../shared/data/real/docs", "../shared/data/regulations"]}
PAGE_CHARS = 700
PHASES = ["open", "read", "structure", "extract", "write", "model", "embed", "index"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="sample,real")
    ap.add_argument("--keep", action="store_true", help="leave the data dirs and servers")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--data-dir", help=argparse.SUPPRESS)
    ap.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.chdir(ROOT)
    if args.child:
        _child(Path(args.data_dir), [Path(p) for p in args.paths], args.force)
        return
    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    for name in names:
        if name not in SETS:
            sys.stderr.write(f"bench: unknown set {name} (known: {', '.join(SETS)})\n")
            sys.exit(2)
        missing = [p for p in SETS[name] if not (ROOT / p).is_dir()]
        if missing:
            sys.stderr.write(f"bench: set {name} has no input {missing[0]} "
                             f"(relative to {ROOT})\n")
            sys.exit(2)
    print(f"cpus={os.cpu_count()} page={PAGE_CHARS} chars; seconds per phase")
    for name in names:
        _bench_set(name, SETS[name], keep=args.keep)


def _bench_set(name: str, paths: list[str], *, keep: bool) -> None:
    files, chars = _extracted_chars([Path(p) for p in paths])
    pages = chars / PAGE_CHARS
    data = ROOT / f"data_bench_{name}"
    _stop(data)
    shutil.rmtree(data, ignore_errors=True)
    print(f"\n[{name}] {' + '.join(paths)}: {files} files, {chars} chars = {pages:.1f} pages")
    try:
        for label, force in (("cold", False), ("warm", True)):
            r = _run(data, paths, force)
            ingest_s = sum(r["phases"].get(p, 0.0) for p in PHASES)
            core = sum(r["phases"].get(p, 0.0) for p in ("read", "structure", "extract", "write"))
            print(f"  {label}: wall {r['wall']:.1f}s = {pages / r['wall']:.1f} pages/s "
                  f"(start+imports {r['wall'] - ingest_s:.1f}s; read→write {core:.1f}s = "
                  f"{pages / max(core, 1e-9):.1f} pages/s); files ingested {r['ingested']}, "
                  f"failed {r['failed']}; peak RSS {r['rss_mb']:.0f} MB "
                  f"(graph server {_server_rss_mb(data):.0f} MB)")
            print("        " + "  ".join(f"{p} {r['phases'].get(p, 0.0):.2f}" for p in PHASES))
    finally:
        if not keep:
            _stop(data)
            shutil.rmtree(data, ignore_errors=True)


def _extracted_chars(paths: list[Path]) -> tuple[int, int]:
    from ingest.catalogue import split_catalogues
    from ingest.pipeline import discover
    from ingest.readers import read_document

    _, files = split_catalogues(discover(paths))
    return len(files), sum(len(read_document(f).full_text()) for f in files)


def _run(data: Path, paths: list[str], force: bool) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--data-dir", str(data),
           *(["--force"] if force else []), *paths]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-2000:])
        sys.stderr.write(f"bench: ingest into {data} failed (exit {proc.returncode})\n")
        sys.exit(1)
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    r["wall"] = wall
    return r


def _child(data: Path, paths: list[Path], force: bool) -> None:
    """One `yingji ingest` as the CLI runs it, with the index build timed by part."""
    import retrieval.embedder as embedder_mod
    import retrieval.passages as passages
    from kg.settings import load_settings
    from ui import services

    phases: dict[str, float] = {}

    def timed(name: str, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    # Model conversion and loading are counted apart from embedding the passages.
    load = embedder_mod.SentenceTransformerEmbedder._load
    embedder_mod.SentenceTransformerEmbedder._load = timed("load", load)
    services.prepare = timed("model", services.prepare)
    vector = passages.build_vector_index
    passages.build_vector_index = timed("embed", vector)
    passages.build_lexical_index = timed("index", passages.build_lexical_index)
    services.open_store = timed("open", services.open_store)

    settings = load_settings(data)
    report = services.ingest(settings, paths, force=force)
    for f in report.files:
        for k, v in f.seconds.items():
            phases[k] = phases.get(k, 0.0) + v
    # The model is loaded lazily, inside the first embedding call: counted once, as model.
    load_s = phases.pop("load", 0.0)
    phases["model"] = phases.get("model", 0.0) + load_s
    phases["embed"] = phases.get("embed", 0.0) - load_s
    print(json.dumps({
        "phases": phases,
        "ingested": sum(f.status == "ingested" for f in report.files),
        "failed": len(report.failed),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _stop(data: Path) -> None:
    if not data.exists():
        return
    from kg.backends.arcadedb_server import stop_server
    from kg.settings import load_settings

    stop_server(load_settings(data))


def _server_rss_mb(data: Path) -> float:
    """Peak RSS of the data dir's graph server (Linux /proc), 0 when unknown."""
    from kg.backends.arcadedb_server import server_status
    from kg.settings import load_settings

    info = server_status(load_settings(data))
    try:
        status = Path(f"/proc/{info.pid}/status").read_text() if info else ""
    except OSError:
        return 0.0
    hwm = [ln.split()[1] for ln in status.splitlines() if ln.startswith("VmHWM:")]
    return int(hwm[0]) / 1024 if hwm else 0.0


if __name__ == "__main__":
    main()
