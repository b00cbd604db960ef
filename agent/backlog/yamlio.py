"""Fast YAML reading through libyaml (no positions; see roundtrip.py for those)."""

from __future__ import annotations

from typing import Any

import yaml


class _FastLoader(yaml.CSafeLoader):
    """libyaml-backed safe loader that keeps timestamps as datetimes."""


def fast_load(text: str) -> Any:
    """Parse YAML quickly (no positions); raises yaml.YAMLError on malformed input."""
    return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a CSafeLoader subclass
