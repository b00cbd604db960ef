"""Scope lines for anchors: the literal-search finder agrees with the one-regex definition."""

from __future__ import annotations

import re

import pytest

from agent.discovery.anchors import enclosing_scope, find_scopes

REFERENCE = re.compile(r"\n([ \t]*)(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)")
TEXTS = [
    "def f(): pass",
    "\n\tasync  def g(x):\n  class  K:\n    def classify(): pass\nundefined = 1\nx.def y\n  def",
    "class\u00e9 A:\n def \u00e9t\u00e9(): pass\n",
    "#def x\n  async def\tz(): pass\nasync\tclass Q: ...\n x = 'def s'\n",
    "class A:\n    def b(self):\n        def c(): pass\n\n    @property\n    def d(self): ...\n",
    "def\ndef  \ndefault = 1\nclass\tC(Base, metaclass=M):\n",
]


def reference_scopes(text: str, end: int) -> list[tuple[int, int, str]]:
    """The definition: one regex tried at every line start of `text[:end]`."""
    scopes, row, cursor = [], 1, 0
    for match in REFERENCE.finditer("\n" + text, 0, end + 1):
        row += text.count("\n", cursor, match.start())
        cursor = match.start()
        scopes.append((row, len(match.group(1).expandtabs()), match.group(2)))
    return scopes


@pytest.mark.parametrize("text", TEXTS)
def test_find_scopes_matches_the_reference_at_every_end(text: str) -> None:
    for end in range(len(text) + 1):
        assert find_scopes(text, end) == reference_scopes(text, end), (text, end)


def test_enclosing_scope_names_the_nesting() -> None:
    scopes = find_scopes(TEXTS[4], len(TEXTS[4]))
    assert enclosing_scope(scopes, 4, 12) == "A.b.c"
    assert enclosing_scope(scopes, 4, 8) == "A.b"
    assert enclosing_scope(scopes, 7, 8) == "A.d"
    assert enclosing_scope(scopes, 6, 4) == "A"
    assert enclosing_scope(scopes, 3, 8) == "A.b"  # a def line is not inside itself
