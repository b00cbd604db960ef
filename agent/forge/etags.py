"""Conditional requests: the ETag and body of each listing page, kept between runs.

Stored in .agent/forge/etags.json (ignored by git, like all of .agent/). It holds URLs, ETags and
response bodies, never a request header, so never the token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.system.fsutil import atomic_write_text

CACHE_FILE = Path(".agent") / "forge" / "etags.json"


@dataclass(frozen=True)
class Cached:
    """A page as last received."""

    etag: str
    body: Any
    next_url: str | None


class EtagCache:
    """Page bodies by URL; `save` writes them back (temp file and rename)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Cached] = {}
        self.changed = False

    @classmethod
    def load(cls, root: Path) -> EtagCache:
        """The cache of the repository at `root` (empty when missing or unreadable)."""
        cache = cls(root / CACHE_FILE)
        try:
            data = json.loads(cache.path.read_text(encoding="utf-8"))
            cache.entries = {url: Cached(**entry) for url, entry in data.items()}
        except (OSError, ValueError, TypeError):
            cache.entries = {}
        return cache

    def get(self, url: str) -> Cached | None:
        """The cached page of `url`, if any."""
        return self.entries.get(url)

    def put(self, url: str, etag: str, body: Any, next_url: str | None) -> None:
        """Remember the page of `url`."""
        self.entries[url] = Cached(etag, body, next_url)
        self.changed = True

    def save(self) -> None:
        """Write the cache if it changed."""
        if not self.changed:
            return
        data = {url: vars(entry) for url, entry in self.entries.items()}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True))
        self.changed = False
