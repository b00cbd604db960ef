"""Read and update backlog.yml: fast validated reads, locked round-trip updates, atomic writes."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from agent.backlog.models import BACKLOG_VERSION, Backlog, BacklogItem
from agent.backlog.validate import ALIASES, validate_backlog
from agent.backlog.yamlio import FastYAMLError, fast_load
from agent.errors import InputError
from agent.system.fsutil import atomic_write_text, locked

NEW_FILE_HEADER = (
    "# Backlog for `agent` (docs/backlog.md describes every field).\n"
    "# Scores use the scale 1, 2, 3, 5, 8, 13; WSJF = (value + criticality + risk) / effort.\n"
)


def display_path(path: Path) -> str:
    """Show `path` relative to the working directory when it lies below it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise InputError(f"{display_path(path)}:1:1: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{display_path(path)}: cannot read: {exc.strerror}") from None


def read_backlog(path: Path, scale: Sequence[int]) -> Backlog:
    """Load and validate `path`; a missing file is an empty backlog."""
    text = _read_text(path)
    if text is None:
        return Backlog()
    try:
        backlog, _problems = validate_backlog(fast_load(text), scale)
    except FastYAMLError:
        backlog = None  # re-parsed below with positions for the error message
    if backlog is not None:
        return backlog
    _document, backlog = _load_round_trip(path, text, scale)
    return backlog


def _load_round_trip(path: Path, text: str, scale: Sequence[int]) -> tuple[Any, Backlog]:
    from agent.backlog.roundtrip import locator_for, round_trip_load

    document, problems = round_trip_load(text)
    backlog = None
    if not problems:
        backlog, problems = validate_backlog(document, scale, locator_for(document))
    if problems or backlog is None:
        name = display_path(path)
        raise InputError(*(problem.render(name) for problem in problems))
    return document, backlog


@contextlib.contextmanager
def update_backlog(path: Path, scale: Sequence[int]) -> Iterator[Backlog]:
    """Yield the current backlog under a lock; changes made to it are written back on exit.

    Only the fields that changed are rewritten, so comments, key order and formatting of a
    hand-edited file survive, and two processes editing different items both keep their edits.
    """
    with locked(path):
        text = _read_text(path)
        if text is None:
            document, before = None, Backlog()
        else:
            document, before = _load_round_trip(path, text, scale)
        after = before.model_copy(deep=True)
        yield after
        if after.model_dump(mode="json") != before.model_dump(mode="json"):
            atomic_write_text(path, render_update(text or "", document, before, after))


def render_update(text: str, document: Any, before: Backlog, after: Backlog) -> str:
    """Apply the difference between `before` and `after` to the round-trip document."""
    from agent.backlog.roundtrip import CommentedMap, CommentedSeq, round_trip_dump, round_trip_yaml

    rt = round_trip_yaml(text)
    header = ""
    if not isinstance(document, CommentedMap):
        # A new file, or one holding only comments: keep those comments above the data.
        document = CommentedMap([("version", BACKLOG_VERSION), ("items", CommentedSeq())])
        header = text.rstrip("\n") + "\n" if text.strip() else NEW_FILE_HEADER
    if not isinstance(document.get("items"), CommentedSeq):
        document["items"] = CommentedSeq()
    _apply(document["items"], before, after)
    return header + round_trip_dump(rt, document)


def _apply(seq: Any, before: Backlog, after: Backlog) -> None:
    old = {item.id: item for item in before.items}
    keep = {item.id for item in after.items}
    for index in reversed(range(len(seq))):
        if seq[index].get("id") not in keep:
            del seq[index]
    position = {node.get("id"): node for node in seq}
    for item in after.items:
        node = position.get(item.id)
        if node is None:
            seq.append(_new_node(item))
        elif old.get(item.id) != item:
            _update_node(node, old[item.id], item)


def _dump_item(item: BacklogItem) -> dict[str, Any]:
    return item.model_dump(mode="json", exclude_none=True)


def _new_node(item: BacklogItem) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in _dump_item(item).items():
        if value not in ([], ""):
            node[key] = value
    return node


def _update_node(node: Any, before: BacklogItem, after: BacklogItem) -> None:
    old, new = _dump_item(before), _dump_item(after)
    for field in BacklogItem.model_fields:
        if old.get(field) == new.get(field):
            continue
        key = next((a for a, n in ALIASES.items() if n == field and a in node), field)
        if new.get(field) in (None, [], "") and key in node:
            _delete_key(node, key)
        elif field in new:
            node[key] = new[field]


def _delete_key(node: Any, key: str) -> None:
    """Delete `key`, handing the blank lines and comments that followed it to the previous key."""
    keys = list(node)
    trailing = node.ca.items.pop(key, None)
    index = keys.index(key)
    del node[key]
    if trailing is None or trailing[2] is None or index == 0:
        return
    token = trailing[2]
    text = token.value
    # The first line of the token is the deleted key's own end-of-line comment: drop it.
    rest = text[text.index("\n") + 1 :] if "\n" in text else ""
    if not rest:
        return
    previous = keys[index - 1]
    slot = node.ca.items.setdefault(previous, [None, None, None, None])
    if slot[2] is None:
        token.value = "\n" + rest
        slot[2] = token
    else:
        slot[2].value += rest
