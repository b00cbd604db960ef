"""GREEN in a repository bigger than what it shows: localised focus, map and navigation tools.

Real temporary repositories and test runs; the model is scripted at the Protocol seam.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.graph.localised import MAP_MIN_MODULES, NAVIGATION_TOOLS, Located, green_tool_names
from agent.graph.state import CycleOutcome
from agent.localise import Localisation
from tests.graph_support import action, json_settings, options, run_agent, scripted
from tests.support import git
from tests.test_graph_scaling import repo_of

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs

CORE_BUG = "    return int(text) + 1\n"
CORE_FIX = "    return int(text)\n"
API = "from pkg.core import parse\n\n\ndef handle(raw):\n    return parse(raw.strip())\n"
CORE = f'def parse(text):\n    """The number written in `text`."""\n{CORE_BUG}'
TEST = "from pkg.api import handle\n\n\ndef test_handle_reads_the_number():\n"
TEST += '    assert handle(" 3 ") == 3\n'


def decoys(count: int) -> dict[str, str]:
    """`count` unrelated modules, so the repository is larger than the files GREEN shows."""
    return {
        f"pkg/extra_{n:02d}.py": f"def extra_{n:02d}(value):\n    return value * {n}\n"
        for n in range(count)
    }


def two_calls_away(tmp_path: Path, extra: int) -> tuple[Path, str]:
    files = {"pkg/__init__.py": "", "pkg/api.py": API, "pkg/core.py": CORE}
    files |= {"tests/test_api.py": TEST, **decoys(extra)}
    return repo_of(tmp_path, files)


def _tool_names(request_format: dict[str, object] | None) -> str:
    return json.dumps(request_format or {})


def test_a_bug_two_calls_away_in_a_large_repository_is_shown_mapped_and_fixed(
    tmp_path: Path,
) -> None:
    repo, item_id = two_calls_away(tmp_path, MAP_MIN_MODULES)
    model = scripted(
        action("find_symbol", name="parse"),
        action("replace_text", path="pkg/core.py", old=CORE_BUG, new=CORE_FIX),
    )

    state, code, _ = run_agent(
        repo, model, options(item_id=item_id), settings=json_settings(repo, "off")
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    first, second = model.calls
    prompt = first.messages[1]["content"]
    assert "pkg/api.py:" in prompt and "pkg/core.py:" in prompt  # the test's module, then core
    assert CORE_BUG.strip() in prompt
    assert "Other modules of the repository" in prompt and "def extra_03(value)" in prompt
    assert "find_symbol" in _tool_names(first.request.response_format)
    found = second.messages[-1]["content"]
    assert "pkg/core.py:1: def parse(text):" in found and "pkg/api.py:5" in found
    assert git(repo, "show", f"{result.branch}:pkg/core.py") == CORE.replace(CORE_BUG, CORE_FIX)
    assert code == 0


def test_a_small_repository_gets_no_map_and_no_extra_tools(tmp_path: Path) -> None:
    repo, item_id = two_calls_away(tmp_path, 2)
    model = scripted(action("replace_text", path="pkg/core.py", old=CORE_BUG, new=CORE_FIX))

    state, _code, _ = run_agent(
        repo, model, options(item_id=item_id), settings=json_settings(repo, "off")
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    [call] = model.calls
    prompt = call.messages[1]["content"]
    assert "pkg/core.py:" in prompt  # the localiser still adds the file two calls away
    assert "Other modules" not in prompt and "find_symbol" not in prompt
    assert "find_symbol" not in _tool_names(call.request.response_format)


def test_navigation_tools_are_added_once_and_only_for_a_large_repository() -> None:
    base = ("read_file", "search")
    assert green_tool_names(base, None) == base
    names = green_tool_names(base, _located(MAP_MIN_MODULES))
    assert names == ("read_file", "search", *(n for n in NAVIGATION_TOOLS if n != "search"))
    assert green_tool_names(base, _located(MAP_MIN_MODULES - 1)) == base


def _located(modules: int) -> Located:
    return Located(Localisation(files=[]), modules)
