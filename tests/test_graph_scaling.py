"""GREEN past toy files: long modules, fixes across files, many modules, secrets, step budgets.

Real temporary repositories and test runs; the model is scripted at the Protocol seam.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.config.settings import Settings, load_settings
from agent.discovery.engine import discover
from agent.graph.sources import read_source
from agent.graph.state import CycleOutcome
from agent.scanners.secrets import REDACTED, redact
from agent.text.tokens import count_text
from tests.graph_support import NOW, action, json_settings, options, run_agent, scripted
from tests.support import git, make_repo
from tests.test_graph_loop import OPS, OPS_TESTS, PYPROJECT, fenced

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs

BUG = "    return values[len(values)]\n"
FIX = "    return values[len(values) - 1]\n"


def repo_of(tmp_path: Path, files: dict[str, str]) -> tuple[Path, str]:
    """A repository with `files` and one failing test, discovered into backlog.yml."""
    base = {"pyproject.toml": PYPROJECT, ".gitignore": ".agent/\n__pycache__/\n"}
    repo = make_repo(tmp_path / "repo", {**base, **files})
    discover(repo, load_settings(repo, env={}), ("tests",), NOW, write=True)
    git(repo, "add", "backlog.yml")
    git(repo, "commit", "-q", "-m", "backlog")
    backlog = (repo / "backlog.yml").read_text(encoding="utf-8")
    return repo, next(line.split()[-1] for line in backlog.splitlines() if "id: TEST-" in line)


def settings_for(repo: Path, agent: dict[str, Any], **model: Any) -> Settings:
    """json action mode, GREEN's own tries on, with agent and model overrides."""
    overrides = {
        "model": {"action_mode": "json", **model},
        "agent": {"green_rewrite": "on", **agent},
    }
    return load_settings(repo, env={}, overrides=overrides)


def _body(number: int) -> str:
    return f"    return (x + {number}) * {number} % 97 - {number} // 3 + len(str(x))"


def long_module() -> str:
    """2,000 lines of helpers; the bug is line 1,500, far past any head cut."""
    lines = ['"""Many helpers."""', ""]
    for number in range(374):
        lines += [f"def helper_{number:04d}(x):", _body(number), "", ""]
    lines += ["def last_item(values):", BUG.rstrip("\n"), "", ""]
    number = 374
    while len(lines) < 2000:
        lines += [f"def helper_{number:04d}(x):", _body(number), "", ""]
        number += 1
    return "\n".join(lines[:2000]) + "\n"


LAST_TEST = (
    "from big import last_item\n\n\ndef test_last_item():\n    assert last_item([1, 2, 3]) == 3\n"
)


