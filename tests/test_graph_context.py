"""What the model is shown and how its file replies are cleaned."""

from __future__ import annotations

from pathlib import Path

from agent.graph.sources import imported_modules, strip_fences
from tests.support import make_repo


def test_fenced_file_replies_are_unwrapped_and_plain_ones_kept() -> None:
    assert strip_fences("```python\nx = 1\n```") == "x = 1\n"
    assert strip_fences("```\na\nb\n```\n") == "a\nb\n"
    assert strip_fences("x = 1\n") == "x = 1\n"
    assert strip_fences("text with ``` inside\n") == "text with ``` inside\n"


def test_imported_modules_of_a_test_are_the_code_under_test(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "pkg/__init__.py": "",
            "pkg/stats.py": "def mean(v): return 0\n",
            "tests/helpers.py": "",
            "tests/test_stats.py": (
                "import os\nfrom pkg.stats import mean\nfrom tests import helpers\n"
            ),
        },
    )
    assert imported_modules(repo, "tests/test_stats.py") == ["pkg/stats.py"]


def test_source_shown_to_the_model_has_secrets_redacted(tmp_path: Path) -> None:
    from agent.graph.sources import read_source

    canary = "ghp_" + "C4n4ry" * 7
    (tmp_path / "settings.py").write_text(f'TOKEN = "{canary}"\n', encoding="utf-8")
    shown = read_source(tmp_path, "settings.py")
    assert canary not in shown and "[REDACTED]" in shown
