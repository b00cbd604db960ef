"""End to end: the macro loop and micro cycle on the demo repository, scripted model at the seam.

The scripted model only decides what the model would say; every file edit, test run, commit and
backlog update is real. Outcomes are asserted on the repository: branch, commit, files, backlog.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.backlog.models import Status
from agent.config.settings import load_settings
from agent.discovery.engine import discover
from agent.graph.state import CycleOutcome
from agent.llm.protocol import Completion
from tests.graph_support import (
    NOW,
    SLUGIFY_TEST,
    action,
    demo,
    item,
    json_settings,
    mean_fix,
    options,
    run_agent,
    scripted,
)
from tests.support import git, tree_snapshot

pytestmark = pytest.mark.slow  # each test runs the graph on a real repository with real test runs

IGNORED = (".agent/", "backlog.yml")


def discovered_test_item(repo: Path) -> str:
    """Discover the demo's failing test and return its item id."""
    discover(repo, load_settings(repo, env={}), ("tests",), NOW, write=True)
    git(repo, "add", "backlog.yml")
    git(repo, "commit", "-q", "-m", "backlog: discovered items")
    text = (repo / "backlog.yml").read_text(encoding="utf-8")
    return next(line.split()[-1] for line in text.splitlines() if "id: TEST-" in line)


def snapshot(repo: Path) -> dict[str, str]:
    shot = tree_snapshot(repo, ignore=IGNORED)
    shot[".git/status@"] = "\n".join(
        line for line in shot[".git/status@"].splitlines() if "backlog.yml" not in line
    )
    return shot


