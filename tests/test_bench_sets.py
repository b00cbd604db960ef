"""The bug-fix benchmark's set manifests are well-formed; nothing here downloads anything."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bugfix"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sets = _load("sets")
testsplice = _load("testsplice")


def test_the_committed_manifests_have_no_problems() -> None:
    assert sets.problems() == []


def test_every_task_is_in_exactly_one_part() -> None:
    found = sets.entries()
    parts = [e.name for part in sets.PARTS for e in sets.members("all") if e.part == part]
    assert sorted(parts) == sorted(e.name for e in found)
    assert len(set(parts)) == len(parts)


def test_the_small_tasks_are_all_dev_and_all_listed() -> None:
    small = [e for e in sets.entries() if e.kind == "toy"]
    on_disk = sorted(p.name for p in (BENCH / "tasks").iterdir() if (p / "task.toml").is_file())
    assert sorted(e.name for e in small) == on_disk
    assert {e.split for e in small} == {"dev"}


def test_the_real_set_has_twelve_tasks_from_three_projects_of_twenty_modules() -> None:
    spec = sets.real_spec()
    projects = {t["project"] for t in spec["task"]}
    assert len(spec["task"]) >= 12
    assert len(projects) >= 3
    assert all(spec["project"][p]["modules"] >= 20 for p in projects)


def test_the_held_out_set_is_the_real_held_out_part_and_not_empty() -> None:
    heldout = sets.members("heldout")
    assert heldout
    assert {e.part for e in heldout} <= {"toy-heldout", "realrepo-heldout"}
    assert not {e.name for e in heldout} & {e.name for e in sets.members("dev")}


def test_an_unknown_set_name_is_refused() -> None:
    with pytest.raises(SystemExit, match="unknown set 'train'"):
        sets.members("train")


def _write(tmp_path: Path, toy: str, real: str) -> tuple[Path, Path]:
    (tmp_path / "sets.toml").write_text(toy, encoding="utf-8")
    (tmp_path / "tasks.toml").write_text(real, encoding="utf-8")
    return tmp_path / "sets.toml", tmp_path / "tasks.toml"


REAL_OK = """
[project.p]
dist = "p"
modules = 25
tests = "tests"
pythonpath = "."
deps = []

[[task]]
name = "p-bug"
project = "p"
buggy = "1.0"
fixed = "1.1"
changelog = "Fix the bug."
red_test = "tests/test_p.py::test_bug"
fix_files = ["p/core.py"]
diff_lines = 2
set = "heldout"
"""


def test_problems_name_a_duplicate_a_bad_split_and_missing_provenance(tmp_path: Path) -> None:
    real = REAL_OK.replace('changelog = "Fix the bug."\n', "").replace("p/core.py", "tests/x.py")
    real += '\n[[task]]\nname = "binary_search_bounds"\nproject = "q"\nset = "train"\n'
    toy, real_path = _write(tmp_path, '[tasks]\nbinary_search_bounds = "dev"\n', real)
    found = sets.problems(toy, real_path)
    assert "binary_search_bounds: listed 2 times" in found
    assert "binary_search_bounds: set 'train', expected dev or heldout" in found
    assert "p-bug: missing changelog" in found
    assert "p-bug: fix_files must be source files, not tests" in found
    assert "binary_search_bounds: project 'q' has no [project] table" in found
    assert any(p.startswith("chunks_drop_tail: task directory not in") for p in found)


def test_a_complete_manifest_has_only_the_unlisted_small_tasks_as_problems(tmp_path: Path) -> None:
    toy, real = _write(tmp_path, "[tasks]\n", REAL_OK)
    found = sets.problems(toy, real)
    assert found and all("task directory not in" in p for p in found)
    assert [e.part for e in sets.entries(toy, real)] == ["realrepo-heldout"]


BUGGY = """import pytest


class TestA:
    def test_old(self):
        assert 1


def test_kept():
    assert 2
"""

FIXED = """import pytest


class TestA:
    def test_old(self):
        assert 1

    @pytest.mark.parametrize("x", [1])
    def test_new(self, x):
        assert x


def test_kept():
    assert 3


class TestB:
    def test_b(self):
        assert 4
"""


def test_splice_appends_a_method_replaces_a_function_and_carries_a_missing_class() -> None:
    text = testsplice.splice(BUGGY, FIXED, ["TestA", "test_new"])
    text = testsplice.splice(text, FIXED, ["test_kept"])
    text = testsplice.splice(text, FIXED, ["TestB", "test_b"])
    namespace: dict[str, object] = {}
    exec(compile(text, "spliced", "exec"), namespace)
    assert "def test_new(self, x)" in text and '@pytest.mark.parametrize("x", [1])' in text
    assert "assert 3" in text and "assert 2" not in text
    assert {"TestA", "TestB", "test_kept"} <= set(namespace)


def test_splice_refuses_a_test_the_fixed_release_lacks() -> None:
    with pytest.raises(LookupError, match="test_gone"):
        testsplice.splice(BUGGY, FIXED, ["test_gone"])


def test_carry_imports_adds_only_the_missing_ones_after_the_last_import() -> None:
    buggy = "import os\nimport pytest\n\n\ndef test_a():\n    assert os\n"
    fixed = "import copy\nimport os\n\nimport pytest\nfrom x import (y,\n    z)\n"
    text = testsplice.carry_imports(buggy, fixed)
    assert text.splitlines()[:4] == [
        "import os",
        "import pytest",
        "import copy",
        "from x import y, z",
    ]
    assert testsplice.carry_imports(text, fixed) == text


def test_splice_carries_a_module_level_value_before_the_test_that_uses_it() -> None:
    used = '_values = (1, 2)\n\n\n@pytest.mark.parametrize("v", _values)\n'
    used += "def test_v(v):\n    assert v\n"
    fixed = f"{FIXED}\n{used}"
    text = testsplice.splice(BUGGY, fixed, ["_values"])
    text = testsplice.splice(text, fixed, ["test_v"])
    namespace: dict[str, object] = {}
    exec(compile(text, "spliced", "exec"), namespace)
    assert namespace["_values"] == (1, 2) and "test_v" in namespace
