"""Localisation on generated repositories with real pytest failures: files, functions, lines."""

from __future__ import annotations

from pathlib import Path

from agent.localise import file_windows, localise, show_windows
from agent.testrun.testfiles import is_test_file
from tests.localise_support import big_module, bug_repo, run_pytest
from tests.support import make_repo


def test_bug_two_calls_away_among_300_modules(tmp_path: Path) -> None:
    repo = bug_repo(tmp_path / "repo", modules=300)
    failure = run_pytest(repo, "tests/test_api.py::test_handle")
    assert "assert 5 == 6" in failure  # the bug: parse drops the first item
    found = localise(
        repo,
        failure=failure,
        test_file="tests/test_api.py",
        test_function="test_handle",
        text="Summing the numbers of a comma separated text gives the wrong total",
    )
    assert "pkg/core.py" in found.paths[:3]
    core = next(ranked for ranked in found.files if ranked.path == "pkg/core.py")
    assert "parse" in [f.qualname for f in core.functions[:2]]
    assert not any(path.startswith("pkg/gen/") for path in found.paths[:3])
    assert found.paths[0] == "pkg/api.py"  # what the test calls directly comes first


def test_test_function_is_taken_from_the_traceback_when_not_given(tmp_path: Path) -> None:
    repo = bug_repo(tmp_path / "repo", modules=20)
    failure = run_pytest(repo, "tests/test_api.py::test_handle")
    found = localise(repo, failure=failure, test_file=None, test_function=None)
    assert (found.test_file, found.test_function) == ("tests/test_api.py", "test_handle")
    assert "pkg/core.py" in found.paths[:3]


def test_bug_at_line_1500_of_a_2000_line_module(tmp_path: Path) -> None:
    test = "from pkg import big\n\n\ndef test_entry():\n    assert big.entry(1) == 3\n"
    repo = make_repo(
        tmp_path / "repo",
        {"pkg/__init__.py": "", "pkg/big.py": big_module(), "tests/test_big.py": test},
    )
    failure = run_pytest(repo, "tests/test_big.py::test_entry")
    assert "pkg/big.py:1500: ValueError" in failure
    found = localise(repo, failure=failure, test_file="tests/test_big.py", test_function=None)
    top = found.files[0]
    assert top.path == "pkg/big.py" and 1500 in top.lines
    assert top.functions[0].qualname == "step_bug"
    windows = file_windows(repo, top)
    assert any(start <= 1500 <= end for start, end in windows)
    assert all(end - start < 80 for start, end in windows)
    shown = show_windows(repo, top.path, windows)
    assert ' 1500      raise ValueError("negative totals are not allowed")' in shown
    assert "not shown" in shown


def test_wrong_value_at_line_1500_is_found_three_calls_away(tmp_path: Path) -> None:
    test = "from pkg import big\n\n\ndef test_entry():\n    assert big.entry(1) == 3\n"
    repo = make_repo(
        tmp_path / "repo",
        {"pkg/__init__.py": "", "pkg/big.py": big_module(raises=False), "tests/test_big.py": test},
    )
    failure = run_pytest(repo, "tests/test_big.py::test_entry")
    found = localise(
        repo, failure=failure, test_file="tests/test_big.py", test_function="test_entry"
    )
    top = found.files[0]
    assert top.path == "pkg/big.py" and top.lines == []
    assert [f.qualname for f in top.functions] == ["entry", "dispatch", "step_bug"]
    assert any(start <= 1500 <= end for start, end in file_windows(repo, top))


HOOK = """\
def hook(pairs):
    if "total" in pairs:
        raise KeyError("total is reserved")
    return pairs
"""
DATA_TEST = """\
import json

from pkg.hooks import hook


def test_load():
    assert json.loads('{"total": 1}', object_hook=hook) == {"total": 1}
"""


def test_stdlib_site_packages_and_test_frames_are_never_candidates(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"pkg/__init__.py": "", "pkg/hooks.py": HOOK, "tests/test_data.py": DATA_TEST},
    )
    failure = run_pytest(repo, "tests/test_data.py", "--tb=native")
    assert "json/decoder.py" in failure and "pkg/hooks.py" in failure
    venv = repo / ".venv/lib/python3.11/site-packages/yaml"
    venv.mkdir(parents=True)
    (venv / "loader.py").write_text("def load():\n    pass\n")
    (repo / ".gitignore").write_text(".venv/\n")
    extra = (
        f'  File "{repo}/.venv/lib/python3.11/site-packages/yaml/loader.py", line 2, in load\n'
        '  File "/usr/lib/python3/dist-packages/six.py", line 9, in reraise\n'
        "../elsewhere/lib.py:3: in helper\n"
    )
    found = localise(repo, failure=extra + failure, test_file=None, test_function=None)
    assert found.paths[0] == "pkg/hooks.py"
    assert 3 in found.files[0].lines
    assert "deepest traceback frame line 3 in hook" in found.files[0].reasons
    assert all((repo / path).is_file() and not is_test_file(path) for path in found.paths)
    assert not any(".venv" in path or "decoder" in path for path in found.paths)
    assert found.test_file == "tests/test_data.py"


BILLING = """\
def compute_total(items):
    return sum(items)


def check(total):
    if total < 0:
        raise ValueError("negative totals are not allowed")
    return total
"""


def test_text_signals_without_a_traceback(tmp_path: Path) -> None:
    files = {
        "shop/billing.py": BILLING,
        "shop/other.py": "def unrelated():\n    return 0\n",
        "tests/test_billing.py": 'def test_x():\n    assert "negative totals are not allowed"\n',
    }
    repo = make_repo(tmp_path / "repo", files)
    failure = "FAILED - ValueError: negative totals are not allowed"
    found = localise(repo, failure=failure, test_file=None, test_function=None)
    assert found.paths == ["shop/billing.py"] and found.files[0].lines == [7]
    assert found.files[0].functions[0].qualname == "check"
    named = localise(
        repo, failure="", test_file=None, test_function=None, text="Fix compute_total in billing"
    )
    assert named.paths == ["shop/billing.py"]
    assert named.files[0].functions[0].qualname == "compute_total"
    assert "module named in the failure or the item" in named.files[0].reasons


def test_equal_evidence_ranks_by_path_and_repeats_exactly(tmp_path: Path) -> None:
    files = {f"lib/{name}.py": "def shared_helper():\n    return 1\n" for name in "cab"}
    repo = make_repo(tmp_path / "repo", files)
    runs = [
        localise(repo, failure="shared_helper broke", test_file=None, test_function=None)
        for _ in range(2)
    ]
    assert runs[0].paths == ["lib/a.py", "lib/b.py", "lib/c.py"]
    assert runs[0] == runs[1]


def test_a_string_found_in_many_files_is_no_evidence(tmp_path: Path) -> None:
    files = {f"lib/level_{n}.py": 'LEVEL = "high"\n' for n in range(4)}
    files["lib/rare.py"] = 'MODE = "turbo-charged"\n'
    repo = make_repo(tmp_path / "repo", files)
    failure = "E   AssertionError: assert 'high' == 'turbo-charged'"
    found = localise(repo, failure=failure, test_file=None, test_function=None)
    assert found.paths == ["lib/rare.py"] and found.files[0].lines == [1]
