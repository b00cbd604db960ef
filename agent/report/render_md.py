"""Render a report as markdown (templates/report.md.j2)."""

from __future__ import annotations

from typing import Any

import jinja2

from agent.report.fmt import md_cell, reason_text, short, value_text
from agent.report.models import Figure, Report

SECTIONS = ("summary", "runs", "quality", "delivery")


def environment(autoescape: bool) -> jinja2.Environment:
    """The template environment: a missing variable is an error, never an empty string."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("agent.report", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,  # noqa: S701 - markdown is not HTML; the HTML page escapes
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(value=value_text, reason=reason_text, short=short, cell=md_cell)
    return env


def section_figures(report: Report) -> dict[str, list[tuple[str, Figure]]]:
    """Each section's figures with their titles, in schema order."""
    grouped: dict[str, list[tuple[str, Figure]]] = {}
    for name in SECTIONS:
        section = getattr(report, name)
        grouped[name] = [
            (field.title or key, getattr(section, key))
            for key, field in type(section).model_fields.items()
            if isinstance(getattr(section, key), Figure)
        ]
    return grouped


def context(report: Report) -> dict[str, Any]:
    """Variables shared by the markdown and HTML templates."""
    return {"report": report, "figures": section_figures(report)}


def render_markdown(report: Report) -> str:
    """The report as a markdown document."""
    return environment(autoescape=False).get_template("report.md.j2").render(context(report))
