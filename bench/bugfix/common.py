"""The bug-fix corpus: load tasks, make a task repository, judge a result from git and pytest."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from agent.system import proc  # noqa: E402
from agent.testrun.junit import TestCase, TestOutcome, node_id, parse_junit  # noqa: E402

TASKS_DIR = Path(__file__).resolve().parent / "tasks"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "2026-11-21T09:00:00Z",
    "GIT_COMMITTER_DATE": "2026-11-21T09:00:00Z",
}


@dataclass(frozen=True)
class Task:
    """One bug-fix task: a template repository, the failing test, the hidden reference fix."""

    name: str
    category: str
    red_test: str
    path: Path
    kind: str = "toy"  # "toy" (bench/bugfix/tasks) or "realrepo" (assembled by realrepo.py)
    tests_dir: str = "tests"  # the tests an agent must not change; the judge runs them
    python: str = ""  # the interpreter that runs the suite ("" = this one)
    pythonpath: str = ""  # where the package lives in the tree, put first on PYTHONPATH
    baseline: frozenset[str] | None = None  # tests that must pass (None = every test)

    @property
    def test_command(self) -> str:
        """The command that runs the suite inside the task repository."""
        if self.kind == "toy":
            return "python -m pytest -q"
        return f".venv/bin/python -m pytest -q {self.tests_dir}"

    @property
    def template(self) -> Path:
        """The repository template copied into each attempt."""
        return self.path / "repo"

    @property
    def reference(self) -> Path:
        """The corrected modules, laid out like the repository (never shown to an agent)."""
        return self.path / "reference"


@dataclass(frozen=True)
class Verdict:
    """What git and pytest say about an attempt."""

    red_passes: bool
    suite_passes: bool
    tests_unchanged: bool
    changed_files: tuple[str, ...]
    detail: str

    @property
    def resolved(self) -> bool:
        """RED test passes, the full suite passes and no test file was touched."""
        return self.red_passes and self.suite_passes and self.tests_unchanged


def load_tasks(names: list[str] | None = None) -> list[Task]:
    """All tasks of the corpus (or the named ones), sorted by name."""
    tasks = []
    for path in sorted(p for p in TASKS_DIR.iterdir() if (p / "task.toml").is_file()):
        if names and path.name not in names:
            continue
        meta = tomllib.loads((path / "task.toml").read_text(encoding="utf-8"))
        tasks.append(Task(path.name, meta["category"], meta["red_test"], path))
    missing = set(names or ()) - {t.name for t in tasks}
    if missing:
        raise SystemExit(f"unknown tasks: {', '.join(sorted(missing))}")
    return tasks


def git(repo: Path, *args: str) -> proc.ProcResult:
    """Run git in `repo` with a fixed identity; raise when it fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    result = proc.run(["git", *args], cwd=repo, env=env, timeout=60)
    if not result.ok:
        raise RuntimeError(f"git {' '.join(args)} failed in {repo}: {result.output.strip()}")
    return result


def make_repo(task: Task, target: Path) -> str:
    """Copy the task's template to `target`, commit it on main; return the commit sha.

    A `.venv` in the template (real-repository tasks) is copied too and kept out of git.
    """
    ignore = shutil.ignore_patterns("__pycache__", ".git")
    shutil.copytree(task.template, target, ignore=ignore, symlinks=True)
    git(target, "init", "-q", "-b", "main")
    exclude = target / ".git/info/exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    exclude.write_text(".venv/\n__pycache__/\n", encoding="utf-8")
    git(target, "add", "-A")
    git(target, "-c", "commit.gpgsign=false", "commit", "-q", "-m", f"{task.name}: first version")
    return git(target, "rev-parse", "HEAD").stdout.strip()


def pytest_outcomes(
    root: Path, task: Task, timeout: float = 300
) -> tuple[dict[str, TestOutcome], str]:
    """Run the task's suite in `root`; return outcomes by node id and the output tail."""
    cases, output = pytest_cases(root, task, timeout)
    return {case.node_id: case.outcome for case in cases}, output


