"""Fast YAML reading through yaml-rs (Rust, YAML 1.2); positions come from roundtrip.py instead."""

from __future__ import annotations

from typing import Any

import yaml_rs


class FastYAMLError(ValueError):
    """The fast parser rejected the text; re-parse with ruamel for a positioned message."""


def fast_load(text: str) -> Any:
    """Parse YAML quickly, without positions (docs/adr/0002-yaml-libraries.md)."""
    try:
        return yaml_rs.loads(text)
    except Exception as exc:  # the Rust extension raises several error types
        raise FastYAMLError(str(exc)) from None
