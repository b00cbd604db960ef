"""Evidence collected per file and per definition, turned into a deterministic ranking.

Each signal (traceback, call graph, names, literals, module mentions) votes with a weight. A file
scores, per signal, its best vote plus a little for each further vote (at most BONUS_CAP), summed
over signals; a function scores its best vote per signal, summed. Ties go to the path, then the
line, so the same evidence always gives the same ranking. Test files never receive a vote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.localise.models import RankedFile, RankedFunction
from agent.localise.parse import Definition
from agent.testrun.testfiles import is_test_file

BONUS_EACH = 0.5
BONUS_CAP = 1.5
MAX_FUNCTIONS = 5
MAX_REASONS = 6


@dataclass
class _FunctionVotes:
    definition: Definition
    signals: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    def score(self) -> float:
        return sum(self.signals.values())


@dataclass
class _FileVotes:
    signals: dict[str, list[float]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    functions: dict[str, _FunctionVotes] = field(default_factory=dict)
    lines: set[int] = field(default_factory=set)

    def score(self) -> float:
        return sum(
            max(weights) + min(BONUS_EACH * (len(weights) - 1), BONUS_CAP)
            for weights in self.signals.values()
        )


@dataclass
class Ballot:
    """The votes cast so far, by repository-relative path."""

    files: dict[str, _FileVotes] = field(default_factory=dict)

    def vote(
        self,
        path: str,
        signal: str,
        weight: float,
        reason: str,
        definition: Definition | None = None,
    ) -> None:
        """Record that `signal` points at `path` (and at `definition` in it) with `weight`."""
        if is_test_file(path):
            return
        votes = self.files.setdefault(path, _FileVotes())
        votes.signals.setdefault(signal, []).append(weight)
        if reason not in votes.reasons:
            votes.reasons.append(reason)
        if definition is not None:
            self._vote_function(votes, signal, weight, reason, definition)

    def _vote_function(
        self, votes: _FileVotes, signal: str, weight: float, reason: str, definition: Definition
    ) -> None:
        entry = votes.functions.setdefault(definition.qualname, _FunctionVotes(definition))
        entry.signals[signal] = max(entry.signals.get(signal, 0.0), weight)
        if reason not in entry.reasons:
            entry.reasons.append(reason)

    def mark_line(self, path: str, line: int) -> None:
        """Record a suspicious line of a (non-test) file."""
        if not is_test_file(path):
            self.files.setdefault(path, _FileVotes()).lines.add(line)

    def ranked(self, limit: int) -> list[RankedFile]:
        """The `limit` best files, best first, ties by path."""
        order = sorted(self.files.items(), key=lambda item: (-item[1].score(), item[0]))
        return [_ranked_file(path, votes) for path, votes in order[:limit]]


def _ranked_file(path: str, votes: _FileVotes) -> RankedFile:
    functions = sorted(
        votes.functions.values(), key=lambda f: (-f.score(), f.definition.start, f.definition.end)
    )
    return RankedFile(
        path=path,
        score=round(votes.score(), 2),
        reasons=votes.reasons[:MAX_REASONS],
        functions=[_ranked_function(f) for f in functions[:MAX_FUNCTIONS]],
        lines=sorted(votes.lines),
    )


def _ranked_function(votes: _FunctionVotes) -> RankedFunction:
    d = votes.definition
    return RankedFunction(
        qualname=d.qualname,
        start=d.start,
        end=d.end,
        score=round(votes.score(), 2),
        reasons=votes.reasons[:MAX_REASONS],
    )
