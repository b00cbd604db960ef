"""`[forge]` settings: which forge, where its API is, and how issue labels map to items."""

from __future__ import annotations

from pydantic import Field, field_validator

from agent.config.section import Section

PROVIDERS = ("", "github")
SCORE_NAMES = ("business_value", "time_criticality", "risk_reduction", "effort")


class LabelRule(Section):
    """What one issue label sets on its item: a type and any of the four WSJF inputs."""

    type: str | None = None
    """Item type (bug, feature, security, docs, debt, ...); the first label with one wins."""
    business_value: int | None = None
    """Business value (the highest of the issue's labels wins)."""
    time_criticality: int | None = None
    """Time criticality (the highest wins)."""
    risk_reduction: int | None = None
    """Risk reduction (the highest wins)."""
    effort: int | None = None
    """Job size (the lowest of the issue's labels wins)."""

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        from agent.backlog.models import ItemType

        if value is not None and value not in set(ItemType):
            raise ValueError(f"expected one of {', '.join(ItemType)}")
        return value


def _rule(kind: str | None = None, *scores: int | None) -> LabelRule:
    return LabelRule(type=kind, **dict(zip(SCORE_NAMES, scores, strict=False)))


DEFAULT_LABELS = {
    "bug": _rule("bug", 5, 3, 5),
    "security": _rule("security", 5, 5, 13),
    "enhancement": _rule("feature"),
    "feature": _rule("feature"),
    "documentation": _rule("docs", None, None, None, 1),
    "refactor": _rule("refactor"),
    "tech-debt": _rule("debt"),
    "test": _rule("test"),
    "priority:critical": _rule(None, 13, 13),
    "priority:high": _rule(None, 8, 8),
    "priority:low": _rule(None, 1, 1),
    "good first issue": _rule(None, None, None, None, 1),
}
DEFAULT_ISSUE_SCORES = {
    "business_value": 3,
    "time_criticality": 2,
    "risk_reduction": 2,
    "effort": 3,
}


class ForgeSettings(Section):
    """The forge (GitHub) the repository lives on; empty provider: none, everything stays local."""

    provider: str = ""
    """`github`, or empty for no forge (the default: nothing is sent anywhere)."""
    api_url: str = "https://api.github.com"
    """REST API base URL (GitHub Enterprise: https://HOST/api/v3)."""
    repository: str = ""
    """`owner/name`; empty: inferred from the remote's URL."""
    remote: str = "origin"
    """Git remote that branches are pushed to and the repository is inferred from."""
    media_type: str = "application/vnd.github+json"
    """Accept header; a GitHub-compatible mock may need application/json."""
    timeout_s: float = Field(default=30.0, gt=0)
    """Timeout of one HTTP request."""
    max_wait_s: float = Field(default=60.0, ge=0)
    """Longest wait for a rate limit to reset; a longer one stops with a message."""
    per_page: int = Field(default=100, ge=1, le=100)
    """Page size of listings (issues, check runs)."""
    issue_status: str = "NEW"
    """Status of a new issue item without acceptance criteria: NEW or REFINED."""
    issue_scores: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_ISSUE_SCORES))
    """WSJF inputs of an issue before its labels apply."""
    labels: dict[str, LabelRule] = Field(default_factory=lambda: dict(DEFAULT_LABELS))
    """Label name (case-insensitive) to type and scores; configured labels add to the table."""
    pr_labels: tuple[str, ...] = ("agent",)
    """Labels put on every pull request the agent opens."""
    escalate: bool = True
    """Comment once on the issue of an item that becomes BLOCKED, with the decision needed."""

    @field_validator("provider")
    @classmethod
    def _provider(cls, value: str) -> str:
        if value not in PROVIDERS:
            raise ValueError("expected 'github' or '' (no forge)")
        return value

    @field_validator("repository")
    @classmethod
    def _repository(cls, value: str) -> str:
        if value and (value.count("/") != 1 or not all(value.split("/"))):
            raise ValueError("expected owner/name")
        return value

    @field_validator("issue_status")
    @classmethod
    def _issue_status(cls, value: str) -> str:
        if value.upper() not in ("NEW", "REFINED"):
            raise ValueError("expected 'NEW' or 'REFINED'")
        return value.upper()

    @field_validator("issue_scores")
    @classmethod
    def _issue_scores(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = [key for key in value if key not in SCORE_NAMES]
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} (expected {', '.join(SCORE_NAMES)})")
        return {**DEFAULT_ISSUE_SCORES, **value}

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, LabelRule]) -> dict[str, LabelRule]:
        return {**DEFAULT_LABELS, **{name.lower(): rule for name, rule in value.items()}}

    @property
    def enabled(self) -> bool:
        """True when a forge is configured."""
        return bool(self.provider)
