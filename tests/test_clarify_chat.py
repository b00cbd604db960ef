"""The clarification chat a person sees: keys shown literally, no repeated lines."""

from __future__ import annotations

import io

import pytest

from agent.commands.run import ask_human
from agent.graph.clarify import unique_lines

PAYLOAD = {
    "item": "TODO-1",
    "title": "Fix [bold]parse[/bold]",
    "criteria": ["Returns 0 for []", "Returns 0 for []", "  returns 0 for  []", "Raises on None"],
    "questions": ["Which [x] format?", "Which [x] format?"],
}


def test_the_prompt_shows_the_key_letters_and_each_line_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a\n"))
    assert ask_human(PAYLOAD) == {"action": "accept"}
    out = capsys.readouterr().out
    assert "[a]ccept, [e]dit, [r]eply to the questions, [s]kip" in out
    assert out.count("Returns 0 for []") == 1 and "2. Raises on None" in out
    assert out.count("Which [x] format?") == 1 and "[bold]parse[/bold]" in out


def test_edited_criteria_are_kept_once_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("e\nfirst\nsecond\nfirst\n\n"))
    assert ask_human(PAYLOAD) == {"action": "edit", "criteria": ["first", "second"]}


def test_unique_lines_drops_blanks_repeats_and_non_lists() -> None:
    assert unique_lines(["a b", "A  b", "", "  ", "c"]) == ["a b", "c"]
    assert unique_lines("not a list") == [] and unique_lines(None) == []
