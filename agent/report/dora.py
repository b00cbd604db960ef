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


@dataclass(frozen=True)
class History:
    """The base branch's commits, its first-parent line and what each merge brought in."""

    commits: dict[str, Commit]
    line: list[Commit]
    """The first-parent line of the base branch, oldest first."""
    brought: dict[str, tuple[Commit, ...]]
    """For each merge on the line, the commits it brought in (not reachable from its parent)."""


def history(repo: git.Repo, base: str) -> History:
    """Read the base branch's history with one `git log` and walk its graph once."""
    commits = {commit.sha: commit for commit in log(repo, base)}
    line: list[Commit] = []
    sha: str | None = repo.commit(base).hexsha
    while sha in commits:
        line.append(commits[sha])
        sha = commits[sha].parents[0] if commits[sha].parents else None
    line.reverse()
    seen: set[str] = set()
    brought: dict[str, tuple[Commit, ...]] = {}
    for commit in line:  # oldest first: `seen` holds everything reachable from the parent
        seen.add(commit.sha)
        if len(commit.parents) > 1:
            brought[commit.sha] = _walk(commit.parents[1:], commits, seen)
    return History(commits, line, brought)


def _walk(starts: Sequence[str], commits: dict[str, Commit], seen: set[str]) -> tuple[Commit, ...]:
    stack, found = list(starts), []
    while stack:
        sha = stack.pop()
        if sha in seen or sha not in commits:
            continue
        seen.add(sha)
        found.append(commits[sha])
        stack.extend(commits[sha].parents)
    return tuple(found)


def changes(hist: History, since: datetime, until: datetime) -> list[Change]:
    """Merges into the base branch (first-parent) committed in [since, until], oldest first."""
    return [
        Change(commit, hist.brought[commit.sha])
        for commit in hist.line
        if len(commit.parents) > 1 and since <= commit.committed <= until
    ]


def landing_times(hist: History, since: datetime, until: datetime) -> dict[str, datetime]:
    """When commits reached the base branch in [since, until]: their own or their merge's time."""
    landed: dict[str, datetime] = {}
    for commit in hist.line:
        if since <= commit.committed <= until:
            landed[commit.sha] = commit.committed
            for inner in hist.brought.get(commit.sha, ()):
                landed[inner.sha] = commit.committed
    return landed


def failures(
    merged: Sequence[Change], candidates: Iterable[Commit], landed: dict[str, datetime]
) -> list[Failure]:
    """Changes followed by a revert of, or a fix referencing, the merge or one of its commits."""
    index = _reference_index(c for c in candidates if c.sha in landed)
    found = []
    for change in merged:
        shas = change.shas()
        hits = [
            (landed[commit.sha], commit.sha, commit, kind)
            for sha in shas
            for length, refs in index.items()
            for commit, kind in refs.get(sha[:length], ())
            if commit.sha not in shas and landed[commit.sha] >= change.merge.committed
        ]
        if hits:
            at, _sha, commit, kind = min(hits, key=lambda hit: (hit[0], hit[1], hit[3]))
            found.append(Failure(change, commit, at, kind))
    return found


def _reference_index(
    commits: Iterable[Commit],
) -> dict[int, dict[str, list[tuple[Commit, str]]]]:
    """Reverts and fixes by the commit abbreviation they name, grouped by its length."""
    index: dict[int, dict[str, list[tuple[Commit, str]]]] = {}
    for commit in commits:
        refs = [(ref, "revert") for ref in REVERT_RE.findall(commit.message)]
        if FIX_RE.search(commit.message):
            refs += [(ref, "fix") for ref in SHA_RE.findall(commit.message)]
        for ref, kind in dict(refs[::-1]).items():  # a revert wins over a fix naming the same
            index.setdefault(len(ref), {}).setdefault(ref, []).append((commit, kind))
    return index


def deployments(
    repo: git.Repo, hist: History, base: str, mode: str, since: datetime, until: datetime
) -> tuple[str, list[Deployment]]:
    """Deployments in [since, until] and what they are ('tags' or 'merges')."""
    tags = _tags_on(repo, base)
    if mode == "tags" or (mode == "auto" and tags):
        return "tags", [d for d in tags if since <= d.at <= until]
    merges = changes(hist, since, until)
    return "merges", [Deployment(c.merge.sha[:12], c.merge.sha, c.merge.committed) for c in merges]


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
