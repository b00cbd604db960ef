"""The extension → comment syntax table (docs/discovery.md reproduces it).

Each syntax becomes one regex lexer that skips code and string literals, so a marker inside a
string is never an item. PYTHON follows the string grammar of Python's tokenizer; comments.py says
when the tokenize module itself decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

DQ = r'"(?:\\[\s\S]|[^"\\\n])*+"'
SQ = r"'(?:\\[\s\S]|[^'\\\n])*+'"
BACKTICK = r"`(?:\\[\s\S]|[^`\\])*+`"
TRIPLE_DQ = r'"""[^"\\]*+(?:(?:\\[\s\S]|"(?!""))[^"\\]*+)*+(?:"""|\Z)'
TRIPLE_SQ = r"'''[^'\\]*+(?:(?:\\[\s\S]|'(?!''))[^'\\]*+)*+(?:'''|\Z)"
RUST_CHAR = r"'(?:\\[^'\n]{1,10}|[^'\\\n])'"
# YAML quoted scalars may span lines; a quote opens one only where a scalar starts (`key: "…"`,
# `- '…'`, `[…, "…"]`), never inside a plain scalar such as `don't`.
YAML_START = r"(?<![^\s\[{,])"
YAML_DQ = YAML_START + r'"(?:\\[\s\S]|[^"\\])*+"'
YAML_SQ = YAML_START + r"'(?:''|[^'])*+'"
SQL_STRING = r"'(?:''|[^'])*+'"
TAGS = r"(?i:todo|fixme|hack|xxx|bug)(?![A-Za-z0-9_])"
LEAD = r"[ \t#/*;!:\-]*+@?"


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
    quotes: str = "\"'"
    """First characters of the string literals."""
    word_start: bool = False
    """A line comment opener counts only at a word start (shell, YAML: `a#b` is no comment)."""


PYTHON = Syntax("python", ("#",), (), (TRIPLE_DQ, TRIPLE_SQ, DQ, SQ))
C_LIKE = Syntax("c-like", ("//",), (("/*", "*/"),), (DQ, SQ))
JAVASCRIPT = Syntax("javascript", ("//",), (("/*", "*/"),), (DQ, SQ, BACKTICK), "\"'`")
GO = Syntax("go", ("//",), (("/*", "*/"),), (DQ, SQ, BACKTICK), "\"'`")
RUST = Syntax("rust", ("//",), (("/*", "*/"),), (DQ, RUST_CHAR))
CSS = Syntax("css", (), (("/*", "*/"),), (DQ, SQ))
SCSS = Syntax("scss", ("//",), (("/*", "*/"),), (DQ, SQ))
HASH = Syntax("hash", ("#",), (), (DQ, SQ), word_start=True)
YAML = Syntax("yaml", ("#",), (), (YAML_DQ, YAML_SQ), word_start=True)
RUBY = Syntax("ruby", ("#",), (("=begin", "=end"),), (DQ, SQ), word_start=True)
TOML = Syntax("toml", ("#",), (), (TRIPLE_DQ, r"'''[\s\S]*?'''", DQ, r"'[^'\n]*'"))
SQL = Syntax("sql", ("--",), (("/*", "*/"),), (SQL_STRING, r'"[^"]*+"'))
MARKUP = Syntax("markup", (), (("<!--", "-->"),), (), "")
INI = Syntax("ini", ("#", ";"), (), (), "", word_start=True)

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
    **dict.fromkeys((".sh", ".bash", ".zsh", ".ksh", ".fish"), HASH),
    **dict.fromkeys((".yml", ".yaml"), YAML),
    **dict.fromkeys((".mk", ".cmake", ".r", ".pl", ".pm", ".tcl", ".nix", ".bzl"), HASH),
    **dict.fromkeys((".rb", ".rake", ".gemspec"), RUBY),
    ".toml": TOML,
    ".sql": SQL,
    **dict.fromkeys((".html", ".htm", ".xhtml", ".xml", ".svg", ".vue", ".md"), MARKUP),
    **dict.fromkeys((".markdown", ".xsl", ".xsd", ".plist"), MARKUP),
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


TAG_INITIALS = "tfhxbTFHXB"


def _block(opener: str, closer: str) -> str:
    """A whole block comment (an unclosed one runs to the end of the file)."""
    first, rest = re.escape(closer[0]), re.escape(closer[1:])
    body = f"[^{first}]*+(?:{first}(?!{rest})[^{first}]*+)*+"
    return f"{re.escape(opener)}{body}(?:{re.escape(closer)}|\\Z)"


def _tagged_block(opener: str, closer: str) -> str:
    """A block comment with a tag word in it (checked by a linear lookahead, then matched)."""
    first, rest = re.escape(closer[0]), re.escape(closer[1:])
    plain = f"[^{first}{TAG_INITIALS}]++|{first}(?!{rest})|\\B[{TAG_INITIALS}]"
    other_word = f"(?!{TAGS})[{TAG_INITIALS}]"
    ahead = f"(?=(?:{plain}|{other_word})*+{TAGS})"
    return f"{re.escape(opener)}{ahead}" + _block(opener, closer)[len(re.escape(opener)) :]


@cache
def lexer(syntax: Syntax) -> re.Pattern[str]:
    """Compile `syntax` into a regex that skips code, strings and comments without a marker.

    Matched with `.match(text, pos)` in a loop, each match ends at the next comment whose text may
    hold a marker: group `c` a line comment, group `b` a block comment. Skipped units are atomic,
    so a failed final attempt costs one linear pass.
    """
    openers = [*syntax.line, *(opener for opener, _closer in syntax.block)]
    specials = re.escape("".join(sorted({o[0] for o in openers} | set(syntax.quotes))))
    start = r"(?<![^\s])" if syntax.word_start else ""
    line = "|".join(start + re.escape(o) for o in syntax.line)
    blocks = "|".join(_block(opener, closer) for opener, closer in syntax.block)
    units = [f"[^{specials}]++", *syntax.strings]
    hits = []
    if line:
        units.append(f"(?:{line})[^\\n]*+")
        hits.append(f"(?P<c>(?:{line})(?=[^\\n]*?(?<![A-Za-z0-9_]){TAGS})[^\\n]*+)")
    if blocks:
        units.append(blocks)
        tagged = "|".join(_tagged_block(opener, closer) for opener, closer in syntax.block)
        hits.append(f"(?P<b>{tagged})")
    units.append(f"[{specials}]")
    return re.compile(f"(?>{'|'.join(units)})*?(?:{'|'.join(hits)})")
