"""The real embedding model for tests: converted once per machine, then reused across runs.

The model folder lives outside the work tree (YINGJI_MODEL_CACHE, else
~/.cache/yingji/models/multilingual-e5-small), so repeated test runs and fresh clones skip the
~5 s conversion; prepare_model's completion marker makes reuse safe.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.embedder import SentenceTransformerEmbedder
from retrieval.model_prep import prepare_model

# Nothing may reach a model hub during tests.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def model_cache_dir() -> Path:
    configured = os.environ.get("YINGJI_MODEL_CACHE")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "yingji" / "models" / "multilingual-e5-small"


@pytest.fixture(scope="session")
def embedding_model_dir() -> Path:
    return prepare_model(model_cache_dir())


@pytest.fixture(scope="session")
def embedder(embedding_model_dir) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(embedding_model_dir)
