"""The base of every settings section: unknown keys are an error, not silently ignored."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """Base for settings sections: unknown keys are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)
