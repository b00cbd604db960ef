"""The status report, version 1: every figure carries its provenance (docs/report-schema.json).

Keys are stable: a new figure is a new key; a renamed or removed key bumps SCHEMA_VERSION.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from agent.backlog.models import format_timestamp

SCHEMA_VERSION = 1
NOT_MEASURED = "not measured"

Value = int | float | str | None
Time = Annotated[
    datetime,
    PlainSerializer(format_timestamp, return_type=str, when_used="json"),
    Field(json_schema_extra={"format": "date-time"}),
]


class Model(BaseModel):
    """Base of the report models: closed and immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Provenance(Model):
    """Where a table or a figure came from."""

    source: str
    """The command or file the data came from."""
    measured_at: Time
    """When it was measured (this run)."""
    commit: str
    """The commit it describes."""


class Figure(Provenance):
    """One measured number (or bucket name); null with a reason when it could not be measured."""

    value: Value
    unit: str
    reason: str | None = None
    """Why the value is null (then it renders as 'not measured'); None when measured."""

    @model_validator(mode="after")
    def _reason_iff_null(self) -> Figure:
        if (self.value is None) != (self.reason is not None):
            raise ValueError("a figure has a reason exactly when its value is null")
        return self


class Period(Model):
    """The reporting period [since, until]."""

    since: Time
    until: Time


class Summary(Model):
    """Executive summary."""

    items_done: Figure = Field(title="Items completed in the period")
    items_blocked: Figure = Field(title="Items blocked now")
    items_in_review: Figure = Field(title="Items in review (PR) now")
    wsjf_delivered: Figure = Field(title="WSJF delivered in the period")
    completion_rate: Figure = Field(title="Backlog completion rate")
    top_item: str | None = None
    """One line on the top remaining item, or None when nothing remains."""


class RunItemRow(Model):
    """One item attempt of a run."""

    item_id: str
    title: str
    outcome: str
    duration_s: float
    tokens: int
    cost_usd: float | None
    evidence: str | None
    """Path of the item's evidence file when there is one."""


class RunRow(Model):
    """One run in the period."""

    run_id: str
    started_at: Time
    ended_at: Time | None
    tokens: int
    cost_usd: float | None
    items: list[RunItemRow]


class Runs(Model):
    """Macro loop results from .agent/runs."""

    provenance: Provenance
    runs: list[RunRow]
    runs_count: Figure = Field(title="Runs in the period")
    items_attempted: Figure = Field(title="Item attempts")
    items_resolved: Figure = Field(title="Items resolved")
    tokens: Figure = Field(title="Tokens spent")
    cost: Figure = Field(title="Cost")


class BacklogRow(Model):
    """One ranked item with its WSJF breakdown."""

    rank: int
    id: str
    title: str
    type: str
    status: str
    business_value: int
    time_criticality: int
    risk_reduction: int
    cost_of_delay: int
    effort: int
    age_days: int
    aging_multiplier: float
    wsjf: float
    priority: str
    actionable: bool


class Escalation(Model):
    """A BLOCKED item and the decision a human must make."""

    id: str
    title: str
    blocked_reason: str | None


class BacklogSection(Model):
    """The ranked backlog, the escalation list and counts by status and priority band."""

    provenance: Provenance
    items: list[BacklogRow]
    escalations: list[Escalation]
    by_status_band: dict[str, dict[str, int]]
    """Item count per status and priority band (DONE included)."""


class Quality(Model):
    """Quality measured now on the base branch in a temporary checkout."""

    tests_total: Figure = Field(title="Tests run")
    tests_passed: Figure = Field(title="Tests passed")
    tests_failed: Figure = Field(title="Tests failed")
    tests_errors: Figure = Field(title="Tests in error")
    tests_skipped: Figure = Field(title="Tests skipped")
    coverage: Figure = Field(title="Line coverage")
    ruff_findings: Figure = Field(title="Ruff findings")
    bandit_high: Figure = Field(title="Bandit findings, high severity")
    bandit_medium: Figure = Field(title="Bandit findings, medium severity")
    bandit_low: Figure = Field(title="Bandit findings, low severity")
    todo_markers: Figure = Field(title="TODO markers")
    fixme_markers: Figure = Field(title="FIXME markers")


class Delivery(Model):
    """DORA four keys from git history, plus agent metrics from run records."""

    deployments: Figure = Field(title="Deployments in the period")
    deployment_frequency: Figure = Field(title="Deployment frequency")
    deployment_bucket: Figure = Field(title="Deployment frequency (four keys bucket)")
    lead_time: Figure = Field(title="Lead time for changes (median)")
    change_failure_rate: Figure = Field(title="Change failure rate")
    time_to_restore: Figure = Field(title="Time to restore (median)")
    cycle_time: Figure = Field(title="Agent cycle time per item (median)")
    first_try_resolve_rate: Figure = Field(title="First-try resolve rate")
    tokens_per_resolved: Figure = Field(title="Tokens per resolved item")
    cost_per_resolved: Figure = Field(title="Cost per resolved item")


class TimelinePoint(Model):
    """Items done and WSJF delivered in one week of the period."""

    week_start: Time
    items_done: int
    wsjf_delivered: float


class NextAction(Model):
    """An actionable item, in rank order."""

    id: str
    title: str
    wsjf: float
    priority: str


class Report(Model):
    """A status report."""

    schema_version: int = SCHEMA_VERSION
    generated_at: Time
    repository: str
    base_branch: str
    base_commit: str
    head_commit: str
    period: Period
    summary: Summary
    runs: Runs
    backlog: BacklogSection
    quality: Quality
    delivery: Delivery
    timeline: list[TimelinePoint]
    next_actions: list[NextAction]


def figures(report: Report) -> dict[str, Figure]:
    """Every figure of `report` by its dotted path, e.g. 'delivery.lead_time'."""
    found: dict[str, Figure] = {}
    for section_name in ("summary", "runs", "quality", "delivery"):
        section = getattr(report, section_name)
        for name in type(section).model_fields:
            value = getattr(section, name)
            if isinstance(value, Figure):
                found[f"{section_name}.{name}"] = value
    return found


def title_of(report: Report, path: str) -> str:
    """The human title of the figure at `path`."""
    section_name, name = path.split(".")
    field = type(getattr(report, section_name)).model_fields[name]
    return field.title or name


class Stamp(Model):
    """The moment and commit a group of figures describes; makes Figures."""

    measured_at: Time
    commit: str

    def figure(self, value: Value, unit: str, source: str, reason: str = NOT_MEASURED) -> Figure:
        """A figure with this stamp; `reason` is kept only when `value` is None."""
        return Figure(
            value=value,
            unit=unit,
            source=source,
            measured_at=self.measured_at,
            commit=self.commit,
            reason=reason if value is None else None,
        )

    def provenance(self, source: str) -> Provenance:
        """Provenance of a table with this stamp."""
        return Provenance(source=source, measured_at=self.measured_at, commit=self.commit)
