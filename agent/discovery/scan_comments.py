"""The comments source: markers in real comments of every tracked or untracked-not-ignored file."""

from __future__ import annotations

from pathlib import Path

from agent.discovery.cache import ScanCache
from agent.discovery.comments import scan_bytes
from agent.discovery.files import FileList, RepoFile, blob_id, read_file
from agent.discovery.identity import fingerprint, normalize, number_duplicates
from agent.discovery.languages import FILENAMES, PYTHON, syntax_for
from agent.discovery.model import CommentOptions, Found, Marker, SourceResult
from agent.scanners.secrets import redact
from agent.system import proc

# Whole-word, any-case fixed strings: git's fastest search, a superset of the candidates.
GREP_WORDS = ("todo", "fixme", "hack", "xxx", "bug")
TAG_TYPES = {"BUG": "bug", "FIXME": "bug", "HACK": "refactor", "XXX": "investigation"}
TITLE_MAX = 72


def discover_comments(
    root: Path, files: FileList, settings: CommentOptions, cache: ScanCache
) -> SourceResult:
    """Scan `files` for markers, rereading only files whose blob id is not cached."""
    result = SourceResult("comments", stats=dict.fromkeys(("files", "read", "cached"), 0))
    mode = settings.python_tokenize
    entries = _entries(files, mode)
    enough = len(entries) >= settings.grep_min_files
    uncached = sum(1 for _entry, _kind, key in entries if not cache.has(key)) if enough else 0
    hits = grep_candidates(root) if uncached >= settings.grep_min_files else None
    result.stats["files"] = len(entries)
    for entry, kind, key in entries:
        cached = cache.get(key) if entry.blob is not None else None
        if cached is not None:
            result.stats["cached"] += 1
            markers = [Marker(*row) for row in cached]
        elif hits is not None and entry.path not in hits:
            _count(result, "prefiltered by git grep")
            if entry.blob is not None:
                cache.put(key, [])
            continue
        else:
            markers = _markers(root, entry, kind, settings, cache, result)
        if markers:
            result.found += _found(entry.path, markers, settings)
    return result


def grep_candidates(root: Path) -> set[str] | None:
    """Files (tracked or untracked, not ignored) with a candidate line, by `git grep` (threaded);
    None when git grep fails (then every file is read)."""
    args = ["git", "-c", "core.quotepath=off", "grep", "-z", "-l", "-a", "-i", "-w", "-F"]
    args += ["--untracked", *(arg for word in GREP_WORDS for arg in ("-e", word))]
    done = proc.run(args, cwd=root, timeout=120)
    if done.returncode == 1 and not done.stderr:
        return set()
    if not done.ok:
        return None
    return {name for name in done.stdout.split("\0") if name}


def _count(result: SourceResult, what: str) -> None:
    result.stats[what] = result.stats.get(what, 0) + 1


def _markers(
    root: Path,
    entry: RepoFile,
    kind: str,
    settings: CommentOptions,
    cache: ScanCache,
    result: SourceResult,
) -> list[Marker]:
    data, why = read_file(root, entry, settings.max_file_bytes)
    if data is None:
        _count(result, f"skipped {why}")
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


def _entries(files: FileList, mode: str) -> list[tuple[RepoFile, str, str]]:
    """Each file with a comment syntax, with the scanner it gets and its cache key ("None:…" for
    a file not hashed yet: never stored). The scanner is worked out once per file suffix."""
    kinds: dict[str, str | None] = {}
    entries = []
    for entry in files.files:
        path = entry.path
        name = path[path.rfind("/") + 1 :]
        dot = name.rfind(".")
        if dot <= 0 or name in FILENAMES:
            kind = _kind(name, mode)
        else:
            suffix = name[dot:]
            if suffix not in kinds:
                kinds[suffix] = _kind(f"x{suffix}", mode)
            kind = kinds[suffix]
        if kind is not None:
            entries.append((entry, kind, f"{entry.blob}:{kind}"))
    return entries


def _kind(name: str, mode: str) -> str | None:
    """The scanner a file gets (part of its cache key); None: no comment syntax, not scanned."""
    syntax = syntax_for(name)
    if syntax is PYTHON and name.endswith((".py", ".pyi", ".pyw")):
        return f"py-{mode}"
    return syntax.name if syntax else None


def _found(path: str, markers: list[Marker], settings: CommentOptions) -> list[Found]:
    bases = [fingerprint("comments", path, m.tag, normalize(m.text), m.anchor) for m in markers]
    return [
        _item(path, marker, marker.text, print_, settings)
        for marker, print_ in zip(markers, number_duplicates(bases), strict=True)
    ]


def _item(path: str, marker: Marker, text: str, print_: str, settings: CommentOptions) -> Found:
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


def count_markers(root: Path, settings: CommentOptions) -> dict[str, int]:
    """Count markers by tag in the real comments of repository `root` (writes nothing)."""
    from agent.discovery.cache import CACHE_FILE
    from agent.discovery.files import list_files

    files = list_files(root, (*settings.exclude, *settings.extra_exclude))
    result = discover_comments(root, files, settings, ScanCache(root / CACHE_FILE, {}))
    counts: dict[str, int] = {}
    for item in result.found:
        counts[item.tag] = counts.get(item.tag, 0) + 1
    return counts
