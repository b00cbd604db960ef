"""Run coding agents on the bug-fix corpus against one local model server; judge each from git.

Usage:
  .venv/bin/python bench/bugfix/run.py --agents ours,mini,aider [--set dev] [--tasks a,b]
      [--timeout 300] [--server http://127.0.0.1:PORT] [--work /tmp/bench/runs]
      [--results bench/bugfix/results]

--set is one of dev, heldout, realrepo-dev, realrepo-heldout, all (sets.py; default dev, the
small tasks); --tasks narrows it to the named tasks. Real-repository tasks must be assembled and
verified first (realrepo.py); the ones that are not are skipped with a note.

Without --server it starts its own bundled llama-server (greedy, 2 threads, 8192 context) on a free
port and stops it by pid at the end; the peers must be installed in their own venvs under
$BENCH_PEERS (default /tmp/peers): mini/ (mini-swe-agent, mcp) and aider/ (aider-chat).

Every agent talks to the server through a counting proxy (meter.py), so calls and tokens are the
server's own usage figures, measured the same way for every agent. Results are appended as JSON
lines to <results>/<agent>.jsonl; a task already there is skipped (delete the line to re-run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import ROOT, Task, Verdict, git, judge_branch, judge_worktree, make_repo
from meter import start_meter
from realrepo import tasks_in_set
from server import start_private_server

from agent.system import proc

MODEL = "qwen2.5-coder-1.5b-instruct"
PEERS = Path(os.environ.get("BENCH_PEERS", "/tmp/peers"))  # noqa: S108
STEP_LIMIT = 20


def task_text(task: Task) -> str:
    """The problem statement the peers get (ours discovers the failing test itself)."""
    return (
        f"The test {task.red_test} fails. Fix the bug in the code (do not change the tests) "
        f"so that this test and the whole suite (`{task.test_command}`) pass."
    )


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without this venv's activation, plus `extra`."""
    drop = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("AGENT_")}
    return env | {"PYTHONDONTWRITEBYTECODE": "1"} | extra


def run_ours(task: Task, repo: Path, base: str, url: str, timeout: float) -> dict[str, Any]:
    """`agent run` with json actions; judged on the branch it committed."""
    env = clean_env(
        OPENAI_BASE_URL=url,
        OPENAI_API_KEY="local",
        AGENT_MODEL=MODEL,
        AGENT_MODEL__ACTION_MODE="json",
        AGENT_MODEL__TIMEOUT_S="600",  # a call on a loaded 2-core CPU can take minutes
    )
    args = [str(ROOT / ".venv/bin/agent"), "run", str(repo), "--yes", "--sources", "tests"]
    result = proc.run([*args, "--max-items", "1"], cwd=repo, timeout=timeout, env=env)
    (repo.parent / f"{task.name}.ours.log").write_text(result.output, encoding="utf-8")
    own = _own_outcome(repo)
    branches = git(repo, "branch", "--list", "agent/*", "--format=%(refname:short)").stdout.split()
    verdict = judge_branch(repo, base, branches[0], task) if branches else None
    return _proc_fields(result) | own | _verdict(verdict)


def _own_outcome(repo: Path) -> dict[str, Any]:
    summaries = sorted(repo.glob(".agent/runs/*/summary.json"))
    if not summaries:
        return {"own_outcome": None}
    items = json.loads(summaries[-1].read_text(encoding="utf-8")).get("items") or [{}]
    item = items[0]
    return {
        "own_outcome": item.get("outcome"),
        "own_phase": item.get("phase"),
        "own_reason": item.get("blocked_reason"),
    }


def run_mini(task: Task, repo: Path, base: str, url: str, timeout: float) -> dict[str, Any]:
    """mini-swe-agent, text-based actions, 20 steps; judged on the working tree."""
    config = [
        "mini_textbased.yaml",
        f"agent.step_limit={STEP_LIMIT}",
        "agent.mode=yolo",
        "model.model_class=litellm_textbased",
        f"model.model_kwargs.api_base={url}",
        "model.model_kwargs.temperature=0",
        "model.cost_tracking=ignore_errors",
        f"environment.cwd={repo}",
    ]
    args = [str(PEERS / "mini/bin/mini"), "-m", f"openai/{MODEL}", "-t", task_text(task)]
    args += ["--yolo", "--exit-immediately", "-o", str(repo.parent / f"{task.name}.mini.json")]
    for item in config:
        args += ["-c", item]
    config_dir = PEERS / "mini-config"
    config_dir.mkdir(parents=True, exist_ok=True)
    env = clean_env(
        OPENAI_API_KEY="local",
        MSWEA_CONFIGURED="true",
        MSWEA_SILENT_STARTUP="1",
        MSWEA_GLOBAL_CONFIG_DIR=str(config_dir),
        MSWEA_COST_TRACKING="ignore_errors",
        LITELLM_LOCAL_MODEL_COST_MAP="True",
    )
    result = proc.run(args, cwd=repo, timeout=timeout, env=env, stdin_text="")
    (repo.parent / f"{task.name}.mini.log").write_text(result.output, encoding="utf-8")
    return _proc_fields(result) | _verdict(judge_worktree(repo, base, task))


