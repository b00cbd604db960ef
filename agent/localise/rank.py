"""Hierarchical fault localisation: rank files, then functions, then lines (as Agentless does).

Signals and their weights (agent/localise/votes.py adds them up):
- traceback frames in repository non-test files: the deepest FRAME_TOP, each shallower one 2 less
  (at least FRAME_MIN); the frame's line is suspicious and its enclosing function is voted for;
- the call graph from the test function through imports: CALL_WEIGHTS by depth (1 to 3);
- identifiers of the failure and the item's text that name a definition: NAME (names with more
  than MAX_NAME_DEFS definitions say too little and are skipped);
- quoted strings and exception messages found literally (git grep) in at most MAX_LITERAL_FILES
  non-test files: LITERAL (a string found everywhere, such as 'high', says little);
- a module named by path (4), dotted name (3) or file stem (1).
"""

from __future__ import annotations

from pathlib import Path

from agent.localise.callgraph import Target, reach
from agent.localise.frames import Frame, failing_test, frames
from agent.localise.index import RepoIndex, build_index
from agent.localise.models import Localisation
from agent.localise.terms import grep_fixed, identifiers, literals, mentions, specific
from agent.localise.votes import Ballot
from agent.testrun.testfiles import is_test_file

FRAME_TOP = 10.0
FRAME_MIN = 4.0
CALL_WEIGHTS = {1: 8.0, 2: 6.0, 3: 4.0}
NAME = 3.0
MAX_NAME_DEFS = 5
LITERAL = 2.0
MAX_LITERAL_FILES = 3


def localise(
    root: Path,
    *,
    failure: str,
    test_file: str | None,
    test_function: str | None,
    text: str = "",
    limit_files: int = 5,
    index: RepoIndex | None = None,
) -> Localisation:
    """Rank the files (then functions, then lines) most likely to hold the failure's cause.

    `test_file`/`test_function` (a pytest id part such as `TestC::test_f[1]` is accepted) start
    the call graph; when missing they are taken from the failure (a pytest node id, else the
    outermost frame in a test file). `index`
    reuses an index already built (e.g. one restricted to allowed paths).
    """
    index = index or build_index(root)
    found = frames(root, failure)
    if test_file is None:
        test_file, test_function = failing_test(root, failure, found) or (None, None)
    ballot = Ballot()
    _vote_frames(ballot, index, found)
    _vote_calls(ballot, index, test_file, test_function)
    _vote_names(ballot, index, f"{failure}\n{text}")
    _vote_literals(ballot, index, root, f"{failure}\n{text}")
    _vote_mentions(ballot, index, f"{failure}\n{text}")
    return Localisation(
        files=ballot.ranked(limit_files), test_file=test_file, test_function=test_function
    )


def _vote_frames(ballot: Ballot, index: RepoIndex, found: list[Frame]) -> None:
    candidates = [frame for frame in found if frame.candidate]
    for position, frame in enumerate(candidates):
        weight = max(FRAME_TOP - 2 * (len(candidates) - 1 - position), FRAME_MIN)
        where = f" in {frame.function}" if frame.function else ""
        deepest = "deepest " if position == len(candidates) - 1 else ""
        reason = f"{deepest}traceback frame line {frame.line}{where}"
        ballot.vote(frame.path, "frame", weight, reason, index.enclosing(frame.path, frame.line))
        ballot.mark_line(frame.path, frame.line)


def _vote_calls(
    ballot: Ballot, index: RepoIndex, test_file: str | None, test_function: str | None
) -> None:
    starts = starting_points(index, test_file, test_function)
    for reached in reach(index, starts):
        module = index.module(reached.path)
        definition = module.defs.get(reached.qualname) if module else None
        reason = f"{reached.qualname} is {reached.depth} call(s) from the test"
        weight = CALL_WEIGHTS[reached.depth]
        ballot.vote(reached.path, "call", weight, reason, definition)


def starting_points(
    index: RepoIndex, test_file: str | None, test_function: str | None
) -> list[Target]:
    """The test function's definition (every test of the file when it is not named or found)."""
    module = index.module(test_file) if test_file else None
    if module is None:
        return []
    if test_function:
        qualname = test_function.partition("[")[0].replace("::", ".")
        named = module.defs.get(qualname) or next(
            (d for d in module.parsed.definitions if d.name == qualname.rsplit(".", 1)[-1]), None
        )
        if named is not None:
            return [(module, named)]
    return [(module, d) for d in module.parsed.definitions if d.name.startswith("test")]


def _vote_names(ballot: Ballot, index: RepoIndex, text: str) -> None:
    for name in sorted(identifiers(text)):
        named = [(m, d) for m, d in index.named(name) if not is_test_file(m.path)]
        if not 0 < len(named) <= MAX_NAME_DEFS:
            continue
        for module, definition in named:
            reason = f"defines {definition.qualname}, named in the failure or the item"
            ballot.vote(module.path, "name", NAME, reason, definition)


def _vote_literals(ballot: Ballot, index: RepoIndex, root: Path, text: str) -> None:
    needles = literals(text)
    found = grep_fixed(root, needles)
    hits = [hit for hit in found if hit[0] in index.modules and not is_test_file(hit[0])]
    for path, line in specific(hits, needles, MAX_LITERAL_FILES):
        reason = f"line {line} holds a string from the failure"
        ballot.vote(path, "literal", LITERAL, reason, index.enclosing(path, line))
        ballot.mark_line(path, line)


def _vote_mentions(ballot: Ballot, index: RepoIndex, text: str) -> None:
    for path, module in sorted(index.modules.items()):
        if is_test_file(path):
            continue
        weight = mentions(text, path, module.name)
        if weight:
            ballot.vote(path, "mention", float(weight), "module named in the failure or the item")
