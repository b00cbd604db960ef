"""Regenerate the graph diagrams in docs/architecture.md from the code (`make docs`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from agent.graph.graph import mermaid

BEGIN, END = "<!-- graph:begin -->", "<!-- graph:end -->"


def main() -> int:
    """Replace the text between the markers with the current diagrams."""
    path = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    updated = pattern.sub(lambda _m: f"{BEGIN}\n{mermaid()}{END}", text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
