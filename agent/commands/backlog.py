"""`agent backlog`: the ranked backlog as a table or JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.backlog.models import Status, format_timestamp
from agent.backlog.scoring import ScoredItem, rank
from agent.backlog.store import read_backlog
from agent.commands.common import git_root, parse_now
from agent.config.settings import Settings, load_settings
from agent.errors import InputError


def show_backlog(
    repo: Path, as_json: bool, now: str | None, statuses: Sequence[str], include_done: bool
) -> None:
    """Print the ranked backlog of `repo`."""
    root = git_root(repo)
    settings = load_settings(root)
    wanted = _parse_statuses(statuses)
    moment = parse_now(now)
    backlog = read_backlog(root / settings.backlog.path, settings.scoring.scale)
    include = include_done or Status.DONE in wanted
    ranked = [
        scored
        for scored in rank(backlog.items, moment, settings.scoring, include_done=include)
        if not wanted or scored.item.status in wanted
    ]
    if as_json:
        sys.stdout.write(json.dumps([to_json(s) for s in ranked], ensure_ascii=False) + "\n")
    else:
        _print_table(ranked, settings, moment)


def _parse_statuses(values: Sequence[str]) -> set[Status]:
    statuses = set()
    for value in values:
        for part in value.split(","):
            try:
                statuses.add(Status(part.strip().upper()))
            except ValueError:
                expected = ", ".join(s.value for s in Status)
                raise InputError(
                    f"--status: unknown status {part!r} (expected {expected})"
                ) from None
    return statuses


def to_json(scored: ScoredItem) -> dict[str, Any]:
    """One ranked item as a JSON object (numbers as numbers, wsjf unrounded)."""
    item, score = scored.item, scored.score
    return {
        "id": item.id,
        "title": item.title,
        "type": item.type.value,
        "status": item.status.value,
        "business_value": item.business_value,
        "time_criticality": item.time_criticality,
        "risk_reduction": item.risk_reduction,
        "effort": item.effort,
        "cost_of_delay": score.cost_of_delay,
        "age_days": score.age_days,
        "aging_multiplier": score.aging_multiplier,
        "wsjf": score.wsjf,
        "priority": score.priority.value,
        "actionable": score.actionable,
        "created_at": format_timestamp(item.created_at),
        "tags": item.tags,
        "blocked_reason": item.blocked_reason,
    }


def _print_table(ranked: list[ScoredItem], settings: Settings, now: datetime) -> None:
    from rich import box
    from rich.console import Console, JustifyMethod
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if not ranked:
        console.print(f"No items to rank in {settings.backlog.path}.")
        return
    table = Table(
        title=f"Backlog ranked by WSJF at {format_timestamp(now)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=0,
        show_edge=False,
        pad_edge=False,
    )
    rows = [_row(position, scored) for position, scored in enumerate(ranked, start=1)]
    widths = [
        max(len(name), *(len(Text.from_markup(row[i]).plain) for row in rows))
        for i, name in enumerate(COLUMNS)
    ]
    title_index = COLUMNS.index("title")
    spare = console.width - (sum(widths) - widths[title_index]) - (len(COLUMNS) - 1)
    for index, name in enumerate(COLUMNS):
        if name == "title":
            width = max(10, min(widths[index], spare))
            table.add_column(name, no_wrap=True, overflow="ellipsis", width=width)
            continue
        justify: JustifyMethod = "right" if name in NUMERIC else "left"
        table.add_column(name, justify=justify, no_wrap=True, min_width=widths[index])
    for row in rows:
        table.add_row(*row)
    console.print(table)
    actionable = sum(1 for s in ranked if s.score.actionable)
    console.print(
        f"{len(ranked)} items, {actionable} actionable "
        f"(READY and WSJF ≥ {settings.scoring.actionable_threshold:g})."
    )


COLUMNS = (
    "#",
    "id",
    "title",
    "type",
    "status",
    "CoD",
    "size",
    "age",
    "×age",
    "WSJF",
    "band",
    "ready",
)
NUMERIC = {"#", "CoD", "size", "age", "×age", "WSJF"}
BAND_STYLE = {"critical": "bold red", "high": "yellow", "medium": "cyan", "low": "dim"}


def _row(position: int, scored: ScoredItem) -> list[str]:
    item, score = scored.item, scored.score
    return [
        str(position),
        item.id,
        item.title,
        item.type.value,
        item.status.value,
        f"{score.cost_of_delay}",
        f"{score.effort}",
        f"{score.age_days}d",
        f"{score.aging_multiplier:.2f}",
        f"{score.wsjf:.2f}",
        f"[{BAND_STYLE[score.priority.value]}]{score.priority.value}[/]",
        "✓" if score.actionable else "",
    ]
