"""Per-file scan results keyed by git blob id, kept under REPO/.agent/cache/.

One JSON file holds every entry (blob id and syntax → markers), so a rescan reads one small file
instead of thousands. It is rewritten atomically, only when an entry changed, and pruned to the
files seen in the last scan. `.agent/` is added to .git/info/exclude (never to .gitignore).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.system.fsutil import atomic_write_text

CACHE_VERSION = 4
CACHE_FILE = Path(".agent") / "cache" / "comments.json"
EXCLUDE_LINE = ".agent/"


class ScanCache:
    """Markers by cache key; tracks which keys were used so stale ones are dropped on save."""

    def __init__(self, path: Path, entries: dict[str, Any]) -> None:
        self.path = path
        self._old = entries
        self._new: dict[str, Any] = {}
        self.hits = 0

    @classmethod
    def load(cls, root: Path) -> ScanCache:
        """Read the cache of `root`; a missing, corrupt or outdated cache is an empty one."""
        path = root / CACHE_FILE
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, {})
        ok = isinstance(payload, dict) and payload.get("version") == CACHE_VERSION
        entries = payload.get("entries") if ok else None
        return cls(path, entries if isinstance(entries, dict) else {})

    def get(self, key: str) -> Any:
        """Return the cached value for `key` (None when absent) and keep it for the next save."""
        value = self._old.get(key)
        if value is not None:
            self.hits += 1
            self._new[key] = value
        return value

    def has(self, key: str) -> bool:
        """True when `key` is cached (from the last save or this run)."""
        return key in self._old or key in self._new

    def put(self, key: str, value: Any) -> None:
        """Store `value` for `key`."""
        self._new[key] = value

    def save(self) -> None:
        """Write the cache atomically when its content changed."""
        if self._new == self._old:
            return
        payload = {"version": CACHE_VERSION, "entries": self._new}
        atomic_write_text(self.path, json.dumps(payload, separators=(",", ":")))


def ensure_excluded(exclude_file: Path) -> None:
    """Add `.agent/` to the repository's info/exclude once (the user's .gitignore is untouched)."""
    try:
        text = exclude_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    if EXCLUDE_LINE in (line.strip() for line in text.splitlines()):
        return
    prefix = text if not text or text.endswith("\n") else text + "\n"
    atomic_write_text(exclude_file, prefix + EXCLUDE_LINE + "\n")
