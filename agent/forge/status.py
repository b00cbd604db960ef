"""`agent forge status`: is the token accepted, which repository, how much rate limit is left."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from agent.config.forge import ForgeSettings
from agent.forge.connect import open_forge


@dataclass(frozen=True)
class ForgeStatus:
    """What the forge says about the token and the repository."""

    api_url: str
    repository: str
    default_branch: str
    can_push: bool
    rate_limit: int
    rate_remaining: int
    rate_reset: str
    """When the core rate limit resets (ISO 8601, UTC)."""

    def as_json(self) -> dict[str, object]:
        """The status as a JSON object."""
        return asdict(self)

    def lines(self) -> list[str]:
        """The status as lines for the terminal."""
        push = "yes" if self.can_push else "no (pushes and pull requests will be refused)"
        return [
            f"forge: GitHub at {self.api_url}, token accepted",
            f"repository: {self.repository} (default branch {self.default_branch}; push: {push})",
            f"rate limit: {self.rate_remaining}/{self.rate_limit} left, resets {self.rate_reset}",
        ]


def forge_status(root: Path, settings: ForgeSettings) -> ForgeStatus:
    """Ask the forge about the token (rate limit) and the repository."""
    github = open_forge(root, settings, "agent forge status")
    try:
        core = github.get("/rate_limit")["resources"]["core"]
        repo = github.get(github.repo_path())
    finally:
        github.close()
    reset = datetime.fromtimestamp(int(core["reset"]), UTC).isoformat().replace("+00:00", "Z")
    return ForgeStatus(
        api_url=settings.api_url,
        repository=str(repo["full_name"]),
        default_branch=str(repo["default_branch"]),
        can_push=bool((repo.get("permissions") or {}).get("push")),
        rate_limit=int(core["limit"]),
        rate_remaining=int(core["remaining"]),
        rate_reset=reset,
    )
