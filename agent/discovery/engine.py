"""Run the selected discovery sources on a repository and merge the result into its backlog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from agent.backlog.models import Backlog, BacklogItem
from agent.config.discovery_defaults import KNOWN_SOURCES
from agent.config.settings import Settings
from agent.discovery.cache import ScanCache, ensure_excluded
from agent.discovery.files import FileList, check_repo, list_files
from agent.discovery.merge import MergeReport, merge
from agent.discovery.model import SourceResult
from agent.errors import InputError


@dataclass
class Discovery:
    """The outcome of one `agent discover`."""

    commit: str
    sources: tuple[str, ...]
    results: list[SourceResult]
    report: MergeReport
    backlog_items: list[BacklogItem] = field(default_factory=list)
    """The items already in backlog.yml that no source of this run found (the `backlog` source)."""

    @property
    def warnings(self) -> list[str]:
        """Every source's warnings, in source order."""
        return [warning for result in self.results for warning in result.warnings]


def parse_sources(value: str | None, default: Sequence[str]) -> tuple[str, ...]:
    """Parse `--sources a,b` (None: the configured default) into known source names."""
    if value is None:
        return tuple(default)
    names = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in KNOWN_SOURCES]
    if unknown or not names:
        what = f"unknown source {unknown[0]!r}" if unknown else "no source given"
        raise InputError(f"--sources: {what} (expected a comma list of {', '.join(KNOWN_SOURCES)})")
    return names


def discover(
    root: Path, settings: Settings, sources: Sequence[str], now: datetime, write: bool
) -> Discovery:
    """Scan `root` with `sources`; merge into backlog.yml unless `write` is False."""
    commit, exclude_file = check_repo(root)
    ensure_excluded(exclude_file)
    results = run_sources(root, settings, sources)
    complete = {r.name: r.unscanned for r in results if r.complete}
    found = [item for result in results for item in result.found]
    path = root / settings.backlog.path
    if write:
        from agent.backlog.store import update_backlog

        with update_backlog(path, settings.scoring.scale) as backlog:
            report = merge(backlog, found, complete, settings.discovery, now, commit[:7])
    else:
        backlog = _read_backlog(path, settings)
        report = merge(backlog, found, complete, settings.discovery, now, commit[:7])
    shown = {id(item) for item in report.current}
    extra = [i for i in backlog.items if id(i) not in shown] if "backlog" in sources else []
    return Discovery(commit, tuple(sources), results, report, extra)


def _read_backlog(path: Path, settings: Settings) -> Backlog:
    if not path.exists():
        return Backlog()  # and the YAML machinery stays unimported
    from agent.backlog.store import read_backlog

    return read_backlog(path, settings.scoring.scale)


def run_sources(root: Path, settings: Settings, sources: Sequence[str]) -> list[SourceResult]:
    """Run each selected source; a source that cannot run is skipped with a warning."""
    discovery = settings.discovery
    files: FileList | None = None
    if {"comments", "security"} & set(sources):
        files = list_files(
            root, (*discovery.exclude, *discovery.extra_exclude, settings.backlog.path)
        )
    results = []
    if "comments" in sources and files is not None:
        from agent.discovery.scan_comments import discover_comments

        cache = ScanCache.load(root)
        results.append(discover_comments(root, files, discovery, cache))
        cache.save()
    if "tests" in sources:
        from agent.discovery.tests_and_lint import discover_tests

        results.append(discover_tests(root, settings.tests))
    if "lint" in sources:
        from agent.discovery.tests_and_lint import discover_lint

        results.append(discover_lint(root))
    if "security" in sources and files is not None:
        from agent.discovery.security import discover_security

        results.append(discover_security(root, files, discovery))
    if "perf" in sources:
        from agent.discovery.perf.source import discover_perf

        results.append(discover_perf(root, discovery.perf))
    if {"issues", "ci"} & set(sources):
        from agent.forge.discovery import discover_forge

        results.extend(discover_forge(root, settings.forge, sources))
    return results
