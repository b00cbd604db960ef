"""Shared fixtures: every test runs offline with a dummy API key and no user configuration."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Keep tests independent of the developer's environment and home directory."""
    for name in [n for n in __import__("os").environ if n.startswith(("AGENT_", "OPENAI_"))]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-dummy")
    # Target repositories' tests run with this interpreter, whatever python3 or virtualenv the
    # machine has (agent.testrun.pyenv's rule); tests of the rule pass their own environment.
    monkeypatch.setenv("AGENT_TESTS__PYTHON", sys.executable)
    # pytest does not truncate assertion output when CI or BUILD_NUMBER is set; the target
    # repositories' test runs must print the same in CI as where cassettes were recorded.
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BUILD_NUMBER", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    yield


# HTTP cassettes (pytest-recording + vcrpy); docs/testing.md explains how to re-record.

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
FILTERED_HEADERS = ("authorization", "api-key", "x-api-key", "cookie", "openai-organization",
                    "openai-project")  # fmt: skip


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop Set-Cookie and any other credential-bearing header from a recorded response."""
    headers = response.get("headers", {})
    for name in [n for n in headers if n.lower() in ("set-cookie", "openai-organization")]:
        del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """Cassettes live in cassettes/<test module>/<test name>.yaml at the repository root."""
    return str(CASSETTES / Path(str(request.node.fspath)).stem)


VCR_CONFIG: dict[str, Any] = {
    "match_on": ("method", "scheme", "host", "port", "path", "query", "body"),
    "filter_headers": [(name, None) for name in FILTERED_HEADERS],
    "filter_query_parameters": [("api_key", None), ("key", None)],
    "before_record_response": _scrub_response,
    "decode_compressed_response": True,
}


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    """Match every field of a request (a changed prompt fails loudly); never store credentials."""
    return dict(VCR_CONFIG)
