"""The model's edit loop: one action per turn, tools run in the worktree, the check re-run.

The loop ends when the check passes (observed by us, never taken from the model's word), when the
model gives up (`finish` while the check still fails, twice), when it repeats an action that already
failed (at temperature 0 a small model otherwise repeats it verbatim until the step cap), or when a
cap stops the next call (BudgetExceeded propagates to the node, which blocks the item with reason
"budget").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field

from agent.graph.editable import limit_paths
from agent.llm.actions import Action
from agent.llm.protocol import Message
from agent.llm.session import ModelSession
from agent.tools.base import ToolArgs, ToolResult, ToolSpec, Workspace
from agent.tools.registry import call_tool, tool_by_name

EDITING_TOOLS = frozenset({"write_file", "replace_text"})
CHANGING_TOOLS = EDITING_TOOLS | {"run_command"}  # may change files: guard and check after them
MAX_INVALID = 3
MAX_FALSE_FINISH = 2
MAX_STRIKES = 2
MAX_REPEATS = 2
CYCLE_NOTE = (
    "This change brings the code back to a version that was already tested and failed. "
    "Try a different fix."
)
REPEAT_NOTE = (
    "You already tried exactly this action and it did not help (result: {}). It was not run "
    "again. Do something different: read the file again and copy the lines exactly, or change "
    "another line."
)
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

    A short list is part of the argument schema (an enum), so a grammar-constrained model cannot
    even name another file; a long one is checked when the tool runs (agent.graph.editable).
    """
    chosen = [spec for name in names if (spec := tool_by_name(name, specs)) is not None]
    if editable:
        chosen = [
            limit_paths(spec, editable) if spec.name in EDITING_TOOLS else spec for spec in chosen
        ]
    return [*chosen, FINISH]


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
    adjust: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None,
    snapshot: Callable[[], str] | None = None,
) -> LoopResult:
    """Drive the model until `check` passes; `messages` grows with the conversation.

    `guard` (after each edit) undoes changes to test files and names them; the model is told, and
    after MAX_STRIKES such attempts the loop ends with `guard_tripped`. `adjust` may rewrite an
    action's arguments before it runs (see agent.graph.narrow). An action identical to one that
    already failed since the last edit is not run again, and an edit that brings the files back to
    a state `snapshot` already saw fail (the starting state included) is not checked again; after
    MAX_REPEATS of either the loop ends.
    """
    loop = _Loop(
        session, workspace, messages, specs, check, item_id, phase, feedback,
        guard=guard, adjust=adjust, snapshot=snapshot,
    )  # fmt: skip
    if snapshot is not None:
        loop.failed_states.add(snapshot())  # the starting state fails the check
    return loop.run()


@dataclass
class _Loop:
    session: ModelSession
    workspace: Workspace
    messages: list[Message]
    specs: Sequence[ToolSpec]
    check: Check
    item_id: str
    phase: str
    feedback: Callable[[bool, str], str]
    guard: Callable[[], list[str]] | None = None
    adjust: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None
    invalid: int = 0
    false_finish: int = 0
    edits: int = 0
    strikes: int = 0
    repeats: int = 0
    tried: dict[str, str] = field(default_factory=dict)
    """Action key -> short result, since the last successful edit."""
    snapshot: Callable[[], str] | None = None
    failed_states: set[str] = field(default_factory=set)

    def run(self) -> LoopResult:
        while True:
            step = self.session.next_action(
                self.messages, self.specs, self.item_id, self.phase, pinned={0, 1}
            )
            if step.action is None or step.reply is None:
                self.invalid += 1
                if self.invalid >= MAX_INVALID:
                    return LoopResult(False, f"no valid action from the model ({step.error})")
                continue
            self.messages.append(step.reply)
            if step.action.tool == "finish":
                ended = self._finish(step.action)
            else:
                ended = self._act(step.action)
            if ended is not None:
                return ended

    def _finish(self, action: Action) -> LoopResult | None:
        passed, output = self.check()
        if passed:
            return LoopResult(True, "check passes", _summary(action.args), output, self.edits)
        self.false_finish += 1
        if self.false_finish >= MAX_FALSE_FINISH:
            return LoopResult(False, "the model stopped while the check still fails", "", output)
        self.messages.append(_user(self.feedback(False, output)))
        return None

    def _act(self, action: Action) -> LoopResult | None:
        key = _key(action.tool, action.args)
        if key in self.tried:
            return self._repeated(action, key)
        arguments = action.args.model_dump()
        if self.adjust is not None:
            arguments = self.adjust(action.tool, arguments)
        result = call_tool(self.workspace, action.tool, arguments, self.specs)
        message = self.session.tool_message(action, result, self.item_id, self.phase)
        if action.tool in CHANGING_TOOLS and result.ok:
            return self._changed(key, result, message)
        self.tried[key] = _short(result.output)
        self.messages.append(message)
        return None

    def _repeated(self, action: Action, key: str) -> LoopResult | None:
        self.repeats += 1
        if self.repeats >= MAX_REPEATS:
            reason = f"the model repeated an action that had failed ({action.tool})"
            return LoopResult(False, reason, "", self.tried[key], self.edits)
        self.messages.append(_user(REPEAT_NOTE.format(self.tried[key])))
        return None

    def _changed(self, key: str, result: ToolResult, message: Message) -> LoopResult | None:
        self.edits += 1
        touched = self.guard() if self.guard is not None else []
        self.tried = {} if touched else {key: _short(result.output)}  # a strike counts alone
        if touched:
            return self._strike(touched, message)
        state = self.snapshot() if self.snapshot is not None else None
        if state is not None and state in self.failed_states:
            return self._cycled(message)
        passed, output = self.check()
        if passed:
            self.messages.append(message)
            return LoopResult(True, "check passes", "", output, self.edits)
        if state is not None:
            self.failed_states.add(state)
        content = f"{message['content']}\n\n{self.feedback(False, output)}"
        self.messages.append({**message, "content": content})
        return None

    def _cycled(self, message: Message) -> LoopResult | None:
        self.repeats += 1
        if self.repeats >= MAX_REPEATS:
            reason = "the model went back to code that had already failed"
            return LoopResult(False, reason, "", "", self.edits)
        self.messages.append({**message, "content": f"{message['content']}\n\n{CYCLE_NOTE}"})
        return None

    def _strike(self, touched: list[str], message: Message) -> LoopResult | None:
        self.strikes += 1
        note = GUARD_NOTE.format(", ".join(touched))
        if self.strikes >= MAX_STRIKES:
            return LoopResult(False, note, "", "", self.edits, guard_tripped=True)
        self.messages.append({**message, "content": f"{message['content']}\n\n{note}"})
        return None


def file_state(root: Path, paths: Sequence[str]) -> Callable[[], str]:
    """A snapshot function for run_loop: one hash of the named files' bytes."""

    def state() -> str:
        digest = hashlib.sha256()
        for path in paths:
            target = root / path
            digest.update(path.encode() + b"\0")
            digest.update(target.read_bytes() if target.is_file() else b"<absent>")
        return digest.hexdigest()

    return state


def _key(tool: str, args: ToolArgs) -> str:
    return tool + json.dumps(args.model_dump(mode="json"), sort_keys=True)


def _short(output: str) -> str:
    first = output.strip().splitlines()[0] if output.strip() else "no output"
    return first[:200]


def _summary(args: ToolArgs) -> str:
    return args.summary if isinstance(args, FinishArgs) else ""


def _user(text: str) -> Message:
    return {"role": "user", "content": text}
