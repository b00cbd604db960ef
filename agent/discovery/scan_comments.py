"""The comments source: markers in real comments of every tracked or untracked-not-ignored file."""

from __future__ import annotations

from pathlib import Path

from agent.discovery.cache import ScanCache
from agent.discovery.comments import Marker, scan_bytes
from agent.discovery.files import FileList, RepoFile, blob_id, read_file
from agent.discovery.identity import fingerprint, normalize, number_duplicates
from agent.discovery.languages import PYTHON, syntax_for
from agent.discovery.model import Found, SourceResult
from agent.discovery.settings import DiscoverySettings
from agent.secrets import redact

TAG_TYPES = {"BUG": "bug", "FIXME": "bug", "HACK": "refactor", "XXX": "investigation"}
TITLE_MAX = 72


def discover_comments(
    root: Path, files: FileList, settings: DiscoverySettings, cache: ScanCache
) -> SourceResult:
    """Scan `files` for markers, rereading only files whose blob id is not cached."""
    result = SourceResult("comments", stats=dict.fromkeys(("files", "read", "cached"), 0))
    for entry in files.files:
        syntax = syntax_for(entry.path)
        if syntax is None:
            continue
        result.stats["files"] += 1
        markers = _markers(root, entry, settings, cache, result)
        if markers:
            result.found += _found(entry.path, markers, settings)
    return result


def _markers(
    root: Path, entry: RepoFile, settings: DiscoverySettings, cache: ScanCache, result: SourceResult
) -> list[Marker]:
    kind = _cache_kind(entry.path, settings.python_tokenize)
    if entry.blob is not None:
        cached = cache.get(f"{entry.blob}:{kind}")
        if cached is not None:
            result.stats["cached"] += 1
            return [Marker(*row) for row in cached]
    data, why = read_file(root, entry, settings.max_file_bytes)
    if data is None:
        result.stats[f"skipped {why}"] = result.stats.get(f"skipped {why}", 0) + 1
        return []
    blob = entry.blob or blob_id(data)
    key = f"{blob}:{kind}"
    cached = cache.get(key)
    if cached is not None:
        result.stats["cached"] += 1
        return [Marker(*row) for row in cached]
    result.stats["read"] += 1
    markers = [
        Marker(m.tag, m.line, redact(m.text), m.ref, m.anchor)
        for m in scan_bytes(entry.path, data, settings.python_tokenize)
    ]
    cache.put(key, [[m.tag, m.line, m.text, m.ref, m.anchor] for m in markers])
    return markers


def _cache_kind(path: str, mode: str) -> str:
    syntax = syntax_for(path)
    if syntax is PYTHON and path.endswith((".py", ".pyi", ".pyw")):
        return f"py-{mode}"
    return syntax.name if syntax else "none"


def _found(path: str, markers: list[Marker], settings: DiscoverySettings) -> list[Found]:
    bases = [fingerprint("comments", path, m.tag, normalize(m.text), m.anchor) for m in markers]
    return [
        _item(path, marker, marker.text, print_, settings)
        for marker, print_ in zip(markers, number_duplicates(bases), strict=True)
    ]


def _item(path: str, marker: Marker, text: str, print_: str, settings: DiscoverySettings) -> Found:
    item_type = TAG_TYPES.get(marker.tag, settings.todo_type)
    summary = text or f"{marker.tag} marker without text"
    title = summary if len(summary) <= TITLE_MAX else summary[: TITLE_MAX - 1] + "…"
    where = f"{path}:{marker.line}" + (f" in {marker.anchor}" if marker.anchor else "")
    description = f"{marker.tag} comment at {where}: {text}".rstrip(": ")
    tags = [marker.tag.lower()]
    if marker.ref:
        tags.append(f"ref:{marker.ref}" if marker.ref.startswith("#") else f"owner:{marker.ref}")
    return Found(
        kind="comments",
        tag=marker.tag,
        path=path,
        line=marker.line,
        text=text,
        title=f"{marker.tag}: {title}",
        description=description,
        item_type=item_type,
        fingerprint=print_,
        score_key=marker.tag,
        tags=tuple(tags),
    )
