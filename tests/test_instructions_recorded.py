"""The repository's instructions in a prompt recorded with the bundled local model.

Replayed from a cassette recorded by `make cassettes TESTS=tests/test_instructions_recorded.py`;
never edit a cassette by hand. The test reads the cassette's request back: the instruction text
must be in the request body sent to the model (recording) and stored in the cassette (replay).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent.graph.state import CycleOutcome
from tests.graph_support import demo, options, run_agent
from tests.support import git
from tests.test_graph_recorded import local_model, recording_settings

pytestmark = pytest.mark.timeout(1800)  # recording runs the real model on 2 CPU cores
ROOT_RULE = "Write every docstring as one imperative sentence."
CONTRIBUTING_RULE = "Prefer the standard library over new dependencies."


@pytest.mark.vcr
def test_recorded_prompt_carries_the_repositorys_instructions(tmp_path: Path, vcr: Any) -> None:
    repo = demo(tmp_path)
    (repo / "AGENTS.md").write_text(f"# Conventions\n\n{ROOT_RULE}\n", encoding="utf-8")
    (repo / "CONTRIBUTING.md").write_text(f"# Contributing\n\n{CONTRIBUTING_RULE}\n", "utf-8")
    git(repo, "add", "AGENTS.md", "CONTRIBUTING.md")
    git(repo, "commit", "-q", "-m", "docs: instructions for agents")
    settings = recording_settings(repo)

    state, code, _ = run_agent(
        repo, local_model(settings), options(item_id="FEAT-locale"), settings=settings
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.BLOCKED and result.phase == "clarify"  # unattended
    assert code == 1
    [request] = vcr.requests  # the one clarify call: as sent (recording) or as stored (replay)
    body = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
    assert ROOT_RULE in body and CONTRIBUTING_RULE in body
    assert body.index(ROOT_RULE) < body.index(CONTRIBUTING_RULE)  # AGENTS.md before CONTRIBUTING
