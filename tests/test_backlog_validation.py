"""Every validation error names file:line:col, the item, the field and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.backlog.store import read_backlog
from agent.config.settings import DEFAULT_SCALE
from agent.errors import InputError

VALID_ITEM = """\
  - id: {id}
    title: A title
    type: bug
    status: READY
    business_value: 3
    time_criticality: 2
    risk_reduction: 1
    effort: 3
    created_at: 2026-11-01
"""


def errors_for(tmp_path: Path, text: str, scale: tuple[int, ...] = DEFAULT_SCALE) -> list[str]:
    path = tmp_path / "backlog.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_backlog(path, scale)
    return [line.replace(str(path), "backlog.yml") for line in caught.value.lines]


def backlog_with(field_line: str, replaces: str) -> str:
    item = VALID_ITEM.format(id="A-1")
    assert replaces in item
    return "version: 1\nitems:\n" + item.replace(replaces, field_line)


@pytest.mark.parametrize(
    ("replaces", "line", "expected"),
    [
        (
            "status: READY",
            "status: WAITING",
            "backlog.yml:6:5: item 'A-1' field 'status': unknown value 'WAITING' (expected one of:",
        ),
        (
            "type: bug",
            "type: epic",
            "backlog.yml:5:5: item 'A-1' field 'type': unknown value 'epic' (expected one of:",
        ),
        (
            "business_value: 3",
            "business_value: 4",
            "backlog.yml:7:5: item 'A-1' field 'business_value': 4 is not on the scale "
            "(expected one of 1, 2, 3, 5, 8, 13)",
        ),
        (
            "effort: 3",
            "effort: 20",
            "backlog.yml:10:5: item 'A-1' field 'effort': 20 is not on the scale",
        ),
        (
            "risk_reduction: 1",
            "risk_reduction: 2.5",
            "backlog.yml:9:5: item 'A-1' field 'risk_reduction': expected an integer on the scale "
            "1, 2, 3, 5, 8, 13, got 2.5",
        ),
        (
            "risk_reduction: 1",
            "risk_reduction: high",
            "backlog.yml:9:5: item 'A-1' field 'risk_reduction': expected an integer",
        ),
        (
            "created_at: 2026-11-01",
            "created_at: last tuesday",
            "backlog.yml:11:5: item 'A-1' field 'created_at': expected an ISO 8601 date",
        ),
        (
            "title: A title",
            "titel: A title",
            "backlog.yml:4:5: item 'A-1' field 'titel': unknown field (did you mean 'title'?",
        ),
    ],
)
def test_field_errors(tmp_path: Path, replaces: str, line: str, expected: str) -> None:
    errors = errors_for(tmp_path, backlog_with(line, replaces))
    assert any(error.startswith(expected) for error in errors), errors


def test_missing_required_field_points_at_the_item(tmp_path: Path) -> None:
    text = backlog_with("", "    created_at: 2026-11-01\n")
    assert errors_for(tmp_path, text) == [
        "backlog.yml:3:5: item 'A-1' field 'created_at': required field is missing"
    ]


def test_duplicate_ids_name_the_first_use(tmp_path: Path) -> None:
    text = "version: 1\nitems:\n" + VALID_ITEM.format(id="X") + VALID_ITEM.format(id="X")
    assert errors_for(tmp_path, text) == [
        "backlog.yml:12:5: item 'X' field 'id': duplicate id (first used on line 3; "
        "ids must be unique)"
    ]


def test_all_problems_are_reported_at_once_in_line_order(tmp_path: Path) -> None:
    text = (
        "version: 1\nitems:\n"
        + VALID_ITEM.format(id="A").replace("type: bug", "type: nope")
        + VALID_ITEM.format(id="B").replace("effort: 3", "effort: 4")
    )
    errors = errors_for(tmp_path, text)
    assert [e.split(":")[1] for e in errors] == ["5", "19"]


def test_malformed_yaml_is_reported_where_the_bracket_opens(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "version: 1\nitems:\n  - id: [unclosed\n    title: x\n")
    assert errors == [
        "backlog.yml:3:9: field 'id': invalid YAML: a flow sequence opened here is not closed "
        "(expected ',' or ']', but got ':' at line 4)"
    ]


def test_an_unclosed_quote_is_reported_on_the_line_it_opens(tmp_path: Path) -> None:
    text = "version: 1\nitems:\n" + VALID_ITEM.format(id="A").replace("A title", '"A title')
    errors = errors_for(tmp_path, text)
    assert errors == [
        "backlog.yml:4:12: field 'title': invalid YAML: a quoted scalar opened here is not closed "
        "(found unexpected end of stream at line 12)"
    ]


def test_duplicate_key_in_one_item(tmp_path: Path) -> None:
    text = "version: 1\nitems:\n" + VALID_ITEM.format(id="A") + "    type: feature\n"
    errors = errors_for(tmp_path, text)
    assert errors == [
        "backlog.yml:12:5: field 'type': invalid YAML: found duplicate key \"type\" with value "
        '"feature" (original value: "bug") (in a mapping from line 3)'
    ]


def test_wrong_version_and_unknown_top_level_key(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "version: 2\nitem: []\n")
    assert errors == [
        "backlog.yml:1:1: field 'version': got 2 (expected 1)",
        "backlog.yml:2:1: field 'item': unknown key (expected version, items)",
    ]


def test_item_that_is_not_a_mapping(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "version: 1\nitems:\n  - just a string\n")
    assert errors == ["backlog.yml:3:5: item #1: expected a mapping of fields"]


def test_twenty_is_allowed_only_when_configured(tmp_path: Path) -> None:
    text = backlog_with("effort: 20", "effort: 3")
    assert errors_for(tmp_path, text)
    path = tmp_path / "backlog.yml"
    assert read_backlog(path, (*DEFAULT_SCALE, 20)).items[0].effort == 20


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "backlog.yml"
    path.write_bytes(b"version: 1\nitems: []\n# caf\xe9\n")
    with pytest.raises(InputError, match=r"backlog.yml:1:1: not UTF-8"):
        read_backlog(path, DEFAULT_SCALE)


YAML_ATOMS = st.sampled_from(
    [
        "version: 1",
        "items:",
        "  - id: A",
        "  - id: [",
        "    title: x",
        "    type: bug",
        "    status: READY",
        "    status: nope",
        "    business_value: 3",
        "    effort: 0",
        "    effort: 2.5",
        "    created_at: 2026-01-01",
        "    created_at: never",
        "    tags: {a: b}",
        "    source: 5",
        "- 1",
        "{",
        "'",
        ": :",
        "\t",
        "&a [*a]",
        "!!binary abc",
        "",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(YAML_ATOMS, max_size=14), noise=st.text(max_size=30))
def test_fuzzed_yaml_never_raises_anything_but_input_error(
    tmp_path: Path, lines: list[str], noise: str
) -> None:
    path = tmp_path / "backlog.yml"
    path.write_text("\n".join([*lines, noise]), encoding="utf-8")
    try:
        read_backlog(path, DEFAULT_SCALE)
    except InputError as exc:
        assert exc.lines and all(
            line.startswith(str(path)) or "backlog.yml" in line for line in exc.lines
        )
