"""1,000 generated backlog.yml, .automation-scope.yaml and settings files each: no traceback, ever.

Every file is built from the real schema (known fields with values of every type, unknown keys,
missing keys) and then, often, damaged as text (a quote or bracket left open, a tab, a cut).
Loading it either succeeds or raises InputError whose every line starts `FILE:LINE:` and names
the field (or the item, or says the YAML/TOML itself is malformed). docs/reliability.md reports it.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from agent.backlog.models import BacklogItem
from agent.backlog.store import read_backlog, update_backlog
from agent.config.scope import ScopeSettings, load_scope
from agent.config.settings import DEFAULT_SCALE, Settings, load_settings
from agent.errors import InputError

EXAMPLES = 1000
pytestmark = pytest.mark.slow  # about 20 s per loader on 2 cores
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
    st.sampled_from(["READY", "bug", "2026-11-01", "13", "", "null", "~", "yes", "0x1F"]),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
DAMAGE = ['"', "'", "[", "{", "}", ":", "\t", "- ", "&a ", "*b", "!!int ", "? ", "#", "\n  ", "|"]
VALID = {
    "id": "A-1",
    "title": "A title",
    "type": "bug",
    "status": "READY",
    "business_value": 3,
    "time_criticality": 2,
    "risk_reduction": 1,
    "effort": 3,
    "created_at": "2026-11-01",
}
SYNTAX = ("invalid YAML", "invalid TOML", "not UTF-8")


@st.composite
def mappings(draw: st.DrawFn, valid: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """`valid` with some fields dropped, some values replaced by any value, some keys unknown."""
    result: dict[str, Any] = {}
    for key in dict.fromkeys([*valid, *draw(st.lists(st.sampled_from(fields), max_size=3))]):
        choice = draw(st.sampled_from(["keep", "keep", "drop", "replace"]))
        if choice == "keep" and key in valid:
            result[key] = valid[key]
        elif choice != "drop":
            result[key] = draw(VALUES)
    for key in draw(st.lists(st.text(min_size=1, max_size=8), max_size=2)):
        result[key] = draw(VALUES)
    return result


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    """Often break `text`: insert a stray character, cut it short, or duplicate a line."""
    kind = draw(st.sampled_from(["none", "none", "insert", "insert", "cut", "dup"]))
    if kind == "none" or not text:
        return text
    at = draw(st.integers(0, len(text)))
    if kind == "insert":
        return text[:at] + draw(st.sampled_from(DAMAGE)) + text[at:]
    if kind == "cut":
        return text[:at]
    lines = text.splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    return "".join([*lines[: index + 1], lines[index], *lines[index + 1 :]])


def dump_yaml(data: Any) -> str:
    buffer = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, buffer)
    return buffer.getvalue()


@st.composite
def backlog_texts(draw: st.DrawFn) -> str:
    items = draw(st.lists(mappings(VALID, list(BacklogItem.model_fields)), max_size=3))
    document: Any = {"version": draw(st.sampled_from([1, 1, 1, 2, "1"])), "items": items}
    if draw(st.integers(0, 9)) == 0:
        document = draw(VALUES)
    return draw(damaged(dump_yaml(document)))


@st.composite
def scope_texts(draw: st.DrawFn) -> str:
    fields = list(ScopeSettings.model_fields)
    defaults = {"pr_daily_limit": 5, "restricted_paths": ["secrets/"], "file_change_limit": 10}
    return draw(damaged(dump_yaml(draw(mappings(defaults, fields)))))


def toml_value(value: Any) -> str:
    """A TOML literal for `value` (None has no TOML form: an empty string stands in)."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | date):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


@st.composite
def settings_texts(draw: st.DrawFn) -> str:
    sections = list(Settings.model_fields)
    lines = []
    for section in draw(st.lists(st.sampled_from([*sections, "bogus"]), max_size=3, unique=True)):
        model = Settings.model_fields[section].annotation if section in sections else None
        fields = list(getattr(model, "model_fields", {})) or ["x"]
        body = draw(mappings({}, fields))
        lines.append(f"[tool.agent.{section}]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in body.items()]
    return draw(damaged("\n".join(lines) + "\n"))


def assert_located(path: Path, error: InputError) -> None:
    """Every line: FILE:LINE[:COL]: and a field, an item, or a syntax error."""
    assert error.lines
    for line in error.lines:
        assert re.match(rf"{re.escape(str(path))}:\d+(:\d+)?: ", line), line
        named = any(name in f" {line}" for name in ("field '", "setting '", " item ", "document"))
        assert named or any(kind in line for kind in SYNTAX), line


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@seed(15)
@FUZZ
@given(text=backlog_texts())
def test_generated_backlogs_load_or_fail_with_a_located_error(workdir: Path, text: str) -> None:
    path = workdir / "backlog.yml"
    path.write_text(text, encoding="utf-8")
    try:
        read_backlog(path, DEFAULT_SCALE)
        with update_backlog(path, DEFAULT_SCALE) as backlog:  # the locked round-trip path too
            backlog.items = backlog.items[:1]
    except InputError as error:
        assert_located(path, error)
    else:
        assert read_backlog(path, DEFAULT_SCALE) is not None  # a write left a valid file


@seed(15)
@FUZZ
@given(text=scope_texts())
def test_generated_scope_files_load_or_fail_with_a_located_error(workdir: Path, text: str) -> None:
    path = workdir / ".automation-scope.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_scope(workdir)
    except InputError as error:
        assert_located(path, error)


@seed(15)
@FUZZ
@given(text=settings_texts(), where=st.sampled_from(["pyproject.toml", ".agent.toml"]))
def test_generated_settings_load_or_fail_with_a_located_error(
    workdir: Path, text: str, where: str
) -> None:
    for old in ("pyproject.toml", ".agent.toml"):
        (workdir / old).unlink(missing_ok=True)
    if where == ".agent.toml":
        text = text.replace("[tool.agent.", "[")
    path = workdir / where
    path.write_text(text, encoding="utf-8")
    try:
        load_settings(workdir, env={})
    except InputError as error:
        assert_located(path, error)