def test_failing_test_item_is_fixed_on_its_branch_and_user_tree_untouched(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    (repo / "notes.txt").write_text("my uncommitted work\n", encoding="utf-8")  # dirty user tree
    before = snapshot(repo)
    model = scripted(mean_fix())

    state, code, _lines = run_agent(repo, model, options(item_id=item_id))

    assert code == 0
    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert snapshot(repo) == before
    assert (repo / "calclib" / "stats.py").read_text().count("len(values) - 1") == 1  # user's copy
    branch = result.branch
    assert branch and branch.startswith(f"agent/{item_id}-")
    fixed = git(repo, "show", f"{branch}:calclib/stats.py")
    assert "return sum(values) / len(values)" in fixed
    message = git(repo, "log", "-1", "--format=%B", branch)
    assert message.startswith(
        "fix(calclib): make tests/test_stats.py::test_mean_of_three_values pass"
    )
    assert message.count(f"Agent-Item: {item_id}") == 1
    assert "### Fixed" in git(repo, "show", f"{branch}:CHANGELOG.md")
    assert item(repo, item_id).status is Status.PR
    assert f"branch:{branch}" in item(repo, item_id).links
    assert git(repo, "worktree", "list").count("\n") == 1  # the item's worktree is gone
    from agent.backlog.runs import read_evidence

    assert read_evidence(repo / ".agent" / "evidence", item_id) is not None  # reports can read it
    evidence = json.loads((repo / ".agent" / "evidence" / f"{item_id}.json").read_text())
    assert "assert 3.0 == 2.0" in evidence["red_output"]
    red = "tests/test_stats.py::test_mean_of_three_values"
    assert evidence["red_check"] == {"kind": "pytest", "target": red, "rule": None}
    assert [p["phase"] for p in evidence["phases"]] == [
        "clarify", "red", "green", "refactor", "security", "docs", "ci", "commit",
    ]  # fmt: skip
    pr = (repo / ".agent" / "prs" / f"{item_id}.md").read_text()
    assert "failed before the change" in pr and result.commit and result.commit[:12] in pr
    assert len(model.calls) == 1


def test_fixme_with_a_clear_spec_gets_a_test_a_fix_and_loses_its_marker(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    discover(repo, load_settings(repo, env={}), ("comments",), NOW, write=True)
    fixme = next(i for i in _items(repo) if i.source and i.source.tag == "FIXME")
    test_file = SLUGIFY_TEST
    model = scripted(
        json.dumps(
            {"criteria": ['slugify("Hello, World!") returns "hello-world"'], "questions": []}
        ),
        json.dumps({"content": test_file}),
        action(
            "replace_text",
            path="calclib/text.py",
            old='    return re.sub(r"[^a-z0-9]+", "-", title.lower())',
            new='    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")',
        ),
    )
    answers: list[dict[str, object]] = []

    def accept(payload: dict[str, object]) -> dict[str, object]:
        answers.append(payload)
        return {"action": "accept"}

    state, code, _ = run_agent(repo, model, options(item_id=fixme.id, interactive=True), accept)

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert answers and answers[0]["criteria"] == ['slugify("Hello, World!") returns "hello-world"']
    branch = result.branch
    assert branch
    test_path = f"tests/test_agent_{fixme.id.lower().replace('-', '_')}.py"
    assert git(repo, "show", f"{branch}:{test_path}") == test_file
    source = git(repo, "show", f"{branch}:calclib/text.py")
    assert "FIXME" not in source and '.strip("-")' in source
    assert "FIXME" in (repo / "calclib" / "text.py").read_text()  # user's tree untouched
    assert item(repo, fixme.id).acceptance_criteria == [
        'slugify("Hello, World!") returns "hello-world"'
    ]
    assert code == 0


def test_a_red_reply_cut_off_at_the_cap_is_retried_sampled_and_told_why(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    discover(repo, load_settings(repo, env={}), ("comments",), NOW, write=True)
    fixme = next(i for i in _items(repo) if i.source and i.source.tag == "FIXME")
    looping = "{\"content\": \"import pytest\\n@pytest.mark.parametrize('t', [\\n    ('a'),\\n"
    test_file = SLUGIFY_TEST
    model = scripted(
        json.dumps({"criteria": ['slugify("Hi!") returns "hi"'], "questions": []}),
        Completion(content=looping, finish_reason="length"),
        json.dumps({"content": test_file}),
        action(
            "replace_text",
            path="calclib/text.py",
            old='    return re.sub(r"[^a-z0-9]+", "-", title.lower())',
            new='    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")',
        ),
    )

    state, _code, _ = run_agent(
        repo, model, options(item_id=fixme.id, interactive=True), lambda p: {"action": "accept"}
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    first, retry = model.calls[1], model.calls[2]
    assert first.request.extra == {}, "the first try is the model's own (greedy) answer"
    assert retry.request.extra == {"temperature": 0.7, "seed": 1}
    assert "cut off at the length limit" in retry.messages[-1]["content"]
    assert "the test file is empty" not in retry.messages[-1]["content"]


def test_unattended_run_escalates_an_item_that_needs_clarification(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    draft = json.dumps(
        {"criteria": ["numbers are formatted"], "questions": ["Which locale should be used?"]}
    )
    model = scripted(draft)

    state, code, _ = run_agent(repo, model, options(item_id="FEAT-locale"))

    [result] = state.results
    assert result.outcome is CycleOutcome.BLOCKED and result.phase == "clarify"
    assert "Which locale should be used?" in result.decision
    blocked = item(repo, "FEAT-locale")
    assert blocked.status is Status.BLOCKED
    assert blocked.blocked_reason and "Which locale should be used?" in blocked.blocked_reason
    assert code == 1
    assert len(model.calls) == 1


def test_clarification_chat_redrafts_with_the_answer_and_makes_the_item_ready(
    tmp_path: Path,
) -> None:
    repo = demo(tmp_path)
    first = json.dumps({"criteria": ["numbers look right"], "questions": ["Which format?"]})
    second = json.dumps({"criteria": ["format_number(1234.5) returns '1,234.50'"], "questions": []})
    model = scripted(first, second)
    answers = iter([{"action": "answer", "text": "Two decimals, comma thousands."},
                    {"action": "accept"}])  # fmt: skip
    from agent.graph.clarify import clarify_ask, clarify_draft
    from agent.graph.run_context import RunContext
    from agent.graph.state import ItemState, RunState

    settings = load_settings(repo, env={})
    ctx = RunContext(repo, settings, options(interactive=True), model, "json")
    state = RunState(run_id="t", repo=str(repo), now=NOW.isoformat(),
                     item=ItemState(item_id="FEAT-locale", title="Format numbers"))  # fmt: skip
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.graph import END, START, StateGraph
    from langgraph.types import Command

    from agent.graph.clarify import route_after_ask
    from agent.graph.graph import _node

    graph = StateGraph(type(state), context_schema=RunContext)
    graph.add_node("clarify_draft", _node(clarify_draft))
    graph.add_node("clarify_ask", _node(clarify_ask))
    graph.add_edge(START, "clarify_draft")
    graph.add_edge("clarify_draft", "clarify_ask")
    graph.add_conditional_edges(
        "clarify_ask", route_after_ask, {"red": END, "redraft": "clarify_draft", "blocked": END}
    )
    app = graph.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "chat"}}
    result = app.invoke(state, config, context=ctx)
    while "__interrupt__" in result:
        result = app.invoke(Command(resume=next(answers)), config, context=ctx)

    ready = item(repo, "FEAT-locale")
    assert ready.status is Status.READY
    assert ready.acceptance_criteria == ["format_number(1234.5) returns '1,234.50'"]
    assert "Two decimals, comma thousands." in model.calls[1].messages[0]["content"]


def _items(repo: Path) -> list:  # type: ignore[type-arg]
    from agent.backlog.store import read_backlog
    from agent.config.settings import DEFAULT_SCALE

    return read_backlog(repo / "backlog.yml", DEFAULT_SCALE).items


def test_auto_merge_fast_forwards_the_base_when_every_rule_holds(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    (repo / ".automation-scope.yaml").write_text(
        "auto_approve:\n  max_wsjf_score: 100\n  file_change_limit: 3\n", encoding="utf-8"
    )
    git(repo, "add", ".automation-scope.yaml")
    git(repo, "commit", "-q", "-m", "scope")
    git(repo, "checkout", "-q", "-b", "work")  # the user works elsewhere; main is free to move
    before = snapshot(repo)
    settings = json_settings(repo)
    settings = settings.model_copy(
        update={"workspace": settings.workspace.model_copy(update={"base_branch": "main"})}
    )

    state, code, _ = run_agent(
        repo, scripted(mean_fix()), options(item_id=item_id, auto_merge=True), settings=settings
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED and "merged into main" in result.reason
    assert git(repo, "rev-parse", "main") == git(repo, "rev-parse", result.branch or "")
    assert item(repo, item_id).status is Status.DONE
    assert snapshot(repo) == before and code == 0


def test_auto_merge_never_moves_a_checked_out_base_over_the_users_changes(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    (repo / ".automation-scope.yaml").write_text(
        "auto_approve:\n  max_wsjf_score: 100\n", encoding="utf-8"
    )
    main_before = git(repo, "rev-parse", "main")
    readme = repo / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "my edit\n", encoding="utf-8")

    state, _code, _ = run_agent(
        repo, scripted(mean_fix()), options(item_id=item_id, auto_merge=True)
    )

    [result] = state.results
    assert (
        "main is checked out in" in result.reason
        and "uncommitted changes (README.md)" in result.reason
    )
    assert git(repo, "rev-parse", "main") == main_before
    assert readme.read_text(encoding="utf-8").endswith("my edit\n")
    assert item(repo, item_id).status is Status.PR


def test_auto_merge_fast_forwards_a_clean_checked_out_base_and_its_files(tmp_path: Path) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    (repo / ".automation-scope.yaml").write_text(
        "auto_approve:\n  max_wsjf_score: 100\n", encoding="utf-8"
    )

    state, code, _ = run_agent(
        repo, scripted(mean_fix()), options(item_id=item_id, auto_merge=True)
    )

    [result] = state.results
    assert "merged into main (fast-forward, checked out in" in result.reason, result.reason
    assert git(repo, "rev-parse", "main") == git(repo, "rev-parse", result.branch or "")
    assert git(repo, "diff", "--name-only", "HEAD", "--", "calclib") == ""
    assert item(repo, item_id).status is Status.DONE and code == 0


def test_small_files_are_first_rewritten_whole_and_a_wrong_rewrite_is_undone(
    tmp_path: Path,
) -> None:
    repo = demo(tmp_path)
    item_id = discovered_test_item(repo)
    original = (repo / "calclib" / "stats.py").read_text(encoding="utf-8")
    wrong = original.replace("(len(values) - 1)", "(len(values) + 1)")
    fixed = original.replace("(len(values) - 1)", "len(values)")
    model = scripted(f"```python\n{wrong}```", f"```python\n{fixed}```")

    state, code, _ = run_agent(
        repo, model, options(item_id=item_id), settings=json_settings(repo, rewrite="on")
    )

    [result] = state.results
    assert result.outcome is CycleOutcome.RESOLVED, result.reason
    assert git(repo, "show", f"{result.branch}:calclib/stats.py") == fixed
    assert len(model.calls) == 2
    assert "assert" in model.calls[1].messages[-1]["content"]  # the failure of try 1 was fed back
    assert code == 0
