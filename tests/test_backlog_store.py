"""backlog.yml round-trip: comments survive, only changed fields differ, writers serialize."""

from __future__ import annotations

import difflib
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.backlog.models import BacklogItem, ItemType, Status
from agent.backlog.store import read_backlog, update_backlog
from agent.config.settings import DEFAULT_SCALE
from tests.support import git, make_repo

HAND_WRITTEN = """\
# Team backlog -- edited by hand, please keep the comments!
version: 1

items:
  # The most urgent thing
  - id: BUG-1
    title: "Crash when the input is empty"   # reported twice
    type: bug
    status: READY
    value: 8          # alias of business_value
    time_criticality: 5
    risk_reduction: 3
    job_size: 2       # alias of effort
    created_at: 2026-11-01T09:00:00Z
    acceptance_criteria:
      - empty input returns []
    tags: [parser, p1]

  - id: FEAT-2
    title: Export to CSV
    description: |
      Users want a CSV export.
      Two lines of description.
    type: feature
    status: NEW
    business_value: 5
    time_criticality: 2
    risk_reduction: 1
    effort: 5
    created_at: '2026-11-10'
"""


def write(tmp_path: Path, text: str = HAND_WRITTEN) -> Path:
    path = tmp_path / "backlog.yml"
    path.write_text(text, encoding="utf-8")
    return path


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_read_applies_aliases_and_types(tmp_path: Path) -> None:
    backlog = read_backlog(write(tmp_path), DEFAULT_SCALE)
    first = backlog.items[0]
    assert (first.business_value, first.effort) == (8, 2)
    assert first.created_at == datetime(2026, 11, 1, 9, tzinfo=UTC)
    assert backlog.items[1].created_at == datetime(2026, 11, 10, tzinfo=UTC)
    assert backlog.items[1].description.startswith("Users want a CSV export.")


def test_unchanged_update_leaves_the_file_byte_identical(tmp_path: Path) -> None:
    path = write(tmp_path)
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    with update_backlog(path, DEFAULT_SCALE) as backlog:
        assert len(backlog.items) == 2
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime


def test_changing_one_field_changes_only_that_line(tmp_path: Path) -> None:
    path = write(tmp_path)
    with update_backlog(path, DEFAULT_SCALE) as backlog:
        item = backlog.get("FEAT-2")
        assert item is not None
        item.status = Status.READY
    after = path.read_text(encoding="utf-8")
    assert changed_lines(HAND_WRITTEN, after) == ["-    status: NEW", "+    status: READY"]


def test_changing_an_aliased_field_keeps_the_alias_and_comment(tmp_path: Path) -> None:
    path = write(tmp_path)
    with update_backlog(path, DEFAULT_SCALE) as backlog:
        item = backlog.get("BUG-1")
        assert item is not None
        item.business_value = 13
    after = path.read_text(encoding="utf-8")
    assert changed_lines(HAND_WRITTEN, after) == [
        "-    value: 8          # alias of business_value",
        "+    value: 13         # alias of business_value",
    ]


def test_new_items_are_appended_and_valid(tmp_path: Path) -> None:
    path = write(tmp_path)
    new = BacklogItem(
        id="DEBT-3",
        title="Remove the legacy parser",
        type=ItemType.DEBT,
        status=Status.NEW,
        business_value=2,
        time_criticality=1,
        risk_reduction=3,
        effort=8,
        created_at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    with update_backlog(path, DEFAULT_SCALE) as backlog:
        backlog.items.append(new)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(HAND_WRITTEN.rstrip("\n"))
    assert read_backlog(path, DEFAULT_SCALE).get("DEBT-3") == new


def test_removing_a_field_value_deletes_the_key(tmp_path: Path) -> None:
    path = write(tmp_path)
    with update_backlog(path, DEFAULT_SCALE) as backlog:
        item = backlog.get("BUG-1")
        assert item is not None
        item.status, item.blocked_reason = Status.BLOCKED, "needs a decision on empty input"
    with update_backlog(path, DEFAULT_SCALE) as backlog:
        item = backlog.get("BUG-1")
        assert item is not None and item.blocked_reason == "needs a decision on empty input"
        item.status, item.blocked_reason = Status.READY, None
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN


def test_missing_file_is_created_with_a_header(tmp_path: Path) -> None:
    path = tmp_path / "backlog.yml"
    assert read_backlog(path, DEFAULT_SCALE).items == []
    with update_backlog(path, DEFAULT_SCALE) as backlog:
        backlog.items.append(
            BacklogItem(
                id="A",
                title="a",
                type="bug",
                status="READY",
                business_value=1,
                time_criticality=1,
                risk_reduction=1,
                effort=1,
                created_at="2026-11-21T00:00:00Z",
            )
        )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Backlog for `agent`")
    assert read_backlog(path, DEFAULT_SCALE).items[0].id == "A"


def test_an_exception_inside_the_update_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), update_backlog(path, DEFAULT_SCALE) as backlog:
        backlog.items.clear()
        raise Boom
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_lock_lives_in_git_dir_so_status_stays_clean(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"backlog.yml": HAND_WRITTEN})
    path = repo / "backlog.yml"
    with update_backlog(path, DEFAULT_SCALE) as backlog:
        item = backlog.get("FEAT-2")
        assert item is not None
        item.status = Status.READY
    assert git(repo, "status", "--porcelain", "-uall") == " M backlog.yml\n"


def _bump(path: str, item_id: str, rounds: int) -> None:
    for n in range(rounds):
        with update_backlog(Path(path), DEFAULT_SCALE) as backlog:
            item = backlog.get(item_id)
            assert item is not None
            item.tags = [*item.tags, f"{item_id}-{n}"]


def test_concurrent_writers_both_survive(tmp_path: Path) -> None:
    path = write(tmp_path)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_bump, args=(str(path), item_id, 8))
        for item_id in ("BUG-1", "FEAT-2")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    backlog = read_backlog(path, DEFAULT_SCALE)
    bug, feat = backlog.get("BUG-1"), backlog.get("FEAT-2")
    assert bug is not None and feat is not None
    assert bug.tags == ["parser", "p1", *(f"BUG-1-{n}" for n in range(8))]
    assert feat.tags == [f"FEAT-2-{n}" for n in range(8)]
    assert "# Team backlog -- edited by hand" in path.read_text(encoding="utf-8")
