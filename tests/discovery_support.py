"""Helpers for the discovery tests: run `agent discover` in-process and read its results."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.__main__ import main

NOW = "2026-11-21T00:00:00Z"


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> list[dict[str, Any]]:
        return json.loads(self.out)


def discover(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> Outcome:
    """Run `agent discover ARGS` through the real entry point (exit codes included); the lean path
    (agent/discovery/fast.py) answers where it applies, as for a user."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(sys, "argv", ["agent", "discover", *args, "--now", NOW])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def backlog_items(repo: Path) -> dict[str, dict[str, Any]]:
    """The items of REPO/backlog.yml by id."""
    data = yaml.safe_load((repo / "backlog.yml").read_text(encoding="utf-8"))
    return {item["id"]: item for item in data["items"]}


def by_text(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Discovered items keyed by their source text."""
    return {item["source"]["text"]: item for item in items}
