"""Where our own code's time goes: cProfile grouped by library, and `-X importtime` leaders."""

from __future__ import annotations

import pstats
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def heaviest_imports(args: Sequence[str], top: int = 6) -> str:
    """The packages our modules import directly that cost the most (python -X importtime)."""
    from agent.system import proc

    lines = proc.run(args, timeout=120).stderr.splitlines()
    parents: list[str] = []
    found: dict[str, int] = {}
    for line in reversed(lines):  # importtime prints children before their parent
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        level = (len(parts[2]) - len(parts[2].lstrip()) - 1) // 2
        name = parts[2].strip()
        parents = [*parents[:level], name]
        ours = name.startswith(("agent", "tools"))
        if level and parents[level - 1].startswith(("agent", "tools")) and not ours:
            found[name] = max(found.get(name, 0), int(parts[1]))
    ranked = sorted(found.items(), key=lambda kv: -kv[1])[:top]
    text = ", ".join(f"{name} {us / 1e6:.2f} s" for name, us in ranked)
    return f"Heaviest third-party imports of a run (`-X importtime`, cumulative): {text}."


GROUPS = (
    ("langgraph (graph engine, channels, checkpoint serialisation)", ("langgraph", "langchain")),
    ("sqlite3 (checkpoint writes)", ("sqlite3",)),
    ("pydantic", ("pydantic",)),
    ("jinja2 (prompt rendering)", ("jinja2",)),
    ("ruamel.yaml (backlog.yml round-trips)", ("ruamel", "yaml_rs")),
    ("tiktoken (token counting)", ("tiktoken",)),
    ("gitpython (Python side)", ("/git/",)),
    ("rich / typer", ("/rich/", "/typer/")),
    ("imports", ("<frozen importlib", "importlib/_bootstrap", "importlib/__init__")),
    (
        "waiting on LangGraph's worker thread (checkpoint saves)",
        ("threading.py", "concurrent/futures", "lock' objects"),
    ),
    ("agent/ and tools/ (ours)", ("/agent/", "/tools/")),
)


def group_of(key: tuple[str, int, str]) -> str:
    """The library one profiled function belongs to."""
    text = f"{key[0]}:{key[2]}"
    return next((name for name, marks in GROUPS if any(m in text for m in marks)), "")


OTHER = "other Python (stdlib, other libraries)"


def own_profile(stats: pstats.Stats, top: int = 12) -> list[str]:
    """Self time of the own-code part by library; unattributed code is charged to its callers."""
    totals: dict[str, float] = defaultdict(float)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for key, figures in raw.items():
        _charge(raw, key, figures[2], totals, depth=4)
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:top]
    lines = ["| own-code time by library (self time, cProfile) | s |", "|---|---:|"]
    return lines + [f"| {name} | {seconds:.2f} |" for name, seconds in ranked]


def _charge(
    raw: dict[Any, Any], key: Any, seconds: float, totals: dict[str, float], depth: int
) -> None:
    """Add `seconds` to `key`'s group, or split it over its callers' groups (stdlib, builtins)."""
    group = group_of(key)
    callers = raw[key][4] if key in raw else {}
    weights = {caller: figures[3] for caller, figures in callers.items() if caller in raw}
    whole = sum(weights.values())
    if group or depth == 0 or whole <= 0:
        totals[group or OTHER] += seconds
        return
    for caller, weight in weights.items():
        _charge(raw, caller, seconds * weight / whole, totals, depth - 1)


def top_functions(stats: pstats.Stats, top: int = 15) -> list[str]:
    """Functions with the largest cumulative own-code time (ours and langgraph's entry points)."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda kv: -kv[1][3])
    wanted = ("/agent/", "/tools/", "langgraph/checkpoint", "sqlite3", "jinja2/environment")
    chosen = [(k, v) for k, v in rows if any(w in f"{k[0]}:{k[2]}" for w in wanted)][:top]
    lines = ["| function (cumulative own-code time) | calls | s |", "|---|---:|---:|"]
    for (path, line, name), (_cc, calls, _tt, cum, _callers) in chosen:
        where = path.split("site-packages/")[-1].split(str(ROOT) + "/")[-1]
        lines.append(f"| `{where}:{line} {name}` | {calls} | {cum:.2f} |")
    return lines


def pytest_startup(repeat: int = 3) -> list[str]:
    """One test run of the demo as the agent starts it, and with plugin loading trimmed."""
    import os
    import statistics
    import sys
    import tempfile

    from agent.demo import create_demo_repo
    from agent.system import proc

    variants: tuple[tuple[str, tuple[str, ...], dict[str, str]], ...] = (
        ("as the agent runs it (`python -m pytest -q -p no:cacheprovider`)", (), {}),
        ("plus `-p no:langsmith_plugin`", ("-p", "no:langsmith_plugin"), {}),
        ("with `PYTEST_DISABLE_PLUGIN_AUTOLOAD=1`", (), {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}),
    )
    lines = ["| one pytest run of the demo (2 tests, median of 3) | s |", "|---|---:|"]
    with tempfile.TemporaryDirectory(prefix="agent-overhead-") as tmp:
        repo = create_demo_repo(Path(tmp) / "demo")
        base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        for label, extra, env in variants:
            runs = [
                proc.run([*base, *extra], repo, 120, {**os.environ, **env}) for _ in range(repeat)
            ]
            lines.append(f"| {label} | {statistics.median(r.duration_s for r in runs):.2f} |")
    return lines
