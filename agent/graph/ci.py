"""CI: the full suite in the worktree; regressions go back to the model with the code and the diff.

The first round first asks for the changed module whole, sampled as in GREEN, with the whole
suite as the check (leap_year_missing_case: both tool-loop rounds repeated a refused exact edit).

Measured with the 1.5B local model: a regression prompt holding only the failing output made it
edit the test (the only code it could see); it now sees the branch's diff and the changed modules,
its edits are limited to non-test files, and the guard undoes test edits as in GREEN.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from agent.graph import guard
from agent.graph.common import (
    block,
    budget_block,
    clip,
    current,
    record,
    session_for,
    system_message,
    update,
    workspace_for,
)
from agent.graph.editable import editable_files
from agent.graph.green import GREEN_TOOLS, focus_files
from agent.graph.item_checks import is_test_file
from agent.graph.items import load_item
from agent.graph.loop import edit_tools, file_state, run_loop
from agent.graph.rewrite import rewrite_attempts, rewrite_enabled
from agent.graph.run_context import RunContext
from agent.graph.sources import failure_lines, read_source
from agent.graph.state import ItemState, Phase, RunState
from agent.graph.verify import branch_diff, regression_feedback, suite_green
from agent.llm.budget import BudgetExceeded
from agent.llm.protocol import Message
from agent.llm.session import ModelSession
from agent.text.prompting import render
from agent.tools.registry import available_tools
from agent.workspace.worktree import ItemWorkspace

MAX_FILES = 2


def ci(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """The full suite in the worktree; regressions go back to the model, at most N times."""
    started, item = time.monotonic(), current(state)
    ws = workspace_for(state, ctx)
    passed, output = suite_green(ws, ctx, item)
    rounds = 0
    session = None
    while not passed and rounds < ctx.settings.agent.regression_rounds:
        rounds += 1
        session = session or session_for(state, ctx)
        if rounds == 1 and _rewrite_regression(session, ws, ctx, item, output):
            passed, output = suite_green(ws, ctx, item)
            continue
        editable = editable_files(ws, focus_files(ws, item, load_item(ctx, item.item_id)))
        try:
            run_loop(
                session,
                ws,
                regression_messages(ws, output),
                edit_tools(GREEN_TOOLS, available_tools(ctx.settings), editable),
                functools.partial(suite_green, ws, ctx, item),
                item.item_id,
                f"{Phase.CI}-{rounds}",
                regression_feedback,
                functools.partial(guard.check_and_restore, ws.root, item),
                None,
                file_state(ws.root, editable),
            )
        except BudgetExceeded as exc:
            item = budget_block(item, Phase.CI, exc)
            return update(record(item, Phase.CI, False, started), session)
        passed, output = suite_green(ws, ctx, item)
    item = _verdict(ws, item, passed, output).model_copy(update={"regression_rounds": rounds})
    return update(
        record(item, Phase.CI, item.blocked is None, started, output=clip(output, 400)), session
    )


def _rewrite_regression(
    session: ModelSession, ws: ItemWorkspace, ctx: RunContext, item: ItemState, output: str
) -> bool:
    """The sampled whole-file rewrite of each changed module, the whole suite as the check."""
    if not rewrite_enabled(ctx) or item.check is None:
        return False
    sampling = (ctx.settings.agent.rewrite_samples, ctx.settings.agent.rewrite_temperature)
    check = functools.partial(suite_green, ws, ctx, item)
    for path in changed_modules(ws, branch_diff(ws)):
        if rewrite_attempts(session, ws, item, path, check, sampling, clip(output, 800))[0]:
            return True
    return False


def changed_modules(ws: ItemWorkspace, diff: str) -> list[str]:
    """The non-test Python files a diff changes that still exist, at most MAX_FILES."""
    paths = [
        line.removeprefix("+++ b/")
        for line in diff.splitlines()
        if line.startswith("+++ b/") and line.endswith(".py")
    ]
    return [p for p in paths if not is_test_file(p) and (ws.root / p).is_file()][:MAX_FILES]


def regression_messages(ws: ItemWorkspace, failure: str) -> list[Message]:
    """System prompt, then the failure, the branch's diff and the changed modules' text."""
    diff = branch_diff(ws)
    files = [
        {"path": path, "text": read_source(ws.root, path, failure_lines(failure, path))}
        for path in changed_modules(ws, diff)
    ]
    task = render("regression", failure=clip(failure), diff=clip(diff, 1500), files=files)
    return [system_message(ws), {"role": "user", "content": task}]


def _verdict(ws: ItemWorkspace, item: ItemState, passed: bool, output: str) -> ItemState:
    changed = guard.violations(ws.root, item)
    if passed and not changed:
        return item
    reason = (
        "guard: " + guard.describe(changed)
        if changed
        else f"regressions remain:\n{clip(output, 600)}"
    )
    return block(item, Phase.CI, reason, "fix the regressions on the branch by hand, or drop it")
