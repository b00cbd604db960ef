"""Validate parsed backlog data, reporting every problem at once with its line and column."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from agent.backlog.models import BACKLOG_VERSION, SCORE_FIELDS, Backlog, BacklogItem

# Returns the 1-based (line, column) of a node, given the item index and field name (both optional).
Locator = Callable[[int | None, str | None], tuple[int, int]]
ALIASES = {"value": "business_value", "job_size": "effort"}
ITEM_FIELDS = tuple(BacklogItem.model_fields)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file."""

    line: int
    column: int
    item: str | None
    field: str | None
    message: str

    def render(self, filename: str) -> str:
        """Format as `FILE:LINE:COL: item 'ID' field 'NAME': message`."""
        head = f"{filename}:{self.line}:{self.column}:"
        item = f"item {self.item}" if self.item is not None else ""
        field = f"field '{self.field}'" if self.field is not None else ""
        subject = " ".join(part for part in (item, field) if part)
        return f"{head} {subject}: {self.message}" if subject else f"{head} {self.message}"


def no_location(index: int | None, field: str | None) -> tuple[int, int]:
    """Locator for data without position information."""
    return (1, 1)


def validate_backlog(
    data: Any, scale: Sequence[int], locate: Locator = no_location
) -> tuple[Backlog | None, list[Problem]]:
    """Turn parsed YAML into a Backlog, or list every problem found."""
    problems: list[Problem] = []
    if data is None:
        return Backlog(), problems
    if not isinstance(data, dict):
        got = "list" if isinstance(data, list) else type(data).__name__
        message = f"the document is a {got}; expected a mapping with 'version' and 'items'"
        return None, [Problem(1, 1, None, None, message)]
    problems += _check_top_level(data, locate)
    raw_items = data.get("items") or []
    if not isinstance(raw_items, list):
        line, col = locate(None, "items")
        return None, [*problems, Problem(line, col, None, "items", "expected a list of items")]
    items = [_validate_item(i, raw, scale, locate, problems) for i, raw in enumerate(raw_items)]
    _check_duplicates(raw_items, locate, problems)
    if problems:
        return None, sorted(problems, key=lambda p: (p.line, p.column))
    return Backlog(version=BACKLOG_VERSION, items=[i for i in items if i is not None]), []


def _check_top_level(data: dict[str, Any], locate: Locator) -> list[Problem]:
    problems = []
    for key in data:
        if key not in ("version", "items"):
            line, col = locate(None, str(key))
            problems.append(
                Problem(line, col, None, str(key), "unknown key (expected version, items)")
            )
    version = data.get("version")
    if version != BACKLOG_VERSION or isinstance(version, bool):
        line, col = locate(None, "version" if "version" in data else None)
        got = "missing" if "version" not in data else f"got {version!r}"
        problems.append(Problem(line, col, None, "version", f"{got} (expected {BACKLOG_VERSION})"))
    return problems


def _item_label(index: int, raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return f"'{raw['id']}'"
    return f"#{index + 1}"


def _validate_item(
    index: int, raw: Any, scale: Sequence[int], locate: Locator, problems: list[Problem]
) -> BacklogItem | None:
    label = _item_label(index, raw)
    if not isinstance(raw, dict):
        line, col = locate(index, None)
        problems.append(Problem(line, col, label, None, "expected a mapping of fields"))
        return None
    found = _alias_clashes(index, raw, label, locate)
    try:
        item = BacklogItem.model_validate(raw)
    except ValidationError as exc:
        found += [_problem(index, raw, label, err, scale, locate) for err in exc.errors()]
        item = None
    found += _scale_problems(index, raw, label, scale, locate)
    problems.extend(found)
    return None if found else item


def _alias_clashes(index: int, raw: dict[str, Any], label: str, locate: Locator) -> list[Problem]:
    clashes = []
    for alias, name in ALIASES.items():
        if alias in raw and name in raw:
            line, col = locate(index, alias)
            clashes.append(Problem(line, col, label, alias, f"duplicates '{name}' (give one)"))
    return clashes


def _raw_key(raw: dict[str, Any], field: str) -> str:
    for alias, name in ALIASES.items():
        if name == field and field not in raw and alias in raw:
            return alias
    return field


def _problem(
    index: int,
    raw: dict[str, Any],
    label: str,
    err: Any,
    scale: Sequence[int],
    locate: Locator,
) -> Problem:
    loc = [str(p) for p in err["loc"]]
    field = _raw_key(raw, loc[0]) if loc else None
    line, col = locate(index, field if field in raw else None)
    shown = ".".join([field or "", *loc[1:]]) if field else None
    return Problem(line, col, label, shown, _explain(err, loc, scale))


def _explain(err: Any, loc: list[str], scale: Sequence[int]) -> str:
    kind, got = err["type"], err.get("input")
    name = loc[0] if loc else ""
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        hint = difflib.get_close_matches(name, [*ITEM_FIELDS, *ALIASES], n=1)
        suggestion = f"did you mean '{hint[0]}'? " if hint else ""
        return f"unknown field ({suggestion}expected one of: {', '.join(ITEM_FIELDS)})"
    if kind == "enum":
        return f"unknown value {got!r} (expected one of: {err['ctx']['expected']})"
    if name in SCORE_FIELDS:
        return f"expected an integer on the scale {_scale_text(scale)}, got {got!r}"
    if kind == "value_error":
        return f"{err['ctx']['error']}, got {got!r}"
    return f"{err['msg'].lower()}, got {got!r}"


def _scale_text(scale: Sequence[int]) -> str:
    return ", ".join(str(v) for v in scale)


def _scale_problems(
    index: int, raw: dict[str, Any], label: str, scale: Sequence[int], locate: Locator
) -> list[Problem]:
    problems = []
    for field in SCORE_FIELDS:
        key = _raw_key(raw, field)
        value = raw.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value not in scale:
            line, col = locate(index, key)
            message = f"{value} is not on the scale (expected one of {_scale_text(scale)})"
            problems.append(Problem(line, col, label, key, message))
    return problems


def _check_duplicates(raw_items: list[Any], locate: Locator, problems: list[Problem]) -> None:
    first_seen: dict[str, int] = {}
    for index, raw in enumerate(raw_items):
        item_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(item_id, str):
            continue
        if item_id in first_seen:
            line, col = locate(index, "id")
            first_line, _ = locate(first_seen[item_id], "id")
            message = f"duplicate id (first used on line {first_line}; ids must be unique)"
            problems.append(Problem(line, col, f"'{item_id}'", "id", message))
        else:
            first_seen[item_id] = index
