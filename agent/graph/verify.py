"""REFACTOR and SECURITY: keep the fix only if all stays green and nothing new is found."""

from __future__ import annotations

import contextlib
import functools
import time
from collections import Counter
from pathlib import Path
from typing import Any

from agent.config.scope import restricted_rule
from agent.graph import guard
from agent.graph.common import (
    block,
    clip,
    current,
    record,
    session_for,
    system_message,
    update,
    workspace_for,
)
from agent.graph.item_checks import is_test_file
from agent.graph.loop import edit_tools, run_loop
from agent.graph.run_context import RunContext
from agent.graph.state import ItemState, Phase, RunState
from agent.llm.budget import BudgetExceeded
from agent.scanners.lint import Finding, run_bandit, run_ruff
from agent.scanners.secrets import find_secrets
from agent.system import proc
from agent.testrun.run import run_tests
from agent.testrun.testfiles import selects
from agent.text.prompting import render
from agent.tools.registry import available_tools
from agent.workspace.gitutil import temporary_checkout
from agent.workspace.worktree import ItemWorkspace


def refactor(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Offer the model one tidy-up pass; keep it only if every test still passes."""
    started, item = time.monotonic(), current(state)
    if not _refactor_enabled(ctx):
        return update(record(item, Phase.REFACTOR, True, started, detail="skipped (off)"))
    ws = workspace_for(state, ctx)
    snapshot = _stash_snapshot(ws.root)
    session = session_for(state, ctx)
    messages = [
        system_message(ws),
        {"role": "user", "content": render("refactor", diff=clip(branch_diff(ws), 1500))},
    ]
    with contextlib.suppress(BudgetExceeded):  # optional pass: a cap only ends it
        run_loop(
            session,
            ws,
            messages,
            edit_tools(("read_file", "replace_text"), available_tools()),
            functools.partial(suite_green, ws, ctx, item),
            item.item_id,
            Phase.REFACTOR,
            regression_feedback,
            functools.partial(guard.check_and_restore, ws.root, item),
        )
    kept = suite_green(ws, ctx, item)[0] and not guard.violations(ws.root, item)
    if not kept:
        _restore(ws.root, snapshot)
    return update(
        record(item, Phase.REFACTOR, True, started, detail="kept" if kept else "reverted"), session
    )


def regression_feedback(_passed: bool, output: str) -> str:
    """What the model reads after a change that still leaves the suite red."""
    return render("regression", failure=output, diff="", files=[])


def _refactor_enabled(ctx: RunContext) -> bool:
    setting = ctx.settings.agent.refactor
    return setting == "on" or (setting == "auto" and ctx.mode == "native")


def _stash_snapshot(root: Path) -> str:
    """A commit object holding the worktree's current changes (nothing is applied or reset)."""
    return proc.run(["git", "stash", "create"], cwd=root, timeout=60).stdout.strip()


def _restore(root: Path, snapshot: str) -> None:
    proc.run(["git", "checkout", "--", "."], cwd=root, timeout=60)
    if snapshot:
        proc.run(["git", "stash", "apply", "--quiet", snapshot], cwd=root, timeout=60)


def branch_diff(ws: ItemWorkspace) -> str:
    proc.run(["git", "add", "-N", "."], cwd=ws.root, timeout=60)
    return proc.run(["git", "diff", ws.base_sha, "--", "."], cwd=ws.root, timeout=60).stdout


def suite_green(ws: ItemWorkspace, ctx: RunContext, item: ItemState) -> tuple[bool, str]:
    """Whole suite: no failure beyond those that failed before the item (the RED test must pass)."""
    from agent.tools.tests import summarize

    run = run_tests(ws.root, ctx.settings.tests)
    if run.timed_out or run.report is None:
        return False, summarize(run)
    failing = {case.node_id for case in run.report.problems}
    expected = set(item.baseline_failures)
    if item.check is not None and item.check.kind == "pytest":
        # Failed at the start, must pass from GREEN on: every case of the check's test function.
        expected = {node for node in expected if not selects(item.check.target, node)}
    new = sorted(failing - expected)
    return not new, summarize(run) if new else "all tests pass"


def security(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """No new ruff/bandit finding in changed files, no secret added, scope rules hold."""
    started, item = time.monotonic(), current(state)
    ws = workspace_for(state, ctx)
    changed = ws.changed_files()
    problems = _scope_problems(ws, changed) + _secret_problems(ws)
    new = _new_findings(ws, [p for p in changed if p.endswith(".py") and (ws.root / p).is_file()])
    problems += [f"{f.tool} {f.code} {f.path}:{f.line}: {f.message}" for f in new]
    item = item.model_copy(update={"changed_files": changed})
    if problems:
        decision = "review the findings: fix them on the branch, or accept them explicitly"
        item = block(item, Phase.SECURITY, "; ".join(problems)[:800], decision)
    return update(
        record(item, Phase.SECURITY, not problems, started, detail=f"{len(new)} new findings")
    )


def _scope_problems(ws: ItemWorkspace, changed: list[str]) -> list[str]:
    problems = [
        f"{p} is restricted ({rule})" for p in changed if (rule := restricted_rule(ws.scope, p))
    ]
    breach = ws.limit_breach()
    return [*problems, breach.message] if breach else problems


def _secret_problems(ws: ItemWorkspace) -> list[str]:
    added = "\n".join(
        line[1:]
        for line in branch_diff(ws).splitlines()
        if line.startswith("+") and not line.startswith("+++")
    )
    return [f"a {hit.kind} was added" for hit in find_secrets(added)]


def _new_findings(ws: ItemWorkspace, paths: list[str]) -> list[Finding]:
    if not paths:
        return []
    now = _findings(ws.root, paths)
    with temporary_checkout(ws_repo(ws), ws.base_sha) as base_root:
        before = Counter(
            _key(f) for f in _findings(base_root, [p for p in paths if (base_root / p).is_file()])
        )
    new = []
    for finding in now:
        if before[_key(finding)] > 0:
            before[_key(finding)] -= 1
        else:
            new.append(finding)
    return new


def ws_repo(ws: ItemWorkspace) -> Any:
    """The user's repository object (for temporary checkouts of the base)."""
    import git

    return git.Repo(ws.repo_root)


def _findings(root: Path, paths: list[str]) -> list[Finding]:
    ruff = run_ruff(root, paths).findings
    bandit = run_bandit(root, [p for p in paths if not is_test_file(p)]).findings
    return [*ruff, *bandit]


def _key(finding: Finding) -> tuple[str, str, str]:
    return (finding.path, finding.code, finding.message)
