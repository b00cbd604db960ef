"""GREEN's first try for a file too large to rewrite: search/replace blocks (aider's format).

A whole-file rewrite must fit one reply (agent.graph.rewrite.fits_rewrite); a longer module is shown
as an excerpt around the failure's lines (agent.text.textcut) and the model answers with blocks that
may edit several files (agent.graph.blocks). A reply whose blocks do not all apply changes nothing
and the next sample is told why; the check decides, as for rewrites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.graph.blocks import apply_blocks, parse_blocks, write_all
from agent.graph.common import clip, system_message
from agent.graph.function_fix import source_of_test
from agent.graph.item_checks import is_test_file
from agent.graph.loop import Check
from agent.graph.rewrite import shape_problem
from agent.graph.sources import failure_lines, file_tokens, read_source
from agent.graph.state import ItemState, Phase
from agent.llm.protocol import Message, Request
from agent.llm.session import ModelSession
from agent.text.prompting import render
from agent.text.textcut import Anchor, excerpt
from agent.text.tokens import count_text
from agent.workspace.worktree import ItemWorkspace

TEST_CHARS = 4000


@dataclass(frozen=True)
class Target:
    """Where the blocks may go: the files shown (the first is the default) and every editable."""

    shown: Sequence[str]
    editable: Sequence[str]
    anchors: Mapping[str, Sequence[Anchor]]
    """Lines to show in each file besides the failure's (the seam for a fault localiser)."""


def search_replace_attempts(
    session: ModelSession,
    ws: ItemWorkspace,
    item: ItemState,
    target: Target,
    check: Check,
    sampling: tuple[int, float] = (1, 0.0),
) -> tuple[bool, str]:
    """Ask for blocks up to `sampling[0]` times; apply each reply whole or not at all."""
    shown = [p for p in target.shown if not is_test_file(p) and (ws.root / p).is_file()]
    if item.check is None or not shown:
        return False, ""
    red = clip(item.red_output, 800)
    prompt = _Prompt.of(session, ws, item, shown, target.anchors)
    failure, output = red, ""
    samples, temperature = sampling
    for attempt in range(samples):
        extra = {"temperature": temperature, "seed": attempt} if attempt else {}
        messages = prompt.messages(failure)
        reply = session.reply(messages, item.item_id, Phase.GREEN, Request(extra=extra)).content
        texts, problem = edits(ws.root, reply or "", shown[0], target.editable)
        if problem:
            failure = f"Your reply was not used: {problem}. The test still fails:\n{red}"
            continue
        previous = write_all(ws.root, texts)
        passed, output = check()
        if passed:
            return True, output
        write_all(ws.root, previous)
        failure = clip(output, 800)
    return False, output


def edits(
    root: Path, reply: str, focus: str, editable: Sequence[str]
) -> tuple[dict[str, str], str | None]:
    """The files a reply's blocks change and their new text; ({}, problem) if it is unusable."""
    blocks, problem = parse_blocks(reply, focus)
    if problem:
        return {}, problem
    texts, problem = apply_blocks(root, blocks, editable)
    if problem:
        return {}, problem
    if not texts:
        return {}, "its blocks change nothing"
    for path, text in texts.items():
        broken = shape_problem(path, (root / path).read_text(encoding="utf-8"), text)
        if broken:
            return {}, f"after the blocks {path} {broken.removeprefix('it ')}"
    return texts, None


@dataclass(frozen=True)
class _Prompt:
    """The request's fixed parts, read once; only the failure text changes between samples."""

    ws: ItemWorkspace
    item: ItemState
    test_path: str
    test_code: str
    files: list[dict[str, object]]

    @classmethod
    def of(
        cls,
        session: ModelSession,
        ws: ItemWorkspace,
        item: ItemState,
        shown: Sequence[str],
        anchors: Mapping[str, Sequence[Anchor]],
    ) -> _Prompt:
        """Read the test function and an excerpt of each shown file that fits the window."""
        assert item.check is not None
        test_path = item.check.file or item.check.target.split("::", 1)[0]
        budget = file_tokens(session.settings, len(shown))
        files = [_file(session, ws, item, path, anchors.get(path, ()), budget) for path in shown]
        return cls(ws, item, test_path, _test_code(ws, item, test_path), files)

    def messages(self, failure: str) -> list[Message]:
        """The system prompt and the task with `failure` (the test's output or a refusal)."""
        task = render(
            "search_replace",
            title=self.item.title,
            criteria=self.item.criteria,
            test_path=self.test_path,
            test_code=self.test_code,
            failure=failure,
            files=self.files,
        )
        return [system_message(self.ws, blocks=True), {"role": "user", "content": task}]


def _file(
    session: ModelSession,
    ws: ItemWorkspace,
    item: ItemState,
    path: str,
    extra: Sequence[Anchor],
    budget: int,
) -> dict[str, object]:
    whole = read_source(ws.root, path, budget=10**9)
    anchors = [*failure_lines(item.red_output, path), *extra]
    model = session.model.model_name
    text = excerpt(whole, anchors, budget, lambda part: count_text(part, model))
    return {"path": path, "lines": whole.count("\n"), "cut": text != whole, "text": text.rstrip()}


def _test_code(ws: ItemWorkspace, item: ItemState, test_path: str) -> str:
    """The failing test function; an excerpt around the failure when it cannot be found."""
    if not (ws.root / test_path).is_file():
        return ""
    assert item.check is not None
    whole = read_source(ws.root, test_path, budget=10**9)
    function = source_of_test(whole, item.check.target)
    if function != whole:
        return function.rstrip()
    return read_source(ws.root, test_path, failure_lines(item.red_output, test_path), TEST_CHARS)
