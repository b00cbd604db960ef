"""The backlog.yml data model, version 1 (docs/backlog.md is the reference)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    field_serializer,
    field_validator,
)

BACKLOG_VERSION = 1
TIME_EXPECTED = "expected an ISO 8601 date or date-time, e.g. 2026-11-21T09:30:00Z"
SCORE_FIELDS = ("business_value", "time_criticality", "risk_reduction", "effort")


class ItemType(StrEnum):
    """What kind of work an item is."""

    FEATURE = "feature"
    BUG = "bug"
    DEBT = "debt"
    REFACTOR = "refactor"
    INVESTIGATION = "investigation"
    SECURITY = "security"
    TEST = "test"
    DOCS = "docs"
    CHORE = "chore"


class Status(StrEnum):
    """Where an item is in its life cycle."""

    NEW = "NEW"
    REFINED = "REFINED"
    READY = "READY"
    DOING = "DOING"
    PR = "PR"
    DONE = "DONE"
    BLOCKED = "BLOCKED"


class Source(BaseModel):
    """Where a discovered item was found."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    """Discovery source: comments, tests, lint, security, manual, issue."""
    path: str | None = None
    """File the item was found in, relative to the repository root."""
    line: int | None = None
    """1-based line of the finding when it was last seen."""
    fingerprint: str | None = None
    """Content-based identity that survives line moves."""
    tag: str | None = None
    """Marker tag, rule code or test id."""
    text: str | None = None
    """The finding's text (never a secret)."""


def _as_utc(value: Any) -> Any:
    """Accept datetimes, dates and ISO 8601 strings; naive values are taken as UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(TIME_EXPECTED) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(TIME_EXPECTED)


def format_timestamp(value: datetime) -> str:
    """Render a timestamp as ISO 8601 in UTC with a Z suffix."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class BacklogItem(BaseModel):
    """One unit of work."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=True)

    id: str = Field(min_length=1, pattern=r"^\S+$")
    title: str = Field(min_length=1)
    description: str = ""
    type: ItemType
    status: Status
    business_value: StrictInt = Field(validation_alias=AliasChoices("business_value", "value"))
    time_criticality: StrictInt
    risk_reduction: StrictInt
    effort: StrictInt = Field(validation_alias=AliasChoices("effort", "job_size"))
    created_at: datetime
    acceptance_criteria: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    source: Source | None = None
    blocked_reason: str | None = None
    note: str | None = None
    updated_at: datetime | None = None

    @field_validator("created_at", "updated_at", mode="before")
    @classmethod
    def _parse_time(cls, value: object) -> object:
        return None if value is None else _as_utc(value)

    @field_serializer("created_at", "updated_at")
    def _serialize_time(self, value: datetime | None) -> str | None:
        return None if value is None else format_timestamp(value)

    @property
    def cost_of_delay(self) -> int:
        """Business value + time criticality + risk reduction."""
        return self.business_value + self.time_criticality + self.risk_reduction


class Backlog(BaseModel):
    """The whole file: a version and a list of items."""

    model_config = ConfigDict(extra="forbid")

    version: int = BACKLOG_VERSION
    items: list[BacklogItem] = Field(default_factory=list)

    def get(self, item_id: str) -> BacklogItem | None:
        """Return the item with `item_id`, or None."""
        return next((item for item in self.items if item.id == item_id), None)
