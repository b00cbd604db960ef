"""Fixtures: GitHub's OpenAPI description in prism, in front of the stateful fake."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.forge import fake_github, servers

IN_CI = os.environ.get("CI", "").lower() in (
    "1",
    "true",
)  # read before the autouse fixture drops it


@dataclass
class Forge:
    """The mock GitHub of one test: prism's URL, the fake's state and prism's log."""

    url: str
    state: fake_github.State
    log: Path
    log_start: int
    rejected: int = 0
    """Requests the test sends malformed on purpose: prism must reject exactly these."""

    def violations(self) -> list[str]:
        """Lines where prism found a request or a response that breaks the spec."""
        text = self.log.read_text(encoding="utf-8", errors="replace")[self.log_start :]
        return [line for line in text.splitlines() if re.search(r"Violation: request|rror", line)]

    def rejections(self) -> int:
        """Requests prism refused as invalid (never forwarded to the fake)."""
        text = self.log.read_text(encoding="utf-8", errors="replace")[self.log_start :]
        return text.count("Request terminated with error")

    def forwarded(self) -> int:
        """Requests prism validated and passed on to the fake."""
        text = self.log.read_text(encoding="utf-8", errors="replace")[self.log_start :]
        return text.count("Forwarding")

    def config(self, **extra: Any) -> str:
        """The `[forge]` section of an .agent.toml for this mock."""
        fields = {"provider": "github", "api_url": self.url, "repository": fake_github.REPO,
                  "media_type": "application/json", **extra}  # fmt: skip
        lines = [f"{key} = {_toml(value)}" for key, value in fields.items()]
        return "[forge]\n" + "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="session")
def _mock_github(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, ThreadingHTTPServer, dict[str, Any], Path]]:
    servers.need_prism(IN_CI)
    folder = tmp_path_factory.mktemp("github")
    spec_path = folder / "github.json"
    examples = fake_github.load_examples(servers.trimmed_spec(spec_path))
    fake = fake_github.serve(fake_github.State(examples))
    log = folder / "prism.log"
    upstream = f"http://127.0.0.1:{fake.server_address[1]}"
    try:
        with servers.prism_proxy(spec_path, upstream, log) as url:
            fake.RequestHandlerClass.public_url = url  # type: ignore[attr-defined]
            yield url, fake, examples, log
    finally:
        fake.shutdown()
        fake.server_close()


@pytest.fixture
def forge(
    _mock_github: tuple[str, ThreadingHTTPServer, dict[str, Any], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Forge]:
    """A fresh mock GitHub; GITHUB_TOKEN set; fails the test if prism saw a spec violation."""
    url, fake, examples, log = _mock_github
    state = fake_github.State(examples)
    fake.RequestHandlerClass.state = state  # type: ignore[attr-defined]
    monkeypatch.setenv("GITHUB_TOKEN", fake_github.TOKEN)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    mock = Forge(url, state, log, len(log.read_text(encoding="utf-8", errors="replace")))
    yield mock
    _settle(log)
    violations = mock.violations()
    assert mock.rejections() == mock.rejected, "\n".join(violations)
    if not mock.rejected:
        assert violations == [], "\n".join(violations)
    assert mock.forwarded() == len(state.log), "a request bypassed prism"
    VALIDATED.append(len(state.log))


def _settle(log: Path) -> None:
    """Wait (at most 3 s) until prism's log stops growing: it is written asynchronously."""
    size, deadline = -1, time.monotonic() + 3
    while time.monotonic() < deadline:
        now = log.stat().st_size
        if now == size:
            return
        size = now
        time.sleep(0.15)


VALIDATED: list[int] = []
"""Requests of each forge test that prism validated against GitHub's description."""


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many requests prism validated (the figure docs/forge.md quotes)."""
    if VALIDATED:
        terminalreporter.write_line(
            f"forge: {sum(VALIDATED)} requests in {len(VALIDATED)} tests passed GitHub's "
            "OpenAPI validation (prism)"
        )
