"""Stable identity of discovered items: content fingerprints and short readable ids.

A fingerprint hashes the source kind, path, tag, normalized text and (for Python comments) the
enclosing def/class, never the line number, so an item survives unrelated edits and moves. blake2b
is used, not `hash()`, so ids are identical across runs, processes and machines.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

ID_PREFIX = {
    "TODO": "TODO",
    "FIXME": "FIX",
    "BUG": "BUG",
    "HACK": "HACK",
    "XXX": "XXX",
    "tests": "TEST",
    "lint": "LINT",
    "security": "SEC",
    "ci": "CI",
    "perf": "PERF",
}
ID_HEX = 6
_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = " .,;:!?-–—*#/"


def normalize(text: str) -> str:
    """Lower-case `text`, collapse whitespace and trim punctuation at both ends."""
    return _SPACE.sub(" ", text).strip(_EDGE_PUNCT).lower()


def fingerprint(*parts: str) -> str:
    """Hash `parts` (in order, unambiguously separated) to 20 hex digits."""
    digest = hashlib.blake2b(digest_size=10)
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(encoded) + encoded)
    return digest.hexdigest()


def number_duplicates(bases: Iterable[str]) -> list[str]:
    """Make repeated fingerprints unique: the n-th repeat (in file order) hashes in `#n`."""
    seen: dict[str, int] = {}
    unique = []
    for base in bases:
        count = seen.get(base, 0)
        seen[base] = count + 1
        unique.append(base if count == 0 else fingerprint(base, f"#{count + 1}"))
    return unique


def make_id(prefix_key: str, print_: str, taken: set[str]) -> str:
    """Return `PREFIX-xxxxxx` from the fingerprint, lengthened only if that id is taken."""
    prefix = ID_PREFIX.get(prefix_key, "ITEM")
    for width in range(ID_HEX, len(print_) + 1, 2):
        candidate = f"{prefix}-{print_[:width]}"
        if candidate not in taken:
            return candidate
    return f"{prefix}-{print_}-{len(taken)}"
