"""The whole micro cycle driven by the bundled local model (Qwen2.5-Coder-1.5B, temperature 0).

Replayed from cassettes recorded by `make cassettes TESTS=tests/test_graph_recorded.py`; never edit
a cassette by hand. Prompts must be byte-stable across runs (no timings, no temp paths), or replay
fails loudly and the cassettes must be re-recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.backlog.models import BacklogItem, Status
from agent.backlog.store import read_backlog
from agent.config.settings import DEFAULT_SCALE, Settings, load_settings
from agent.discovery.engine import discover
from agent.graph.state import CycleOutcome
from agent.llm.client import OpenAIChatModel
from agent.llm.endpoint import Endpoint
from scripts.record_cassettes import RECORDING_PORT
from tests.graph_support import NOW, demo, item, json_settings, options, run_agent
from tests.support import git
from tests.test_graph_run import discovered_test_item

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs

MODEL = "qwen2.5-coder-1.5b-instruct"


def local_model(settings: Settings) -> OpenAIChatModel:
    endpoint = Endpoint(
        f"http://127.0.0.1:{RECORDING_PORT}/v1", "sk-test-dummy", MODEL, False, "json"
    )
    return OpenAIChatModel(endpoint, settings.model)


def _items(repo: Path) -> list[BacklogItem]:
    return read_backlog(repo / "backlog.yml", DEFAULT_SCALE).items


def _slug(item_id: str) -> str:
    return item_id.lower().replace("-", "_")


def recording_settings(repo: Path) -> Settings:
    return json_settings(  # timeout_s: a recording call on 2 busy cores can take minutes
        repo,
        rewrite="auto",
        max_retries=0,
        max_completion_tokens=768,
        temperature=0.0,
        timeout_s=900,
    )


@pytest.mark.vcr
def test_local_model_fixes_the_failing_test(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    settings = recording_settings(repo)

    state, code, _ = run_agent(
        repo, local_model(settings), options(item_id=item_id), settings=settings
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    fixed = git(repo, "show", f"{result.branch}:calclib/stats.py")
    assert "len(values) - 1" not in fixed
    assert item(repo, item_id).status is Status.PR and code == 0


@pytest.mark.vcr
def test_local_model_writes_an_honest_red_test_for_a_ready_feature(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    settings = recording_settings(repo)
    before = (repo / "calclib" / "numbers.py").read_text(encoding="utf-8")

    state, code, _ = run_agent(
        repo, local_model(settings), options(item_id="FEAT-clamp"), settings=settings
    )

    [result] = state.results
    assert (result.outcome, code) == (CycleOutcome.RESOLVED, 0), result.reason
    red_test = git(repo, "show", f"{result.branch}:tests/test_agent_feat_clamp.py")
    assert "from calclib.numbers import clamp" in red_test  # RED: honest, fails on the missing name
    assert "def clamp(" in git(repo, "show", f"{result.branch}:calclib/numbers.py")
    assert (repo / "calclib" / "numbers.py").read_text(encoding="utf-8") == before
    assert item(repo, "FEAT-clamp").status is Status.PR
    assert result.calls == 2  # recorded: the RED test, then one whole-file rewrite


@pytest.mark.vcr
def test_local_model_drafts_criteria_for_a_fixme_and_the_human_accepts(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    discover(repo, load_settings(repo, env={}), ("comments",), NOW, write=True)
    fixme = next(i for i in _items(repo) if i.source and i.source.tag == "FIXME")
    settings = recording_settings(repo)
    asked: list[dict[str, object]] = []

    def accept(payload: dict[str, object]) -> dict[str, object]:
        asked.append(payload)
        return {"action": "accept"}

    state, code, _ = run_agent(
        repo,
        local_model(settings),
        options(item_id=fixme.id, interactive=True),
        accept,
        settings=settings,
    )

    [result] = state.results
    [question] = asked  # one chat turn: the drafted criteria, accepted as they are
    drafted = question["criteria"]
    assert isinstance(drafted, list) and drafted
    assert item(repo, fixme.id).acceptance_criteria == drafted  # agreed criteria were saved
    red_test = git(repo, "show", f"{result.branch}:tests/test_agent_{_slug(fixme.id)}.py")
    assert "slugify" in red_test
    # Recorded outcome: the FIXME is fixed on its branch and its marker removed there only.
    assert (result.outcome, code) == (CycleOutcome.RESOLVED, 0), result.reason
    fixed = git(repo, "show", f"{result.branch}:calclib/text.py")
    assert "FIXME" not in fixed and "def slugify(" in fixed
    assert item(repo, fixme.id).status is Status.PR
    assert "FIXME" in (repo / "calclib" / "text.py").read_text()  # the user's tree is untouched
    assert result.calls == 3  # recorded: criteria draft, RED test, one whole-file rewrite
