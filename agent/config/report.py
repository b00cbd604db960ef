"""The [report] settings section (kept here so agent.config.settings only needs one import line)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from agent.config.section import Section

FORMATS = ("md", "json", "html")


class ReportSettings(Section):
    """Where status reports go and what they measure."""

    out_dir: str = ".agent/reports"
    """Directory for reports, relative to the repository root (e.g. docs/status to commit them)."""
    formats: tuple[str, ...] = FORMATS
    """Formats written by default: any of md, json, html."""
    period_days: int = Field(default=90, ge=1)
    """Length of the reporting period when --since is not given (90 days, as the four keys use)."""
    base_branch: str | None = None
    """Branch whose history and quality are reported; default: the checked-out branch."""
    deployments: Literal["auto", "merges", "tags"] = "auto"
    """A deployment is a tag on the base branch, a merge into it, or auto: tags if there are any."""
    quality: bool = True
    """Run the test suite and the scanners on the base branch (in a temporary checkout)."""
    runs_dir: str = ".agent/runs"
    """Where `agent run` writes run summaries (<run-id>/summary.json)."""
    evidence_dir: str = ".agent/evidence"
    """Where `agent run` writes per-item evidence (<item-id>.json)."""
    next_actions: int = Field(default=5, ge=1)
    """How many actionable items the 'Next actions' section lists."""

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(FORMATS))
        if unknown or not value:
            raise ValueError(f"expected some of {', '.join(FORMATS)} (got {', '.join(unknown)})")
        return value
