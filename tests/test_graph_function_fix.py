"""GREEN's function-level try: only the called code is shown, only its defs are taken back."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.graph.function_fix import function_spans, source_of_test, splice
from agent.graph.state import CycleOutcome
from tests.graph_support import json_settings, options, run_agent, scripted
from tests.support import git
from tests.test_graph_loop import OPS, OPS_TESTS, SCALE, SCALE_TESTS, fenced, repo_with

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs

POWERS = """def power(base, exponent):
    return base**exponent


def square(x):
    return power(2, x)


class Shape:
    @staticmethod
    def area(side):
        return side + side
"""


def test_the_called_function_comes_with_the_module_functions_it_calls() -> None:
    spans = function_spans(POWERS, {"square", "assert_equal"})
    assert [(s.name, s.start, s.end, s.indent) for s in spans] == [
        ("power", 0, 2, ""),
        ("square", 4, 6, ""),
    ]
    [method] = function_spans(POWERS, {"area"})
    assert (method.start, method.end, method.indent) == (9, 12, "    ")  # decorator included
    twice = "def f():\n    return 1\n\n\nclass A:\n    def f(self):\n        return 2\n"
    assert function_spans(twice, {"f"}) == []  # ambiguous: not offered
    assert function_spans("def (", {"f"}) == []


def test_only_the_shown_defs_are_taken_from_the_reply_and_put_back_in_place() -> None:
    spans = function_spans(POWERS, {"square", "area"})
    reply = (
        "from powers import square\n\n\ndef test_square():\n    assert square(5) == 25\n\n\n"
        "def square(x):\n    return power(x, 2)\n\n\n"
        "@staticmethod\ndef area(side):\n    return side * side\n"
    )
    text, problem = splice(POWERS, spans, reply)
    assert problem is None
    assert "def test_square" not in text and "from powers" not in text
    assert "def square(x):\n    return power(x, 2)\n" in text
    assert "    @staticmethod\n    def area(side):\n        return side * side\n" in text
    assert "def power(base, exponent):\n    return base**exponent\n" in text  # not in the reply
    compile(text, "powers.py", "exec")


def test_a_reply_without_the_functions_or_with_broken_python_is_refused() -> None:
    spans = function_spans(POWERS, {"square"})
    assert splice(POWERS, spans, "def cube(x):\n    return x\n") == (
        POWERS,
        "it has no def of power, square",
    )
    text, problem = splice(POWERS, spans, "def square(x):\n    return (\n")
    assert text == POWERS and problem is not None and "not valid Python" in problem


def test_the_test_shown_is_only_the_failing_function() -> None:
    assert source_of_test(OPS_TESTS, "tests/test_ops.py::test_difference") == (
        "def test_difference():\n    assert difference(5, 3) == 2\n"
    )
    assert source_of_test(OPS_TESTS, "tests/test_ops.py::test_gone") == OPS_TESTS


def test_when_whole_file_rewrites_fail_the_called_function_is_fixed_alone(
    tmp_path: Path,
) -> None:
    repo, item_id = repo_with(tmp_path, "ops", OPS, OPS_TESTS)
    model = scripted(
        fenced(OPS),  # unchanged: refused before any run
        fenced(OPS_TESTS),  # the test: refused
        fenced(OPS.replace("return a + b\n", "return a * b\n")),  # runs, still red
        "The return adds instead of subtracting; it must be `return a - b`.",  # no code yet
        fenced(OPS_TESTS.split("\n\n\n")[-1] + "\n\ndef difference(a, b):\n    return a - b\n"),
    )
    settings = json_settings(repo, rewrite="on")

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert len(model.calls) == 5
    assert "left ops.py unchanged" in model.calls[1].messages[-1]["content"]
    prompt = model.calls[3].messages[-1]["content"]
    assert "def test_difference" in prompt and "def test_add" not in prompt
    assert "def difference(a, b)" in prompt and "def add" not in prompt
    assert "corrected function" in model.calls[3].messages[0]["content"]
    follow = model.calls[4].messages
    assert follow[-2]["content"].startswith("The return adds instead")  # its own answer
    assert follow[-1]["content"].startswith("Now reply with the corrected difference in one")
    fixed = git(repo, "show", f"{result.branch}:ops.py")
    assert fixed == OPS[: OPS.rindex("a + b")] + "a - b\n"
    tests = git(repo, "show", f"{result.branch}:tests/test_ops.py")
    assert tests == OPS_TESTS
    assert code == 0


def test_a_ci_regression_is_fixed_by_a_whole_file_rewrite_checked_by_the_suite(
    tmp_path: Path,
) -> None:
    repo, item_id = repo_with(tmp_path, "scale", SCALE, SCALE_TESTS)
    breaks_other = SCALE.replace("x * factor", "x * 2")
    proper = SCALE.replace("factor=3", "factor=2")
    model = scripted(fenced(breaks_other), fenced(proper))
    settings = json_settings(repo, rewrite="on")

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert len(model.calls) == 2
    prompt = model.calls[1].messages[-1]["content"]
    assert "made other tests fail" in prompt and "test_explicit_factor" in prompt
    assert "return x * 2" in prompt  # the file as GREEN left it
    assert git(repo, "show", f"{result.branch}:scale.py") == proper
    assert code == 0


def test_a_ci_rewrite_that_undoes_the_fix_is_not_taken_for_green(tmp_path: Path) -> None:
    repo, item_id = repo_with(tmp_path, "scale", SCALE, SCALE_TESTS)
    breaks_other = SCALE.replace("x * factor", "x * 2")
    proper = SCALE.replace("factor=3", "factor=2")
    model = scripted(fenced(breaks_other), fenced(SCALE), fenced(proper))
    settings = json_settings(repo, rewrite="on")

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert len(model.calls) == 3  # the original back: the RED test fails again, so sampled on
    assert model.calls[2].request.extra == {"temperature": 0.7, "seed": 1}
    assert git(repo, "show", f"{result.branch}:scale.py") == proper
    assert code == 0
