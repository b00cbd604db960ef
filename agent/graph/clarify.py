"""CLARIFY: the model drafts acceptance criteria and questions; a human agrees, or it escalates.

Two nodes, so that resuming after the human's answer does not repeat the model call:
`clarify_draft` (the model call) and `clarify_ask` (the interrupt). Answers: {"action": "accept"},
{"action": "edit", "criteria": [...]}, {"action": "answer", "text": "..."} (redraft with it) or
{"action": "skip"}.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from langgraph.types import interrupt

from agent.backlog.models import BacklogItem, Status
from agent.backlog.store import update_backlog
from agent.graph.common import block, budget_block, current, record, session_for, update
from agent.graph.instructed import for_item, with_instructions
from agent.graph.items import load_item
from agent.graph.run_context import RunContext
from agent.graph.state import ItemState, Phase, RunState
from agent.llm.budget import BudgetExceeded
from agent.llm.protocol import Request
from agent.text.prompting import render

SUCCESS_DEFINED = frozenset({"tests", "lint", "security"})
DRAFT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "criteria": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 5},
        "questions": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
    },
    "required": ["criteria", "questions"],
    "additionalProperties": False,
}
RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "clarify", "schema": DRAFT_SCHEMA},
}


def needs_clarification(item: BacklogItem) -> bool:
    """True when the item has no agreed acceptance criteria yet."""
    return not item.acceptance_criteria or item.status in (Status.NEW, Status.REFINED)


def clarify_draft(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Draft criteria and open questions with the model (skipped when criteria are agreed)."""
    started, item = time.monotonic(), current(state)
    backlog_item = load_item(ctx, item.item_id)
    if not needs_clarification(backlog_item):
        item = item.model_copy(update={"criteria": list(backlog_item.acceptance_criteria)})
        return update(record(item, Phase.CLARIFY, True, started, detail="criteria already agreed"))
    session = session_for(state, ctx)
    try:
        criteria, questions = _draft(session, ctx, item, backlog_item)
    except BudgetExceeded as exc:
        return update(budget_block(item, Phase.CLARIFY, exc), session)
    item = item.model_copy(
        update={
            "criteria": criteria,
            "questions": questions,
            "clarify_rounds": item.clarify_rounds + 1,
        }
    )
    return update(item, session)


def _draft(
    session: Any, ctx: RunContext, item: ItemState, backlog_item: BacklogItem
) -> tuple[list[str], list[str]]:
    source = backlog_item.source
    code = _code_around(ctx, backlog_item)
    prompt = render(
        "clarify",
        item=backlog_item,
        source_text=source.text if source else "",
        source_path=source.path if source else "",
        source_line=source.line if source else "",
        code=code,
    )
    if item.human_notes:
        prompt += "\nThe human answered:\n" + "\n".join(f"- {note}" for note in item.human_notes)
    messages = with_instructions([{"role": "user", "content": prompt}], for_item(ctx, item))
    reply = session.reply(
        messages, item.item_id, Phase.CLARIFY, Request(response_format=RESPONSE_FORMAT)
    )
    try:
        payload = json.loads(reply.content or "{}")
    except json.JSONDecodeError:
        payload = {}
    # The draft goes on to the later prompts as the model wrote it (the recorded replays depend
    # on it); a person sees and saves each line once (`clarify_ask`, `agree`).
    raw = payload.get("criteria", [])
    criteria = [str(c).strip() for c in raw if str(c).strip()] if isinstance(raw, list) else []
    return criteria, unique_lines(payload.get("questions", []))


def unique_lines(values: Any) -> list[str]:
    """Non-empty lines without repeats (small models list one criterion several times)."""
    kept: dict[str, str] = {}
    for value in values if isinstance(values, list) else []:
        line = str(value).strip()
        kept.setdefault(" ".join(line.split()).casefold(), line)
    return [line for line in kept.values() if line]


def _code_around(ctx: RunContext, item: BacklogItem, context: int = 12) -> str:
    source = item.source
    if source is None or not source.path or not (ctx.repo / source.path).is_file():
        return ""
    lines = (ctx.repo / source.path).read_text(encoding="utf-8", errors="replace").splitlines()
    line = source.line or 1
    return "\n".join(lines[max(0, line - context) : line + context])


def clarify_ask(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Agree the draft with a human, or accept/escalate it without one."""
    started, item = time.monotonic(), current(state)
    backlog_item = load_item(ctx, item.item_id)
    if not needs_clarification(backlog_item) or item.blocked is not None:
        return update(item)
    if not ctx.options.interactive:
        return update(_unattended(ctx, item, backlog_item, started))
    answer = interrupt(
        {
            "item": item.item_id,
            "title": backlog_item.title,
            "criteria": unique_lines(item.criteria),
            "questions": unique_lines(item.questions),
        }
    )
    return update(apply_answer(ctx, item, answer if isinstance(answer, dict) else {}, started))


def _unattended(
    ctx: RunContext, item: ItemState, backlog_item: BacklogItem, started: float
) -> ItemState:
    kind = backlog_item.source.kind if backlog_item.source else "manual"
    if kind in SUCCESS_DEFINED and item.criteria:
        agree(ctx, item.item_id, item.criteria)
        return record(
            item, Phase.CLARIFY, True, started, detail="accepted: the source defines success"
        )
    questions = item.questions or ["What exactly should change, with an example input and output?"]
    decision = (
        "answer: " + " | ".join(questions) + " (then run `agent clarify " + item.item_id + "`)"
    )
    return record(
        block(item, Phase.CLARIFY, "needs clarification", decision), Phase.CLARIFY, False, started
    )


def clarify_ask_unattended(ctx: RunContext, item: ItemState) -> ItemState:
    """The non-interactive decision on a drafted item (for `agent clarify --yes`)."""
    return _unattended(ctx, item, load_item(ctx, item.item_id), time.monotonic())


def apply_answer(
    ctx: RunContext, item: ItemState, answer: dict[str, Any], started: float
) -> ItemState:
    """Apply the human's answer to the drafted criteria."""
    action = answer.get("action")
    if action == "edit" and answer.get("criteria"):
        item = item.model_copy(update={"criteria": [str(c) for c in answer["criteria"]]})
        action = "accept"
    if action == "accept" and item.criteria:
        agree(ctx, item.item_id, item.criteria)
        return record(item, Phase.CLARIFY, True, started, detail="agreed with a human")
    if action == "answer" and item.clarify_rounds < ctx.settings.agent.clarify_rounds:
        return item.model_copy(
            update={"human_notes": [*item.human_notes, str(answer.get("text", ""))]}
        )
    decision = "answer: " + " | ".join(item.questions or ["what should change?"])
    return record(
        block(item, Phase.CLARIFY, "needs clarification", decision), Phase.CLARIFY, False, started
    )


def agree(ctx: RunContext, item_id: str, criteria: list[str]) -> None:
    """Write the agreed criteria to backlog.yml; the item becomes READY."""
    with update_backlog(
        ctx.repo / ctx.settings.backlog.path, ctx.settings.scoring.scale
    ) as backlog:
        entry = backlog.get(item_id)
        if entry is not None:
            entry.acceptance_criteria = unique_lines(criteria)
            entry.status = Status.READY
            entry.updated_at = datetime.now(UTC)


def route_after_ask(state: RunState) -> str:
    """Redraft after an answer, escalate when blocked, else go on to RED."""
    item = current(state)
    if item.blocked is not None:
        return "blocked"
    agreed = any(r.phase == Phase.CLARIFY and r.ok for r in item.records)
    return "red" if agreed else "redraft"
