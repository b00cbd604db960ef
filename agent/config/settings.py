"""Typed settings: defaults in code, then pyproject.toml, then .agent.toml, then AGENT_* variables.

Precedence, lowest to highest: defaults < `[tool.agent]` in the target repository's pyproject.toml
< `.agent.toml` in the repository root < environment variables `AGENT_<SECTION>__<FIELD>`
< command-line flags. Every field has a docstring; docs/configuration.md lists them.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from agent.config.discovery import DiscoverySettings
from agent.config.forge import ForgeSettings
from agent.config.instructions import InstructionSettings
from agent.config.model import ModelSettings
from agent.config.report import ReportSettings
from agent.config.scope import ScopeSettings
from agent.config.section import Section
from agent.config.workspace import ToolSettings, WorkspaceSettings
from agent.errors import InputError
from agent.instructions.apply import with_hints
from agent.testrun.pyenv import choose_python

DEFAULT_SCALE = (1, 2, 3, 5, 8, 13)
ENV_PREFIX = "AGENT_"
REASON = ("tests", "python_reason")


class BacklogSettings(Section):
    """Where the backlog lives."""

    path: str = "backlog.yml"
    """Backlog file, relative to the repository root."""


class ScoringSettings(Section):
    """WSJF parameters (docs/backlog.md explains the formula)."""

    scale: tuple[int, ...] = DEFAULT_SCALE
    """Allowed values for business_value, time_criticality, risk_reduction and effort."""
    aging_start_days: int = Field(default=1, ge=0)
    """Days an item may wait before aging starts to raise its score."""
    aging_rate: float = Field(default=0.1, ge=0)
    """Multiplier increase per day of age beyond aging_start_days."""
    aging_max: float = Field(default=2.0, ge=1)
    """Upper bound of the aging multiplier."""
    actionable_threshold: float = Field(default=1.0, ge=0)
    """Execution threshold: a READY item is actionable when its WSJF is at least this."""
    band_critical: float = 2.0
    """WSJF strictly above this is priority 'critical'."""
    band_high: float = 1.5
    """WSJF at or above this is priority 'high'."""
    band_medium: float = 1.0
    """WSJF at or above this is priority 'medium'; below it is 'low'."""

    @field_validator("scale")
    @classmethod
    def _scale_is_sorted_positive(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(v <= 0 for v in value) or len(set(value)) != len(value):
            raise ValueError("expected distinct positive integers, e.g. [1, 2, 3, 5, 8, 13]")
        return tuple(sorted(value))

    @model_validator(mode="after")
    def _bands_descend(self) -> ScoringSettings:
        if not self.band_critical >= self.band_high >= self.band_medium:
            raise ValueError("expected band_critical >= band_high >= band_medium")
        return self


class TestSettings(Section):
    """How the target repository's tests are run."""

    command: tuple[str, ...] = ("python", "-m", "pytest")
    """Test command; a leading `python` is the interpreter of `python` (docs/configuration.md)."""
    python: str = ""
    """Interpreter `python` means in the command, coverage run and shell tool; empty: the rule."""
    python_reason: str = ""
    """Why `python` is that interpreter: filled in when settings are loaded, not a setting."""
    extra_args: tuple[str, ...] = ("-q", "-p", "no:cacheprovider")
    """Arguments appended after the command (before any test selection)."""
    junit: bool = True
    """Pass --junitxml so outcomes are read per test (pytest-compatible runners)."""
    timeout_s: float = Field(default=600.0, gt=0)
    """Wall-clock limit of one test run; the whole process group is killed at the limit."""

    @property
    def interpreter(self) -> str:
        """The interpreter `python` stands for (agent's own when settings were not loaded)."""
        return self.python or sys.executable

    @property
    def python_note(self) -> str:
        """Which interpreter `python` is and why: `python: /x/.venv/bin/python (the reason)`."""
        why = f" ({self.python_reason})" if self.python_reason else ""
        return f"python: {self.interpreter}{why}"


class AgentSettings(Section):
    """How the micro cycle works an item."""

    red_attempts: int = Field(default=3, gt=0)
    """Tries the model gets to write a test that fails for the right reason."""
    regression_rounds: int = Field(default=2, ge=0)
    """Times CI or lint regressions are fed back to the model before the item is blocked."""
    clarify_rounds: int = Field(default=3, gt=0)
    """Rounds of the clarification chat before the item is blocked."""
    green_rewrite: str = Field(default="auto", pattern="^(auto|on|off)$")
    """GREEN first asks for the whole corrected file (search/replace blocks when it does not fit a
    reply), then the called functions: on, off, auto (json mode)."""
    rewrite_samples: int = Field(default=3, gt=0)
    """Whole-file rewrites GREEN tries: the first at the model's temperature, the others sampled."""
    rewrite_temperature: float = Field(default=0.7, ge=0.0, le=2.0)
    """Temperature of the sampled rewrites (seeded 1, 2, ... so a run can be replayed)."""
    refactor: str = Field(default="auto", pattern="^(auto|on|off)$")
    """Refactor pass: on, off, or auto (on with native tool calling, off in json mode)."""
    changelog: str = "CHANGELOG.md"
    """Keep a Changelog file the docs phase adds an entry to."""


