"""docs/architecture.md shows the graphs as the code wires them."""

from __future__ import annotations

from pathlib import Path

from agent.graph.graph import mermaid


def test_architecture_doc_diagrams_match_the_code() -> None:
    text = (Path(__file__).parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert mermaid() in text, "docs/architecture.md is stale: run `make docs`"
