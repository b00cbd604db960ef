"""Real virtualenvs for the interpreter-rule tests, made fast: no pip, pytest by a .pth file."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path


def make_venv(path: Path, with_pytest: bool) -> Path:
    """Create a virtualenv at `path` (pytest importable when asked); return its interpreter."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    if with_pytest:  # this interpreter's packages, pytest among them, as a .pth file adds them
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        site = path / "lib" / version / "site-packages"
        (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    return path / "bin" / "python"


def tool_script(path: Path, body: str) -> None:
    """Write an executable shell script at `path` standing in for a project tool (poetry, hatch)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
