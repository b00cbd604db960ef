"""What every tool shares: its configuration, safe path resolution, refusals and output finishing.

Every tool result passes through `finish`: secrets are redacted (agent.scanners.secrets) and the
output is cut to the configured token budget with a note saying how much was cut.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, TypeVar, runtime_checkable

import git

from agent.config.scope import ScopeSettings, load_scope, restricted_rule
from agent.config.settings import Settings, load_settings
from agent.scanners.secrets import redact
from agent.text.tokens import truncate_tokens
from agent.tools.base import ToolArgs, ToolResult, Workspace

A = TypeVar("A", bound=ToolArgs)
SNIFF_BYTES = 8192


@runtime_checkable
class ConfiguredWorkspace(Protocol):
    """A workspace that carries its settings, scope and item (agent.workspace.ItemWorkspace)."""

    @property
    def root(self) -> Path:
        """The worktree directory."""
        ...

    @property
    def settings(self) -> Settings:
        """Settings of the run."""
        ...

    @property
    def scope(self) -> ScopeSettings:
        """Automation scope of the repository."""
        ...

    @property
    def base_sha(self) -> str:
        """The commit the item started from."""
        ...

    @property
    def default_commit_message(self) -> str:
        """The item's template commit message."""
        ...

    def commit(self, message: str) -> str | None:
        """Commit every change with the item's identity and trailer."""
        ...


@dataclass(frozen=True)
class ToolConfig:
    """The settings a tool call runs under."""

    settings: Settings
    scope: ScopeSettings
    base: str


def config_of(workspace: Workspace) -> ToolConfig:
    """Read the tool configuration from the workspace, or load it from its root."""
    if isinstance(workspace, ConfiguredWorkspace):
        return ToolConfig(workspace.settings, workspace.scope, workspace.base_sha)
    settings = load_settings(workspace.root)
    return ToolConfig(settings, load_scope(workspace.root, settings.scope), "HEAD")


class Refused(Exception):
    """An expected refusal: becomes a ToolResult with ok=False (and the rule, when one applies)."""

    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.rule = rule


def tool(
    function: Callable[[Workspace, A, ToolConfig], ToolResult],
) -> Callable[[Workspace, A], ToolResult]:
    """Wrap a tool body: configuration in; refusals as values; output redacted and cut."""

    @functools.wraps(function)
    def run(workspace: Workspace, args: A) -> ToolResult:
        """Run the tool body; expected failures become results."""
        config = config_of(workspace)
        try:
            result = function(workspace, args, config)
        except Refused as exc:
            data = {"refused_rule": exc.rule} if exc.rule else {}
            result = ToolResult(ok=False, output=f"refused: {exc}", data=data)
        except git.GitCommandError as exc:
            detail = (exc.stderr or str(exc)).strip().removeprefix("stderr: ").strip("'")
            result = ToolResult(ok=False, output=f"git failed: {detail}", returncode=exc.status)
        except OSError as exc:
            where = relative(workspace.root, Path(exc.filename)) if exc.filename else ""
            result = ToolResult(ok=False, output=f"failed: {where}: {exc.strerror or exc}")
        return finish(result, config.settings.tools.output_tokens)

    return run


def finish(result: ToolResult, token_limit: int) -> ToolResult:
    """Redact secrets from a result and cut its output to `token_limit` tokens, with a note."""
    text, cut = truncate_tokens(redact(result.output), token_limit)
    if cut:
        text += f"\n[output truncated: {cut} more tokens cut; ask for less, e.g. a line range]"
    data = _redact_data(result.data)
    if cut:
        data["truncated_tokens"] = cut
    return result.model_copy(update={"output": text, "data": data})


def _redact_data(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_data(item) for item in value]
    return value


def resolve_path(root: Path, raw: str, scope: ScopeSettings, is_dir: bool = False) -> Path:
    """Resolve `raw` inside `root`; refuse escapes, .git and restricted paths (rule named)."""
    if not raw.strip() or "\x00" in raw:
        raise Refused("an empty path is not allowed")
    if PurePosixPath(raw).is_absolute() or Path(raw).is_absolute():
        raise Refused(f"{raw}: absolute paths are not allowed; use a path relative to the repo")
    lexical = os.path.normpath(raw.replace("\\", "/"))
    if lexical == ".." or lexical.startswith("../"):
        raise Refused(f"{raw}: path escapes the repository ('..' leaves the worktree)")
    real_root = root.resolve()
    target = (root / lexical).resolve()
    if not target.is_relative_to(real_root):
        raise Refused(f"{raw}: resolves (through a symlink) outside the repository")
    is_dir = is_dir or raw.endswith(("/", "\\"))
    for rel in dict.fromkeys((Path(lexical).as_posix(), target.relative_to(real_root).as_posix())):
        _check_allowed(rel, scope, is_dir or (root / rel).is_dir())
    return root / lexical


def _check_allowed(rel: str, scope: ScopeSettings, is_dir: bool) -> None:
    if rel == ".git" or rel.startswith(".git/"):
        raise Refused(f"{rel}: the .git directory is not accessible to tools")
    rule = restricted_rule(scope, rel, is_dir=is_dir)
    if rule is not None:
        raise Refused(f"{rel}: restricted path (automation scope rule '{rule}')", rule=rule)


def is_allowed(rel: str, scope: ScopeSettings) -> bool:
    """True when a repository-relative path is neither .git nor restricted."""
    try:
        _check_allowed(rel, scope, False)
    except Refused:
        return False
    return True


def read_text(path: Path, rel: str, max_bytes: int) -> str:
    """Read a UTF-8 text file; refuse missing, directory, oversized and binary files."""
    if not path.exists():
        raise Refused(f"{rel}: no such file")
    if not path.is_file():
        raise Refused(f"{rel}: not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise Refused(f"{rel}: {size} bytes is over the {max_bytes}-byte limit for tools")
    data = path.read_bytes()
    if b"\x00" in data[:SNIFF_BYTES]:
        raise Refused(f"{rel}: binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"{rel}: not UTF-8 text (binary?)") from None


def relative(root: Path, path: Path) -> str:
    """`path` relative to `root`, posix style."""
    return Path(os.path.relpath(path, root)).as_posix()
