"""RED: establish a check that fails on the current code, for the right reason."""

from __future__ import annotations

import json
import time
from typing import Any

from agent.backlog.models import BacklogItem
from agent.graph.common import (
    block,
    budget_block,
    clip,
    current,
    record,
    session_for,
    sha256_file,
    system_message,
    update,
    workspace_for,
)
from agent.graph.item_checks import is_test_file, red_verdict, run_check
from agent.graph.items import load_item
from agent.graph.run_context import RunContext
from agent.graph.sources import (
    example_test,
    guess_module,
    module_name,
    read_source,
    strip_fences,
    test_dir,
    tracked_python,
)
from agent.graph.state import Check, ItemState, Phase, RunState
from agent.llm.budget import BudgetExceeded
from agent.llm.protocol import Request
from agent.llm.session import ModelSession
from agent.testrun.run import run_tests
from agent.testrun.testfiles import function_id
from agent.text.prompting import render
from agent.workspace.worktree import ItemWorkspace, slugify

TEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"content": {"type": "string"}},
    "required": ["content"],
    "additionalProperties": False,
}
RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "test_file", "schema": TEST_SCHEMA},
}
CUT_OFF = (
    "your reply was cut off at the length limit before the file ended: write a short file, "
    "one small test function per criterion, with no repeated cases"
)


def red(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Find or write the failing check of the current item, and take the baseline."""
    started = time.monotonic()
    item = current(state)
    backlog_item = load_item(ctx, item.item_id)
    ws = workspace_for(state, ctx)
    item = item.model_copy(update=_baseline(ws, ctx, item))
    check = existing_check(backlog_item)
    if check is not None:
        return update(_confirm_red(ws, ctx, item, check, started))
    session = session_for(state, ctx)
    try:
        item = _write_red_test(session, ws, ctx, item, backlog_item, started)
    except BudgetExceeded as exc:
        item = budget_block(item, Phase.RED, exc)
    return update(item, session)


def existing_check(item: BacklogItem) -> Check | None:
    """The check an item's source already defines: its failing test, or its finding."""
    source = item.source
    if source is None or not source.tag:
        return None
    if source.kind == "tests" and "::" in source.tag:
        target = function_id(source.tag)  # every parameter, also for an old per-case tag
        return Check(kind="pytest", target=target, file=target.split("::", 1)[0])
    if source.kind == "lint" and source.path:
        return Check(kind="ruff", target=source.path, rule=source.tag)
    if source.kind == "security" and source.path and source.tag.startswith("B"):
        return Check(kind="bandit", target=source.path, rule=source.tag)
    return None


def _baseline(ws: ItemWorkspace, ctx: RunContext, item: ItemState) -> dict[str, Any]:
    """Failing tests before any change, and the hash of every test file."""
    run = run_tests(ws.root, ctx.settings.tests)
    failing = [case.node_id for case in (run.report.problems if run.report else [])]
    tracked = tracked_python(ws.root)
    hashes = {p: sha256_file(ws.root / p) or "" for p in tracked if is_test_file(p)}
    return {
        "baseline_failures": failing,
        "test_hashes": hashes,
        "base_sha": ws.base_sha,
        "branch": ws.branch,
        "worktree": str(ws.root),
    }


def _confirm_red(
    ws: ItemWorkspace, ctx: RunContext, item: ItemState, check: Check, started: float
) -> ItemState:
    if check.file:
        check = check.model_copy(update={"file_sha256": sha256_file(ws.root / check.file)})
    passed, output, _run = run_check(ws.root, check, ctx.settings.tests)
    item = item.model_copy(update={"check": check, "red_output": clip(output)})
    if passed:
        reason = f"the check {check.target} already passes on {ws.base_sha[:7]}"
        decision = "close the item if the problem is gone, or describe how to reproduce it"
        return record(block(item, Phase.RED, reason, decision), Phase.RED, False, started)
    return record(item, Phase.RED, True, started, detail=f"{check.kind} {check.target} fails")


def _write_red_test(
    session: ModelSession,
    ws: ItemWorkspace,
    ctx: RunContext,
    item: ItemState,
    backlog_item: BacklogItem,
    started: float,
) -> ItemState:
    module = guess_module(ws.root, backlog_item)
    if module is None:
        reason = "cannot tell which module the item is about"
        decision = "name the file or module to change in the item's description"
        return record(block(item, Phase.RED, reason, decision), Phase.RED, False, started)
    path = f"{test_dir(ws.root)}/test_agent_{slugify(item.item_id, 30).replace('-', '_')}.py"
    feedback = ""
    for attempt in range(ctx.settings.agent.red_attempts):
        # A retry of the same greedy request gets the same answer: later tries are sampled.
        extra = {"temperature": ctx.settings.agent.rewrite_temperature, "seed": attempt}
        content, cut_off = _ask_for_test(
            session, ws, item, backlog_item, module, path, feedback, extra if attempt else {}
        )
        target = ws.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        run = run_tests(ws.root, ctx.settings.tests, [path])
        verdict = red_verdict(run, ws.root) if content.strip() else "the test file is empty"
        if cut_off:
            verdict = CUT_OFF
        if verdict is None:
            check = Check(
                kind="pytest",
                target=path,
                file=path,
                written_by_agent=True,
                file_sha256=sha256_file(target),
                content=content,
            )
            item = item.model_copy(update={"check": check, "red_output": clip(run.result.output)})
            return record(item, Phase.RED, True, started, detail=f"wrote {path}")
        feedback = f"{verdict}\n{clip(run.result.output, 600)}"
    target.unlink(missing_ok=True)
    reason = f"no honest failing test after {ctx.settings.agent.red_attempts} attempts: {feedback}"
    decision = "write the failing test yourself (or sharpen the acceptance criteria), then re-run"
    return record(block(item, Phase.RED, reason[:600], decision), Phase.RED, False, started)


def _ask_for_test(
    session: ModelSession,
    ws: ItemWorkspace,
    item: ItemState,
    backlog_item: BacklogItem,
    module: str,
    path: str,
    feedback: str,
    extra: dict[str, Any],
) -> tuple[str, bool]:
    """The test file the model wrote, and whether its reply was cut off at the token cap."""
    prompt = render(
        "red",
        item=backlog_item,
        criteria=item.criteria or backlog_item.acceptance_criteria,
        module_path=module,
        module_name=module_name(module),
        module_code=read_source(ws.root, module),
        example_test=example_test(ws.root, module),
        feedback=feedback,
        test_path=path,
    )
    messages = [
        system_message(ws),
        {"role": "user", "content": prompt},
    ]
    reply = session.reply(
        messages, item.item_id, Phase.RED, Request(response_format=RESPONSE_FORMAT, extra=extra)
    )
    cut_off = reply.finish_reason == "length"
    try:
        content = json.loads(reply.content or "{}").get("content", "")
    except (json.JSONDecodeError, AttributeError):
        content = ""
    return (strip_fences(content) if isinstance(content, str) else ""), cut_off
