"""`agent forge status`: check the forge configuration, the token and the rate limit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agent.commands.common import git_root
from agent.config.settings import load_settings


def show_forge_status(repo: Path, as_json: bool) -> None:
    """Print the forge status (or fail with a one-line message and exit 2 or 1)."""
    from agent.forge.status import forge_status

    root = git_root(repo)
    status = forge_status(root, load_settings(root).forge)
    if as_json:
        sys.stdout.write(json.dumps(status.as_json()) + "\n")
        return
    for line in status.lines():
        sys.stdout.write(line + "\n")
