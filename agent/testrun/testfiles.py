"""Test files and test ids: which files the test guard protects, and how pytest ids group.

A parametrized test is one test function: `tests/test_x.py::test_f[2-3]` belongs to the function
`tests/test_x.py::test_f`, and that function passes only when every parameter passes.
"""

from __future__ import annotations

import re

TEST_FILE = re.compile(r"(^|/)(test_[^/]*\.py|[^/]*_test\.py|conftest\.py)$")


def is_test_file(path: str) -> bool:
    """True for files pytest treats as tests or test configuration."""
    return bool(TEST_FILE.search(path)) or path.startswith(("tests/", "test/"))


def function_id(node_id: str) -> str:
    """The node id of the test function: `f.py::test_f[a-b]` → `f.py::test_f`."""
    head, bracket, _ = node_id.partition("[")
    return head if bracket and node_id.endswith("]") and "::" in head else node_id


def parameter(node_id: str) -> str | None:
    """The parameter id of a parametrized node id (`a-b` of `f.py::test_f[a-b]`), else None."""
    function = function_id(node_id)
    return node_id[len(function) + 1 : -1] if function != node_id else None


def selects(target: str, node_id: str) -> bool:
    """True when running `target` (a file, a test function or one case) runs `node_id`."""
    return node_id == target or node_id.startswith((f"{target}[", f"{target}::"))
