"""Benchmark: harness overhead of a replayed `agent run`, split by where the wall time goes.

Usage: .venv/bin/python bench/overhead.py [--runs N] [--profile] [--cassette PATH]

Each run creates a fresh demo repository (agent.demo), discovers its failing test (setup, not
timed), then runs the whole macro loop in-process with `start_run`, exactly as
tests/test_graph_recorded.py::test_local_model_fixes_the_failing_test does, with the model's HTTP
calls replayed by vcrpy (record mode none) from that test's cassette. If the cassette no longer
matches the prompts (a re-record is due), the run falls back to the scripted model with the real
fix action and says so.

Wall time is split by wrapping the seams: the ChatModel's `complete` (model calls),
agent.system.proc.run and agent.system.proc.spawn (classified by argv: pytest, git, ruff/bandit,
anything else) and gitpython's Git.execute and object reads (git). Our own code is the rest. Only
the outermost timed section counts, so nothing is counted twice. The real model's latency is read
from the llama.cpp `timings` the cassette recorded. `--profile` adds two runs under cProfile,
enabled only while our own code runs: the first run of a fresh process (in a child) and a warm one.
Start-up (`agent --help`, a run's imports) and one pytest run of the demo are timed apart.
Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.dont_write_bytecode = True  # neither bench/ nor tests/ (imported below) get a __pycache__

from overhead_meter import Meter, TimedModel, instrument  # noqa: E402
from overhead_profile import (  # noqa: E402
    heaviest_imports,
    own_profile,
    pytest_startup,
    top_functions,
)

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("model", "tests", "git", "scanners", "other")
CASSETTE = ROOT / "cassettes/test_graph_recorded/test_local_model_fixes_the_failing_test.yaml"
ROWS = (
    ("model calls (ChatModel.complete)", "model"),
    ("test runs (pytest)", "tests"),
    ("git (subprocesses, gitpython)", "git"),
    ("scanners (ruff, bandit)", "scanners"),
    ("other subprocesses", "other"),
    ("our own code", "own"),
    ("- of which LangGraph checkpointing (SqliteSaver)", "checkpoint"),
)


def recorded_latency(path: Path) -> tuple[float, int] | None:
    """Server-side seconds (prompt + generation) the recorded model spent, and the call count."""
    import yaml

    seconds, calls = 0.0, 0
    for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
        timings = json.loads(interaction["response"]["body"]["string"]).get("timings")
        if not timings:
            return None
        seconds += (timings["prompt_ms"] + timings["predicted_ms"]) / 1000
        calls += 1
    return seconds, calls


def isolate_environment(cache: Path) -> None:
    """The environment tests/conftest.py gives the recorded test (no user config, dummy key)."""
    for name in [n for n in os.environ if n.startswith(("AGENT_", "OPENAI_"))]:
        del os.environ[name]
    os.environ.update(
        OPENAI_API_KEY="sk-test-dummy", XDG_CACHE_HOME=str(cache), GIT_CONFIG_NOSYSTEM="1"
    )


def cassette(replay: Path | None) -> Any:
    """Replay-only vcrpy cassette matched as tests/conftest.py matches (or nothing)."""
    if replay is None:
        return contextlib.nullcontext(None)
    import vcr

    from tests.conftest import FILTERED_HEADERS

    recorder = vcr.VCR(
        record_mode="none",
        match_on=("method", "scheme", "host", "port", "path", "query", "body"),
        filter_headers=[(name, None) for name in FILTERED_HEADERS],
        filter_query_parameters=[("api_key", None), ("key", None)],
        decode_compressed_response=True,
    )
    return recorder.use_cassette(str(replay))


@dataclass
class RunFigures:
    """One run: seconds per category, the total, and whether the replay held."""

    seconds: dict[str, float]
    calls: dict[str, int]
    total: float
    setup: float
    ok: bool
    checkpoint: float = 0.0


def one_run(
    workdir: Path, replay: Path | None, profiler: cProfile.Profile | None = None
) -> RunFigures:
    """Create the demo, then time one whole `agent run` on its failing test."""
    from tests.graph_support import demo, json_settings, mean_fix
    from tests.graph_support import scripted as scripted_model
    from tests.test_graph_recorded import local_model, recording_settings
    from tests.test_graph_run import discovered_test_item

    started = time.perf_counter()
    repo = demo(workdir)
    item_id = discovered_test_item(repo)
    setup = time.perf_counter() - started
    settings = json_settings(repo) if replay is None else recording_settings(repo)
    meter = Meter(profiler=profiler)
    inner = scripted_model(mean_fix()) if replay is None else local_model(settings)
    with cassette(replay) as cass, instrument(meter):
        total, ok = timed_run(repo, settings, item_id, TimedModel(inner, meter), profiler)
    ok = ok and (cass is None or cass.all_played)
    calls = dict(meter.calls)
    return RunFigures(dict(meter.seconds), calls, total, setup, ok, meter.checkpoint_s)


def timed_run(
    repo: Path, settings: Any, item_id: str, model: Any, profiler: cProfile.Profile | None
) -> tuple[float, bool]:
    """Wall seconds of `start_run` on `item_id`, and whether it resolved the item."""
    from vcr.errors import CannotOverwriteExistingCassetteException

    from agent.graph.runner import start_run
    from agent.graph.state import CycleOutcome
    from tests.graph_support import NOW, no_answers, options

    if profiler:
        profiler.enable()
    started = time.perf_counter()
    try:
        state, _code = start_run(
            repo, settings, options(item_id=item_id), NOW, no_answers, lambda _m: None, model
        )
    except CannotOverwriteExistingCassetteException:  # a request the cassette does not hold
        return time.perf_counter() - started, False
    finally:
        if profiler:
            profiler.disable()
    resolved = [r.outcome for r in state.results] == [CycleOutcome.RESOLVED]
    return time.perf_counter() - started, resolved


def own(figures: RunFigures) -> float:
    """Our own code: the total minus every timed category."""
    return figures.total - sum(figures.seconds.values())


def value(figures: RunFigures, key: str) -> float:
    """Seconds of one row's category in one run."""
    if key == "checkpoint":
        return figures.checkpoint
    return own(figures) if key == "own" else figures.seconds.get(key, 0.0)