def pytest_cases(root: Path, task: Task, timeout: float = 300) -> tuple[list[TestCase], str]:
    """Run the task's suite in `root` with the task's interpreter; return the cases and output."""
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        args = [task.python or sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        args += [f"--junitxml={junit}"]
        # a module that fails to import must not hide the others: its tests just do not pass
        real = [task.tests_dir, "--continue-on-collection-errors"] if task.kind != "toy" else []
        args += real
        result = proc.run(args, cwd=root, timeout=timeout, env=_env(root, task))
        text = junit.read_text(encoding="utf-8") if junit.is_file() else ""
    return exact_ids(root, text), result.output[-1500:]


def exact_ids(root: Path, text: str) -> list[TestCase]:
    """The report's cases, each with the node id pytest gave it.

    JUnit keeps only `classname` (dotted module, then classes) and `name`; where the module
    ends is read from the tree (a lower-case test class, or a test class imported into a second
    module, must not be mistaken for part of the path, nor two such cases merged into one).
    """
    if not text:
        return []
    elements = list(ElementTree.fromstring(text).iter("testcase"))  # noqa: S314 - our own run
    cases = parse_junit(text).cases
    return [
        replace(case, node_id=_node_id(root, el.get("classname", ""), el.get("name", "")))
        for case, el in zip(cases, elements, strict=True)
    ]


def _node_id(root: Path, classname: str, name: str) -> str:
    parts = classname.split(".") if classname else []
    for cut in range(len(parts), 0, -1):
        module = Path(*parts[:cut]).with_suffix(".py")
        if (root / module).is_file():
            return "::".join([module.as_posix(), *parts[cut:], name])
    return node_id(classname, name)


def _env(root: Path, task: Task) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    path = {"PYTHONPATH": str(root / task.pythonpath)} if task.pythonpath else {}
    return env | {"PYTHONDONTWRITEBYTECODE": "1"} | path


def failing(outcomes: dict[str, TestOutcome]) -> list[str]:
    """Node ids that did not pass (skips count as passing)."""
    return sorted(
        n for n, o in outcomes.items() if o not in (TestOutcome.PASSED, TestOutcome.SKIPPED)
    )


def red_cases(outcomes: dict[str, TestOutcome], red_test: str) -> dict[str, TestOutcome]:
    """The outcomes of the RED test: its node id, or every parametrization of it."""
    return {n: o for n, o in outcomes.items() if n == red_test or n.startswith(f"{red_test}[")}


def red_passes(outcomes: dict[str, TestOutcome], red_test: str) -> bool:
    """The RED test ran and every case of it passed."""
    cases = red_cases(outcomes, red_test)
    return bool(cases) and all(o == TestOutcome.PASSED for o in cases.values())


def regressions(outcomes: dict[str, TestOutcome], baseline: frozenset[str]) -> list[str]:
    """Baseline tests that did not pass (or did not run)."""
    good = (TestOutcome.PASSED, TestOutcome.SKIPPED)
    return sorted(n for n in baseline if outcomes.get(n) not in good)


def judge_tree(root: Path, base: str, task: Task, changed: list[str]) -> Verdict:
    """Judge a checked-out tree: run the suite, and check no test file is among `changed`."""
    outcomes, output = pytest_outcomes(root, task)
    bad = failing(outcomes) if task.baseline is None else regressions(outcomes, task.baseline)
    touched_tests = [p for p in changed if p.startswith(f"{task.tests_dir}/")]
    return Verdict(
        red_passes=red_passes(outcomes, task.red_test),
        suite_passes=bool(outcomes) and not bad and red_passes(outcomes, task.red_test),
        tests_unchanged=not touched_tests,
        changed_files=tuple(changed),
        detail=_detail(bad, touched_tests, output if not outcomes else ""),
    )


def _detail(bad: list[str], touched: list[str], output: str) -> str:
    parts = [f"failing: {', '.join(bad)}" if bad else ""]
    parts.append(f"tests changed: {touched}" if touched else "")
    return "; ".join(p for p in [*parts, output[-200:]] if p)


def judge_branch(repo: Path, base: str, branch: str, task: Task) -> Verdict:
    """Judge the committed tree of `branch` in a throwaway worktree."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        git(repo, "worktree", "add", "-q", "--detach", str(tree), branch)
        try:
            changed = git(repo, "diff", "--name-only", base, branch).stdout.split()
            return judge_tree(tree, base, task, changed)
        finally:
            git(repo, "worktree", "remove", "--force", str(tree))


def judge_worktree(repo: Path, base: str, task: Task) -> Verdict:
    """Judge the working tree of `repo` as it is (committed or not) against `base`."""
    git(repo, "add", "-A", "--", ".", ":!.aider*")
    changed = git(repo, "diff", "--cached", "--name-only", base).stdout.split()
    return judge_tree(repo, base, task, changed)


def apply_reference(task: Task, root: Path) -> list[str]:
    """Copy the reference modules over `root`; return the paths written."""
    written = []
    for source in sorted(p for p in task.reference.rglob("*") if p.is_file()):
        relative = source.relative_to(task.reference)
        shutil.copyfile(source, root / relative)
        written.append(relative.as_posix())
    return written
