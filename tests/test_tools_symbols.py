"""find_symbol, read_window and search through git grep, in a real item worktree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.tools.files import search
from agent.tools.grep import is_portable
from agent.tools.symbols import find_symbol
from agent.tools.window import read_window
from agent.workspace.worktree import ItemWorkspace
from tests.support import git
from tests.toolkit import call, user_repo, worked_item

CORE = """\
def parse(text):
    return [part for part in text.split(",") if part]


class Parser:
    def feed(self, data):
        return self.parse_line(data)

    def parse_line(self, data):
        return parse(data)
"""
API = """\
import pkg.core as c
from pkg.core import parse as p
from .core import Parser


def handle(text):
    first = c.parse(text)
    return first + p(text)


def stream(chunks):
    reader = Parser()
    return [reader.feed(chunk) for chunk in chunks]
"""
OTHER = """\
def parse(text):
    return text


def use():
    return parse("x")
"""
SECRET = "def parse(text):\n    return 'hidden'\n"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[ItemWorkspace]:
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": CORE,
        "pkg/api.py": API,
        "pkg/other.py": OTHER,
        "migrations/0001.py": SECRET,
        ".automation-scope.yaml": 'restricted_paths:\n  - "migrations/"\n',
    }
    repo = user_repo(tmp_path, files)
    with worked_item(repo) as workspace:
        yield workspace


def test_find_symbol_by_dotted_path_resolves_aliases(ws: ItemWorkspace) -> None:
    result = call(find_symbol, ws, name="pkg.core.parse")
    assert result.ok, result.output
    assert result.output.splitlines() == [
        "definitions of pkg.core.parse (1):",
        "pkg/core.py:1: def parse(text):",
        "callers (3):",
        "pkg/api.py:7: first = c.parse(text)  [in handle]",
        "pkg/api.py:8: return first + p(text)  [in handle]",
        "pkg/core.py:10: return parse(data)  [in Parser.parse_line]",
    ]
    assert result.data == {"definitions": 1, "callers": 3}


def test_find_symbol_by_name_lists_every_definition_but_not_restricted_ones(
    ws: ItemWorkspace,
) -> None:
    result = call(find_symbol, ws, name="parse")
    assert result.ok
    assert "pkg/core.py:1: def parse(text):" in result.output
    assert "pkg/other.py:1: def parse(text):" in result.output
    assert 'pkg/other.py:6: return parse("x")  [in use]' in result.output
    assert "migrations" not in result.output


def test_find_symbol_finds_methods_and_their_callers(ws: ItemWorkspace) -> None:
    result = call(find_symbol, ws, name="Parser.feed")
    assert result.output.splitlines()[:2] == [
        "definitions of Parser.feed (1):",
        "pkg/core.py:6: def feed(self, data):",
    ]
    assert "pkg/api.py:13: return [reader.feed(chunk) for chunk in chunks]  [in stream]" in (
        result.output
    )
    line = call(find_symbol, ws, name="parse_line")
    assert "pkg/core.py:7: return self.parse_line(data)  [in Parser.feed]" in line.output
    assert not call(find_symbol, ws, name="arser.feed").ok  # a suffix of a name is no match
    missing = call(find_symbol, ws, name="nowhere")
    assert not missing.ok and "no definition of 'nowhere'" in missing.output


def test_read_window_centres_marks_and_clips(ws: ItemWorkspace) -> None:
    result = call(read_window, ws, path="pkg/api.py", line=7, radius=1)
    assert result.output.splitlines() == [
        "pkg/api.py: lines 6-8 of 13 (around 7)",
        "     6  def handle(text):",
        ">    7      first = c.parse(text)",
        "     8      return first + p(text)",
    ]
    start = call(read_window, ws, path="pkg/api.py", line=2)
    assert start.output.splitlines()[0] == "pkg/api.py: lines 1-13 of 13 (around 2)"
    past = call(read_window, ws, path="pkg/api.py", line=40)
    assert not past.ok and "line 40 is past the end (13 lines)" in past.output
    hidden = call(read_window, ws, path="migrations/0001.py", line=1)
    assert not hidden.ok and "restricted path" in hidden.output


def test_search_uses_git_grep_with_file_line_hits(ws: ItemWorkspace) -> None:
    (ws.root / "pkg/new.py").write_text("def parse_new():\n    pass\n")  # new, not committed
    result = call(search, ws, pattern=r"def parse(_new)?\(", glob="*.py")
    assert result.data["engine"] == "git grep"
    assert result.output.splitlines() == [
        "pkg/core.py:1: def parse(text):",
        "pkg/new.py:1: def parse_new():",
        "pkg/other.py:1: def parse(text):",
    ]
    python = call(search, ws, pattern=r"def parse(?:_new)?\(", glob="*.py")
    assert python.data["engine"] == "python" and python.output == result.output
    folded = call(search, ws, pattern="PARSER", ignore_case=True)
    assert folded.data["engine"] == "git grep" and "pkg/core.py:5: class Parser:" in folded.output
    assert call(search, ws, pattern="zzz_nothing").output == "no match for 'zzz_nothing'"


def test_search_refuses_an_invalid_regex(ws: ItemWorkspace) -> None:
    result = call(search, ws, pattern="parse(")
    assert not result.ok
    assert result.output.startswith("refused: invalid regular expression 'parse(': missing )")


def test_search_caps_the_hits_and_says_so(ws: ItemWorkspace) -> None:
    for number in range(5):
        (ws.root / f"pkg/gen_{number}.py").write_text("VALUE = 1\n" * 40)
    git(ws.root, "add", "-A")
    result = call(search, ws, pattern="^VALUE = [0-9]+$")
    assert result.data == {"matches": 200, "engine": "git grep"}
    assert result.output.endswith("[100 more matches not shown; narrow the glob]")


@pytest.mark.parametrize(
    ("pattern", "portable"),
    [
        (r"def parse\(", True),
        ("a|b+[0-9]{2}", True),
        (r"\d+", False),
        ("(?i)x", False),
        ("a.*?b", False),
        (r"[\]]", False),
        (r"\bword", False),
    ],
)
def test_only_patterns_that_mean_the_same_go_to_git_grep(pattern: str, portable: bool) -> None:
    assert is_portable(pattern) is portable
