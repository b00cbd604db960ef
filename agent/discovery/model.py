"""What discovery sources share: findings with their identity (before they meet the backlog), and
the comment lines and markers the comment scanner and the anchor finder pass between them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

BANDIT_CODE = re.compile(r"B\d+$")
GUARDED = (
    "{path} is a test file: the test guard (agent/graph/guard.py) forbids the agent to edit it, "
    "so fix it by hand or close the item"
)


def guarded(path: str | None) -> str | None:
    """Why an item whose fix edits `path` cannot be worked by the agent (a test file), else None."""
    from agent.testrun.testfiles import is_test_file

    return GUARDED.format(path=path) if path and is_test_file(path) else None


@dataclass(frozen=True)
class Found:
    """One discovered piece of work."""

    kind: str
    """Source: comments, tests, lint, security, issues or ci."""
    tag: str
    """Marker tag, rule code, test node id or secret kind."""
    path: str | None
    line: int | None
    text: str
    """The finding's text (redacted: never a secret)."""
    title: str
    description: str
    item_type: str
    fingerprint: str
    score_key: str
    """Key of the default scores: the marker tag or the source name."""
    criteria: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    blocked_reason: str | None = None
    """Why the agent cannot work the item (it starts BLOCKED with this reason), e.g. a test file."""
    item_id: str | None = None
    """The id a new item gets (issues: GH-<number>); None: one derived from the fingerprint."""
    scores: tuple[int, int, int, int] | None = None
    """Value, criticality, risk and effort of a new item; None: the source's default scores."""
    status: str | None = None
    """Status of a new item; None: the discovery settings' status for its source."""


@dataclass
class SourceResult:
    """A source's findings; `complete` is False when it could not see everything (then nothing of
    that source is marked resolved)."""

    name: str
    found: list[Found] = field(default_factory=list)
    complete: bool = True
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    unscanned: Callable[[str | None, str], str | None] | None = None
    """Why this source chose not to look for items with this path and tag (None: it looked); an
    open item there that was not found again is closed with that note, not called resolved."""


class CommentOptions(Protocol):
    """The settings the comments source reads: DiscoverySettings, or the lean path's defaults."""

    @property
    def max_file_bytes(self) -> int:
        """Files larger than this are not scanned."""

    @property
    def exclude(self) -> tuple[str, ...]:
        """Glob patterns never scanned."""

    @property
    def extra_exclude(self) -> tuple[str, ...]:
        """Further glob patterns never scanned."""

    @property
    def grep_min_files(self) -> int:
        """Uncached files from which git grep preselects."""

    @property
    def python_tokenize(self) -> str:
        """auto or always."""

    @property
    def todo_type(self) -> str:
        """Item type of TODO markers."""


@dataclass(frozen=True)
class CommentLine:
    """One physical line of comment text."""

    line: int
    column: int
    text: str
    own_line: bool
    group: int
    """Lines of one comment share a group (only block comments span several lines)."""
    block: bool = False


@dataclass(frozen=True)
class Marker:
    """A marker found in a comment: tag, 1-based line, its joined text and anchor."""

    tag: str
    line: int
    text: str
    ref: str = ""
    anchor: str = ""
