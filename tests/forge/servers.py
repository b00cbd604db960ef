"""Start GitHub's OpenAPI description in prism, in front of the stateful fake (tests only).

npm packages live in .ci/node (`make node`). Without them the forge tests skip, except in CI
(CI=true), where they fail: the CI must run them.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / ".ci" / "node"
PRISM = NODE / "node_modules" / ".bin" / "prism"
sys.path.insert(0, str(ROOT / "scripts"))
from trim_github_spec import trim  # noqa: E402

SPEC_PATH = Path("@octokit/openapi/generated/api.github.com.json")

PRISM_START_S = 240
"""Prism parses the trimmed GitHub description at start: seconds when the CPU is free, over a
minute on 2 cores shared with a model server (once per session; under pytest's 300 s timeout)."""


def need_prism(in_ci: bool) -> None:
    """Skip (or, in CI, fail) when the npm packages are not installed."""
    if PRISM.exists() and (NODE / "node_modules" / SPEC_PATH).exists():
        return
    message = "prism and @octokit/openapi are not installed: run `make node`"
    if in_ci:
        pytest.fail(message)
    pytest.skip(message)


def trimmed_spec(out: Path) -> dict[str, object]:
    """Write the spec cut to the agent's operations into `out` and return it."""
    spec = trim(json.loads((NODE / "node_modules" / SPEC_PATH).read_text(encoding="utf-8")))
    out.write_text(json.dumps(spec), encoding="utf-8")
    return spec


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def prism_proxy(spec: Path, upstream: str, log: Path) -> Iterator[str]:
    """`prism proxy --errors` on a free port; yields its base URL, stops it afterwards."""
    port = free_port()
    args = [str(PRISM), "proxy", "-h", "127.0.0.1", "-p", str(port), "--errors", str(spec),
            upstream]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, server, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + PRISM_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"prism exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            httpx.get(f"{base}/rate_limit", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"prism did not start in {PRISM_START_S} s: {tail}")
