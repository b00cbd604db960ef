"""The optional shell tool: allowlisted commands as argv (no shell), with a timeout.

Off by default (`[tool.agent.tools] shell_enabled = true`). Whatever the allowlist says, deletions
with `rm -r/-f`, network tools, package installs, privilege changes and git push/reset/rebase/clean
never run, and no argument may name a path outside the worktree or a restricted one.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from pydantic import Field

from agent.system import proc
from agent.testrun.pyenv import run_environment, with_python
from agent.tools.base import ToolArgs, ToolResult, Workspace
from agent.tools.common import Refused, ToolConfig, resolve_path, tool

NETWORK = frozenset({"curl", "wget", "ssh", "scp", "sftp", "rsync", "nc", "ncat", "netcat"})
NETWORK |= frozenset({"telnet", "ftp", "socat", "ping", "dig", "nslookup", "http", "https"})
PRIVILEGED = frozenset({"sudo", "su", "doas", "apt", "apt-get", "dnf", "yum", "apk", "brew"})
INSTALLERS = frozenset({"pip", "pip3", "uv", "poetry", "pipx", "conda", "npm", "yarn", "pnpm"})
GIT_FORBIDDEN = frozenset({"push", "reset", "rebase", "filter-branch", "filter-repo", "clean"})
GIT_FORBIDDEN |= frozenset({"gc", "prune", "update-ref", "reflog", "remote", "fetch", "pull"})
_RM_FORCE = re.compile(r"^(-\w*[rRf]|--recursive|--force)")
_SECRET_ENV = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)


class RunCommandArgs(ToolArgs):
    """Run one allowlisted command (argv list, no shell syntax) in the repository root."""

    argv: list[str] = Field(min_length=1)
    """The command and its arguments, e.g. ["python", "-m", "pytest", "-x"]."""


def forbidden_reason(argv: list[str]) -> str | None:
    """Why `argv` may never run (whatever the allowlist says), or None."""
    program, words = Path(argv[0]).name, set(argv[1:])
    is_pip = program.startswith("python") and "pip" in words
    checks = (
        (program in NETWORK, "network tools are never allowed"),
        (
            program in PRIVILEGED,
            "privileged commands and system package managers are never allowed",
        ),
        (
            program == "rm" and any(_RM_FORCE.match(word) for word in words),
            "rm -r/-f is never allowed",
        ),
        (
            (program in INSTALLERS or is_pip) and bool(words & {"install", "add", "i", "sync"}),
            "package installs are never allowed",
        ),
        (
            program == "git" and bool(words & GIT_FORBIDDEN),
            "git push/reset/rebase/clean/fetch and "
            "other history or remote changes are never allowed",
        ),
        (program == "git" and "--amend" in words, "rewriting history (--amend) is never allowed"),
    )
    return next((reason for hit, reason in checks if hit), None)


def allowed_prefix(argv: list[str], allow: tuple[str, ...]) -> str | None:
    """The allowlist entry `argv` starts with, or None."""
    for entry in allow:
        words = shlex.split(entry)
        if words and argv[: len(words)] == words:
            return entry
    return None


@tool
def run_command(workspace: Workspace, args: RunCommandArgs, config: ToolConfig) -> ToolResult:
    """Run an allowlisted argv in the worktree with a timeout; output redacted and cut."""
    tools = config.settings.tools
    if not tools.shell_enabled:
        raise Refused("the shell tool is disabled (set tools.shell_enabled = true to enable it)")
    reason = forbidden_reason(args.argv)
    if reason is not None:
        raise Refused(f"{shlex.join(args.argv)}: {reason}", rule="shell_never")
    if allowed_prefix(args.argv, tools.shell_allow) is None:
        allowed = "; ".join(tools.shell_allow) or "nothing"
        raise Refused(
            f"{args.argv[0]}: not on the allowlist (allowed: {allowed})", rule="tools.shell_allow"
        )
    for word in args.argv[1:]:
        _check_argument(workspace.root, word, config)
    argv = with_python(args.argv, config.settings.tests.interpreter)
    env = run_environment(workspace.root, _clean_env())
    result = proc.run(argv, cwd=workspace.root, timeout=tools.shell_timeout_s, env=env)
    status = "timed out and was killed" if result.timed_out else f"exit {result.returncode}"
    if result.missing:
        status = "command not found"
    output = f"$ {shlex.join(args.argv)}\n({status})\n{result.output}".rstrip()
    return ToolResult(ok=result.ok, output=output, returncode=result.returncode)


def _check_argument(root: Path, word: str, config: ToolConfig) -> None:
    """Refuse an argument naming a path outside the worktree or a restricted one (`rev:path`)."""
    if word.startswith("-"):
        word = word.partition("=")[2]
    for candidate in (word, word.partition(":")[2]):
        if candidate and ("/" in candidate or (root / candidate).exists()):
            resolve_path(root, candidate, config.scope)


def _clean_env() -> dict[str, str]:
    """The environment without variables that look like credentials."""
    return {name: value for name, value in os.environ.items() if not _SECRET_ENV.search(name)}
