"""Marker rules: real comments only, case, trailing comments, continuations, every language."""

from __future__ import annotations

import pytest

from agent.discovery.comments import candidate_lines, scan_bytes
from agent.discovery.languages import EXTENSIONS, FILENAMES, syntax_for
from agent.discovery.model import Marker


def tags(path: str, source: str, mode: str = "auto") -> list[tuple[str, int, str]]:
    return [(m.tag, m.line, m.text) for m in scan_bytes(path, source.encode(), mode)]


PYTHON_SOURCE = '''"""Module docstring.

TODO: in the module docstring, not an item
"""
# TODO: top level item
x = "# FIXME: inside a string"
y = 'BUG: not a comment either'  # HACK: trailing comment after code
z = f"{x!r} # XXX in an f-string"
s = """
# TODO: inside a triple-quoted string
"""


class Cache:
    """TODO: in a class docstring."""

    def get(self, key):
        # FIXME(alice): handle missing keys
        return key  # BUG(#123): wrong for None
'''


@pytest.mark.parametrize("mode", ["auto", "always"])
def test_python_markers_come_only_from_real_comments(mode: str) -> None:
    assert tags("pkg/mod.py", PYTHON_SOURCE, mode) == [
        ("TODO", 5, "top level item"),
        ("HACK", 7, "trailing comment after code"),
        ("FIXME", 18, "handle missing keys"),
        ("BUG", 19, "wrong for None"),
    ]


def test_python_markers_keep_reference_assignee_and_enclosing_scope() -> None:
    markers = {m.tag: m for m in scan_bytes("mod.py", PYTHON_SOURCE.encode())}
    assert markers["FIXME"].ref == "alice" and markers["FIXME"].anchor == "Cache.get"
    assert markers["BUG"].ref == "#123" and markers["BUG"].anchor == "Cache.get"
    assert markers["TODO"].anchor == ""


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# TODO fix it", ("TODO", "fix it")),
        ("# TODO: fix it", ("TODO", "fix it")),
        ("# TODO(bob): fix it", ("TODO", "fix it")),
        ("# FIXME - fix it", ("FIXME", "fix it")),
        ("# @HACK fix it", ("HACK", "fix it")),
        ("#XXX fix it", ("XXX", "fix it")),
        ("# todo: fix it", ("TODO", "fix it")),
        ("# Fixme(carol) fix it", ("FIXME", "fix it")),
        ("# bug: fix it", ("BUG", "fix it")),
        ("## TODO: doubled hash", ("TODO", "doubled hash")),
    ],
)
def test_marker_forms_that_count(comment: str, expected: tuple[str, str]) -> None:
    assert [(m.tag, m.text) for m in scan_bytes("a.py", f"{comment}\n".encode())] == [expected]


@pytest.mark.parametrize(
    "comment",
    [
        "# a hack around the cache",
        "# see the TODO above",
        "# todo fix it later",
        "# Hack the planet",
        "# the bug is elsewhere",
        "# TODOs are listed in the tracker",
        "# BUGFIX: not a tag",
        "# debug: no",
        "# noqa: E501  # TODO: second comment in one",
    ],
)
def test_prose_and_lower_case_without_colon_do_not_count(comment: str) -> None:
    assert scan_bytes("a.py", f"x = 1\n{comment}\n".encode()) == []


def test_continuation_lines_join_until_a_blank_comment_a_marker_or_code() -> None:
    source = (
        "# TODO: first line\n"
        "#   second line\n"
        "#\n"
        "# unrelated paragraph\n"
        "# FIXME: next marker\n"
        "#   its continuation\n"
        "x = 1\n"
        "# not joined: code came between\n"
    )
    assert tags("a.py", source) == [
        ("TODO", 1, "first line second line"),
        ("FIXME", 5, "next marker its continuation"),
    ]


def test_trailing_comment_continues_only_at_the_same_column() -> None:
    source = "x = 1  # TODO: trailing\n       # continued\n# section header\n"
    assert tags("a.py", source) == [("TODO", 1, "trailing continued")]
    source = "x = 1  # TODO: trailing\n# section header\n"
    assert tags("a.py", source) == [("TODO", 1, "trailing")]


def test_python_that_does_not_tokenize_falls_back_to_the_line_scan() -> None:
    source = 'def broken(:\n    # TODO: still found\n    s = "# FIXME: still a string"\n'
    assert tags("a.py", source, "always") == [("TODO", 2, "still found")]
    assert tags("a.py", source, "auto") == [("TODO", 2, "still found")]


def test_non_utf8_python_is_scanned_not_skipped() -> None:
    data = b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'  # TODO: accents\n"
    assert [(m.tag, m.text) for m in scan_bytes("a.py", data)] == [("TODO", "accents")]


