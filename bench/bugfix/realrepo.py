"""Assemble and verify the real-repository bug-fix tasks listed in realrepo/tasks.toml.

Usage: .venv/bin/python bench/bugfix/realrepo.py [--cache DIR] [TASK ...]

For each task: download the buggy and the fixed release's sdists from the package registry
(`pip download --no-deps --no-binary :all:`, cached under <cache>/sdists), lay out the buggy
source tree with the revealing test(s) carried over from the fixed release (testsplice.py), give
it a `.venv` (pytest and the project's test dependencies; the package on its path) kept out of
git, and commit it. Then verify it: the RED test fails for the right reason (a failed assertion
or an expected exception, not an import or collection error) and passes once the fixed release's
`fix_files` are copied in, every other test that passed before still passes, and no test
fails after the fix (realverify.py). A task that
fails verification is rejected, with the reason, in <cache>/rejections.log; the verified ones
are listed in <cache>/verified.json and run.py/report.py use them (`--set realrepo-dev` ...).

Default cache: $BENCH_REALREPO or ~/.cache/agent-bench/realrepo. Third-party code stays there.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

from common import Task, git, load_tasks
from realverify import Rejected, verify
from sets import members, real_spec
from testsplice import carry_tests

from agent.system import proc

CACHE = Path(os.environ.get("BENCH_REALREPO", Path.home() / ".cache/agent-bench/realrepo"))
PYTEST = "pytest>=8,<9"


def sdist(dist: str, version: str, cache: Path) -> Path:
    """The extracted source tree of `dist==version` (downloaded once into the cache)."""
    tree = cache / "src" / f"{dist}-{version}"
    if tree.is_dir():
        return tree
    downloads = cache / "sdists" / f"{dist}-{version}"
    downloads.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q"]
    result = proc.run([*args, "-d", str(downloads), f"{dist}=={version}"], timeout=600)
    archives = sorted(downloads.glob("*.tar.gz"))
    if not archives:
        raise Rejected(f"no sdist of {dist}=={version}: {result.output.strip()[-300:]}")
    with tarfile.open(archives[0]) as archive:
        archive.extractall(cache / "src" / "tmp", filter="data")
    (top,) = (cache / "src" / "tmp").iterdir()
    top.rename(tree)
    (cache / "src" / "tmp").rmdir()
    return tree


def lay_out(task: dict[str, Any], project: dict[str, Any], cache: Path) -> Path:
    """Build <cache>/tasks/<name>/: repo/ (buggy tree + revealing tests) and reference/."""
    buggy = sdist(project["dist"], task["buggy"], cache)
    fixed = sdist(project["dist"], task["fixed"], cache)
    home = cache / "tasks" / task["name"]
    shutil.rmtree(home, ignore_errors=True)
    repo = home / "repo"
    # an sdist's *.egg-info stays: it holds the entry points (markdown finds its extensions there)
    shutil.copytree(buggy, repo, ignore=shutil.ignore_patterns("__pycache__"))
    try:
        carry_tests(buggy, fixed, repo, task.get("add_tests", [task["red_test"]]))
    except (LookupError, SyntaxError) as exc:
        raise Rejected(f"cannot carry the test over: {exc}") from None
    for support in task.get("support", []):
        (repo / support).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fixed / support, repo / support)
    for fix in task["fix_files"]:
        (home / "reference" / fix).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fixed / fix, home / "reference" / fix)
    return home


def diff_lines(home: Path, task: dict[str, Any]) -> int:
    """Changed lines (+ and -) of the fix files between the buggy and the fixed release."""
    total = 0
    for fix in task["fix_files"]:
        old = (home / "repo" / fix).read_text(encoding="utf-8").splitlines()
        new = (home / "reference" / fix).read_text(encoding="utf-8").splitlines()
        diff = difflib.unified_diff(old, new, n=0, lineterm="")
        total += sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    return total


def make_venv(repo: Path, project: dict[str, Any]) -> None:
    """A `.venv` in the task repository with pytest, the test deps and the package on its path."""
    uv = [sys.executable, "-m", "uv"]
    venv = repo / ".venv"
    install = [*uv, "pip", "install", "-q", "--python", str(venv / "bin/python")]
    for args in (
        [*uv, "venv", "-q", "--python", sys.executable, str(venv)],
        [*install, PYTEST, *project["deps"]],
    ):
        result = proc.run(args, cwd=repo, timeout=600)
        if not result.ok:
            raise Rejected(f"venv: {' '.join(args[3:])} failed: {result.output.strip()[-300:]}")
    (site,) = venv.glob("lib/python*/site-packages")
    # a relative .pth resolves against site-packages, so a copied repository finds its own tree
    relative = Path("../../../..") / project["pythonpath"]
    (site / "_task_source.pth").write_text(f"{relative.as_posix()}\n", encoding="utf-8")
    install_collect_plugin(site)


COLLECT_PLUGIN = '''"""Installed by bench/bugfix/realrepo.py: collection warnings never stop a run.