def run_aider(task: Task, repo: Path, base: str, url: str, timeout: float) -> dict[str, Any]:
    """aider, whole-file edits, --auto-test; the module to fix and the test (read-only) added."""
    module = next(p.relative_to(task.reference) for p in task.reference.rglob("*.py"))
    test_file = task.red_test.split("::")[0]
    args = [str(PEERS / "aider/bin/aider"), "--model", f"openai/{MODEL}"]
    args += ["--openai-api-base", url, "--openai-api-key", "local", "--edit-format", "whole"]
    args += ["--auto-test", "--test-cmd", task.test_command, "--yes-always", "--no-stream"]
    args += ["--no-auto-commits", "--no-dirty-commits", "--map-tokens", "0", "--no-pretty"]
    args += ["--no-check-update", "--no-analytics", "--no-show-model-warnings", "--no-gitignore"]
    args += ["--message", task_text(task), "--read", test_file, str(module)]
    env = clean_env(AIDER_ANALYTICS="false", HOME=str(PEERS / "aider-home"))
    (PEERS / "aider-home").mkdir(parents=True, exist_ok=True)
    result = proc.run(args, cwd=repo, timeout=timeout, env=env, stdin_text="")
    (repo.parent / f"{task.name}.aider.log").write_text(result.output, encoding="utf-8")
    return _proc_fields(result) | _verdict(judge_worktree(repo, base, task))


def _proc_fields(result: proc.ProcResult) -> dict[str, Any]:
    return {
        "timed_out": result.timed_out,
        "exit": result.returncode,
        "wall_s": round(result.duration_s, 1),
    }


def _verdict(verdict: Verdict | None) -> dict[str, Any]:
    if verdict is None:
        return {"resolved": False, "detail": "no branch"}
    return {
        "resolved": verdict.resolved,
        "red_passes": verdict.red_passes,
        "suite_passes": verdict.suite_passes,
        "tests_unchanged": verdict.tests_unchanged,
        "changed_files": list(verdict.changed_files),
        "detail": verdict.detail,
    }


AGENTS: dict[str, Callable[[Task, Path, str, str, float], dict[str, Any]]] = {
    "ours": run_ours,
    "mini": run_mini,
    "aider": run_aider,
}


def done(results: Path) -> set[str]:
    """Tasks already recorded in a results file."""
    if not results.is_file():
        return set()
    return {json.loads(line)["task"] for line in results.read_text().splitlines() if line.strip()}


def main() -> None:
    """Run the chosen agents on the chosen tasks, one at a time, appending results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", default="ours")
    parser.add_argument(
        "--set", default="dev", help="dev|heldout|realrepo-dev|realrepo-heldout|all"
    )
    parser.add_argument("--tasks", default="")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--server", default="", help="model server URL (default: start one)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/runs"))  # noqa: S108
    parser.add_argument("--results", type=Path, default=ROOT / "bench/bugfix/results")
    opts = parser.parse_args()
    names = [t for t in opts.tasks.split(",") if t]
    tasks = tasks_in_set(opts.set, names)
    log = opts.work / "server.log"
    pid, upstream = (0, opts.server) if opts.server else start_private_server(log)
    try:
        run_all(opts, tasks, upstream)
    finally:
        if pid:
            proc.kill_group(pid)


def run_all(opts: argparse.Namespace, tasks: list[Task], upstream: str) -> None:
    """Run every chosen agent on every task (task by task), appending results."""
    server, meter = start_meter(upstream)
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    opts.results.mkdir(parents=True, exist_ok=True)
    for task in tasks:
        for name in opts.agents.split(","):
            out = opts.results / f"{name}.jsonl"
            if task.name not in done(out):
                record = attempt(name, task, opts.work / name, url, opts.timeout, meter)
                with out.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record) + "\n")
                print(json.dumps(record), flush=True)
    server.shutdown()


def attempt(name: str, task: Task, work: Path, url: str, timeout: float, meter: Any) -> dict:
    """One agent on one task in a fresh repository."""
    repo = work / task.name / "repo"
    shutil.rmtree(repo.parent, ignore_errors=True)
    repo.parent.mkdir(parents=True)
    base = make_repo(task, repo)
    meter.take()
    outcome = AGENTS[name](task, repo, base, url, timeout)
    meter.wait_idle()
    calls, prompt, completion = meter.take()
    return {
        "agent": name,
        "task": task.name,
        "category": task.category,
        **outcome,
        "calls": calls,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "tokens": prompt + completion,
    }


if __name__ == "__main__":
    main()
