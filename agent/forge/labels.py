"""Issue labels to item type and WSJF scores, and acceptance criteria from an issue's body."""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.config.forge import SCORE_NAMES, ForgeSettings, LabelRule

DEFAULT_TYPE = "feature"
TASK = re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s+(.+?)\s*$")
BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+?)\s*$")
CRITERIA_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*|\*\*|__)?\s*acceptance criteria\s*:?\s*(?:\*\*|__)?\s*:?\s*$", re.I
)
HEADING = re.compile(r"^\s*(?:#{1,6}\s+\S|(\*\*|__).+(\*\*|__)\s*:?\s*$)")


def label_rules(labels: Iterable[str], settings: ForgeSettings) -> list[LabelRule]:
    """The table's rules for `labels` (case-insensitive), in the issue's label order."""
    return [rule for name in labels if (rule := settings.labels.get(name.lower())) is not None]


def item_type(rules: list[LabelRule]) -> str:
    """The type of the first rule that sets one, else feature."""
    return next((rule.type for rule in rules if rule.type), DEFAULT_TYPE)


def item_scores(rules: list[LabelRule], settings: ForgeSettings) -> tuple[int, int, int, int]:
    """Base issue scores raised (value, criticality, risk) or lowered (effort) by the labels."""
    scores = dict(settings.issue_scores)
    for name in SCORE_NAMES:
        values = [value for rule in rules if (value := getattr(rule, name)) is not None]
        if values:
            scores[name] = min(values) if name == "effort" else max(values)
    value, critical, risk, effort = (scores[name] for name in SCORE_NAMES)
    return value, critical, risk, effort


def criteria(body: str) -> tuple[str, ...]:
    """The bullets of an "Acceptance criteria" section, else the body's task list items."""
    lines = body.replace("\r\n", "\n").split("\n")
    section = _section(lines)
    if section:
        return section
    return tuple(found[1] for line in lines if (found := TASK.match(line)))


def _section(lines: list[str]) -> tuple[str, ...]:
    start = next((i for i, line in enumerate(lines) if CRITERIA_HEADING.match(line)), None)
    if start is None:
        return ()
    found: list[str] = []
    for line in lines[start + 1 :]:
        if HEADING.match(line):
            break
        bullet = BULLET.match(line)
        if bullet:
            found.append(bullet[1])
    return tuple(found)
