"""Replay the first GREEN prompt of a recorded `agent run` with a narrower action schema.

Usage: .venv/bin/python bench/bugfix/probe.py TRAJECTORY.jsonl MODULE [--tool replace_text]
           [--server http://127.0.0.1:PORT]
Prints the model's action when `path` may only be MODULE (the file under test), which is how
docs/benchmarks.md tests "constrain the edit to non-test files" without changing the agent.
"""

from __future__ import annotations

import argparse
import json
import urllib.request
from pathlib import Path

FIELDS = {
    "replace_text": {"old": {"type": "string"}, "new": {"type": "string"}},
    "write_file": {"content": {"type": "string"}},
}


def schema(tool: str, module: str) -> dict[str, object]:
    """A one-tool action schema whose path is the module only."""
    arguments = {"path": {"type": "string", "enum": [module]}, **FIELDS[tool]}
    return {
        "type": "object",
        "properties": {
            "tool": {"type": "string", "enum": [tool]},
            "arguments": {"type": "object", "properties": arguments, "required": list(arguments)},
        },
        "required": ["tool", "arguments"],
    }


def main() -> None:
    """Ask the model once and print its reply and usage."""
    parser = argparse.ArgumentParser()
    parser.add_argument("trajectory", type=Path)
    parser.add_argument("module")
    parser.add_argument("--tool", default="replace_text", choices=sorted(FIELDS))
    parser.add_argument("--server", default="http://127.0.0.1:8976")
    opts = parser.parse_args()
    lines = opts.trajectory.read_text(encoding="utf-8").splitlines()
    first = next(json.loads(x) for x in lines if '"event": "model_call"' in x)
    fmt = {"name": "action", "schema": schema(opts.tool, opts.module)}
    body = {"model": "local", "messages": first["messages"], "temperature": 0, "max_tokens": 400}
    body["response_format"] = {"type": "json_schema", "json_schema": fmt}
    request = urllib.request.Request(  # noqa: S310 (a local http:// server)
        opts.server + "/v1/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=900) as response:  # noqa: S310
        reply = json.load(response)
    print(reply["choices"][0]["message"]["content"])
    print(reply["usage"])


if __name__ == "__main__":
    main()
