"""Cut GitHub's OpenAPI description down to the operations the agent uses.

Reads node_modules/@octokit/openapi/generated/api.github.com.json (13 MB, 800+ paths; prism needs
~30 s to load it) and writes the listed operations with every component they reference, so prism
starts in a few seconds and validates exactly as with the whole file.

    python scripts/trim_github_spec.py .ci/node/node_modules OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SPEC = Path("@octokit/openapi/generated/api.github.com.json")
OPERATIONS = {
    "/rate_limit": ("get",),
    "/repos/{owner}/{repo}": ("get",),
    "/repos/{owner}/{repo}/issues": ("get",),
    "/repos/{owner}/{repo}/commits/{ref}/check-runs": ("get",),
    "/repos/{owner}/{repo}/commits/{ref}/status": ("get",),
    "/repos/{owner}/{repo}/pulls": ("get", "post"),
    "/repos/{owner}/{repo}/pulls/{pull_number}": ("patch",),
    "/repos/{owner}/{repo}/issues/{issue_number}/labels": ("post",),
    "/repos/{owner}/{repo}/issues/{issue_number}/comments": ("get", "post"),
}


def trim(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with only OPERATIONS and the components they reach."""
    paths = {
        path: {method: spec["paths"][path][method] for method in methods}
        for path, methods in OPERATIONS.items()
    }
    kept: dict[str, dict[str, Any]] = {}
    pending = _refs(paths)
    while pending:
        ref = pending.pop()
        _, _, section, name = ref.split("/", 3)
        if name in kept.setdefault(section, {}):
            continue
        node = spec["components"][section][name]
        kept[section][name] = node
        pending |= _refs(node)
    head = {key: spec[key] for key in ("openapi", "info", "servers")}
    return {**head, "paths": paths, "components": kept}


def _refs(node: Any) -> set[str]:
    """Every `$ref` under `node`."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                found.add(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def main(argv: list[str]) -> int:
    """Trim the spec under node_modules (argv[0]) into argv[1]."""
    if len(argv) != 2:
        sys.stderr.write("usage: trim_github_spec.py NODE_MODULES OUT.json\n")
        return 2
    spec = json.loads((Path(argv[0]) / SPEC).read_text(encoding="utf-8"))
    Path(argv[1]).write_text(json.dumps(trim(spec)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
