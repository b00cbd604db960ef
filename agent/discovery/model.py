"""What a discovery source returns: findings with their identity, before they meet the backlog."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Found:
    """One discovered piece of work."""

    kind: str
    """Source: comments, tests, lint or security."""
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


@dataclass
class SourceResult:
    """A source's findings; `complete` is False when it could not see everything (then nothing of
    that source is marked resolved)."""

    name: str
    found: list[Found] = field(default_factory=list)
    complete: bool = True
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