def test_a_bug_at_line_1500_of_a_long_module_is_shown_and_fixed_by_search_replace(
    tmp_path: Path,
) -> None:
    big = long_module()
    assert big.splitlines()[1499] == BUG.rstrip("\n") and big.index(BUG) > 12_000
    repo, item_id = repo_of(tmp_path, {"big.py": big, "tests/test_big.py": LAST_TEST})
    block = sr_block("big.py", BUG, FIX)
    reply = f"The index is one past the end.\n\n```python\n{block}```\n"
    model = scripted(reply)

    state, code, _ = run_agent(
        repo, model, options(item_id=item_id), settings=json_settings(repo, "on")
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    [call] = model.calls
    system, prompt = (message["content"] for message in call.messages)
    assert "search/replace blocks" in system
    assert BUG in prompt and "def last_item(values):" in prompt  # line 1,500 and its function
    assert "big.py (2000 lines; only the head" in prompt and "omitted ..." in prompt
    assert "helper_0000" in prompt and "\n... lines 21-" in prompt  # the head, then a gap
    assert BUG not in read_source(repo, "big.py")  # no anchors: a head cut would drop it
    assert call.request.max_tokens is None  # blocks fit the default reply
    assert git(repo, "show", f"{result.branch}:big.py") == big.replace(BUG, FIX)
    assert code == 0


def test_a_file_over_the_default_reply_is_rewritten_whole_with_the_rewrite_cap(
    tmp_path: Path,
) -> None:
    helpers = "".join(
        f'def helper_{n:03d}(value):\n    """Scale value for report column {n}."""\n'
        f"    return (value * {n} + {n}) % 97 - len(str(value)) // 3\n\n\n"
        for n in range(28)
    )
    module = helpers + "def difference(a, b):\n    return a + b\n"
    assert 100 < module.count("\n") < 150 and count_text(module) > 1024
    tests = (
        "from ops import difference\n\n\ndef test_difference():\n    assert difference(5, 3) == 2\n"
    )
    repo, item_id = repo_of(tmp_path, {"ops.py": module, "tests/test_ops.py": tests})
    fixed = module.replace("return a + b", "return a - b")
    model = scripted(fenced(fixed))

    state, _code, _ = run_agent(
        repo, model, options(item_id=item_id), settings=json_settings(repo, "on")
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    [call] = model.calls
    assert call.request.max_tokens == 3072  # rewrite_completion_tokens, not the 1,024 default
    assert git(repo, "show", f"{result.branch}:ops.py") == fixed


PRICES = "def price(amount):\n    return amount * 2\n"
TAX = "def tax(amount):\n    return amount // 5\n"
TOTAL_TEST = (
    "from shop.prices import price\nfrom shop.tax import tax\n\n\n"
    "def test_total():\n    assert price(100) + tax(100) == 110\n"
)


def sr_block(path: str, search: str, replace: str) -> str:
    """One search/replace block for `path`."""
    return f"{path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


def test_a_fix_across_two_files_lands_whole_and_a_bad_block_changes_nothing(
    tmp_path: Path,
) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/prices.py": PRICES,
        "shop/tax.py": TAX,
        "tests/test_total.py": TOTAL_TEST,
    }
    repo, item_id = repo_of(tmp_path, files)
    good_price = sr_block("shop/prices.py", "    return amount * 2\n", "    return amount\n")
    bad_tax = sr_block("shop/tax.py", "    return amount % 5\n", "    return amount // 10\n")
    good_tax = sr_block("shop/tax.py", "    return amount // 5\n", "    return amount // 10\n")
    model = scripted(good_price + bad_tax, good_price + "\n" + good_tax)
    # Replies capped at 48 tokens: even these small files are edited by blocks, not rewritten.
    settings = settings_for(repo, {}, max_completion_tokens=48, rewrite_completion_tokens=48)

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert len(model.calls) == 2
    first = model.calls[0].messages[-1]["content"]
    assert "shop/prices.py (2 lines)" in first and "shop/tax.py (2 lines)" in first
    told = model.calls[1].messages[-1]["content"]
    assert "Your reply was not used: block 2 (shop/tax.py): old text not found" in told
    # The second reply's price block matched the original text: the first reply wrote nothing.
    assert git(repo, "show", f"{result.branch}:shop/prices.py") == PRICES.replace(" * 2", "")
    assert git(repo, "show", f"{result.branch}:shop/tax.py") == TAX.replace("// 5", "// 10")
    assert code == 0


def test_the_150th_of_200_modules_can_be_edited_and_a_wrong_path_names_the_closest(
    tmp_path: Path,
) -> None:
    modules = {f"pkg/mod_{n:03d}.py": f"def value():\n    return {n}\n" for n in range(200)}
    modules["pkg/mod_149.py"] = "def value():\n    return 0\n"
    files = {
        **modules,
        "pkg/__init__.py": "",
        "pkg/api.py": "from pkg import mod_149\n\n\ndef compute():\n    return mod_149.value()\n",
        "tests/test_api.py": (
            "from pkg.api import compute\n\n\ndef test_compute():\n    assert compute() == 149\n"
        ),
    }
    repo, item_id = repo_of(tmp_path, files)
    edit = {"old": "    return 0", "new": "    return 149"}
    model = scripted(
        action("replace_text", path="mod_149.py", **edit),
        action("replace_text", path="pkg/mod_149.py", **edit),
    )

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=json_settings(repo))

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    schema = json.dumps(model.calls[0].request.response_format)
    assert "pkg/mod_000.py" not in schema  # no enum of 200 paths in every request
    refusal = model.calls[1].messages[-1]["content"]
    assert "mod_149.py is not a source file you may change" in refusal
    assert "the closest are pkg/mod_149.py" in refusal
    assert git(repo, "show", f"{result.branch}:pkg/mod_149.py") == "def value():\n    return 149\n"
    assert code == 0


