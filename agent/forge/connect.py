"""Open the forge of a repository: its `owner/name`, the token from the environment, a client."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from agent.config.forge import ForgeSettings
from agent.errors import InputError
from agent.forge.client import GitHub
from agent.forge.errors import ForgeError
from agent.forge.etags import EtagCache
from agent.system import proc

TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")
# https://host/owner/name(.git), ssh://git@host/owner/name(.git), git@host:owner/name(.git)
REMOTE = re.compile(r"(?:[:/])([^/:]+)/([^/]+?)(?:\.git)?/?$")


def require_forge(settings: ForgeSettings, what: str) -> None:
    """Fail clearly when `what` needs a forge and none is configured."""
    if not settings.enabled:
        raise InputError(
            f'{what} needs a forge: set [forge] provider = "github" in .agent.toml '
            "or [tool.agent.forge] in pyproject.toml (docs/forge.md)"
        )


def token_from(env: Mapping[str, str]) -> str:
    """The token of GITHUB_TOKEN, else GH_TOKEN, or a clear error."""
    for name in TOKEN_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value
    raise ForgeError("no GitHub token: set GITHUB_TOKEN or GH_TOKEN (docs/forge.md)")


def repository_of(root: Path, settings: ForgeSettings) -> str:
    """`owner/name` from the settings, else from the URL of the configured remote."""
    if settings.repository:
        return settings.repository
    result = proc.run(["git", "remote", "get-url", settings.remote], cwd=root, timeout=30)
    url = result.stdout.strip()
    found = REMOTE.search(url) if result.returncode == 0 else None
    if not found or ("://" not in url and "@" not in url):
        shown = url or f"no remote {settings.remote!r}"
        raise InputError(
            f"cannot infer the GitHub repository from {shown}: set [forge] repository = "
            '"owner/name"'
        )
    return f"{found[1]}/{found[2]}"


def open_forge(
    root: Path, settings: ForgeSettings, what: str, env: Mapping[str, str] | None = None
) -> GitHub:
    """A client on the repository at `root`, with the ETag cache of that repository."""
    require_forge(settings, what)
    token = token_from(os.environ if env is None else env)
    repository = repository_of(root, settings)
    return GitHub(settings, repository, token, cache=EtagCache.load(root))
