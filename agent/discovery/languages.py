"""The extension → comment syntax table (docs/discovery.md reproduces it).

Each syntax becomes one regex lexer that matches string literals (skipped) and comments (kept), so
a marker inside a string is never an item. Python files are read with the tokenize module first;
PYTHON here is their fallback when a file does not tokenize.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

DQ = r'"(?:\\.|[^"\\\n])*"'
SQ = r"'(?:\\.|[^'\\\n])*'"
BACKTICK = r"`(?:\\.|[^`\\])*`"
TRIPLE = r'[rRbBuUfF]{0,2}(?:"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z))'
PY_LINE_STRINGS = r"[rRbBuUfF]{0,2}(?:" + DQ + "|" + SQ + ")"
RUST_CHAR = r"'(?:\\[^'\n]{1,10}|[^'\\\n])'"
SQL_STRING = r"'(?:''|[^'])*'"


@dataclass(frozen=True)
class Syntax:
    """How one family of languages writes comments and strings."""

    name: str
    line: tuple[str, ...] = ()
    """Line comment openers."""
    block: tuple[tuple[str, str], ...] = ()
    """Block comment (opener, closer) pairs."""
    strings: tuple[str, ...] = ()
    """Regexes of string literals, tried before comments."""
    word_start: bool = False
    """A line comment opener counts only at the start of a word (shell, YAML: `a#b` is no comment)."""


PYTHON = Syntax("python", ("#",), (), (TRIPLE, PY_LINE_STRINGS))
C_LIKE = Syntax("c-like", ("//",), (("/*", "*/"),), (DQ, SQ))
JAVASCRIPT = Syntax("javascript", ("//",), (("/*", "*/"),), (DQ, SQ, BACKTICK))
GO = Syntax("go", ("//",), (("/*", "*/"),), (DQ, SQ, BACKTICK))
RUST = Syntax("rust", ("//",), (("/*", "*/"),), (DQ, RUST_CHAR))
CSS = Syntax("css", (), (("/*", "*/"),), (DQ, SQ))
SCSS = Syntax("scss", ("//",), (("/*", "*/"),), (DQ, SQ))
HASH = Syntax("hash", ("#",), (), (DQ, SQ), word_start=True)
RUBY = Syntax("ruby", ("#",), (("=begin", "=end"),), (DQ, SQ), word_start=True)
TOML = Syntax("toml", ("#",), (), (r'"""[\s\S]*?"""', r"'''[\s\S]*?'''", DQ, r"'[^'\n]*'"))
SQL = Syntax("sql", ("--",), (("/*", "*/"),), (SQL_STRING, r'"[^"]*"'))
MARKUP = Syntax("markup", (), (("<!--", "-->"),), ())
INI = Syntax("ini", ("#", ";"), (), (), word_start=True)

EXTENSIONS: dict[str, Syntax] = {
    **dict.fromkeys((".pyx", ".pxd", ".pxi"), PYTHON),
    **dict.fromkeys((".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx", ".inc"), C_LIKE),
    **dict.fromkeys((".m", ".mm", ".java", ".kt", ".kts", ".cs", ".swift", ".scala"), C_LIKE),
    **dict.fromkeys((".dart", ".groovy", ".gradle", ".proto", ".cu", ".cuh"), C_LIKE),
    **dict.fromkeys((".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"), JAVASCRIPT),
    ".go": GO,
    ".rs": RUST,
    ".css": CSS,
    **dict.fromkeys((".scss", ".less"), SCSS),
    **dict.fromkeys((".sh", ".bash", ".zsh", ".ksh", ".fish", ".yml", ".yaml"), HASH),
    **dict.fromkeys((".mk", ".cmake", ".r", ".pl", ".pm", ".tcl", ".nix", ".bzl"), HASH),
    **dict.fromkeys((".rb", ".rake", ".gemspec"), RUBY),
    ".toml": TOML,
    ".sql": SQL,
    **dict.fromkeys((".html", ".htm", ".xhtml", ".xml", ".svg", ".vue", ".md"), MARKUP),
    **dict.fromkeys((".markdown", ".rst.txt", ".xsl", ".xsd", ".plist"), MARKUP),
    **dict.fromkeys((".ini", ".cfg", ".conf", ".properties"), INI),
}
FILENAMES: dict[str, Syntax] = {
    **dict.fromkeys(("Makefile", "makefile", "GNUmakefile", "Dockerfile"), HASH),
    **dict.fromkeys(("CMakeLists.txt", "meson.build", "meson_options.txt", ".gitignore"), HASH),
    **dict.fromkeys(("Gemfile", "Rakefile", "Vagrantfile"), RUBY),
    **dict.fromkeys(("BUILD", "WORKSPACE", ".bashrc", ".profile", ".envrc"), HASH),
}
PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")


def syntax_for(path: str) -> Syntax | None:
    """Return the comment syntax of `path` (Python files get PYTHON), or None for other files."""
    name = path.rsplit("/", 1)[-1]
    if name in FILENAMES:
        return FILENAMES[name]
    dot = name.rfind(".")
    if dot <= 0:
        return None
    suffix = name[dot:].lower()
    if suffix in PYTHON_SUFFIXES:
        return PYTHON
    return EXTENSIONS.get(suffix)


@cache
def lexer(syntax: Syntax) -> re.Pattern[str]:
    """Compile `syntax` into a regex whose group `c` is a line comment and `b` a block comment."""
    strings = "|".join(syntax.strings) or "(?!)"
    starts = r"(?<![^\s])" if syntax.word_start else ""
    line = "|".join(starts + re.escape(opener) for opener in syntax.line)
    line_part = f"|(?P<c>(?:{line})[^\\n]*)" if line else ""
    blocks = "|".join(
        re.escape(opener) + r"[\s\S]*?(?:" + re.escape(closer) + r"|\Z)"
        for opener, closer in syntax.block
    )
    block_part = f"|(?P<b>{blocks})" if blocks else ""
    return re.compile(f"(?:{strings}){line_part}{block_part}")
