"""`agent discover`: scan a repository for work, merge it into backlog.yml, summarize."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from agent.backlog.models import BacklogItem
from agent.commands.common import parse_now, resolve_repo
from agent.config.settings import Settings, load_settings
from agent.discovery.engine import Discovery, discover, parse_sources
from agent.discovery.merge import counts_by
from agent.errors import InputError


def run_discover(
    repo: Path, sources: str | None, as_json: bool, write: bool, now: str | None
) -> None:
    """Discover work in `repo` and print a summary table or the JSON list."""
    root = resolve_repo(repo)
    moment = parse_now(now).replace(microsecond=0)
    settings = load_settings(root)
    check_scores(settings)
    names = parse_sources(sources, settings.discovery.sources)
    outcome = discover(root, settings, names, moment, write)
    for warning in outcome.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if as_json:
        items = [*outcome.report.current, *outcome.backlog_items]
        sys.stdout.write(json.dumps([item_json(item) for item in items], ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        print_summary(outcome, settings, write)


def check_scores(settings: Settings) -> None:
    """Fail clearly when a configured default score is not on the scoring scale."""
    scale = settings.scoring.scale
    named = {
        f"discovery.scores.{key}": s.model_dump() for key, s in settings.discovery.scores.items()
    }
    named |= {f"forge.labels.{key}": r.model_dump() for key, r in settings.forge.labels.items()}
    named["forge"] = {"issue_scores": settings.forge.issue_scores}
    for where, fields in named.items():
        for field, value in _flat(fields):
            if isinstance(value, int) and value not in scale:
                expected = ", ".join(map(str, scale))
                raise InputError(
                    f"setting '{where}.{field}': {value} is not on the scale ({expected})"
                )


def _flat(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    """(dotted name, value) of a settings dict one level deep."""
    flat: list[tuple[str, Any]] = []
    for name, value in fields.items():
        if isinstance(value, dict):
            flat.extend((f"{name}.{key}", sub) for key, sub in value.items())
        else:
            flat.append((name, value))
    return flat


def item_json(item: BacklogItem) -> dict[str, Any]:
    """One item as JSON: the backlog fields, with `source` {kind, path, line, tag, text}."""
    data = item.model_dump(mode="json", exclude_none=True)
    if item.source is not None:
        data["source"] = item.source.model_dump(mode="json")
    return data


def print_summary(outcome: Discovery, settings: Settings, write: bool) -> None:
    """Print counts by source and type, and what changed in the backlog."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    report = outcome.report
    table = Table(title=f"Discovered at {outcome.commit[:7]}", title_justify="left")
    for name in ("source", "type", "items"):
        table.add_column(name, justify="right" if name == "items" else "left")
    for (kind, item_type), count in sorted(counts_by(report.current).items()):
        table.add_row(kind, item_type, str(count))
    console.print(table)
    verb = "merged into" if write else "not written to (--no-write)"
    console.print(
        f"{len(report.new)} new, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.resolved)} resolved; {verb} {settings.backlog.path}."
    )
    if "tests" in {result.name for result in outcome.results}:
        console.print(f"[dim]tests: {settings.tests.python_note}[/]", highlight=False)
    if report.merged or report.closed:
        console.print(
            f"{len(report.merged)} merged into the item of their test function or rule, "
            f"{len(report.closed)} closed as no longer scanned."
        )
    for result in outcome.results:
        if result.stats:
            stats = ", ".join(f"{key} {value}" for key, value in result.stats.items())
            console.print(f"[dim]{result.name}: {stats}[/]")