KEY_OUTER = "AKIA" + "Q7ZP3XW9LM2KT4VB"
KEY_INNER = "AKIA" + "J5HN8RC2YT6DW1QE"
FEES = f'''"""Fees."""

ACCESS_KEY = "{KEY_OUTER}"


def fee(amount):
    key = "{KEY_INNER}"
    return amount * 2 if key else 0
'''
FEES_TEST = "from fees import fee\n\n\ndef test_fee():\n    assert fee(3) == 5\n"
SHOWN = redact(FEES)
FIXED_SHOWN = SHOWN.replace("amount * 2", "amount + 2")
SHOWN_FEE = SHOWN[SHOWN.index("def fee") :]


def _redaction_cases() -> dict[str, tuple[dict[str, Any], dict[str, Any], list[str]]]:
    unchanged = fenced(SHOWN)  # echoes the redacted file: the same file once restored
    old = SHOWN_FEE.split("\n", 1)[1].rstrip("\n")
    return {
        "rewrite": ({}, {}, [fenced(FIXED_SHOWN)]),
        "function splice": (
            {},
            {},
            [unchanged] * 3 + [fenced(SHOWN_FEE.replace("amount * 2", "amount + 2"))],
        ),
        "search/replace": (
            {},
            {"max_completion_tokens": 48, "rewrite_completion_tokens": 48},
            [sr_block("fees.py", old + "\n", old.replace("amount * 2", "amount + 2") + "\n")],
        ),
        "replace_text": (
            {"green_rewrite": "off"},
            {},
            [action("replace_text", path="fees.py", old=old, new=old.replace("* 2", "+ 2"))],
        ),
        "write_file": (
            {"green_rewrite": "off"},
            {},
            [action("write_file", path="fees.py", content=FIXED_SHOWN)],
        ),
    }


@pytest.mark.parametrize("case", list(_redaction_cases()))
def test_an_edit_of_redacted_text_keeps_the_real_secrets_in_the_file_and_commit(
    tmp_path: Path, case: str
) -> None:
    assert SHOWN.count(REDACTED) == 2 and KEY_INNER not in SHOWN
    agent, model_settings, replies = _redaction_cases()[case]
    repo, item_id = repo_of(tmp_path, {"fees.py": FEES, "tests/test_fees.py": FEES_TEST})
    model = scripted(*replies)
    settings = settings_for(repo, agent, **model_settings)

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert len(model.calls) == len(replies)
    assert all(KEY_INNER not in json.dumps(call.messages) for call in model.calls)
    committed = git(repo, "show", f"{result.branch}:fees.py")
    assert committed == FEES.replace("amount * 2", "amount + 2")
    assert REDACTED not in committed
    assert code == 0


def loop_fix() -> str:
    """The tool loop's fix of ops.difference."""
    return action(
        "replace_text",
        path="ops.py",
        old="def difference(a, b):\n    return a + b",
        new="def difference(a, b):\n    return a - b",
    )


def test_sampling_cannot_spend_the_steps_the_tool_loop_keeps(tmp_path: Path) -> None:
    repo, item_id = repo_of(tmp_path, {"ops.py": OPS, "tests/test_ops.py": OPS_TESTS})
    model = scripted(*[fenced(OPS)] * 9, loop_fix())  # 4 rewrites, 5 function calls, then the loop
    settings = settings_for(repo, {"rewrite_samples": 8}, max_steps_per_phase=12)

    state, code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert len(model.calls) == 10
    assert model.calls[3].request.extra == {"temperature": 0.7, "seed": 3}  # the last rewrite
    assert "corrected function" in model.calls[4].messages[0]["content"]
    assert "corrected function" in model.calls[8].messages[0]["content"]
    assert model.calls[9].request.response_format is not None  # a tool-loop action
    assert git(repo, "show", f"{result.branch}:ops.py").endswith("return a - b\n")
    assert code == 0


def test_a_two_step_budget_tries_the_greedy_rewrite_then_the_tool_loop(tmp_path: Path) -> None:
    repo, item_id = repo_of(tmp_path, {"ops.py": OPS, "tests/test_ops.py": OPS_TESTS})
    model = scripted(fenced(OPS), loop_fix())
    settings = settings_for(repo, {}, max_steps_per_phase=2)

    state, _code, _ = run_agent(repo, model, options(item_id=item_id), settings=settings)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert len(model.calls) == 2
    assert model.calls[1].request.response_format is not None
