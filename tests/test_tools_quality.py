"""check_quality: ruff and bandit on the item's changed Python files only."""

from __future__ import annotations

from pathlib import Path

from agent.tools.quality import check_quality
from tests.toolkit import call, user_repo, worked_item


def test_findings_on_changed_files_only(tmp_path: Path) -> None:
    repo = user_repo(tmp_path, {"legacy.py": "import os\n"})  # unchanged: not scanned
    with worked_item(repo) as ws:
        assert call(check_quality, ws).output == "no changed Python files to check"
        (ws.root / "src" / "calc.py").write_text(
            "import subprocess\n\n\ndef add(a, b):\n    return subprocess.call(a, shell=True)\n"
        )
        (ws.root / "notes.md").write_text("not python\n")
        result = call(check_quality, ws)
    assert not result.ok
    count = len(result.data["findings"])
    assert result.output.splitlines()[0] == f"{count} findings in 1 changed Python files"
    assert "src/calc.py:5:" in result.output and "B602" in result.output
    codes = {(f["tool"], f["code"]) for f in result.data["findings"]}
    assert ("bandit", "B602") in codes
    assert all(f["path"] == "src/calc.py" for f in result.data["findings"])
    assert result.data["files"] == ["src/calc.py"]


def test_clean_change_is_ok(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        (ws.root / "src" / "calc.py").write_text("def add(a, b):\n    return b + a\n")
        result = call(check_quality, ws)
    assert result.ok and result.output == "0 findings in 1 changed Python files"


def test_ruff_finding_reported(tmp_path: Path) -> None:
    repo = user_repo(tmp_path)
    with worked_item(repo) as ws:
        (ws.root / "src" / "calc.py").write_text("import os\n\n\ndef add(a, b):\n    return a\n")
        result = call(check_quality, ws)
    assert not result.ok
    assert "src/calc.py:1:8: F401" in result.output
