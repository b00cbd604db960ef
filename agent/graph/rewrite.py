"""GREEN's first try for files that fit a reply: ask for the whole corrected file, fenced.

Measured with the 1.5B local model: exact old/new edits often fail to match, while rewriting a
small file whole is one call (as aider's whole-file format). A plain fenced block, not a JSON
string: inside JSON the model answered with the test file in 2 of 3 samples (binary_search_bounds).
The file is fixed by us and is never a test; the check decides, and the tool loop takes over when
no sample passes. Whether a file fits is counted in tokens against the reply cap (ADR 0012); a
larger file goes to search/replace blocks (agent/graph/search_replace.py).
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from typing import Any

from agent.graph.common import clip, system_message
from agent.graph.item_checks import is_test_file
from agent.graph.run_context import RunContext
from agent.graph.sources import failure_lines, read_source
from agent.graph.state import ItemState, Phase
from agent.llm.protocol import Request
from agent.llm.session import ModelSession
from agent.scanners.unredact import restore_secrets
from agent.text.prompting import render
from agent.text.tokens import count_text
from agent.workspace.worktree import ItemWorkspace

REPLY_MARGIN = 1.15
"""A rewrite reply may come out longer than the file (the fix, the model's own tokenizer)."""
REPLY_SLACK = 64
"""Tokens for the fence and a line of prose around the code block."""
WHOLE = 10**9
BLOCK = re.compile(r"```[\w+-]*[ \t]*\n(?P<body>.*?)(?:\n```|\Z)", re.S)


def rewrite_attempts(
    session: ModelSession,
    ws: ItemWorkspace,
    item: ItemState,
    path: str,
    check: Any,
    sampling: tuple[int, float] = (1, 0.0),
    regression: str = "",
) -> tuple[bool, str]:
    """Ask for the corrected file up to `sampling[0]` times; (passed, last check output).

    The first answer comes at the model's own temperature; the others are sampled at
    `sampling[1]` with seeds 1, 2, ...: the check, not the model, picks the one that works.
    With `regression` (CI's failing output) the file already holds GREEN's fix and the check
    is the whole suite.
    """
    target = ws.root / path
    if is_test_file(path) or not target.is_file():
        return False, ""
    original = target.read_text(encoding="utf-8")
    if not fits_rewrite(session, original) or item.check is None:
        return False, ""
    cap = rewrite_max_tokens(session, original)
    red = clip(regression or item.red_output, 800)
    failure, output = regression or item.red_output, ""
    ask = _Ask.of(session, ws, item, path, Phase.CI if regression else Phase.GREEN)
    samples, temperature = sampling
    for attempt in range(samples):
        extra = {"temperature": temperature, "seed": attempt} if attempt else {}
        reply = ask(failure, Request(max_tokens=cap, extra=extra))
        content, lost = restore_secrets(original, reply)
        refused = _refusal(path, original, content, red, lost)
        if refused:
            failure = refused
            continue
        target.write_text(content if content.endswith("\n") else content + "\n", encoding="utf-8")
        passed, output = check()
        if passed:
            return True, output
        target.write_text(original, encoding="utf-8")
        failure = clip(output, 800)
    return False, output


def rewrite_tokens(session: ModelSession, text: str) -> int:
    """Reply tokens a whole-file rewrite of `text` needs: the file plus a margin and the fence."""
    return math.ceil(count_text(text, session.model.model_name) * REPLY_MARGIN) + REPLY_SLACK


def fits_rewrite(session: ModelSession, text: str) -> bool:
    """Whether a whole rewrite of `text` fits a reply (the larger of the two caps)."""
    settings = session.settings
    cap = max(settings.max_completion_tokens, settings.rewrite_completion_tokens)
    return rewrite_tokens(session, text) <= cap


def rewrite_max_tokens(session: ModelSession, text: str) -> int | None:
    """The reply cap to send: None (the default) when the file fits it, else the rewrite cap.

    Requests of files that fitted the default stay byte-identical (recorded cassettes). Issue 14:
    a 100-150-line file overran the 1,024-token default and the cut reply was refused.
    """
    if rewrite_tokens(session, text) <= session.settings.max_completion_tokens:
        return None
    return session.settings.rewrite_completion_tokens


def _refusal(path: str, original: str, content: str, red: str, lost: str | None) -> str | None:
    """What the model is told when `content` is not worth a test run; None when it is."""
    problem = lost or shape_problem(path, original, content)
    if problem:
        return f"Your reply was not used: {problem}. Reply with the whole of {path}."
    if content.strip() == original.strip():
        return f"Your reply left {path} unchanged, so the test still fails:\n{red}"
    return None


def shape_problem(path: str, original: str, content: str) -> str | None:
    """Why `content` cannot be a version of the module `original`, or None when it can.

    Measured: the 1.5B model sometimes answers with the test file, or drops the other functions of
    a module (as aider's whole-file edits did); both are refused before any test runs.
    """
    if not content.strip():
        return "it was empty"
    if not path.endswith(".py"):
        return None
    try:
        tree = ast.parse(content)
    except SyntaxError as exc:
        return f"it is not valid Python (line {exc.lineno}: {exc.msg})"
    try:
        before = _top_names(ast.parse(original))
    except SyntaxError:
        return None  # nothing to compare with (syntax newer than this Python, say)
    missing = sorted(before - _top_names(tree))
    if missing:
        return f"it lacks {', '.join(missing)}, which {path} defines"
    return None


def _top_names(tree: ast.Module) -> set[str]:
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {node.name for node in tree.body if isinstance(node, kinds)}


@dataclass(frozen=True)
class _Ask:
    """One rewrite request: the file and the RED test beside it, read once; the failure varies."""

    session: ModelSession
    ws: ItemWorkspace
    item: ItemState
    path: str
    phase: Phase
    test_path: str
    test_code: str
    text: str

    @classmethod
    def of(
        cls, session: ModelSession, ws: ItemWorkspace, item: ItemState, path: str, phase: Phase
    ) -> _Ask:
        """Read the file (restored to this text after every failed sample) and the test once."""
        assert item.check is not None
        test_path = item.check.file or item.check.target.split("::", 1)[0]
        anchors = failure_lines(item.red_output, test_path)
        exists = (ws.root / test_path).is_file()
        test_code = read_source(ws.root, test_path, anchors) if exists else ""
        text = read_source(ws.root, path, budget=WHOLE)  # it fits a reply, so it is shown whole
        return cls(session, ws, item, path, phase, test_path, test_code, text)

    def __call__(self, failure: str, request: Request) -> str:
        prompt = render(
            "rewrite",
            title=self.item.title,
            criteria=self.item.criteria,
            test_path=self.test_path,
            test_code=self.test_code,
            path=self.path,
            failure=failure,
            text=self.text,
            regression=self.phase == Phase.CI,
        )
        messages = [system_message(self.ws, code=True), {"role": "user", "content": prompt}]
        reply = self.session.reply(messages, self.item.item_id, self.phase, request)
        return code_block(reply.content or "")


def rewrite_enabled(ctx: RunContext) -> bool:
    """Whether whole-file rewrites are tried (`agent.green_rewrite`; auto: json action mode)."""
    setting = ctx.settings.agent.green_rewrite
    return setting == "on" or (setting == "auto" and ctx.mode == "json")


def code_block(reply: str) -> str:
    """The first fenced code block of a reply, or the whole reply when it has no fence."""
    match = BLOCK.search(reply)
    if match is None:
        return reply.strip() + "\n" if reply.strip() else ""
    return match.group("body").rstrip() + "\n"
