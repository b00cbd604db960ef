"""The typed state of a run (macro loop) and of the item being worked (micro cycle).

State is checkpointed after every node (SQLite, durability "sync"), so everything a resumed run
needs lives here; live objects (the model client, settings) are injected through RunContext.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from agent.llm.budget import Ledger

__all__ = [
    "Blocked",
    "Check",
    "CycleOutcome",
    "ItemResult",
    "ItemState",
    "Phase",
    "PhaseRecord",
    "RunState",
]


class CycleOutcome(StrEnum):
    """How an item's micro cycle ended."""

    RESOLVED = "resolved"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


class Phase(StrEnum):
    """Phases of the micro cycle, in order."""

    CLARIFY = "clarify"
    RED = "red"
    GREEN = "green"
    REFACTOR = "refactor"
    SECURITY = "security"
    DOCS = "docs"
    CI = "ci"
    COMMIT = "commit"


class Check(BaseModel):
    """The RED check of an item: a pytest node id, or a scanner rule on one file."""

    kind: str = "pytest"
    """pytest, ruff or bandit."""
    target: str
    """pytest: the node id; ruff/bandit: the file path."""
    rule: str | None = None
    """ruff/bandit: the rule code that must disappear."""
    file: str | None = None
    """The file holding the RED test (pytest) whose content must not change."""
    file_sha256: str | None = None
    """Hash of that file when RED was established."""
    written_by_agent: bool = False
    """True when the agent wrote the RED test (a new file it must commit)."""
    content: str | None = None
    """The RED test file's text when the agent wrote it (to restore it if it is touched)."""


class Blocked(BaseModel):
    """Why an item stopped and what a human must decide."""

    phase: str
    reason: str
    decision: str


class PhaseRecord(BaseModel):
    """Evidence of one phase."""

    phase: str
    ok: bool
    seconds: float = 0.0
    ended_at: float = 0.0
    detail: str = ""
    output: str = ""


class ItemState(BaseModel):
    """The item being worked and everything its phases found out."""

    item_id: str
    title: str
    criteria: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    clarify_rounds: int = 0
    human_notes: list[str] = Field(default_factory=list)
    branch: str | None = None
    worktree: str | None = None
    base_sha: str | None = None
    check: Check | None = None
    red_output: str = ""
    green_output: str = ""
    baseline_failures: list[str] = Field(default_factory=list)
    test_hashes: dict[str, str] = Field(default_factory=dict)
    regression_rounds: int = 0
    commit: str | None = None
    diffstat: str = ""
    changed_files: list[str] = Field(default_factory=list)
    summary: str = ""
    records: list[PhaseRecord] = Field(default_factory=list)
    blocked: Blocked | None = None
    started_at: float = 0.0
    worktree_tree: str | None = None
    """The worktree's files (a git tree) when the item's last node finished; a node re-run after
    a crash starts from them, not from what the killed attempt left half-done."""
    previous_status: str = "READY"
    """The item's backlog status before the run took it (restored if the run is aborted)."""


class ItemResult(BaseModel):
    """What the run reports about one item."""

    item_id: str
    title: str
    outcome: CycleOutcome
    reason: str = ""
    decision: str = ""
    phase: str = ""
    branch: str | None = None
    commit: str | None = None
    pr_path: str | None = None
    evidence_path: str | None = None
    seconds: float = 0.0
    started_at: float = 0.0
    ended_at: float = 0.0
    tokens: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0


class RunState(BaseModel):
    """The macro loop's state: one run over one repository."""

    run_id: str
    repo: str
    now: str
    base_branch: str = ""
    head_sha: str = ""
    dirty_user_tree: bool = False
    ranked: list[str] = Field(default_factory=list)
    actionable: list[str] = Field(default_factory=list)
    item: ItemState | None = None
    results: list[ItemResult] = Field(default_factory=list)
    ledger: Ledger = Field(default_factory=Ledger)
    stop_reason: str | None = None
    next_step: str = "select"
    discovered: dict[str, Any] = Field(default_factory=dict)
    started_at: float = 0.0
    finished_at: float = 0.0
