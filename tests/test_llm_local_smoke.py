"""Setup proves the server it built; a crashed server is explained (stand-in servers, no build)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys

import pytest
from rich.console import Console

from agent.config.model import ModelSettings
from agent.errors import InputError
from agent.llm.factory import open_model
from agent.llm.local.cpu import read_cpu
from agent.llm.local.crash import ServerCrashError
from agent.llm.local.ladder import prove_server
from agent.llm.local.launch import start_checked
from agent.llm.local.record import load_record
from agent.llm.local.server import read_state, start_server, stop_server
from agent.llm.local.setup import run_setup
from agent.llm.protocol import ModelError
from agent.system.proc import pid_alive
from tests.local_support import (
    FakeBuilder,
    install_binary,
    install_record,
    install_weights,
    started_args,
)

FIRST = "x86-avx2"  # what plan() picks is CPU-specific; the tests read it from the builder


def _no_status(text: str) -> None:
    pass


def test_a_server_killed_by_sigill_at_start_is_explained_with_the_fix() -> None:
    install_weights()
    install_binary("sigill-start")
    with pytest.raises(ServerCrashError) as caught:
        start_server()
    message = str(caught.value)
    assert caught.value.signal == signal.SIGILL and caught.value.status == 132
    assert "illegal instruction" in message and "SIGILL" in message
    assert "agent model setup --rebuild" in message
    assert "llama-server stand-in, mode sigill-start" in message, "the last log lines are shown"
    assert read_state() is None


def test_serve_of_a_sigill_server_exits_2_with_the_message_and_no_traceback() -> None:
    install_weights()
    install_binary("sigill-start")
    done = subprocess.run([sys.executable, "-m", "agent", "model", "serve"], env=os.environ,
                          capture_output=True, text=True, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "illegal instruction" in done.stderr and "--rebuild" in done.stderr
    assert "Traceback" not in done.stderr


def test_setup_builds_then_proves_the_server_and_records_speeds() -> None:
    install_weights()
    builder = FakeBuilder({})
    outcome = prove_server(_no_status, build=builder)
    assert len(builder.built) == 1 and outcome.action == "built from source"
    assert outcome.probe is not None and outcome.probe.reply == "ready"
    assert (outcome.probe.prompt_tps, outcome.probe.generation_tps) == (80.5, 25.25)
    record = load_record()
    assert record is not None and record.server_args == []
    assert record.verified_on(read_cpu()) is not None and record.tier == builder.built[0]
    assert read_state("smoke") is None, "the smoke-test server was stopped"
    again = prove_server(_no_status, build=builder)
    assert again.action == "already built and verified on this CPU" and len(builder.built) == 1


def test_a_trap_at_the_first_computation_is_reconfigured_without_repacking() -> None:
    install_weights()
    builder = FakeBuilder({})
    builder.modes = {tier: "sigill-compute" for tier in ("x86-avx512", "x86-avx2", "native")}
    outcome = prove_server(_no_status, build=builder)
    assert len(builder.built) == 1, "reconfiguring needs no second build"
    record = load_record()
    assert record is not None and record.server_args == ["--no-repack"]
    assert any("SIGILL" in note for note in outcome.notes)
    info = start_server()  # later starts use what the record says the binary needs
    stop_server()
    assert "--no-repack" in started_args()[-1] and not pid_alive(info.pid)


def test_a_build_that_never_runs_falls_back_one_tier_once() -> None:
    install_weights()
    builder = FakeBuilder({})
    first = prove_server(_no_status, build=FakeBuilder({}), rebuild=True).record.tier
    builder.modes = {first: "sigill-start"}
    outcome = prove_server(_no_status, rebuild=True, build=builder)
    assert builder.built[0] == first and len(builder.built) == 2
    record = load_record()
    assert record is not None and record.tier == builder.built[1] != first
    assert record.server_args == ["--no-repack"] and outcome.action == "built from source"


def test_when_nothing_runs_setup_fails_with_every_attempt_and_the_log() -> None:
    install_weights()
    builder = FakeBuilder({})
    builder.modes = {name: "sigill-start" for name in
                     ("x86-avx512", "x86-avx2", "x86-avx", "x86-sse42", "x86-64", "native",
                      "generic")}  # fmt: skip
    with pytest.raises(InputError) as caught:
        prove_server(_no_status, build=builder)
    lines = caught.value.lines
    assert lines[0].startswith("no llama-server build runs on this machine")
    attempts = [line for line in lines if line.startswith("- ")]
    assert len(attempts) == 3 and all("SIGILL" in line for line in attempts)
    assert any("mode sigill-start" in line for line in lines), "the last log lines"
    assert len(builder.built) == 2, "one rebuild, not a search of every tier"
    record = load_record()
    assert record is not None and record.verified == []


def test_a_wrong_reply_fails_the_smoke_test() -> None:
    install_weights()
    builder = FakeBuilder({})
    builder.modes = {name: "noise" for name in ("x86-avx512", "x86-avx2", "x86-avx", "native")}
    with pytest.raises(InputError) as caught:
        prove_server(_no_status, build=builder)
    assert "not as asked: 'banana'" in str(caught.value)


def test_a_slow_answer_stops_setup_without_rebuilding(monkeypatch: pytest.MonkeyPatch) -> None:
    install_weights()
    monkeypatch.setattr("agent.llm.local.smoke.REQUEST_TIMEOUT_S", 1.0)
    builder = FakeBuilder({})
    builder.modes = {name: "slow" for name in ("x86-avx512", "x86-avx2", "native")}
    with pytest.raises(InputError, match="too busy"):
        prove_server(_no_status, build=builder)
    assert len(builder.built) == 1 and read_state("smoke") is None


def test_a_binary_verified_elsewhere_is_checked_before_first_use_here() -> None:
    install_weights()
    install_binary("ok")
    install_record(verified_here=False)
    info = start_checked()
    try:
        record = load_record()
        assert record is not None and record.verified_on(read_cpu()) is not None
        assert len(record.verified) == 2, "the other CPU's entry is kept"
    finally:
        stop_server()
    assert not pid_alive(info.pid)


def test_a_binary_from_another_cpu_that_traps_here_names_the_fix() -> None:
    install_weights()
    install_binary("sigill-start")
    install_record(verified_here=False)
    with pytest.raises(ServerCrashError, match="agent model setup --rebuild"):
        start_checked()
    record = load_record()
    assert record is not None and record.verified_on(read_cpu()) is None


def test_setup_cli_verifies_a_cached_binary_and_prints_the_measured_speeds() -> None:
    install_weights()
    install_binary("ok")
    install_record(verified_here=False)
    done = subprocess.run([sys.executable, "-m", "agent", "model", "setup"], env=os.environ,
                          capture_output=True, text=True, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "verified on this CPU" in done.stderr
    assert "80.5 prompt, 25.2 generation tok/s" in done.stderr
    status = subprocess.run([sys.executable, "-m", "agent", "model", "status"], env=os.environ,
                            capture_output=True, text=True, check=False, timeout=60)  # fmt: skip
    assert "built on: Other CPU (avx512f)" in status.stdout
    assert "this CPU" in status.stdout and "verified, 80.5 prompt" in status.stdout


def test_status_says_an_unverified_cpu_is_checked_before_first_use() -> None:
    install_weights()
    install_binary("ok")
    install_record(verified_here=False)
    done = subprocess.run([sys.executable, "-m", "agent", "model", "status"], env=os.environ,
                          capture_output=True, text=True, check=False, timeout=60)  # fmt: skip
    assert "not verified yet; checked before first use" in done.stdout
    assert "-DGGML_NATIVE=OFF" in done.stdout


def test_a_server_that_dies_mid_run_is_explained_to_the_run() -> None:
    install_weights()
    install_binary("sigill-compute")
    install_record(verified_here=True)
    with (
        open_model(ModelSettings(max_retries=0), {}) as (model, _endpoint),
        pytest.raises(ModelError) as caught,
    ):
        model.complete([{"role": "user", "content": "hi"}])
    assert "illegal instruction" in str(caught.value) and "--rebuild" in str(caught.value)


def test_run_setup_summary_comes_from_the_ladder() -> None:
    install_weights()
    install_binary("ok")
    install_record(verified_here=True)
    result = run_setup(Console(file=io.StringIO()))
    assert result.weights == "already verified"
    assert result.server.action == "already built and verified on this CPU"
