"""GREEN: the model changes code until the RED check passes; a guard proves the test held."""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from agent.backlog.models import BacklogItem
from agent.graph import guard
from agent.graph.budgets import Allowance, GreenBudget, green_budget
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
from agent.graph.function_fix import function_attempts
from agent.graph.item_checks import run_check
from agent.graph.items import load_item
from agent.graph.localised import Located, green_tool_names, locate, merge_focus
from agent.graph.loop import LoopResult, edit_tools, file_state, run_loop
from agent.graph.narrow import Adjust, called_names, narrowing
from agent.graph.rewrite import fits_rewrite, rewrite_attempts, rewrite_enabled
from agent.graph.run_context import RunContext
from agent.graph.search_replace import Target, search_replace_attempts
from agent.graph.sources import (
    failure_lines,
    file_tokens,
    files_from_failure,
    guess_module,
    imported_modules,
    read_source,
)
from agent.graph.state import ItemState, Phase, RunState
from agent.llm.budget import BudgetExceeded
from agent.llm.protocol import Message
from agent.llm.session import ModelSession
from agent.text.prompting import render
from agent.text.textcut import Anchor
from agent.text.tokens import count_text
from agent.tools.registry import available_tools
from agent.workspace.worktree import ItemWorkspace

GREEN_TOOLS = ("read_file", "replace_text", "write_file", "run_tests", "run_command")


def green(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Let the model make the RED check pass, then check the guard and remove the marker."""
    started = time.monotonic()
    item, ws = current(state), workspace_for(state, ctx)
    backlog_item = load_item(ctx, item.item_id)
    session = session_for(state, ctx)
    located = locate(ws.root, item, backlog_item)
    focus = merge_focus(focus_files(ws, item, backlog_item), located)
    anchors = focus_anchors(item, focus, located)
    messages = green_messages(ws, item, backlog_item, focus, anchors, located)
    editable = editable_files(ws, focus)
    try:
        result = _tries_first(session, ws, ctx, item, Target(focus, editable, anchors)) or run_loop(
            session,
            ws,
            messages,
            _tools(ctx, editable, located),
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
    ws: ItemWorkspace,
    item: ItemState,
    backlog_item: BacklogItem,
    focus: list[str],
    anchors: Mapping[str, Sequence[Anchor]] | None = None,
    located: Located | None = None,
) -> list[Message]:
    """The system prompt and the task: criteria, the failing output, the `focus` files.

    A long file is shown around its `anchors` (default: the failure's traceback lines); in a
    large repository the localiser's map of module signatures follows the files.
    """
    anchors = focus_anchors(item, focus) if anchors is None else anchors
    shown_map = located.map_text if located is not None else ""
    room = count_text(shown_map) // max(len(focus), 1)
    budget = file_tokens(ws.settings.model, len(focus)) - room
    files = [
        {
            "path": path,
            "text": read_source(ws.root, path, anchors.get(path, ()), budget, count_text),
        }
        for path in focus
    ]
    assert item.check is not None
    task = render(
        "green",
        item=backlog_item,
        criteria=item.criteria or backlog_item.acceptance_criteria,
        test_id=item.check.target,
        failure=item.red_output,
        files=files,
        repo_map=shown_map,
    )
    return [system_message(ws), {"role": "user", "content": task}]


def focus_anchors(
    item: ItemState, focus: Sequence[str], located: Located | None = None
) -> dict[str, list[Anchor]]:
    """What a long focus file must show: the lines the failure's traceback names, then the
    lines and functions the localiser suspects."""
    suspected = located.anchors if located is not None else {}
    return {
        path: [*failure_lines(item.red_output, path), *suspected.get(path, [])] for path in focus
    }


def _tries_first(
    session: ModelSession, ws: ItemWorkspace, ctx: RunContext, item: ItemState, target: Target
) -> LoopResult | None:
    """Whole-file (or search/replace) tries, then function-level ones; None: the tool loop."""
    focus = list(target.shown)
    if not rewrite_enabled(ctx) or not focus or not (ws.root / focus[0]).is_file():
        return None
    whole = fits_rewrite(session, (ws.root / focus[0]).read_text(encoding="utf-8"))
    budget = phase_budget(session, ctx, item.item_id, whole)
    temperature, check = ctx.settings.agent.rewrite_temperature, _checker(ws, ctx, item)
    if whole:
        passed, output = rewrite_attempts(
            session, ws, item, focus[0], check, (budget.rewrites, temperature)
        )
        summary = f"rewrote {focus[0]}"
    else:
        passed, output = search_replace_attempts(
            session, ws, item, target, check, (budget.search_replace, temperature)
        )
        summary = f"edited {focus[0]} with search/replace blocks"
    if passed:
        return LoopResult(True, "check passes", summary, output, 1)
    calls = Allowance(budget.function_calls)
    sampling = (ctx.settings.agent.rewrite_samples, temperature)
    for path in focus:
        passed, output = function_attempts(session, ws, item, path, check, sampling, calls)
        if passed:
            return LoopResult(True, "check passes", f"fixed the called code in {path}", output, 1)
    return None


def phase_budget(session: ModelSession, ctx: RunContext, item_id: str, whole: bool) -> GreenBudget:
    """The split of GREEN's remaining steps (agent.graph.budgets); a resumed phase has fewer."""
    taken = session.ledger.steps_taken(item_id, Phase.GREEN)
    steps = ctx.settings.model.max_steps_per_phase - taken
    return green_budget(steps, ctx.settings.agent.rewrite_samples, whole)


def _tools(ctx: RunContext, editable: list[str], located: Located | None = None) -> list[Any]:
    names = green_tool_names(GREEN_TOOLS, located)
    return edit_tools(names, available_tools(ctx.settings), editable)


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
