"""Discovery settings: sources, file limits, excludes and default scores per tag or source."""

from __future__ import annotations

from pydantic import Field, field_validator

from agent.config.discovery_defaults import (
    ALL_SOURCES,
    COMMENT_STATUS,
    DEFAULT_EXCLUDES,
    GREP_MIN_FILES,
    KNOWN_SOURCES,
    MAX_FILE_BYTES,
    PYTHON_TOKENIZE,
    SCORE_DEFAULTS,
    TODO_TYPE,
)
from agent.config.perf import PerfSettings
from agent.config.section import Section

__all__ = ["ALL_SOURCES", "DEFAULT_EXCLUDES", "DEFAULT_SCORES", "DiscoverySettings", "Scores"]


class Scores(Section):
    """Default WSJF inputs for a newly discovered item (scale 1, 2, 3, 5, 8, 13)."""

    business_value: int = 2
    """Business value."""
    time_criticality: int = 1
    """Time criticality."""
    risk_reduction: int = 2
    """Risk reduction / opportunity enablement."""
    effort: int = 2
    """Job size."""


def _scores(value: int, critical: int, risk: int, effort: int) -> Scores:
    return Scores(
        business_value=value, time_criticality=critical, risk_reduction=risk, effort=effort
    )


DEFAULT_SCORES = {key: _scores(*values) for key, values in SCORE_DEFAULTS.items()}


class DiscoverySettings(Section):
    """What `agent discover` scans and how it scores what it finds (docs/discovery.md)."""

    sources: tuple[str, ...] = ALL_SOURCES
    """Sources run by default: comments, tests, lint, security, backlog (issues, ci: a forge;
    perf: opt-in)."""
    max_file_bytes: int = Field(default=MAX_FILE_BYTES, gt=0)
    """Files larger than this are not scanned for comments."""
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    """Glob patterns (`**` spans folders) of vendored or generated files never scanned."""
    extra_exclude: tuple[str, ...] = ()
    """Further glob patterns, added to `exclude` (handy to keep the defaults)."""
    grep_min_files: int = Field(default=GREP_MIN_FILES, ge=0)
    """With at least this many files not in the cache, `git grep` (threaded) picks the files that
    hold a candidate and only those are read; 0 always, a huge number never."""
    python_tokenize: str = PYTHON_TOKENIZE
    """Python files: "always" lets the tokenize module decide every file with a candidate; "auto"
    uses the regex lexer (same string grammar) and asks tokenize only when a candidate lies outside
    the comments the lexer found."""
    todo_type: str = TODO_TYPE
    """Item type of TODO markers: debt or feature."""
    comment_status: str = COMMENT_STATUS
    """Status of new comment items (their source does not define success): NEW or READY."""
    check_status: str = "READY"
    """Status of new test, lint and security items (their source defines success)."""
    bandit_tests: bool = False
    """Scan test files (tests/, test_*.py, *_test.py, conftest.py) with bandit too; their items
    are BLOCKED, since the test guard forbids the agent to edit tests."""
    perf: PerfSettings = Field(default_factory=PerfSettings)
    """The perf source: where benchmark results are read, threshold, confidence, baseline."""
    scores: dict[str, Scores] = Field(default_factory=lambda: dict(DEFAULT_SCORES))
    """Default scores by tag (BUG, FIXME, TODO, HACK, XXX), source (tests, lint, security: secrets)
    or bandit severity and confidence (`bandit-low-high`: low severity, high confidence)."""

    @field_validator("sources")
    @classmethod
    def _known_sources(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in KNOWN_SOURCES]
        if unknown:
            raise ValueError(f"unknown source {unknown[0]!r} (expected {', '.join(KNOWN_SOURCES)})")
        return value

    @field_validator("python_tokenize")
    @classmethod
    def _tokenize_mode(cls, value: str) -> str:
        if value not in ("auto", "always"):
            raise ValueError("expected 'auto' or 'always'")
        return value

    @field_validator("todo_type")
    @classmethod
    def _todo_type(cls, value: str) -> str:
        if value not in ("debt", "feature"):
            raise ValueError("expected 'debt' or 'feature'")
        return value

    @field_validator("comment_status", "check_status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value.upper() not in ("NEW", "READY"):
            raise ValueError("expected 'NEW' or 'READY'")
        return value.upper()

    @field_validator("scores")
    @classmethod
    def _merge_scores(cls, value: dict[str, Scores]) -> dict[str, Scores]:
        unknown = [key for key in value if key not in DEFAULT_SCORES]
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} (expected {', '.join(DEFAULT_SCORES)})")
        return {**DEFAULT_SCORES, **value}

    def score_for(self, key: str) -> Scores:
        """Return the default scores for a tag or source name."""
        return self.scores.get(key, DEFAULT_SCORES["TODO"])
