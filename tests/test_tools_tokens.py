"""Token counting works offline, and tool output is cut by tokens with a note."""

from __future__ import annotations

import sys
from pathlib import Path

from agent.system import proc
from agent.text.tokens import encoding, truncate_tokens
from agent.tools.files import read_file
from tests.toolkit import call, user_repo, worked_item


def count_tokens(text: str) -> int:
    """Count the tokens of `text` in the tool encoding (special-token text counts as ordinary)."""
    return len(encoding().encode_ordinary(text))


def test_counts_match_cl100k() -> None:
    assert encoding().name == "cl100k_base"
    assert count_tokens("hello world") == 2
    assert count_tokens("<|endoftext|>") > 1  # special tokens in file content are plain text


def test_truncate_reports_cut_count() -> None:
    text = "word " * 100
    assert truncate_tokens(text, 1000) == (text, 0)
    kept, cut = truncate_tokens(text, 10)
    assert count_tokens(kept) == 10 and cut == count_tokens(text) - 10
    assert text.startswith(kept)


def test_vocabulary_seeded_into_empty_cache_without_network(tmp_path: Path) -> None:
    cache = tmp_path / "tiktoken-cache"
    code = (
        "from agent.text.tokens import encoding; "
        "print(len(encoding().encode_ordinary('hello world')))"
    )
    env = {"PATH": "/usr/bin:/bin", "TIKTOKEN_CACHE_DIR": str(cache), "HOME": str(tmp_path)}
    result = proc.run([sys.executable, "-c", code], cwd=Path.cwd(), env=env, timeout=60)
    assert result.ok, result.stderr
    assert result.stdout.strip() == "2"
    assert (cache / "9b5ad71b2ce5302211f9c61530b329a4922fc6a4").is_file()  # sha1 of the URL


def test_tool_output_cut_with_note(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {"long.txt": "".join(f"line {n} of text\n" for n in range(400))})
    with worked_item(repo, AGENT_TOOLS__OUTPUT_TOKENS="60") as ws:
        result = call(read_file, ws, path="long.txt")
    body, _, note = result.output.rpartition("\n")
    assert count_tokens(body) <= 60
    assert note.startswith("[output truncated: ") and "more tokens cut" in note
    assert result.data["truncated_tokens"] > 1000
