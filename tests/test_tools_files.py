"""File tools in a real item worktree: reads, listings, search, writes and text replacement."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.tools.files import list_dir, read_file, replace_text, search, write_file
from agent.workspace.worktree import ItemWorkspace
from tests.toolkit import call, user_repo, worked_item

CODE = (
    "class Calc:\n"
    "    def add(self, a, b):\n"
    "        total = a + b\n"
    "        return total\n"
    "\n"
    "    def sub(self, a, b):\n"
    "        total = a - b\n"
    "        return total\n"
)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[ItemWorkspace]:
    repo = user_repo(tmp_path, {"src/model.py": CODE, "data/blob.bin": "x"})
    (repo / "data" / "blob.bin").write_bytes(b"\x00\x01binary")
    from tests.support import git

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "binary")
    (tmp_path / "outside.txt").write_text("outside secret\n")
    with worked_item(repo) as workspace:
        yield workspace


def test_read_file_numbers_lines_and_ranges(ws: ItemWorkspace) -> None:
    whole = call(read_file, ws, path="src/model.py")
    assert whole.ok and whole.output.splitlines()[0] == "src/model.py: lines 1-8 of 8"
    assert "    2      def add(self, a, b):" in whole.output
    part = call(read_file, ws, path="src/model.py", start=3, end=4)
    assert part.output.splitlines()[1:] == [
        "    3          total = a + b",
        "    4          return total",
    ]
    past = call(read_file, ws, path="src/model.py", start=50)
    assert not past.ok and "past the end (8 lines)" in past.output
    missing = call(read_file, ws, path="nope.py")
    assert not missing.ok and "no such file" in missing.output


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../outside.txt", "escapes the repository"),
        ("src/../../outside.txt", "escapes the repository"),
        ("/etc/passwd", "absolute paths are not allowed"),
        (".git/config", ".git directory is not accessible"),
        ("", "empty path"),
    ],
)
def test_paths_outside_the_worktree_are_refused(ws: ItemWorkspace, path: str, reason: str) -> None:
    for function, extra in ((read_file, {}), (write_file, {"content": "x"})):
        result = call(function, ws, path=path, **extra)
        assert not result.ok and reason in result.output
    if path.startswith(".."):
        assert not (ws.root / path).exists()  # write_file created nothing out there


def test_symlink_escape_is_refused(ws: ItemWorkspace, tmp_path: Path) -> None:
    os.symlink(tmp_path / "outside.txt", ws.root / "link.txt")
    os.symlink(tmp_path, ws.root / "linkdir")
    for path in ("link.txt", "linkdir/outside.txt"):
        result = call(read_file, ws, path=path)
        assert not result.ok and "outside the repository" in result.output
    wrote = call(write_file, ws, path="linkdir/new.txt", content="x")
    assert not wrote.ok and not (tmp_path / "new.txt").exists()
    assert "outside secret" not in call(search, ws, pattern="secret").output


def test_symlink_inside_to_restricted_file_is_refused(ws: ItemWorkspace) -> None:
    (ws.root / ".env").write_text("API_TOKEN=abcdefgh12345\n")
    os.symlink(ws.root / ".env", ws.root / "innocent.txt")
    result = call(read_file, ws, path="innocent.txt")
    assert not result.ok and "rule '.env*'" in result.output


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        (".github/workflows/ci.yml", ".github/workflows/"),
        ("secrets/db.txt", "secrets/"),
        ("config/.env.local", ".env*"),
        ("certs/server.pem", "*.pem"),
        ("id.key", "*.key"),
    ],
)
def test_restricted_paths_refused_with_rule(ws: ItemWorkspace, path: str, rule: str) -> None:
    target = ws.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("restricted content\n")
    read = call(read_file, ws, path=path)
    assert not read.ok and f"rule '{rule}'" in read.output
    assert read.data["refused_rule"] == rule
    wrote = call(write_file, ws, path=path, content="changed\n")
    assert not wrote.ok and target.read_text() == "restricted content\n"
    assert "restricted content" not in call(search, ws, pattern="restricted").output


def test_binary_and_oversized_files_refused(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {"big.txt": "y" * 5000})
    (repo / "img.png").write_bytes(b"\x89PNG\x00\x00")
    with worked_item(repo, AGENT_TOOLS__MAX_FILE_BYTES="1000") as ws:
        (ws.root / "img.png").write_bytes(b"\x89PNG\x00\x00")
        binary = call(read_file, ws, path="img.png")
        assert not binary.ok and "binary file" in binary.output
        big = call(read_file, ws, path="big.txt")
        assert not big.ok and "over the 1000-byte limit" in big.output
        assert not call(write_file, ws, path="img.png", content="text").ok
        assert (ws.root / "img.png").read_bytes() == b"\x89PNG\x00\x00"


def test_list_dir_and_search(ws: ItemWorkspace) -> None:
    listing = call(list_dir, ws, path=".")
    assert (
        "src/" in listing.output and "README.md" in listing.output and ".git" not in listing.output
    )
    (ws.root / "src" / "extra.py").write_text("def add_more():\n    pass\n")
    deep = call(list_dir, ws, path="src", recursive=True)
    assert deep.output.splitlines()[1:] == ["src/calc.py", "src/extra.py", "src/model.py"]
    found = call(search, ws, pattern=r"def add", glob="*.py")
    assert found.output.splitlines() == [
        "src/calc.py:1: def add(a, b):",
        "src/extra.py:1: def add_more():",
        "src/model.py:2: def add(self, a, b):",
    ]
    assert call(search, ws, pattern="nothing-like-this").output.startswith("no match")
    bad = call(search, ws, pattern="(unclosed")
    assert not bad.ok and "invalid regular expression" in bad.output


def test_write_file_creates_parents(ws: ItemWorkspace) -> None:
    result = call(write_file, ws, path="pkg/sub/mod.py", content="A = 1\nB = 2\n")
    assert result.ok and result.output == "created pkg/sub/mod.py (2 lines)"
    assert (ws.root / "pkg" / "sub" / "mod.py").read_text() == "A = 1\nB = 2\n"


def test_replace_text_exact(ws: ItemWorkspace) -> None:
    result = call(
        replace_text,
        ws,
        path="src/model.py",
        old="        total = a + b\n",
        new="        total = b + a\n",
    )
    assert result.ok and result.data["mode"] == "exact"
    assert (ws.root / "src" / "model.py").read_text() == CODE.replace("a + b", "b + a")


def test_replace_text_whitespace_insensitive_keeps_indentation(ws: ItemWorkspace) -> None:
    old = "def sub(self, a, b):\n    total = a  -  b\n    return total\n"
    new = "def sub(self, a, b):\n    return a - b\n"
    result = call(replace_text, ws, path="src/model.py", old=old, new=new)
    assert result.ok and result.data["mode"] == "whitespace-insensitive"
    assert result.data["first_line"] == 6
    expected = CODE.replace(
        "    def sub(self, a, b):\n        total = a - b\n        return total\n",
        "    def sub(self, a, b):\n        return a - b\n",
    )
    assert (ws.root / "src" / "model.py").read_text() == expected


def test_replace_text_ambiguous_refused(ws: ItemWorkspace) -> None:
    result = call(replace_text, ws, path="src/model.py", old="return total", new="return 0")
    assert not result.ok and "ambiguous" in result.output and "lines 4, 8" in result.output
    fuzzy = call(replace_text, ws, path="src/model.py", old="  return   total", new="return 0")
    assert not fuzzy.ok and "ambiguous" in fuzzy.output
    assert (ws.root / "src" / "model.py").read_text() == CODE


def test_replace_text_missing_shows_closest_candidates(ws: ItemWorkspace) -> None:
    old = "    def add(self, x, y):\n        total = x + y\n"
    result = call(replace_text, ws, path="src/model.py", old=old, new="pass\n")
    assert not result.ok and "not found" in result.output
    assert "closest candidates" in result.output and "--- lines 2-3" in result.output
    assert "    2      def add(self, a, b):" in result.output
    assert (ws.root / "src" / "model.py").read_text() == CODE


def test_replace_text_keeps_crlf(ws: ItemWorkspace) -> None:
    (ws.root / "win.txt").write_bytes(b"one\r\ntwo\r\nthree\r\n")
    result = call(replace_text, ws, path="win.txt", old="two\n", new="TWO\n")
    assert result.ok
    assert (ws.root / "win.txt").read_bytes() == b"one\r\nTWO\r\nthree\r\n"


def test_os_errors_become_results(ws: ItemWorkspace) -> None:
    result = call(write_file, ws, path="README.md/child.txt", content="x")
    assert not result.ok and result.output.startswith("failed: README.md")
    assert (ws.root / "README.md").read_text() == "# sample\n"
