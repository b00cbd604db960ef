"""DORA's four keys from git history alone (docs/metrics.md defines each and its heuristics)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import git

SEP, END = "\x1f", "\x1e"
LOG_FORMAT = f"%H{SEP}%P{SEP}%at{SEP}%ct{SEP}%B{END}"
REVERT_RE = re.compile(r"This reverts commit ([0-9a-f]{7,40})")
FIX_RE = re.compile(r"\b(fix|fixes|fixed|fixup|hotfix)\b", re.IGNORECASE)
SHA_RE = re.compile(r"\b[0-9a-f]{7,40}\b")
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Commit:
    """A commit's identity, parents, times and message."""

    sha: str
    parents: tuple[str, ...]
    authored: datetime
    committed: datetime
    message: str


@dataclass(frozen=True)
class Change:
    """A merge into the base branch and the commits it brought in."""

    merge: Commit
    commits: tuple[Commit, ...]

    @property
    def lead_time(self) -> timedelta:
        """From the first commit's author time to the merge's commit time."""
        first = min((c.authored for c in self.commits), default=self.merge.authored)
        return self.merge.committed - first

    def shas(self) -> set[str]:
        """The merge and every commit it brought in."""
        return {self.merge.sha, *(c.sha for c in self.commits)}


@dataclass(frozen=True)
class Failure:
    """A change followed by a commit that reverts or fixes it."""

    change: Change
    restored_by: Commit
    restored_at: datetime
    kind: str


@dataclass(frozen=True)
class Deployment:
    """A deployment: a merge into the base branch or a tag on it."""

    name: str
    sha: str
    at: datetime


def parse_log(text: str) -> list[Commit]:
    """Parse `git log --format=LOG_FORMAT` output."""
    commits = []
    for raw in text.split(END):
        record = raw.lstrip("\n")
        if not record:
            continue
        sha, parents, authored, committed, message = record.split(SEP, 4)
        commits.append(
            Commit(sha, tuple(parents.split()), _ts(authored), _ts(committed), message.strip())
        )
    return commits


def _ts(epoch: str) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC)


def log(repo: git.Repo, *args: str) -> list[Commit]:
    """Commits listed by `git log ARGS`, newest first."""
    return parse_log(repo.git.log(f"--format={LOG_FORMAT}", *args))


def changes(repo: git.Repo, base: str, since: datetime, until: datetime) -> list[Change]:
    """Merges into `base` (first-parent) committed in [since, until], oldest first."""
    found = []
    for merge in reversed(log(repo, "--first-parent", "--merges", base)):
        if since <= merge.committed <= until:
            branch = log(repo, f"{merge.parents[0]}..{merge.sha}")
            found.append(Change(merge, tuple(c for c in branch if c.sha != merge.sha)))
    return found


def landing_times(repo: git.Repo, base: str, since: datetime) -> dict[str, datetime]:
    """When each commit reached `base`: its own time if first-parent, else its merge's time."""
    landed: dict[str, datetime] = {}
    for commit in log(repo, "--first-parent", base):
        if commit.committed < since:
            break
        landed[commit.sha] = commit.committed
        if len(commit.parents) > 1:
            for inner in log(repo, f"{commit.parents[0]}..{commit.sha}"):
                landed.setdefault(inner.sha, commit.committed)
    return landed


def failures(
    merged: Sequence[Change], history: Sequence[Commit], landed: dict[str, datetime]
) -> list[Failure]:
    """Changes followed by a revert of, or a fix referencing, the merge or one of its commits."""
    found = []
    for change in merged:
        candidates = [
            (landed[c.sha], c, kind)
            for c in history
            if c.sha in landed and c.sha not in change.shas()
            for kind in [_restores(c, change)]
            if kind and landed[c.sha] >= change.merge.committed
        ]
        if candidates:
            at, commit, kind = min(candidates, key=lambda t: (t[0], t[1].sha))
            found.append(Failure(change, commit, at, kind))
    return found


def _restores(commit: Commit, change: Change) -> str | None:
    shas = change.shas()
    if any(_matches(ref, shas) for ref in REVERT_RE.findall(commit.message)):
        return "revert"
    if FIX_RE.search(commit.message) and any(
        _matches(ref, shas) for ref in SHA_RE.findall(commit.message)
    ):
        return "fix"
    return None


def _matches(prefix: str, shas: Iterable[str]) -> bool:
    return any(sha.startswith(prefix) for sha in shas)


def deployments(
    repo: git.Repo, base: str, mode: str, since: datetime, until: datetime
) -> tuple[str, list[Deployment]]:
    """Deployments in [since, until] and what they are ('tags' or 'merges')."""
    tags = _tags_on(repo, base)
    if mode == "tags" or (mode == "auto" and tags):
        return "tags", [d for d in tags if since <= d.at <= until]
    merges = log(repo, "--first-parent", "--merges", base)
    found = [Deployment(m.sha[:12], m.sha, m.committed) for m in merges]
    return "merges", sorted((d for d in found if since <= d.at <= until), key=lambda d: d.at)


def _tags_on(repo: git.Repo, base: str) -> list[Deployment]:
    fmt = "%(refname:short)%09%(*objectname)%(objectname)%09%(creatordate:unix)"
    listing = repo.git.for_each_ref("refs/tags", f"--format={fmt}", f"--merged={base}")
    found = []
    for line in listing.splitlines():
        name, objects, epoch = line.split("\t")
        sha = objects[:40] if len(objects) == 80 else objects
        found.append(Deployment(name, sha, _ts(epoch)))
    return sorted(found, key=lambda d: (d.at, d.name))


def bucket(days: Sequence[date], start: date, end: date) -> str:
    """The four keys deployment-frequency bucket over the days [start, end]."""
    deployed = set(days)
    weeks: dict[date, list[date]] = {}
    day = start
    while day <= end:
        week = day - timedelta(days=(day.weekday() + 1) % 7)  # weeks start on Sunday
        weeks.setdefault(week, []).append(day)
        day += timedelta(days=1)
    days_deployed = [len(deployed.intersection(ds)) for ds in weeks.values()]
    week_deployed = [1 if n else 0 for n in days_deployed]
    if statistics.median(days_deployed) >= 3:
        return "daily"
    if statistics.median(week_deployed) >= 1:
        return "weekly"
    per_month: dict[tuple[int, int], int] = {}
    for week, flag in zip(weeks, week_deployed, strict=True):
        per_month[(week.year, week.month)] = per_month.get((week.year, week.month), 0) + flag
    monthly = [per_month[(week.year, week.month)] for week in weeks]
    return "monthly" if statistics.median(monthly) >= 1 else "yearly"


def median_hours(spans: Iterable[timedelta]) -> float | None:
    """Median of `spans` in hours, or None when there are none."""
    hours = [span.total_seconds() / 3600 for span in spans]
    return statistics.median(hours) if hours else None


def per_week(count: int, since: datetime, until: datetime) -> float:
    """`count` events over [since, until] as a rate per week."""
    return count / ((until - since) / WEEK)
