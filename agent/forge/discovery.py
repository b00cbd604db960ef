"""Run the forge's discovery sources (issues, ci) with one client and one ETag cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agent.config.forge import ForgeSettings
from agent.discovery.model import SourceResult
from agent.forge.connect import open_forge


def discover_forge(
    root: Path, settings: ForgeSettings, sources: Sequence[str]
) -> list[SourceResult]:
    """The results of the selected forge sources, in the order issues, ci."""
    names = [name for name in ("issues", "ci") if name in sources]
    github = open_forge(root, settings, f"--sources {','.join(names)}")
    results = []
    try:
        if "issues" in names:
            from agent.forge.issues import discover_issues

            results.append(discover_issues(github))
        if "ci" in names:
            from agent.forge.ci import discover_ci

            results.append(discover_ci(github))
        if github.cache is not None:
            github.cache.save()
    finally:
        github.close()
    return results
