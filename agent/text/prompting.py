"""Render the Jinja prompt templates in prompts/ (a missing variable is an error, never blank)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jinja2


def _load(name: str) -> str | None:
    entry = resources.files("agent.prompts") / name
    return entry.read_text(encoding="utf-8") if entry.is_file() else None


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - prompts are plain text for a model, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(phase: str, **context: Any) -> str:
    """Render prompts/<phase>.md.j2 with `context`; raises on a missing template or variable."""
    return _environment().get_template(f"{phase}.md.j2").render(**context).strip() + "\n"