LANGUAGES = {
    "app.js": '// TODO: js\nconst s = "// FIXME: string";\nconst t = `/* XXX */`;\n',
    "app.ts": "/* HACK: ts block */\nlet a = '// TODO: no';\n",
    "main.go": "// TODO: go\nvar s = `// FIXME: raw string`\n",
    "lib.rs": "fn f<'a>(x: &'a str) {} // TODO: rust\nlet s = \"// BUG: no\";\n",
    "Main.java": '/**\n * FIXME: javadoc\n *   continued\n */\nString s = "/* TODO */";\n',
    "Main.kt": 'val s = "// TODO: no" // XXX: kotlin\n',
    "x.c": 'int x; /* TODO: c */\nchar *s = "/* FIXME: no */";\n',
    "x.cpp": '// BUG: cpp\nauto s = "// TODO: no";\n',
    "Prog.cs": '// HACK: csharp\nvar s = "// TODO: no";\n',
    "run.sh": "echo '# TODO: no'\necho a#TODO\n# FIXME: shell\n",
    "task.rb": "puts '# TODO: no'\n# TODO: ruby\n",
    "ci.yml": (
        "name: 'x # TODO: no'\nrun: \"first\n  # FIXME: inside a quoted scalar\n  end\"\n"
        "note: don't # HACK: plain\n# XXX: yaml\n"
    ),
    "pyproject.toml": '[tool]\nname = "# TODO: no"\n# TODO: toml\n',
    "q.sql": "SELECT '-- TODO: no'; -- FIXME: sql\n/* BUG: sql block */\n",
    "page.html": "<p>TODO: prose is not a comment</p>\n<!-- TODO: html -->\n",
    "conf.xml": "<a>FIXME: text</a><!-- FIXME: xml -->\n",
    "site.css": 'a { content: "/* TODO: no */"; } /* HACK: css */\n',
    "README.md": "# TODO list\nTODO: prose\n<!-- XXX: markdown comment -->\n",
}
EXPECTED = {
    "app.js": [("TODO", 1, "js")],
    "app.ts": [("HACK", 1, "ts block")],
    "main.go": [("TODO", 1, "go")],
    "lib.rs": [("TODO", 1, "rust")],
    "Main.java": [("FIXME", 2, "javadoc continued")],
    "Main.kt": [("XXX", 1, "kotlin")],
    "x.c": [("TODO", 1, "c")],
    "x.cpp": [("BUG", 1, "cpp")],
    "Prog.cs": [("HACK", 1, "csharp")],
    "run.sh": [("FIXME", 3, "shell")],
    "task.rb": [("TODO", 2, "ruby")],
    "ci.yml": [("HACK", 5, "plain"), ("XXX", 6, "yaml")],
    "pyproject.toml": [("TODO", 3, "toml")],
    "q.sql": [("FIXME", 1, "sql"), ("BUG", 2, "sql block")],
    "page.html": [("TODO", 2, "html")],
    "conf.xml": [("FIXME", 1, "xml")],
    "site.css": [("HACK", 1, "css")],
    "README.md": [("XXX", 3, "markdown comment")],
}


@pytest.mark.parametrize("path", sorted(LANGUAGES))
def test_each_listed_language_uses_its_comment_syntax(path: str) -> None:
    assert tags(path, LANGUAGES[path]) == EXPECTED[path]


def test_unknown_extensions_are_not_scanned() -> None:
    assert syntax_for("notes.txt") is None and syntax_for("LICENSE") is None
    assert scan_bytes("notes.txt", b"# TODO: plain text\n") == []
    assert syntax_for("Makefile") is FILENAMES["Makefile"]
    assert syntax_for("x.H") is EXTENSIONS[".h"]


def test_prefilter_finds_candidate_lines_only() -> None:
    data = b"x = todo_list\n# TODO: yes\ndebug = 1\n  // fixme: yes\nprint('a TODO b')\n"
    assert candidate_lines(data) == [2, 4]
    assert candidate_lines(b"nothing here\n") == []


def test_identical_markers_are_reported_separately() -> None:
    source = "# TODO: same\nx = 1\n# TODO: same\n"
    assert scan_bytes("a.py", source.encode()) == [
        Marker("TODO", 1, "same"),
        Marker("TODO", 3, "same"),
    ]


def test_block_comments_need_a_tag_as_a_line_first_word() -> None:
    source = (
        "/* debug bugfix hacks */\nint x;\n/* see the todo */\n"
        "/*\n * bugfix\n * TODO: real\n *   more\n */\n/* FIXME: first */ /* x */\n"
    )
    assert tags("a.c", source) == [("TODO", 6, "real more"), ("FIXME", 9, "first")]


def test_unclosed_block_comment_and_string_do_not_crash() -> None:
    assert tags("a.c", "/* TODO: never closed\n") == [("TODO", 1, "never closed")]
    assert tags("a.js", 'const s = "open\n// TODO: after\n') == [("TODO", 2, "after")]
