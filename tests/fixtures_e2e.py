"""A corpus ingested through the real CLI into its own data dir and graph server."""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REGULATIONS = ROOT.parent / "shared" / "data" / "regulations"


def yingji(*args: str, env: dict, stdin: str | None = None, timeout: int = 600):
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


@contextmanager
def assistant_over(paths: list[Path], data: Path, model_dir: Path,
                   taxonomy_dir: Path = CORPUS / "taxonomy"):
    """An Assistant over `paths` ingested through the real CLI into a data dir of their own."""
    from kg.settings import Settings
    from ui import services

    env = {**os.environ, "YINGJI_DATA_DIR": str(data), "YINGJI_MODEL_DIR": str(model_dir),
           "YINGJI_TAXONOMY_DIR": str(taxonomy_dir)}
    r = yingji("ingest", *map(str, paths), env=env, timeout=1800)
    assert r.returncode == 0, r.stdout + r.stderr
    settings = Settings(data_dir=Path(data), model_dir=Path(model_dir),
                        taxonomy_dir=taxonomy_dir)
    try:
        with services.assistant(settings) as assistant:
            yield assistant
    finally:
        yingji("server", "stop", env=env)


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory, embedding_model_dir) -> dict:
    data = tmp_path_factory.mktemp("e2e-data")
    env = {**os.environ, "YINGJI_DATA_DIR": str(data), "YINGJI_MODEL_DIR": str(embedding_model_dir)}
    yield env
    yingji("server", "stop", env=env)


@pytest.fixture(scope="session")
def ingested(cli_env) -> subprocess.CompletedProcess:
    # A hang guard, not a budget (budgets live in bench/): on a loaded 2-core machine the whole
    # corpus ingest has taken ten minutes.
    return yingji("ingest", str(CORPUS), env=cli_env, timeout=1800)




@pytest.fixture(scope="session")
def corpus_assistant(ingested, cli_env):
    """An Assistant over the whole ingested sample corpus, in this process (answers tests)."""
    from kg.settings import Settings
    from ui import services

    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    settings = Settings(data_dir=Path(cli_env["YINGJI_DATA_DIR"]),
                        model_dir=Path(cli_env["YINGJI_MODEL_DIR"]),
                        taxonomy_dir=CORPUS / "taxonomy")
    with services.assistant(settings) as assistant:
        yield assistant
