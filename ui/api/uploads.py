"""Uploaded documents: checked (name, format, size), saved under <data_dir>/uploads/, ingested
through ui.services like files given to the CLI; one ingest or delete at a time."""
from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from fastapi import HTTPException, UploadFile

from ingest.readers import supported_suffixes
from ui import services
from ui.api.models import UploadResult

CHUNK = 1024 * 1024


def safe_name(filename: str | None) -> str:
    """The file's own name (no directories from the client), or 400."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name.startswith(".") or any(unicodedata.category(c) in ("Cc", "Cs")
                                                 for c in name):
        raise HTTPException(400, f"文件名无效：“{filename or ''}”。")
    if len(name.encode("utf-8")) > 200:
        raise HTTPException(400, "文件名过长。")
    suffix = Path(name).suffix.lower()
    if suffix not in supported_suffixes():
        allowed = " ".join(sorted(supported_suffixes()))
        raise HTTPException(400, f"不支持的文件格式“{suffix or '无扩展名'}”：支持 {allowed}。")
    return name


class Saved(NamedTuple):
    path: Path
    previous: Path | None  # the earlier file of that name, kept until the new one is ingested


async def save_all(files: list[UploadFile], directory: Path, limit: int) -> list[Saved]:
    """Every file checked before any is kept, so a bad request leaves nothing behind. A file
    replacing an earlier one of the same name keeps that one aside (a hard link) until the new
    one is ingested: a failed re-upload restores it."""
    names = [safe_name(f.filename) for f in files]
    if len(set(names)) != len(names):
        raise HTTPException(400, "同一次上传中有重名文件。")
    directory.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for f, name in zip(files, names):
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-")
            staged.append((Path(tmp), directory / name))
            size = 0
            with os.fdopen(fd, "wb") as out:
                while chunk := await f.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise HTTPException(413, f"文件“{name}”过大：上限为 {limit / 1024 / 1024:g} MB。")
                    out.write(chunk)
            if size == 0:
                raise HTTPException(400, f"文件“{name}”为空。")
        saved = []
        for tmp, final in staged:
            previous = None
            if final.is_file():
                previous = directory / f".previous-{uuid.uuid4().hex[:12]}-{final.name}"
                os.link(final, previous)
            os.replace(tmp, final)
            saved.append(Saved(final, previous))
        return saved
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def managing(state) -> Iterator[None]:
    if not state.manage_lock.acquire(blocking=False):
        raise HTTPException(409, "正在导入或删除其他文档，请稍后重试。")
    try:
        yield
    finally:
        state.manage_lock.release()


def ingest_saved(state, saved: list[Saved], kind: str | None, force: bool) -> UploadResult:
    """Ingest the saved files. A file that failed is removed again, or the earlier file of its
    name put back (its old facts stay too); messages name files, not server directories."""
    paths = [s.path for s in saved]
    try:
        with managing(state):
            report = services.ingest(state.settings, paths, force=force, kind=kind)
    except BaseException:
        for s in saved:  # what the graph now holds is unknown: keep the new files
            if s.previous is not None:
                s.previous.unlink(missing_ok=True)
        raise
    by_name = {s.path.name: s for s in saved}
    files = []
    for r in report.files:  # the pipeline's order, not ours: match by file name
        name = Path(r.path).name
        s = by_name.get(name)
        if s is not None and r.status == "failed":
            if s.previous is not None:
                os.replace(s.previous, s.path)
            else:
                s.path.unlink(missing_ok=True)
        elif s is not None and s.previous is not None:
            s.previous.unlink(missing_ok=True)
        files.append(r.model_copy(update={
            "path": name, "error": without_dirs(r.error, paths),
            "warnings": [without_dirs(w, paths) for w in r.warnings]}))
    count = lambda s: sum(r.status == s for r in files)  # noqa: E731
    return UploadResult(files=files, ingested=count("ingested"), unchanged=count("unchanged"),
                        failed=count("failed"))


def without_dirs(message: str, paths: list[Path]) -> str:
    """A message naming files by their own name, never by the server's directories."""
    for p in paths:
        message = message.replace(str(p.resolve()), p.name).replace(str(p), p.name)
    return message


def forget(directory: Path, doc_id: str) -> None:
    """Remove a deleted document's uploaded file, so nothing re-ingests it by mistake."""
    if Path(doc_id).name == doc_id and not doc_id.startswith("."):
        (directory / doc_id).unlink(missing_ok=True)


@contextlib.asynccontextmanager
async def draft_file(upload: UploadFile | None, limit: int) -> AsyncIterator[Path | None]:
    """A draft to check, saved to a private temporary directory for the duration (never into
    uploads/, never ingested); None when no file was sent."""
    if upload is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="yingji-draft-") as tmp:
        [(path, _)] = await save_all([upload], Path(tmp), limit)
        yield path


def redact_report(report, redact: Callable[[str], str]):
    """A check report whose quoted clauses are shown as the caller's role may see them."""
    for f in report.findings:
        for c in f.clauses:
            c.quote = redact(c.quote)
    return report