class Settings(Section):
    """All settings of one run against one repository."""

    backlog: BacklogSettings = BacklogSettings()
    """The backlog file."""
    scoring: ScoringSettings = ScoringSettings()
    """WSJF scoring and ranking."""
    model: ModelSettings = ModelSettings()
    """The model endpoint, action mode, token accounting and spend caps."""
    tests: TestSettings = TestSettings()
    """The target repository's test command."""
    agent: AgentSettings = AgentSettings()
    """The micro cycle."""
    workspace: WorkspaceSettings = WorkspaceSettings()
    """Item worktrees, branches and the agent's commit identity."""
    tools: ToolSettings = ToolSettings()
    """Limits of the model's tools and the optional shell tool."""
    scope: ScopeSettings = ScopeSettings()
    """Automation scope (.automation-scope.yaml fields win over these)."""
    report: ReportSettings = ReportSettings()
    """Status reports (agent report)."""
    discovery: DiscoverySettings = DiscoverySettings()
    """What `agent discover` scans and the default scores of what it finds."""
    forge: ForgeSettings = ForgeSettings()
    """The forge (GitHub): issues and CI as sources, pushes and pull requests (docs/forge.md)."""
    instructions: InstructionSettings = InstructionSettings()
    """The repository's AGENTS.md, CLAUDE.md, ... in the prompts (docs/instructions.md)."""


def load_settings(
    repo: Path,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Load settings for `repo` from every source in precedence order."""
    environ = os.environ if env is None else env
    layers: list[tuple[str, dict[str, Any]]] = []
    pyproject = repo / "pyproject.toml"
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {})
        layers.append(
            (str(pyproject), dict(tool.get("agent", {})) if isinstance(tool, dict) else {})
        )
    dot_agent = repo / ".agent.toml"
    if dot_agent.is_file():
        layers.append((str(dot_agent), _read_toml(dot_agent)))
    layers.append(("environment", _env_layer(environ)))
    if overrides:
        layers.append(("command line", dict(overrides)))
    merged: dict[str, Any] = {}
    origin: dict[tuple[str, ...], str] = {}
    for name, layer in layers:
        _merge(merged, layer, (), name, origin)
    if REASON in origin:
        where = _where(REASON, origin)
        raise InputError(f"{where}: setting 'tests.python_reason': set by agent, not a setting")
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        raise InputError(*_describe(exc, origin)) from None
    return _with_interpreter(with_hints(settings, repo), repo, environ)


def _with_interpreter(settings: Settings, repo: Path, env: Mapping[str, str]) -> Settings:
    """Record which interpreter `python` stands for in `repo` (agent.testrun.pyenv) and why."""
    tests = settings.tests
    chosen = choose_python(repo, tests.python, tests.command, env)
    update = {"python": chosen.path, "python_reason": chosen.reason}
    return settings.model_copy(update={"tests": tests.model_copy(update=update)})


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(_toml_error(path, text, str(exc))) from None


def _toml_error(path: Path, text: str, message: str) -> str:
    """`FILE:LINE:COL: [key 'K': ]invalid TOML: ...` from tomllib's "(at line L, column C)"."""
    lines = text.splitlines() or [""]
    found = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    line, col = (int(found[1]), int(found[2])) if found else (len(lines), len(lines[-1]) + 1)
    what = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", message)
    key = re.match(r"\s*\[*\s*([\w.\"'-]+)", lines[min(line, len(lines)) - 1])
    field = f"setting '{key[1]}': " if key else ""
    return f"{path}:{line}:{col}: {field}invalid TOML: {what}"


def _env_layer(env: Mapping[str, str]) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for key, raw in sorted(env.items()):
        if not key.startswith(ENV_PREFIX) or "__" not in key:
            continue
        section, _, field = key[len(ENV_PREFIX) :].lower().partition("__")
        layer.setdefault(section, {})[field] = _parse_env_value(raw)
    return layer


def _parse_env_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        if "," in raw:
            return [_parse_env_value(part.strip()) for part in raw.split(",")]
        return raw


def _merge(
    into: dict[str, Any],
    layer: Mapping[str, Any],
    prefix: tuple[str, ...],
    name: str,
    origin: dict[tuple[str, ...], str],
) -> None:
    for key, value in layer.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value, path, name, origin)
        else:
            into[key] = dict(value) if isinstance(value, Mapping) else value
            _record_origin(value, path, name, origin)


def _record_origin(
    value: Any, path: tuple[str, ...], name: str, origin: dict[tuple[str, ...], str]
) -> None:
    origin[path] = name
    if isinstance(value, Mapping):
        for key, sub in value.items():
            _record_origin(sub, (*path, str(key)), name, origin)


def _describe(exc: ValidationError, origin: dict[tuple[str, ...], str]) -> list[str]:
    lines = []
    for err in exc.errors():
        path = tuple(str(p) for p in err["loc"] if not isinstance(p, int))
        where = _where(path, origin)
        field = ".".join(path) or "settings"
        lines.append(f"{where}: setting '{field}': {_message(err)}")
    return lines


def _message(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown setting (see docs/configuration.md)"
    return f"{err['msg']} (got {err.get('input')!r})"


def _where(path: tuple[str, ...], origin: dict[tuple[str, ...], str]) -> str:
    for depth in range(len(path), 0, -1):
        source = origin.get(path[:depth])
        if source is None:
            continue
        if source == "environment":
            return f"environment variable {ENV_PREFIX}{'__'.join(path[:2]).upper()}"
        if source.endswith(".toml"):
            return _toml_location(Path(source), path)
        return source
    return "settings"


def _toml_location(path: Path, keys: tuple[str, ...]) -> str:
    """`FILE:LINE` of the last key of `keys` in a TOML file, else of its nearest parent key."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return f"{path}:1"
    for depth in range(len(keys), 0, -1):
        key = re.escape(keys[depth - 1])
        for number, line in enumerate(lines, start=1):
            if re.match(rf"\s*([\"']?{key}[\"']?\s*=|\[.*\b{key}\b.*\])", line):
                return f"{path}:{number}"
    return f"{path}:1"
