"""The lean path of `agent discover [REPO] --sources comments --no-write --json [--now T]`.

It does what the typer command does for that one invocation, without typer, rich or pydantic
(together about 0.25 s of start-up), and only where the outcome cannot differ: default settings (no
`[tool.agent]` in pyproject.toml, no .agent.toml, no AGENT_ variable) and no backlog.yml to merge
with. Every other case, any doubt and any error return False: the full command then runs and
reports it. tests/test_discovery_fast.py checks that both paths print the same bytes.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.config import discovery_defaults as defaults
from agent.discovery.model import Found
from agent.errors import AgentError

FLAGS = frozenset(("--json", "--no-write"))
VALUED = ("--sources", "--now")


@dataclass(frozen=True)
class DefaultOptions:
    """The default discovery settings the comments source reads (plain data, no pydantic)."""

    max_file_bytes: int = defaults.MAX_FILE_BYTES
    exclude: tuple[str, ...] = defaults.DEFAULT_EXCLUDES
    extra_exclude: tuple[str, ...] = ()
    grep_min_files: int = defaults.GREP_MIN_FILES
    python_tokenize: str = defaults.PYTHON_TOKENIZE
    todo_type: str = defaults.TODO_TYPE


def run_fast(argv: list[str]) -> bool:
    """Print the JSON of the lean invocation in `argv` and return True; False when not one."""
    request = parse_request(argv)
    if request is None:
        return False
    root, now = request
    if not defaults_apply(root, os.environ):
        return False
    collecting = gc.isenabled()
    gc.disable()  # the scan makes many small acyclic objects: collections would be pure cost
    try:
        output = discover_json(root, now)
    except AgentError:
        return False  # the full command reports it, with its exit code
    finally:
        if collecting:
            gc.enable()
    sys.stdout.write(output)
    return True


def parse_request(argv: list[str]) -> tuple[Path, datetime] | None:
    """Return (repository, --now) when `argv` is exactly the lean invocation, else None."""
    if not argv or argv[0] != "discover":
        return None
    flags, values, positional = _split(argv[1:])
    if flags != FLAGS or len(positional) > 1 or _sources(values.get("--sources")) != ["comments"]:
        return None
    root = Path(positional[0] if positional else ".")
    now = _now(values.get("--now"))
    if now is None or not root.is_dir():
        return None
    return root.resolve(), now


def _split(args: list[str]) -> tuple[set[str], dict[str, str], list[str]]:
    flags: set[str] = set()
    values: dict[str, str] = {}
    positional: list[str] = []
    words = iter(args)
    for word in words:
        name, eq, value = word.partition("=")
        if name in VALUED and name not in values:
            values[name] = value if eq else next(words, "--")
        elif word in FLAGS:
            flags.add(word)
        else:
            positional.append(word)
    if any(word.startswith("-") for word in [*positional, *values.values()]):
        positional.append("-")  # an option this path does not know, or a missing value
    return flags, values, positional


def _sources(value: str | None) -> list[str]:
    if value is None:
        return []
    return list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


def _now(value: str | None) -> datetime | None:
    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).replace(microsecond=0)


def defaults_apply(root: Path, env: Mapping[str, str]) -> bool:
    """True when `root` runs on default settings and has no backlog to merge with."""
    if any(key.startswith("AGENT_") for key in env):
        return False
    if (root / ".agent.toml").exists() or (root / defaults.BACKLOG_PATH).exists():
        return False
    pyproject = root / "pyproject.toml"
    if not pyproject.exists():
        return True
    import tomllib  # only here: it costs more than the rest of this path's imports

    try:
        tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(tool, dict) and "agent" not in tool


def discover_json(root: Path, now: datetime) -> str:
    """Scan the comments of `root` (cache kept up to date) and return the items as JSON."""
    from agent.discovery.cache import ensure_excluded
    from agent.discovery.files import check_repo, in_background, list_files

    options = DefaultOptions()
    _commit, exclude_file = check_repo(root)
    ensure_excluded(exclude_file)
    excludes = (*options.exclude, *options.extra_exclude, defaults.BACKLOG_PATH)
    listing = in_background(lambda: list_files(root, excludes))
    # git lists the files (tens of ms) while the scanner is imported and the cache read
    from agent.discovery.cache import ScanCache
    from agent.discovery.scan_comments import discover_comments

    cache = ScanCache.load(root)
    result = discover_comments(root, listing(), options, cache)
    cache.save()
    stamp = now.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return json.dumps(new_items(result.found, stamp), ensure_ascii=False) + "\n"


def new_items(found: list[Found], stamp: str) -> list[dict[str, Any]]:
    """The JSON of `found` as new backlog items (what merge and item_json give for no backlog)."""
    from agent.discovery.identity import make_id

    taken: set[str] = set()
    items = []
    for item in found:
        item_id = make_id(item.score_key, item.fingerprint, taken)
        taken.add(item_id)
        items.append(_item_json(item, item_id, stamp))
    return items


def _item_json(item: Found, item_id: str, stamp: str) -> dict[str, Any]:
    value, critical, risk, effort = defaults.SCORE_DEFAULTS.get(
        item.score_key, defaults.SCORE_DEFAULTS["TODO"]
    )
    source = {"kind": item.kind, "path": item.path, "line": item.line}
    source |= {"fingerprint": item.fingerprint, "tag": item.tag, "text": item.text}
    return {
        "id": item_id,
        "title": item.title,
        "description": item.description,
        "type": item.item_type,
        "status": defaults.COMMENT_STATUS,
        "business_value": value,
        "time_criticality": critical,
        "risk_reduction": risk,
        "effort": effort,
        "created_at": stamp,
        "acceptance_criteria": list(item.criteria),
        "links": list(item.links),
        "tags": list(item.tags),
        "source": source,
    }
