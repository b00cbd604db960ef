"""Cassettes hold no secrets: no authorization or key headers, no key-like strings anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from agent.scanners.secrets import find_secrets

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
KEY_LIKE = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_-]{6,}|\bBearer\s+\S+", re.IGNORECASE)
CREDENTIAL_HEADERS = {"authorization", "api-key", "x-api-key", "cookie", "set-cookie",
                      "openai-organization", "openai-project"}  # fmt: skip


def _cassettes() -> list[Path]:
    return sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_to_check() -> None:
    assert _cassettes(), "expected recorded cassettes under cassettes/"


@pytest.mark.parametrize("path", _cassettes(), ids=lambda p: str(p.relative_to(CASSETTES)))
def test_cassette_has_no_credentials(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not KEY_LIKE.search(text), f"{path}: key-like string"
    assert not find_secrets(text), f"{path}: secret pattern"
    for interaction in yaml.safe_load(text)["interactions"]:
        for part in ("request", "response"):
            headers = {name.lower() for name in interaction[part].get("headers", {})}
            assert not headers & CREDENTIAL_HEADERS, f"{path}: {headers & CREDENTIAL_HEADERS}"


def test_the_checker_catches_a_leaked_header() -> None:
    leaked = "headers:\n  Authorization:\n  - Bearer sk-live-abcdef123456\n"
    assert KEY_LIKE.search(leaked)
