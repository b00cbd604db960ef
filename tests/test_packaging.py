"""The wheel adds one top-level import name, `agent` (tools and prompts install as agent.tools and
agent.prompts), and a fresh environment with only that wheel runs `agent --help`. Offline: no build
isolation, no index; the test environment's packages are reused through a .pth file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("agent", "tools", "prompts")


def copy_tree(target: Path) -> Path:
    """Copy the files the wheel is built from (tracked or new, links kept as links) to `target`."""
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", *SOURCES, "pyproject.toml", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for name in out.stdout.splitlines():
        source, dest = ROOT / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), dest)
        elif source.is_file():
            shutil.copy2(source, dest)
    return target


def build_wheel(tmp_path: Path) -> Path:
    """Build the wheel from a copy of the working tree; return its path."""
    source = copy_tree(tmp_path / "src")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    command += ["--no-index", "-q", "-w", str(tmp_path / "dist"), str(source)]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return next((tmp_path / "dist").glob("agent-*.whl"))


def top_level_names(wheel: Path) -> set[str]:
    """The first path component of every file the wheel installs, less its metadata folders."""
    with zipfile.ZipFile(wheel) as archive:
        record = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        rows = archive.read(record).decode().splitlines()
    paths = [row.split(",")[0] for row in rows if row]
    return {p.split("/")[0] for p in paths if not p.split("/")[0].endswith((".dist-info", ".data"))}


def fresh_environment(tmp_path: Path) -> Path:
    """A new venv without pip that sees this environment's packages (not its editable agent)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "reuse-test-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def run_in(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run `argv` in `cwd` (outside the repository, so nothing is imported from it)."""
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_wheel_installs_only_agent_and_runs(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    assert top_level_names(wheel) == {"agent"}
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"agent/tools/registry.py", "agent/prompts/system.md.j2"} <= names

    python = fresh_environment(tmp_path)
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    subprocess.run([*install, "--no-index", "-q", str(wheel)], check=True, capture_output=True)
    help_text = run_in(tmp_path, str(python.parent / "agent"), "--help")
    assert help_text.returncode == 0, help_text.stderr
    assert "backlog" in help_text.stdout.lower()
    probe = (
        "import importlib.util as u, agent.text.prompting as p, importlib.resources as r; "
        "print(u.find_spec('tools'), u.find_spec('prompts'), "
        "r.files('agent.prompts').joinpath('system.md.j2').is_file(), p.__file__)"
    )
    found = run_in(tmp_path, str(python), "-c", probe)
    assert found.returncode == 0, found.stderr
    tools_spec, prompts_spec, template, where = found.stdout.split()
    assert (tools_spec, prompts_spec, template) == ("None", "None", "True")
    assert Path(where).is_relative_to(tmp_path / "venv")
