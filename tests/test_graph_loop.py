"""The edit loop's defences against a small model: ambiguity, repeats, regressions, bad rewrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config.settings import load_settings
from agent.discovery.engine import discover
from agent.graph.narrow import called_names, narrow
from agent.graph.rewrite import shape_problem
from agent.graph.state import CycleOutcome
from tests.graph_support import NOW, action, json_settings, options, run_agent, scripted
from tests.support import git, make_repo

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs

OPS = '''"""Arithmetic."""


def add(a, b):
    return a + b


def difference(a, b):
    return a + b
'''
OPS_TESTS = """from ops import add, difference


def test_add():
    assert add(2, 3) == 5


def test_difference():
    assert difference(5, 3) == 2
"""
SCALE = '''"""Scaling."""


def scale(x, factor=3):
    return x * factor
'''
SCALE_TESTS = """from scale import scale


def test_default_factor_doubles():
    assert scale(2) == 4


def test_explicit_factor():
    assert scale(2, 3) == 6
"""
PYPROJECT = '[tool.pytest.ini_options]\npythonpath = ["."]\n'


def fenced(code: str) -> str:
    """A reply holding one fenced Python block."""
    return f"```python\n{code}```"


def repo_with(tmp_path: Path, module: str, text: str, tests: str) -> tuple[Path, str]:
    """A repository with one failing test, discovered into backlog.yml; (repo, item id)."""
    repo = make_repo(
        tmp_path / "repo",
        {
            f"{module}.py": text,
            f"tests/test_{module}.py": tests,
            "pyproject.toml": PYPROJECT,
            ".gitignore": ".agent/\n__pycache__/\n",
        },
    )
    discover(repo, load_settings(repo, env={}), ("tests",), NOW, write=True)
    git(repo, "add", "backlog.yml")
    git(repo, "commit", "-q", "-m", "backlog")
    backlog = (repo / "backlog.yml").read_text(encoding="utf-8")
    return repo, next(line.split()[-1] for line in backlog.splitlines() if "id: TEST-" in line)


def test_narrow_widens_an_ambiguous_edit_to_the_one_function_the_test_calls() -> None:
    widened = narrow(OPS, "return a + b", "return a - b", {"difference"})

    assert widened == (
        "def difference(a, b):\n    return a + b\n",
        "def difference(a, b):\n    return a - b\n",
    )
    assert narrow(OPS, "return a + b", "return a - b", {"add", "difference"}) is None
    assert narrow(OPS, "return a + b", "return a - b", {"unrelated"}) is None
    assert narrow(OPS, "def add", "def plus", {"add"}) is None  # unique already: left alone


def test_called_names_are_the_calls_inside_the_failing_test_only(tmp_path: Path) -> None:
    (tmp_path / "test_ops.py").write_text(OPS_TESTS, encoding="utf-8")

    names = called_names(tmp_path, "test_ops.py", "tests/test_ops.py::test_difference")

    assert names == {"difference"}
    assert called_names(tmp_path, "missing.py", "x::y") == set()


def test_an_ambiguous_edit_lands_in_the_function_the_red_test_calls(tmp_path: Path) -> None:
    repo, item_id = repo_with(tmp_path, "ops", OPS, OPS_TESTS)
    model = scripted(action("replace_text", path="ops.py", old="return a + b", new="return a - b"))

    state, code, _ = run_agent(repo, model, options(item_id=item_id))

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    fixed = git(repo, "show", f"{result.branch}:ops.py")
    assert "def add(a, b):\n    return a + b" in fixed
    assert "def difference(a, b):\n    return a - b" in fixed
    assert code == 0 and len(model.calls) == 1


def test_a_repeated_failing_action_ends_the_phase_early(tmp_path: Path) -> None:
    repo, item_id = repo_with(tmp_path, "ops", OPS, OPS_TESTS)
    wrong = action("replace_text", path="ops.py", old="assert 4 == 2", new="assert 2 == 2")
    model = scripted(*[wrong] * 12)

    state, code, _ = run_agent(repo, model, options(item_id=item_id))

    [result] = state.results
    assert result.outcome is CycleOutcome.BLOCKED and result.phase == "green"
    assert "repeated an action that had failed" in result.reason
    assert len(model.calls) == 3  # tried, told once it was a repeat, then stopped
    assert "You already tried exactly this action" in model.calls[2].messages[-1]["content"]
    assert code == 1


def test_a_regression_goes_back_to_the_model_with_the_diff_and_the_code(tmp_path: Path) -> None:
    repo, item_id = repo_with(tmp_path, "scale", SCALE, SCALE_TESTS)
    breaks_other = action("replace_text", path="scale.py", old="x * factor", new="x * 2")
    proper = action(
        "replace_text",
        path="scale.py",
        old="def scale(x, factor=3):\n    return x * 2",
        new="def scale(x, factor=2):\n    return x * factor",
    )
    model = scripted(breaks_other, proper)

    state, code, _ = run_agent(repo, model, options(item_id=item_id))

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    prompt = model.calls[1].messages[-1]["content"]
    assert "test_explicit_factor" in prompt  # the regression
    assert "-    return x * factor" in prompt and "+    return x * 2" in prompt  # the diff
    assert "scale.py now:" in prompt and "def scale(x, factor=3):" in prompt  # the code
    assert "x * factor" in git(repo, "show", f"{result.branch}:scale.py")
    assert code == 0


def test_a_rewrite_that_drops_a_function_or_is_the_test_is_refused_before_any_run() -> None:
    assert shape_problem("ops.py", OPS, OPS.replace("a + b\n", "a - b\n")) is None
    dropped = "def difference(a, b):\n    return a - b\n"
    assert shape_problem("ops.py", OPS, dropped) == "it lacks add, which ops.py defines"
    assert (
        shape_problem("ops.py", OPS, OPS_TESTS) == "it lacks add, difference, which ops.py defines"
    )
    assert "not valid Python (line 1" in (shape_problem("ops.py", OPS, "def (") or "")
    assert shape_problem("ops.py", OPS, "  \n") == "it was empty"
    assert shape_problem("notes.txt", "a\n", "b\n") is None


def test_sampled_rewrites_go_on_until_the_check_passes(tmp_path: Path) -> None:
    repo, item_id = repo_with(tmp_path, "ops", OPS, OPS_TESTS)
    model = scripted(
        fenced(OPS_TESTS),  # the test, not the module: refused unrun
        fenced(OPS.replace("return a + b\n", "return a * b\n")),  # still red
        "Here it is:\n" + fenced(OPS[: OPS.rindex("a + b")] + "a - b\n") + "\nDone.",  # the fix
    )
    settings = json_settings(repo, rewrite="on")

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert [call.request.extra for call in model.calls] == [
        {},
        {"temperature": 0.7, "seed": 1},
        {"temperature": 0.7, "seed": 2},
    ]
    assert "it lacks add, difference" in model.calls[1].messages[-1]["content"]
    fixed = git(repo, "show", f"{result.branch}:ops.py")
    assert "return a + b" in fixed and "return a - b" in fixed
    assert code == 0


def test_an_edit_back_to_code_that_already_failed_is_not_rerun_and_ends_the_phase(
    tmp_path: Path,
) -> None:
    repo, item_id = repo_with(tmp_path, "scale", SCALE, SCALE_TESTS)
    worse = action("replace_text", path="scale.py", old="x * factor", new="x + factor")
    back = action("replace_text", path="scale.py", old="x + factor", new="x * factor")
    model = scripted(worse, back, worse, *[back] * 5)

    state, code, _ = run_agent(repo, model, options(item_id=item_id))

    [result] = state.results
    assert result.outcome is CycleOutcome.BLOCKED and result.phase == "green"
    assert "went back to code that had already failed" in result.reason
    assert len(model.calls) == 3
    assert "already tested and failed" in model.calls[2].messages[-1]["content"]
    assert code == 1