Python-Markdown runs its suite with unittest; its tests/test_legacy.py calls
warnings.simplefilter("error") when imported, and under pytest that turns the warning about
unittest's TestSuite class (collected later) into an error that aborts the whole run.
"""

import warnings

import pytest


def pytest_collectstart(collector):
    warnings.filterwarnings("default", category=pytest.PytestCollectionWarning)
'''


def install_collect_plugin(site: Path) -> None:
    """A pytest plugin in the task's venv (not in git) that keeps collection warnings warnings."""
    (site / "_bench_collect.py").write_text(COLLECT_PLUGIN, encoding="utf-8")
    info = site / "bench_collect-1.0.dist-info"
    info.mkdir(exist_ok=True)
    meta = "Metadata-Version: 2.1\nName: bench-collect\nVersion: 1.0\n"
    (info / "METADATA").write_text(meta, encoding="utf-8")
    entry = "[pytest11]\nbench_collect = _bench_collect\n"
    (info / "entry_points.txt").write_text(entry, encoding="utf-8")


def commit(repo: Path, task: dict[str, Any]) -> None:
    """Make `repo` a git repository whose one commit is the task's starting point."""
    git(repo, "init", "-q", "-b", "main")
    (repo / ".git/info/exclude").write_text(".venv/\n__pycache__/\n", encoding="utf-8")
    git(repo, "add", "-A")
    message = f"{task['project']} {task['buggy']} with the test from {task['fixed']}"
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", message)


def as_task(home: Path, task: dict[str, Any], project: dict[str, Any], baseline: Any) -> Task:
    """The harness's Task for an assembled task directory."""
    return Task(
        name=task["name"],
        category=task["project"],
        red_test=task["red_test"],
        path=home,
        kind="realrepo",
        tests_dir=project["tests"],
        python=str(home / "repo/.venv/bin/python"),
        pythonpath=project["pythonpath"] if project["pythonpath"] != "." else "",
        baseline=frozenset(baseline) if baseline is not None else None,
    )


def assemble(task: dict[str, Any], project: dict[str, Any], cache: Path) -> dict[str, Any]:
    """Lay out, set up, commit and verify one task; write and return its record."""
    started = time.monotonic()
    home = lay_out(task, project, cache)
    make_venv(home / "repo", project)
    commit(home / "repo", task)
    harness = as_task(home, task, project, None)
    record = {"name": task["name"], "diff_lines": diff_lines(home, task)}
    record |= verify(harness, home / "repo")
    record["assemble_s"] = round(time.monotonic() - started, 1)
    (home / "task.json").write_text(json.dumps(task | record, indent=1), encoding="utf-8")
    return record


def load_real(names: list[str], cache: Path = CACHE) -> list[Task]:
    """The assembled, verified tasks among `names`, as harness Tasks (others are reported)."""
    spec = real_spec()
    tasks = []
    for name in names:
        record_path = cache / "tasks" / name / "task.json"
        if not record_path.is_file():
            print(f"skipped {name}: not assembled and verified (run bench/bugfix/realrepo.py)")
            continue
        record = json.loads(record_path.read_text(encoding="utf-8"))
        project = spec["project"][record["project"]]
        tasks.append(as_task(record_path.parent, record, project, record["baseline"]))
    return tasks


def tasks_in_set(set_name: str, names: list[str]) -> list[Task]:
    """The runnable tasks of a set (narrowed to `names`, in that order when given)."""
    entries = members(set_name)
    unknown = set(names) - {e.name for e in entries}
    if unknown:
        raise SystemExit(f"not in set {set_name}: {', '.join(sorted(unknown))}")
    picked = [e for e in entries if not names or e.name in names]
    toy = [e.name for e in picked if e.kind == "toy"]
    tasks = load_tasks(toy) if toy else []
    tasks += load_real([e.name for e in picked if e.kind != "toy"])
    tasks.sort(key=lambda t: names.index(t.name) if names else 0)  # the order asked for
    return tasks


def main() -> int:
    """Assemble and verify the named tasks (default: all); print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("tasks", nargs="*")
    opts = parser.parse_args()
    spec = real_spec()
    chosen = [t for t in spec["task"] if not opts.tasks or t["name"] in opts.tasks]
    verified, started = [], time.monotonic()
    for task in chosen:
        try:
            record = assemble(task, spec["project"][task["project"]], opts.cache)
        except Rejected as exc:
            reject(opts.cache, task["name"], str(exc))
            continue
        verified.append(record["name"])
        print(
            f"ok   {task['name']} ({record['diff_lines']} diff lines, "
            f"{len(record['baseline'])} other tests pass, {record['assemble_s']:.0f}s)"
        )
    write_verified(opts.cache, [t["name"] for t in chosen], verified)
    print(f"{len(verified)} of {len(chosen)} verified in {time.monotonic() - started:.0f}s")
    return 0 if verified else 1


def reject(cache: Path, name: str, reason: str) -> None:
    """Log a rejection (with the date) and print it."""
    shutil.rmtree(cache / "tasks" / name, ignore_errors=True)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    with (cache / "rejections.log").open("a", encoding="utf-8") as log:
        log.write(f"{stamp} {name}: {reason}\n")
    print(f"REJ  {name}: {reason}")


def write_verified(cache: Path, tried: list[str], verified: list[str]) -> None:
    """Update the list of verified tasks with this run's outcome (temp file, then rename)."""
    path = cache / "verified.json"
    before = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    names = sorted({n for n in before if n not in tried} | set(verified))
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(names, indent=1), encoding="utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    sys.exit(main())
