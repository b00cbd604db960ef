"""DORA figures from a fixture history with hand-computed values (tests/report_support.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from agent.backlog.runs import read_runs
from agent.report import dora
from agent.report.delivery import delivery_section
from agent.report.models import Period, Stamp
from agent.workspace.gitutil import open_repo
from tests.report_support import EXPECTED, add_backlog_and_runs, add_tags, build_history
from tests.support import git, make_repo

SINCE = datetime(2026, 10, 1, tzinfo=UTC)
NOW = datetime(2026, 10, 15, tzinfo=UTC)
PERIOD = Period(since=SINCE, until=NOW)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("dora") / "repo"
    shas = build_history(root)
    add_backlog_and_runs(root)
    return root, shas


def _delivery(root: Path, mode: str = "auto"):
    repo = open_repo(root)
    stamp = Stamp(measured_at=NOW, commit=repo.head.commit.hexsha)
    runs = [r for r in read_runs(root / ".agent/runs") if SINCE <= r.started_at <= NOW]
    return delivery_section(repo, "main", mode, PERIOD, stamp, runs, ".agent/runs/*/summary.json")


def test_every_delivery_figure_equals_the_hand_computed_value(history) -> None:
    root, _shas = history
    delivery = _delivery(root)
    for name in type(delivery).model_fields:
        expected = EXPECTED[f"delivery.{name}"]
        figure = getattr(delivery, name)
        assert figure.value == pytest.approx(expected), name
        assert figure.reason is None
        assert figure.commit == git(root, "rev-parse", "HEAD").strip()
        assert figure.measured_at == NOW
        assert figure.source


def test_changes_and_failures_are_the_known_merges(history) -> None:
    root, shas = history
    hist = dora.history(open_repo(root), "main")
    merged = dora.changes(hist, SINCE, NOW)
    assert [c.merge.sha for c in merged] == [shas["m1"], shas["m2"], shas["m3"], shas["m4"]]
    assert [c.lead_time / timedelta(hours=1) for c in merged] == [24, 36, 2, 24]
    landed = dora.landing_times(hist, SINCE, NOW)
    failed = dora.failures(merged, hist.commits.values(), landed)
    assert [(f.change.merge.sha, f.kind) for f in failed] == [
        (shas["m2"], "revert"),
        (shas["m3"], "fix"),
    ]
    # the fix landed on main with its merge m4, not when it was committed on its branch
    assert failed[1].restored_at == datetime(2026, 10, 12, 10, tzinfo=UTC)


def test_tags_are_deployments_when_the_repository_has_them(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shas = build_history(root)
    add_tags(root, shas)
    delivery = _delivery(root)
    assert delivery.deployments.value == 2  # v0.1 and v0.2; v0.0 is before the period
    assert delivery.deployments.unit == "tags"
    assert delivery.deployment_frequency.value == pytest.approx(1.0)
    assert delivery.deployment_bucket.value == "weekly"  # weeks deployed: [1, 0, 1]
    assert "for-each-ref" in delivery.deployment_frequency.source
    assert _delivery(root, "merges").deployments.value == 4


def test_no_merges_gives_null_figures_with_a_reason(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "flat", {"a.py": "A = 1\n"})
    delivery = _delivery(root)
    assert delivery.deployments.value == 0
    assert delivery.deployment_bucket.value == "yearly"
    for name in ("lead_time", "change_failure_rate", "time_to_restore"):
        figure = getattr(delivery, name)
        assert figure.value is None
        assert figure.reason == "no merges into main in the period"
    for name in ("cycle_time", "first_try_resolve_rate", "tokens_per_resolved"):
        assert getattr(delivery, name).reason == "no runs recorded"


def _days(start: date, offsets: list[int]) -> list[date]:
    return [start + timedelta(days=n) for n in offsets]


def test_four_keys_buckets() -> None:
    start = date(2026, 10, 4)  # a Sunday
    end = start + timedelta(days=20)
    assert dora.bucket(_days(start, list(range(21))), start, end) == "daily"
    # 3 deployment days in every week is still daily; 2 is weekly
    assert dora.bucket(_days(start, [0, 2, 4, 7, 9, 11, 14, 16, 18]), start, end) == "daily"
    assert dora.bucket(_days(start, [0, 2, 7, 9, 14, 16]), start, end) == "weekly"
    assert dora.bucket(_days(start, [0, 7]), start, end) == "weekly"  # 2 of 3 weeks
    assert dora.bucket([], start, end) == "yearly"


def test_monthly_bucket_when_most_months_have_a_deployment() -> None:
    start, end = date(2026, 9, 1), date(2026, 11, 29)
    one_a_month = [date(2026, 9, 10), date(2026, 10, 10), date(2026, 11, 10)]
    assert dora.bucket(one_a_month, start, end) == "monthly"
    assert dora.bucket([date(2026, 9, 10)], start, end) == "yearly"


def test_fix_must_reference_the_change() -> None:
    when = datetime(2026, 10, 1, tzinfo=UTC)
    merge = dora.Commit("a" * 40, ("b" * 40, "c" * 40), when, when, "Merge branch 'x'")
    change = dora.Change(merge, ())
    later = when + timedelta(hours=1)
    unrelated = dora.Commit("d" * 40, ("a" * 40,), later, later, "fix: something else")
    mention = dora.Commit("e" * 40, ("a" * 40,), later, later, f"docs: see {'a' * 10}")
    fix = dora.Commit("f" * 40, ("a" * 40,), later, later, f"Fixes: {'a' * 12}")
    landed = {c.sha: later for c in (unrelated, mention, fix)}
    assert dora.failures([change], [unrelated, mention], landed) == []
    (failure,) = dora.failures([change], [unrelated, mention, fix], landed)
    assert (failure.kind, failure.restored_by.sha) == ("fix", "f" * 40)


def test_a_revert_after_the_report_time_does_not_count(history) -> None:
    root, _shas = history
    repo = open_repo(root)
    until = datetime(2026, 10, 7, 3, tzinfo=UTC)  # m2 merged at 00:00, reverted at 06:00
    stamp = Stamp(measured_at=until, commit=repo.head.commit.hexsha)
    period = Period(since=SINCE, until=until)
    delivery = delivery_section(repo, "main", "merges", period, stamp, [], "runs")
    assert delivery.deployments.value == 2
    assert delivery.change_failure_rate.value == 0.0
    assert delivery.time_to_restore.value is None
    assert delivery.time_to_restore.reason == "no failed changes in the period"
    assert delivery.lead_time.value == pytest.approx(30.0)  # median of 24 and 36


def test_a_merge_brings_in_only_commits_new_to_the_base_branch(tmp_path: Path) -> None:
    from tests.report_support import branch, commit, merge

    root = make_repo(tmp_path / "repo")
    commit(root, {"a.py": "A = 1\n"}, "initial", "2026-10-01T00:00:00Z")
    branch(root, "topic")
    c1 = commit(root, {"t.py": "T = 1\n"}, "feat: t", "2026-10-02T00:00:00Z")
    git(root, "checkout", "-q", "main")
    b = commit(root, {"b.py": "B = 1\n"}, "feat: b", "2026-10-03T00:00:00Z")
    git(root, "checkout", "-q", "topic")
    when = {"GIT_AUTHOR_DATE": "2026-10-04T00:00:00Z", "GIT_COMMITTER_DATE": "2026-10-04T00:00:00Z"}
    git(root, "merge", "-q", "--no-ff", "-m", "sync main", "main", env=when)
    sync = git(root, "rev-parse", "HEAD").strip()
    m = merge(root, "topic", "2026-10-05T00:00:00Z")
    hist = dora.history(open_repo(root), "main")
    (change,) = dora.changes(hist, SINCE, NOW)
    assert change.merge.sha == m
    assert {c.sha for c in change.commits} == {c1, sync}  # not b: it was on main already
    assert b not in change.shas()
    assert change.lead_time == timedelta(days=3)
