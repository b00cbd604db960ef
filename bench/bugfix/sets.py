"""The bug-fix benchmark's sets: which task is development and which is held out.

Two manifests, both committed: `sets.toml` (the small tasks under `tasks/`, all tuned on, so all
`dev`) and `realrepo/tasks.toml` (the real-repository tasks, each with its provenance and its
split). The sets a run or a report can name:

- `dev`: the small tasks marked dev;
- `heldout`: every held-out task (small ones marked heldout, then the real-repository ones);
- `realrepo-dev`, `realrepo-heldout`: the two parts of the real-repository set;
- `all`: everything.

Standard library only, so the tests can load it without the harness.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TOY_MANIFEST = HERE / "sets.toml"
REAL_MANIFEST = HERE / "realrepo" / "tasks.toml"
TOY_DIR = HERE / "tasks"
SPLITS = ("dev", "heldout")
SET_NAMES = ("dev", "heldout", "realrepo-dev", "realrepo-heldout", "all")
PARTS = ("dev", "toy-heldout", "realrepo-dev", "realrepo-heldout")
PROVENANCE = ("project", "buggy", "fixed", "changelog", "red_test", "fix_files", "diff_lines")
PROJECT_FIELDS = ("dist", "modules", "tests", "pythonpath", "deps")


@dataclass(frozen=True)
class Entry:
    """One task's place: its name, its kind (toy or realrepo) and its split (dev or heldout)."""

    name: str
    kind: str
    split: str

    @property
    def part(self) -> str:
        """The part a report shows it in."""
        if self.kind == "toy":
            return "dev" if self.split == "dev" else "toy-heldout"
        return f"realrepo-{self.split}"


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one manifest; a syntax error names the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SystemExit(f"{path}: {exc}") from None


def real_spec(path: Path = REAL_MANIFEST) -> dict[str, Any]:
    """The real-repository manifest: `project` tables and the `task` list."""
    return read_toml(path)


def entries(toy: Path = TOY_MANIFEST, real: Path = REAL_MANIFEST) -> list[Entry]:
    """Every task of both manifests, small tasks first, each in manifest order."""
    small = read_toml(toy).get("tasks", {})
    found = [Entry(name, "toy", split) for name, split in small.items()]
    found += [Entry(t["name"], "realrepo", t["set"]) for t in real_spec(real).get("task", [])]
    return found


def members(set_name: str, found: list[Entry] | None = None) -> list[Entry]:
    """The tasks of one named set."""
    if set_name not in SET_NAMES:
        raise SystemExit(f"unknown set {set_name!r}: expected one of {', '.join(SET_NAMES)}")
    found = entries() if found is None else found
    if set_name == "all":
        return found
    if set_name in ("dev", "heldout"):
        wanted = {"dev": ("dev",), "heldout": ("toy-heldout", "realrepo-heldout")}[set_name]
        return [e for e in found if e.part in wanted]
    return [e for e in found if e.part == set_name]


def parts_of(set_name: str) -> list[str]:
    """The parts a report on `set_name` shows, each separately."""
    chosen = {e.part for e in members(set_name)}
    return [part for part in PARTS if part in chosen]


def problems(toy: Path = TOY_MANIFEST, real: Path = REAL_MANIFEST) -> list[str]:
    """Everything wrong with the manifests (empty when they are well-formed)."""
    found = entries(toy, real)
    names = [e.name for e in found]
    issues = [
        f"{n}: listed {names.count(n)} times" for n in sorted(set(names)) if names.count(n) > 1
    ]
    issues += [
        f"{e.name}: set {e.split!r}, expected dev or heldout"
        for e in found
        if e.split not in SPLITS
    ]
    on_disk = {p.name for p in TOY_DIR.iterdir() if (p / "task.toml").is_file()}
    listed = {e.name for e in found if e.kind == "toy"}
    issues += [f"{n}: task directory not in {toy.name}" for n in sorted(on_disk - listed)]
    issues += [f"{n}: in {toy.name} but no task directory" for n in sorted(listed - on_disk)]
    return issues + real_problems(real_spec(real))


def real_problems(spec: dict[str, Any]) -> list[str]:
    """Missing or malformed provenance in the real-repository manifest."""
    projects = spec.get("project", {})
    issues = [
        f"project {name}: missing {field}"
        for name, table in projects.items()
        for field in PROJECT_FIELDS
        if field not in table
    ]
    for task in spec.get("task", []):
        issues += task_problems(task, projects)
    return issues


def task_problems(task: dict[str, Any], projects: dict[str, Any]) -> list[str]:
    """What one real-repository task lacks."""
    name = task.get("name", "?")
    issues = [f"{name}: missing {field}" for field in (*PROVENANCE, "set") if not task.get(field)]
    if task.get("project") and task["project"] not in projects:
        issues.append(f"{name}: project {task['project']!r} has no [project] table")
    tests = projects.get(task.get("project", ""), {}).get("tests", "tests")
    red = task.get("red_test", f"{tests}/::")
    if "::" not in red or not red.startswith(f"{tests}/"):
        issues.append(f"{name}: red_test must be a node id under {tests}/")
    if any(f.startswith(f"{tests}/") for f in task.get("fix_files", [])):
        issues.append(f"{name}: fix_files must be source files, not tests")
    return issues
