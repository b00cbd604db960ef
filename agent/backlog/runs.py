"""The run records `agent run` writes and `agent report` reads (docs/runs.md describes them).

`.agent/runs/<run-id>/summary.json` is one RunSummary; `.agent/evidence/<item-id>.json` is one
Evidence. Both carry `schema_version`; readers reject files they cannot validate with a clear error.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent.backlog.models import _as_utc
from agent.errors import InputError

RUNS_SCHEMA_VERSION = 1
SUMMARY_FILE = "summary.json"


class Record(BaseModel):
    """Base of the run records: unknown keys are an error; times are timezone-aware (UTC)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemOutcome(StrEnum):
    """How one item attempt ended."""

    RESOLVED = "resolved"
    """RED failed before, passed after, the full suite passed and the guard held."""
    BLOCKED = "blocked"
    """Escalated to a human (cap exhausted, guard tripped, needs clarification, budget)."""
    FAILED = "failed"
    """Ended by an error that is not a decision for a human."""
    INTERRUPTED = "interrupted"
    """The run stopped (crash, kill, Ctrl-C) before the item ended."""


class RunOutcome(StrEnum):
    """How a run ended."""

    FINISHED = "finished"
    """The macro loop reached its end (whatever the items' outcomes)."""
    ABORTED = "aborted"
    """An error ended the run; its item went back to its previous status (`agent run` again)."""
    INTERRUPTED = "interrupted"
    """An error or Ctrl-C stopped the run where `agent resume` can continue it."""


class TokenUsage(Record):
    """Tokens spent, as reported by the model endpoint."""

    prompt: int = Field(default=0, ge=0)
    completion: int = Field(default=0, ge=0)

    @property
    def total(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt + self.completion


class RunItem(Record):
    """One item worked in a run."""

    item_id: str
    title: str = ""
    outcome: ItemOutcome
    started_at: datetime
    ended_at: datetime
    tokens: TokenUsage = TokenUsage()
    cost_usd: float | None = Field(default=None, ge=0)
    """Cost in US dollars; None when the endpoint's price is unknown (local models: 0.0)."""
    wsjf: float | None = None
    """The item's WSJF when it was selected."""
    branch: str | None = None
    commits: list[str] = Field(default_factory=list)
    phase: str | None = None
    """The phase the item ended in (for BLOCKED: where it stopped)."""
    blocked_reason: str | None = None

    @field_validator("started_at", "ended_at", mode="before")
    @classmethod
    def _utc(cls, value: object) -> object:
        return _as_utc(value)

    @property
    def duration_s(self) -> float:
        """Seconds from start to end of the item."""
        return (self.ended_at - self.started_at).total_seconds()


class RunSummary(Record):
    """`.agent/runs/<run-id>/summary.json`: one macro-loop run."""

    schema_version: int = RUNS_SCHEMA_VERSION
    run_id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    started_at: datetime
    ended_at: datetime | None = None
    """None while the run is going on, or after a crash."""
    outcome: RunOutcome | None = None
    """None while the run is going on, or after a crash (kill, power loss): see `agent status`."""
    error: str | None = None
    """The error that aborted or interrupted the run."""
    base_branch: str | None = None
    base_commit: str | None = None
    items: list[RunItem] = Field(default_factory=list)
    tokens: TokenUsage = TokenUsage()
    cost_usd: float | None = Field(default=None, ge=0)

    @field_validator("started_at", "ended_at", mode="before")
    @classmethod
    def _utc(cls, value: object) -> object:
        return None if value is None else _as_utc(value)


class PhaseEvidence(Record):
    """What one micro-cycle phase did."""

    phase: str
    started_at: datetime
    ended_at: datetime
    ok: bool
    tokens: TokenUsage = TokenUsage()
    cost_usd: float | None = Field(default=None, ge=0)
    output: str = ""
    """Test or tool output of the phase, capped and with secrets redacted."""

    @field_validator("started_at", "ended_at", mode="before")
    @classmethod
    def _utc(cls, value: object) -> object:
        return _as_utc(value)


class DiffStat(Record):
    """Size of the item's change."""

    files: int = Field(default=0, ge=0)
    insertions: int = Field(default=0, ge=0)
    deletions: int = Field(default=0, ge=0)


class RedCheck(Record):
    """The check RED established: what must keep passing on the branch (re-run by `agent sync`)."""

    kind: str = "pytest"
    """pytest, ruff or bandit."""
    target: str
    """pytest: the node id (or test file); ruff/bandit: the file."""
    rule: str | None = None
    """ruff/bandit: the rule code that must stay gone."""


class Evidence(Record):
    """`.agent/evidence/<item-id>.json`: what the micro cycle proved for one item."""

    schema_version: int = RUNS_SCHEMA_VERSION
    item_id: str
    run_id: str
    phases: list[PhaseEvidence] = Field(default_factory=list)
    red_output: str = ""
    green_output: str = ""
    test_file: str | None = None
    test_hash_before: str | None = None
    test_hash_after: str | None = None
    red_check: RedCheck | None = None
    """The RED check; None in evidence written before it was recorded, or when RED failed."""
    commits: list[str] = Field(default_factory=list)
    diff: DiffStat = DiffStat()


RecordT = TypeVar("RecordT", bound=Record)


def read_runs(runs_dir: Path) -> list[RunSummary]:
    """Read every `<runs_dir>/*/summary.json`, oldest run first; none is an empty list."""
    if not runs_dir.is_dir():
        return []
    summaries = [_load(RunSummary, path) for path in sorted(runs_dir.glob(f"*/{SUMMARY_FILE}"))]
    return sorted(summaries, key=lambda run: (run.started_at, run.run_id))


def read_evidence(evidence_dir: Path, item_id: str) -> Evidence | None:
    """Read `<evidence_dir>/<item_id>.json`, or None when there is none."""
    path = evidence_dir / f"{item_id}.json"
    return _load(Evidence, path) if path.is_file() else None


def _load(model: type[RecordT], path: Path) -> RecordT:
    try:
        return model.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except ValidationError as exc:
        raise InputError(*(_problem(path, err) for err in exc.errors())) from None


def _problem(path: Path, err: Any) -> str:
    field = ".".join(str(part) for part in err["loc"]) or "document"
    return f"{path}: field '{field}': {err['msg']}"
