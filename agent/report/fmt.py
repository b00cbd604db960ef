"""How figures are written in markdown and HTML (the same text in both)."""

from __future__ import annotations

from agent.report.models import NOT_MEASURED, Figure

UNIT_SUFFIX = {"percent": "%", "hours": "h", "ratio": ""}


def value_text(figure: Figure) -> str:
    """The figure's value as shown to a person; 'not measured' when null."""
    value = figure.value
    if value is None:
        return NOT_MEASURED
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        unit = figure.unit[:-1] if value == 1 and figure.unit.endswith("s") else figure.unit
        return f"{value} {unit}".strip()
    if figure.unit == "ratio":
        return f"{value:.2f} ({value * 100:.1f}%)"
    if figure.unit == "USD":
        return f"{value:.4f} USD"
    suffix = UNIT_SUFFIX.get(figure.unit, f" {figure.unit}")
    return f"{value:.2f}{suffix}"


def reason_text(figure: Figure) -> str:
    """Why a figure is null, without repeating 'not measured'."""
    reason = figure.reason or ""
    prefix = f"{NOT_MEASURED}: "
    return reason[len(prefix) :] if reason.startswith(prefix) else reason


def short(sha: str) -> str:
    """An abbreviated commit id."""
    return sha[:10]


def md_cell(text: object) -> str:
    """Text safe inside a markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
