"""scripts/apply_layout_moves.py rewrites old module names to the new layout, and only those."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("moves", ROOT / "scripts" / "apply_layout_moves.py")
assert SPEC is not None and SPEC.loader is not None
moves = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(moves)
RENAMES = moves.moves()


def test_old_imports_become_new_ones() -> None:
    old = (
        "from agent import proc, gitutil\nfrom agent.testrun import run_tests\n"
        "import agent.settings\n"
    )
    assert moves.rewrite(old, RENAMES) == (
        "from agent.system import proc\nfrom agent.workspace import gitutil\n"
        "from agent.testrun.run import run_tests\nimport agent.config.settings\n"
    )


def test_new_names_are_left_alone() -> None:
    new = "from agent.workspace import gitutil\n`agent.testrun` (tests)\nagent/config/settings.py\n"
    assert moves.rewrite(new, RENAMES) == new


def test_every_new_module_exists(tmp_path: Path) -> None:
    table = (ROOT / "docs" / "layout-moves.md").read_text(encoding="utf-8")
    modules = tmp_path / "modules.md"
    modules.write_text(table.split("## Names inside modules")[0], encoding="utf-8")
    for new in moves.moves(modules).values():
        assert (ROOT / (new.replace(".", "/") + ".py")).is_file(), new


def test_the_tree_uses_no_old_name() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "apply_layout_moves.py"), "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == ""
