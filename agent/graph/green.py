"""GREEN: the model changes code until the RED check passes; a guard proves the test held."""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

from agent.backlog.models import BacklogItem
from agent.graph import guard
from agent.graph.checks import is_test_file, run_check
from agent.graph.code_context import (
    files_from_failure,
    guess_module,
    imported_modules,
    read_source,
    tracked_python,
)
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
from agent.graph.context import RunContext
from agent.graph.function_fix import function_attempts
from agent.graph.items import load_item
from agent.graph.loop import LoopResult, edit_tools, file_state, run_loop
from agent.graph.narrow import Adjust, called_names, narrowing
from agent.graph.rewrite import rewrite_attempts, rewrite_enabled
from agent.graph.state import ItemState, Phase, RunState
from agent.llm.budget import BudgetExceeded
from agent.llm.protocol import Message
from agent.llm.session import ModelSession
from agent.prompting import render
from agent.workspace import ItemWorkspace
from tools.registry import available_tools

GREEN_TOOLS = ("read_file", "replace_text", "write_file", "run_tests", "run_command")
MAX_EDITABLE = 60


def green(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Let the model make the RED check pass, then check the guard and remove the marker."""
    started = time.monotonic()
    item, ws = current(state), workspace_for(state, ctx)
    backlog_item = load_item(ctx, item.item_id)
    session = session_for(state, ctx)
    focus = focus_files(ws, item, backlog_item)
    messages = green_messages(ws, item, backlog_item, focus)
    editable = editable_files(ws, focus)
    try:
        result = _rewrite_first(session, ws, ctx, item, focus) or run_loop(
            session,
            ws,
            messages,
            _tools(ctx, editable),
            _checker(ws, ctx, item),
            item.item_id,
            Phase.GREEN,
            _feedback(item),
            functools.partial(guard.check_and_restore, ws.root, item),
            narrowing_for(ws, item),
            file_state(ws.root, editable),
        )
    except BudgetExceeded as exc:
        return update(
            record(budget_block(item, Phase.GREEN, exc), Phase.GREEN, False, started), session
        )
    item = item.model_copy(update={"green_output": clip(result.output), "summary": result.summary})
    if result.guard_tripped:
        decision = "the model kept changing tests; fix the code by hand on the branch"
        item = block(item, Phase.GREEN, f"guard: {result.reason}", decision)
        return update(record(item, Phase.GREEN, False, started, output=item.green_output), session)
    if not result.passed:
        decision = "fix it by hand on the branch, or give the item a sharper description"
        item = block(item, Phase.GREEN, f"the check still fails: {result.reason}", decision)
        return update(record(item, Phase.GREEN, False, started, output=item.green_output), session)
    item = _after_green(ws, ctx, item, backlog_item)
    return update(record(item, Phase.GREEN, item.blocked is None, started), session)


def green_messages(
    ws: ItemWorkspace, item: ItemState, backlog_item: BacklogItem, focus: list[str]
) -> list[Message]:
    """The system prompt and the task: criteria, the failing output, the `focus` files."""
    files = [{"path": path, "text": read_source(ws.root, path)} for path in focus]
    assert item.check is not None
    task = render(
        "green",
        item=backlog_item,
        criteria=item.criteria or backlog_item.acceptance_criteria,
        test_id=item.check.target,
        failure=item.red_output,
        files=files,
    )
    return [system_message(ws), {"role": "user", "content": task}]


def _rewrite_first(
    session: ModelSession,
    ws: ItemWorkspace,
    ctx: RunContext,
    item: ItemState,
    focus: list[str],
) -> LoopResult | None:
    """Whole-file rewrite of the focus file first (json mode); None to go on with the tool loop."""
    if not rewrite_enabled(ctx) or not focus:
        return None
    sampling = (ctx.settings.agent.rewrite_samples, ctx.settings.agent.rewrite_temperature)
    check = _checker(ws, ctx, item)
    passed, output = rewrite_attempts(session, ws, item, focus[0], check, sampling)
    if passed:
        return LoopResult(True, "check passes", f"rewrote {focus[0]}", output, 1)
    for path in focus:
        passed, output = function_attempts(session, ws, item, path, check, sampling)
        if passed:
            return LoopResult(True, "check passes", f"fixed the called code in {path}", output, 1)
    return None


def _tools(ctx: RunContext, editable: list[str]) -> list[Any]:
    return edit_tools(GREEN_TOOLS, available_tools(ctx.settings), editable)


def editable_files(ws: ItemWorkspace, shown: list[str]) -> list[str]:
    """Files GREEN may change: the `shown` focus files first, then other non-test code."""
    others = [p for p in tracked_python(ws.root) if not is_test_file(p) and p not in shown]
    return [*shown, *others][:MAX_EDITABLE]


def focus_files(ws: ItemWorkspace, item: ItemState, backlog_item: BacklogItem) -> list[str]:
    """The files the model is shown: from the failure's traceback, then the item's module."""
    paths = files_from_failure(ws.root, item.red_output)
    test_file = item.check.file if item.check else None
    imported = imported_modules(ws.root, test_file) if test_file else []
    module = guess_module(ws.root, backlog_item)
    for path in [*imported, *([module] if module else [])]:
        if path not in paths:
            paths.append(path)
    return paths[:2]


def narrowing_for(ws: ItemWorkspace, item: ItemState) -> Adjust | None:
    """Resolve ambiguous edits to the functions the RED test calls (pytest checks only)."""
    check = item.check
    if check is None or check.kind != "pytest" or not check.file:
        return None
    return narrowing(ws.root, called_names(ws.root, check.file, check.target))


def _checker(ws: ItemWorkspace, ctx: RunContext, item: ItemState) -> Any:
    check = item.check
    assert check is not None

    def run() -> tuple[bool, str]:
        passed, output, _run = run_check(ws.root, check, ctx.settings.tests)
        return passed, clip(output, 800)

    return run


def _feedback(item: ItemState) -> Any:
    target = item.check.target if item.check else "the check"

    def feedback(passed: bool, output: str) -> str:
        return render("green_feedback", passed=passed, test_id=target, failure=output)

    return feedback


def _after_green(
    ws: ItemWorkspace, ctx: RunContext, item: ItemState, backlog_item: BacklogItem
) -> ItemState:
    changed = guard.violations(ws.root, item)
    if changed:
        decision = "review the branch: the fix touched tests; accept the new tests or reject it"
        return block(item, Phase.GREEN, "guard: " + guard.describe(changed), decision)
    if remove_marker(ws.root, backlog_item):
        assert item.check is not None
        passed, _output, _run = run_check(ws.root, item.check, ctx.settings.tests)
        if not passed:
            return block(
                item,
                Phase.GREEN,
                "removing the marker comment broke the check",
                "remove the marker by hand",
            )
    return item


def remove_marker(root: Path, item: BacklogItem) -> bool:
    """Delete the TODO/FIXME comment the item came from, if the fix left it; True if removed."""
    source = item.source
    if source is None or source.kind != "comments" or not source.path or not source.tag:
        return False
    path = root / source.path
    if not path.is_file():
        return False
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        code, sep, comment = line.partition("#")
        words = comment.strip().lstrip("@").split()
        if not sep or not words or not words[0].upper().startswith(source.tag.upper()):
            continue
        if source.text and source.text[:20].lower() not in comment.lower():
            continue
        lines[index] = "" if not code.strip() else code.rstrip() + "\n"
        path.write_text("".join(lines), encoding="utf-8")
        return True
    return False
