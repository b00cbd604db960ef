"""The model's edit loop: one action per turn, tools run in the worktree, the check re-run.

The loop ends when the check passes (observed by us, never taken from the model's word), when the
model gives up (`finish` while the check still fails, twice), or when a cap stops the next call
(BudgetExceeded propagates to the node, which blocks the item with reason "budget").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from pydantic import Field, create_model

from agent.llm.protocol import Message
from agent.llm.session import ModelSession
from tools.base import ToolArgs, ToolResult, ToolSpec, Workspace
from tools.registry import call_tool, tool_by_name

EDITING_TOOLS = frozenset({"write_file", "replace_text"})
CHANGING_TOOLS = EDITING_TOOLS | {"run_command"}  # may change files: guard and check after them
MAX_INVALID = 3
MAX_FALSE_FINISH = 2
MAX_STRIKES = 2
GUARD_NOTE = (
    "You changed test files ({}); that is not allowed, so the change was undone. "
    "Change the code under test, never the tests."
)

# Runs the phase's check in the worktree: (passed, output for the model).
Check = Callable[[], tuple[bool, str]]


class FinishArgs(ToolArgs):
    """Say you are done: the failing test passes (or nothing more should change)."""

    summary: str = Field(default="", max_length=400)
    """One sentence on what you changed."""


def _finish(workspace: Workspace, args: FinishArgs) -> ToolResult:
    return ToolResult(ok=True, output=args.summary)


FINISH = ToolSpec("finish", FinishArgs, _finish)


@dataclass
class LoopResult:
    """How the loop ended."""

    passed: bool
    reason: str
    summary: str = ""
    output: str = ""
    edits: int = 0
    guard_tripped: bool = False


def edit_tools(
    names: Sequence[str], specs: Sequence[ToolSpec], editable: Sequence[str] | None = None
) -> list[ToolSpec]:
    """The named tools from the registry plus `finish`; edits limited to `editable` paths.

    The limit is part of the argument schema (an enum), so a grammar-constrained model cannot even
    name another file, and validation refuses it for any model.
    """
    chosen = [spec for name in names if (spec := tool_by_name(name, specs)) is not None]
    if editable:
        chosen = [
            _limit_paths(spec, editable) if spec.name in EDITING_TOOLS else spec for spec in chosen
        ]
    return [*chosen, FINISH]


def _limit_paths(spec: ToolSpec, paths: Sequence[str]) -> ToolSpec:
    field = spec.args_model.model_fields["path"]
    choice: Any = Literal[tuple(paths)]
    limited = create_model(
        spec.args_model.__name__,
        __base__=spec.args_model,
        __doc__=spec.args_model.__doc__,
        path=(choice, Field(description=field.description or "File to change.")),
    )
    return ToolSpec(spec.name, cast(type[ToolArgs], limited), spec.function)


def run_loop(
    session: ModelSession,
    workspace: Workspace,
    messages: list[Message],
    specs: Sequence[ToolSpec],
    check: Check,
    item_id: str,
    phase: str,
    feedback: Callable[[bool, str], str],
    guard: Callable[[], list[str]] | None = None,
) -> LoopResult:
    """Drive the model until `check` passes; `messages` grows with the conversation.

    `guard` (after each edit) undoes changes to test files and names them; the model is told, and
    after MAX_STRIKES such attempts the loop ends with `guard_tripped`.
    """
    invalid = false_finish = edits = strikes = 0
    while True:
        step = session.next_action(messages, specs, item_id, phase, pinned={0, 1})
        if step.action is None or step.reply is None:
            invalid += 1
            if invalid >= MAX_INVALID:
                return LoopResult(False, f"no valid action from the model ({step.error})")
            continue
        messages.append(step.reply)
        action = step.action
        if action.tool == "finish":
            passed, output = check()
            if passed:
                return LoopResult(True, "check passes", _summary(action.args), output, edits)
            false_finish += 1
            if false_finish >= MAX_FALSE_FINISH:
                return LoopResult(
                    False, "the model stopped while the check still fails", "", output
                )
            messages.append(_user(feedback(False, output)))
            continue
        result = call_tool(workspace, action.tool, action.args.model_dump(), specs)
        message = session.tool_message(action, result, item_id, phase)
        if action.tool in CHANGING_TOOLS and result.ok:
            edits += 1
            touched = guard() if guard is not None else []
            if touched:
                strikes += 1
                if strikes >= MAX_STRIKES:
                    return LoopResult(
                        False,
                        GUARD_NOTE.format(", ".join(touched)),
                        "",
                        "",
                        edits,
                        guard_tripped=True,
                    )
                messages.append(
                    {
                        **message,
                        "content": f"{message['content']}\n\n"
                        + GUARD_NOTE.format(", ".join(touched)),
                    }
                )
                continue
            passed, output = check()
            if passed:
                messages.append(message)
                return LoopResult(True, "check passes", "", output, edits)
            message = {**message, "content": f"{message['content']}\n\n{feedback(False, output)}"}
        messages.append(message)


def _summary(args: ToolArgs) -> str:
    return args.summary if isinstance(args, FinishArgs) else ""


def _user(text: str) -> Message:
    return {"role": "user", "content": text}
