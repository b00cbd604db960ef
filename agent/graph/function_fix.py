"""GREEN's second try: the functions the failing test calls, fixed alone after naming the bug.

Measured with the 1.5B local model on the bug-fix corpus: where whole-file rewrites missed, the
greedy answer was the file unchanged and the sampled ones were the test file or the same code.
Here the model sees only the test function and the functions it calls (with the module functions
those call), is asked first to say which line is wrong, then for the corrected functions. Only
the defs it was shown are taken from the reply, whatever else it holds, and spliced back in
place; the check decides, as for rewrites.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from agent.graph.budgets import CALLS_PER_TRY, Allowance
from agent.graph.common import clip, system_message
from agent.graph.item_checks import is_test_file
from agent.graph.narrow import called_names, calls, first_line
from agent.graph.rewrite import BLOCK, code_block, shape_problem
from agent.graph.sources import read_source
from agent.graph.state import ItemState, Phase
from agent.llm.protocol import Message, Request
from agent.llm.session import ModelSession
from agent.scanners.secrets import redact
from agent.scanners.unredact import restore_secrets
from agent.text.prompting import render
from agent.text.textcut import excerpt
from agent.workspace.worktree import ItemWorkspace

MAX_FUNCTIONS = 3
FUNCTION_KINDS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Span:
    """One function of a module: its name, 0-based [start, end) lines and indentation."""

    name: str
    start: int
    end: int
    indent: str


def function_spans(text: str, names: set[str]) -> list[Span]:
    """The uniquely named functions of `text` in `names`, then the module functions they call."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    defs: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for node in ast.walk(tree):
        if isinstance(node, FUNCTION_KINDS):
            defs.setdefault(node.name, []).append(node)
    unique = {name: nodes[0] for name, nodes in defs.items() if len(nodes) == 1}
    chosen = [unique[name] for name in sorted(names) if name in unique]
    for node in list(chosen):
        for name in sorted(calls(node, attributes=False)):
            callee = unique.get(name)
            if callee is not None and callee not in chosen and callee.col_offset == 0:
                chosen.append(callee)
    lines = text.splitlines(keepends=True)
    return sorted(
        (_span(node, lines) for node in chosen[:MAX_FUNCTIONS]), key=lambda span: span.start
    )


def _span(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> Span:
    first = first_line(node)
    assert node.end_lineno is not None
    line = lines[first - 1]
    return Span(node.name, first - 1, node.end_lineno, line[: len(line) - len(line.lstrip())])


def splice(text: str, spans: list[Span], reply: str) -> tuple[str, str | None]:
    """`text` with each shown function replaced by the reply's def of that name; (text, problem)."""
    try:
        tree = ast.parse(reply)
    except SyntaxError as exc:
        return text, f"it is not valid Python (line {exc.lineno}: {exc.msg})"
    found: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for node in ast.walk(tree):
        if isinstance(node, FUNCTION_KINDS) and node.name not in found:
            found[node.name] = node
    wanted = [span for span in spans if span.name in found]
    if not wanted:
        return text, f"it has no def of {', '.join(span.name for span in spans)}"
    lines = text.splitlines(keepends=True)
    reply_lines = reply.splitlines(keepends=True)
    for span in sorted(wanted, key=lambda s: s.start, reverse=True):
        source = "".join(_span_lines(found[span.name], reply_lines))
        body = textwrap.indent(textwrap.dedent(source), span.indent)
        lines[span.start : span.end] = [body if body.endswith("\n") else body + "\n"]
    return "".join(lines), None


def _span_lines(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> list[str]:
    span = _span(node, lines)
    return lines[span.start : span.end]


def source_of_test(text: str, node_id: str) -> str:
    """The source of the test function `node_id` names (the whole file when it is not found)."""
    name = node_id.rsplit("::", 1)[-1].split("[", 1)[0]
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    for node in ast.walk(tree):
        if isinstance(node, FUNCTION_KINDS) and node.name == name:
            return textwrap.dedent("".join(_span_lines(node, lines)))
    return text


def function_attempts(
    session: ModelSession,
    ws: ItemWorkspace,
    item: ItemState,
    path: str,
    check: Callable[[], tuple[bool, str]],
    sampling: tuple[int, float] = (1, 0.0),
    calls: Allowance | None = None,
) -> tuple[bool, str]:
    """Ask for the called functions, corrected, up to `sampling[0]` times; (passed, output).

    `calls` bounds the model calls (a try may take two: the answer, then a follow-up for code).
    """
    target = ws.root / path
    original, spans = _called_code(ws, item, path)
    if not spans:
        return False, ""
    messages = [
        system_message(ws, code=True, unit="function"),
        _user(_prompt(ws, item, path, original, spans)),
    ]
    samples, temperature = sampling
    calls = calls or Allowance(samples * CALLS_PER_TRY)
    output = ""
    for attempt in range(samples):
        if not calls.take():
            break
        extra = {"temperature": temperature, "seed": attempt} if attempt else {}
        code = _answer(session, messages, (item.item_id, Request(extra=extra), calls), spans)
        text, problem = _spliced(original, spans, code)
        if problem or text == original or shape_problem(path, original, text):
            continue
        target.write_text(text, encoding="utf-8")
        passed, output = check()
        if passed:
            return True, output
        target.write_text(original, encoding="utf-8")
    return False, output


def _called_code(ws: ItemWorkspace, item: ItemState, path: str) -> tuple[str, list[Span]]:
    """The module's text and the spans of the functions its pytest check calls (none: no try)."""
    target, test = ws.root / path, item.check
    if is_test_file(path) or not target.is_file() or test is None or test.kind != "pytest":
        return "", []
    if not test.file or not (ws.root / test.file).is_file():
        return "", []
    original = target.read_text(encoding="utf-8")
    return original, function_spans(original, called_names(ws.root, test.file, test.target))


def _spliced(original: str, spans: list[Span], code: str) -> tuple[str, str | None]:
    """The module with the reply's functions in place and its secrets kept; (text, problem)."""
    text, problem = splice(original, spans, code)
    return (text, problem) if problem else restore_secrets(original, text)


def _answer(
    session: ModelSession,
    messages: list[Message],
    call: tuple[str, Request, Allowance],
    spans: list[Span],
) -> str:
    """The reply's code block; a reply that only names the bug is asked once for the code."""
    item_id, request, calls = call
    reply = session.reply(messages, item_id, Phase.GREEN, request).content or ""
    if BLOCK.search(reply) or not reply.strip() or not calls.take():
        return code_block(reply)
    names = ", ".join(span.name for span in spans)
    follow = f"Now reply with the corrected {names} in one ```python code block."
    messages = [*messages, {"role": "assistant", "content": reply}, _user(follow)]
    return code_block(session.reply(messages, item_id, Phase.GREEN, request).content or "")


def _user(prompt: str) -> Message:
    return {"role": "user", "content": prompt}


def _prompt(ws: ItemWorkspace, item: ItemState, path: str, text: str, spans: list[Span]) -> str:
    assert item.check is not None and item.check.file
    test_text = read_source(ws.root, item.check.file, budget=10**9)  # one function is shown
    lines = text.splitlines(keepends=True)
    code = "\n\n".join(
        textwrap.dedent("".join(lines[span.start : span.end])).rstrip() for span in spans
    )
    return render(
        "fix_function",
        test_id=item.check.target,
        test_code=excerpt(source_of_test(test_text, item.check.target)).rstrip(),
        failure=clip(item.red_output, 600),
        path=path,
        names=[span.name for span in spans],
        code=redact(code),
    )