def table(runs: list[RunFigures]) -> list[str]:
    """Markdown table: median seconds and share, min-max, the first (cold) run, calls."""
    lines = [
        "| part | median s | median % | min-max s | first run s | first run % | calls |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    first = runs[0]
    for label, key in (*ROWS, ("**total**", "total")):
        seconds = [r.total if key == "total" else value(r, key) for r in runs]
        share = statistics.median(s / r.total * 100 for s, r in zip(seconds, runs, strict=True))
        calls = f"{statistics.median(r.calls.get(key, 0) for r in runs):g}" if key in KINDS else ""
        lines.append(
            f"| {label} | {statistics.median(seconds):.2f} | {share:.1f} | "
            f"{min(seconds):.2f}-{max(seconds):.2f} | {seconds[0]:.2f} | "
            f"{seconds[0] / first.total * 100:.1f} | {calls} |"
        )
    return lines


def median_wall(args: Sequence[str], repeat: int = 3) -> float:
    """Median wall seconds of a command (run from a neutral directory)."""
    from agent.system import proc

    return statistics.median(
        proc.run(args, cwd=Path(tempfile.gettempdir()), timeout=120).duration_s
        for _ in range(repeat)
    )


RUN_IMPORTS = "import agent.graph.runner, agent.graph.graph, agent.llm.client"


def startup() -> tuple[list[str], float]:
    """Fresh-interpreter costs (`agent --help`, a run's imports); the latter in seconds too."""
    python = sys.executable
    probes = (
        ("python -c pass", [python, "-c", "pass"]),
        ("agent --help", [str(Path(python).parent / "agent"), "--help"]),
        ("python -c 'import agent.graph.runner'", [python, "-c", "import agent.graph.runner"]),
        (f"python -c '{RUN_IMPORTS}'", [python, "-c", RUN_IMPORTS]),
    )
    walls = [median_wall(args) for _label, args in probes]
    lines = ["| start-up (fresh interpreter, median of 3) | s |", "|---|---:|"]
    lines += [
        f"| `{label}` | {wall:.2f} |" for (label, _a), wall in zip(probes, walls, strict=True)
    ]
    heavy = heaviest_imports([python, "-X", "importtime", "-c", RUN_IMPORTS])
    return [*lines, "", heavy, "", *pytest_startup()], walls[-1] - walls[0]


def measure(runs: int, replay: Path | None) -> tuple[list[RunFigures], Path | None]:
    """`runs` timed runs; a failed replay switches to the scripted model."""
    results: list[RunFigures] = []
    while len(results) < runs:
        with tempfile.TemporaryDirectory(prefix="agent-overhead-") as tmp:
            figures = one_run(Path(tmp), replay)
        if replay is not None and not figures.ok:
            print("! the cassette does not match this code: falling back to the scripted model")
            return measure(runs, None)
        if not figures.ok:
            raise SystemExit("the scripted run did not resolve the demo's failing test")
        results.append(figures)
        print(f"  run {len(results)}: {figures.total:.2f} s, own code {own(figures):.2f} s")
    return results, replay


def profile(replay: Path | None, when: str) -> list[str]:
    """One more run with cProfile on while our own code runs; where that time goes."""
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="agent-overhead-") as tmp:
        figures = one_run(Path(tmp), replay, profiler)
    stats = pstats.Stats(profiler)
    header = (f"Profiled {when} run (cProfile on while our own code runs): total "
              f"{figures.total:.2f} s, own code {own(figures):.2f} s.")  # fmt: skip
    return [header, "", *own_profile(stats), "", *top_functions(stats)]


