"""Automation scope: what the agent may touch and how much it may change per item.

Read from `[tool.agent.scope]` (through the normal settings layers) and then from the repository's
`.automation-scope.yaml`, whose fields win. `restricted_paths` use .gitignore syntax and always
include the defaults (configured patterns add to them). Keys of the YAML file this module does not
know (e.g. `external_operations`) are ignored; known keys are validated, and errors name
file:line and the field.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from agent.config.section import Section
from agent.errors import InputError
from agent.scanners.secrets import is_env_file

SCOPE_FILE = ".automation-scope.yaml"
DEFAULT_RESTRICTED = (".github/workflows/", "secrets/", ".env*", "*.pem", "*.key")


class AutoApprove(Section):
    """When a finished item may be approved without a human (every set criterion must hold)."""

    max_wsjf_score: float | None = None
    """Only items whose WSJF is at most this."""
    file_change_limit: int | None = Field(default=None, ge=0)
    """Only items changing at most this many files."""
    test_coverage_min: float | None = Field(default=None, ge=0, le=100)
    """Only when line coverage (percent) is at least this."""


class ScopeSettings(Section):
    """What the agent may touch (`[tool.agent.scope]` or .automation-scope.yaml)."""

    restricted_paths: tuple[str, ...] = DEFAULT_RESTRICTED
    """Paths (.gitignore syntax) the model may neither read nor write; added to the defaults."""
    pr_daily_limit: int = Field(default=5, ge=0)
    """Most pull requests (finished item branches) per day."""
    file_change_limit: int = Field(default=10, ge=1)
    """Most files one item may change before it needs a human."""
    max_changed_lines: int = Field(default=200, ge=1)
    """Most changed lines (added + removed) one item may have before it needs a human."""
    auto_approve: AutoApprove | None = None
    """Auto-approval criteria; without them every item waits for a human review."""


@dataclass(frozen=True)
class LimitBreach:
    """A scope limit an item exceeded: the rule, its limit and the measured value."""

    rule: str
    limit: int
    actual: int

    @property
    def message(self) -> str:
        """A one-line reason naming the rule, for BLOCKED items and tool results."""
        return f"scope rule '{self.rule}' exceeded: {self.actual} > {self.limit} (needs a human)"


def restricted_rule(scope: ScopeSettings, rel_path: str, is_dir: bool = False) -> str | None:
    """Return the restricted-path rule that `rel_path` (relative, posix) matches, if any."""
    candidate = rel_path.rstrip("/") + ("/" if is_dir else "")
    for pattern in dict.fromkeys((*DEFAULT_RESTRICTED, *scope.restricted_paths)):
        spec = _spec(pattern)
        if spec.match_file(candidate) or (is_dir and spec.match_file(candidate + "x")):
            return pattern
    if is_env_file(rel_path):
        return ".env*"
    return None


@functools.cache
def _spec(pattern: str) -> Any:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines([pattern])


def check_limits(scope: ScopeSettings, files: int, lines: int) -> LimitBreach | None:
    """Check an item's size against the per-item limits; the first rule tripped, if any."""
    if files > scope.file_change_limit:
        return LimitBreach("file_change_limit", scope.file_change_limit, files)
    if lines > scope.max_changed_lines:
        return LimitBreach("max_changed_lines", scope.max_changed_lines, lines)
    return None


def check_pr_limit(scope: ScopeSettings, prs_today: int) -> LimitBreach | None:
    """Refuse another pull request once today's count reached pr_daily_limit."""
    if prs_today >= scope.pr_daily_limit:
        return LimitBreach("pr_daily_limit", scope.pr_daily_limit, prs_today + 1)
    return None


def auto_approval(
    scope: ScopeSettings, wsjf: float, files: int, coverage: float | None
) -> tuple[bool, str]:
    """Decide auto-approval; the reason names the criterion that failed."""
    rules = scope.auto_approve
    if rules is None:
        return False, "auto_approve is not configured"
    if rules.max_wsjf_score is not None and wsjf > rules.max_wsjf_score:
        return False, f"auto_approve.max_wsjf_score: {wsjf:g} > {rules.max_wsjf_score:g}"
    if rules.file_change_limit is not None and files > rules.file_change_limit:
        return False, f"auto_approve.file_change_limit: {files} > {rules.file_change_limit}"
    if rules.test_coverage_min is not None:
        if coverage is None:
            return False, "auto_approve.test_coverage_min: coverage was not measured"
        if coverage < rules.test_coverage_min:
            limit = rules.test_coverage_min
            return False, f"auto_approve.test_coverage_min: {coverage:g} < {limit:g}"
    return True, "all auto_approve criteria hold"


def load_scope(repo: Path, base: ScopeSettings | None = None) -> ScopeSettings:
    """Combine `base` (from settings) with the repository's .automation-scope.yaml."""
    base = base or ScopeSettings()
    path = repo / SCOPE_FILE
    if not path.is_file():
        return base
    document = _load_yaml(path)
    known = {key: document[key] for key in ScopeSettings.model_fields if key in document}
    merged = base.model_dump() | known
    try:
        return ScopeSettings.model_validate(merged)
    except ValidationError as exc:
        raise InputError(*_describe(path, document, exc)) from None


def _load_yaml(path: Path) -> Any:
    from agent.backlog.roundtrip import CommentedMap, round_trip_load

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    document, problems = round_trip_load(text)
    if problems:
        raise InputError(*(problem.render(str(path)) for problem in problems))
    if document is None:
        return CommentedMap()
    if not isinstance(document, CommentedMap):
        got = "list" if isinstance(document, list) else type(document).__name__
        raise InputError(f"{path}:1:1: the document is a {got}; expected a mapping of settings")
    return document


def _describe(path: Path, document: Any, exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        line, col = _position(document, loc)
        field = ".".join(str(part) for part in loc)
        lines.append(f"{path}:{line}:{col}: field '{field}': {err['msg']} (got {err['input']!r})")
    return lines


def _position(document: Any, loc: list[Any]) -> tuple[int, int]:
    """1-based line and column of the deepest node of `loc` present in the ruamel document."""
    node, position = document, (0, 0)
    for part in loc:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            position = lc.item(part)
        elif isinstance(node, dict) and part in node:
            position = lc.key(part)
        else:
            break
        node = node[part]
    return position[0] + 1, position[1] + 1