def cold_profile(replay: Path | None) -> list[str]:
    """Profile the first run of a fresh process (first-use costs included) in a child."""
    from agent.system import proc

    args = [sys.executable, __file__, "--cold-profile-only"]
    args += ["--cassette", str(replay)] if replay else ["--cassette", os.devnull]
    result = proc.run(args, cwd=ROOT, timeout=600)
    return result.stdout.splitlines() if result.ok else [f"cold profile failed: {result.output}"]


def main(argv: list[str] | None = None) -> int:
    """Measure, then print markdown for docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs (median reported)")
    parser.add_argument("--profile", action="store_true", help="profile our own code once more")
    parser.add_argument("--cassette", type=Path, default=CASSETTE, help="cassette to replay")
    parser.add_argument("--cold-profile-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    sys.path.insert(0, str(ROOT))
    load_before = os.getloadavg()
    if args.cold_profile_only:  # the child of --profile: environment and cache inherited
        print("\n".join(profile_first(args.cassette.resolve())))
        return 0
    with tempfile.TemporaryDirectory(prefix="agent-overhead-cache-") as cache:
        isolate_environment(Path(cache))
        out = report(args.runs, args.profile, args.cassette.resolve())
    load_after = os.getloadavg()
    print("\n".join(out))
    machine = f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(
        f"\nLoad average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after; {machine}."
    )
    return 0


def report(runs: int, with_profile: bool, cassette_path: Path) -> list[str]:
    """All measurements, as markdown lines."""
    from agent.text.tokens import cache_dir, seed_cache

    start_up, imports_s = startup()
    seed_cache(cache_dir())  # as on a machine that ran the agent before (first-use costs stay)
    import agent.graph.graph
    import agent.llm.client  # noqa: F401  (imports are measured above; the runs time the loop)

    if not cassette_path.is_file():
        print(f"! {cassette_path}: no such cassette: falling back to the scripted model")
    figures, replayed = measure(runs, cassette_path if cassette_path.is_file() else None)
    source = (
        f"replayed from {_shown(replayed)}"
        if replayed
        else "SCRIPTED model with the real fix (the cassette did not replay)"
    )
    setup = statistics.median(f.setup for f in figures)
    out = [f"Model: {source}; {len(figures)} runs; median setup (demo repository + discovery, "
           f"not in the total) {setup:.2f} s.", "", *table(figures), ""]  # fmt: skip
    out += [latency_line(figures, replayed) if replayed else "Recorded model latency: n/a.", ""]
    out += [process_line(figures[0], imports_s), "", bytecode_line(), "", *start_up]
    if not with_profile:
        return out
    return [*out, "", *cold_profile(replayed), "", *profile(replayed, "warm")]


def profile_first(cassette_path: Path) -> list[str]:
    """The cold profile: this process's first run, after the imports a run needs."""
    import agent.graph.graph
    import agent.llm.client  # noqa: F401

    return profile(cassette_path if cassette_path.is_file() else None, "first (cold)")


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def latency_line(figures: list[RunFigures], cassette_path: Path) -> str:
    """What the recorded model really took, and our share of a run at that speed."""
    recorded = recorded_latency(cassette_path)
    if recorded is None:
        return "Recorded model latency: not available (the cassette has no llama.cpp timings)."
    seconds, calls = recorded
    real = statistics.median(f.total - f.seconds.get("model", 0.0) for f in figures) + seconds
    share = statistics.median(own(f) for f in figures) / real * 100
    return (f"Recorded model latency (llama.cpp `timings` in the cassette, {calls} calls): "
            f"{seconds:.1f} s; at that speed a run takes about {real:.1f} s and our own code "
            f"is {share:.1f} % of it.")  # fmt: skip


def bytecode_line() -> str:
    """Whether processes can load compiled bytecode (start-up times depend on it)."""
    import importlib.util

    spec = importlib.util.find_spec("langgraph.graph.state")
    cached = importlib.util.cache_from_source(spec.origin or "") if spec else ""
    state = "present" if Path(cached).is_file() else "absent (every process compiles its imports)"
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE") or "unset"
    return f"Bytecode cache of site-packages: {state}; PYTHONDONTWRITEBYTECODE={flag}."


def process_line(first: RunFigures, imports_s: float) -> str:
    """Our share when a fresh `agent run` process also pays its imports and first-use costs."""
    share = (imports_s + own(first)) / (imports_s + first.total) * 100
    return (f"A fresh `agent run` process also imports its modules ({imports_s:.2f} s over a bare "
            f"interpreter) and pays first-use costs (first run: own code {own(first):.2f} s); "
            f"counting both as our own code, its share of that run is {share:.1f} %.")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
