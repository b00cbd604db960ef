"""One rule picks the Python that runs a repository's tests; each rung on real virtualenvs."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.config import settings as agent_settings
from agent.config.settings import load_settings
from agent.errors import InputError
from agent.report.models import Stamp
from agent.report.quality import quality_section
from agent.testrun.pyenv import OWN, run_environment
from agent.testrun.run import run_tests
from agent.workspace.gitutil import open_repo
from tests.discovery_support import discover
from tests.pyenv_support import make_venv, tool_script
from tests.support import make_repo, write_files

WHERE = (
    "import sys\nfrom pathlib import Path\n\n\n"
    "def test_where():\n    Path('where.txt').write_text(sys.prefix, encoding='utf-8')\n"
)
SRC_REPO = {
    "src/shapes/__init__.py": "",
    "src/shapes/area.py": "def square(side):\n    return side * side\n",
    "tests/test_area.py": "from shapes.area import square\n\n\ndef test_square():\n"
    "    assert square(3) == 9\n",
    "tests/test_where.py": WHERE,
}
FAILING = {"calc.py": "def add(a, b):\n    return a - b\n", "tests/test_calc.py": (
    "from calc import add\n\n\ndef test_add():\n    assert add(2, 2) == 4\n")}  # fmt: skip


@pytest.fixture(autouse=True)
def _no_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The target repositories' tests need no plugin (autoloading ours costs seconds a run)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def loaded(repo: Path, **env: str) -> agent_settings.TestSettings:
    """The test settings of `repo` loaded with exactly `env` as the process environment."""
    return load_settings(repo, env=env).tests


def ran_in(repo: Path, tests: agent_settings.TestSettings) -> str:
    """Run the tests of `repo`; the prefix of the interpreter that ran them."""
    run = run_tests(repo, tests)
    assert run.passed, run.result.output
    return (repo / "where.txt").read_text(encoding="utf-8")


def test_a_configured_command_or_python_wins_over_the_repositorys_venv(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    make_venv(repo / ".venv", with_pytest=True)
    other = make_venv(tmp_path / "other", with_pytest=True)
    command = json.dumps([str(other), "-m", "pytest"])

    by_command = loaded(repo, AGENT_TESTS__COMMAND=command)
    by_python = loaded(repo, AGENT_TESTS__PYTHON=str(other))
    runner = loaded(repo, AGENT_TESTS__COMMAND='["pytest"]')

    assert (by_command.interpreter, by_command.python_reason) == (
        str(other),
        "configured: the test command",
    )
    assert ran_in(repo, by_command) == str(tmp_path / "other")
    assert (by_python.interpreter, by_python.python_reason) == (
        str(other),
        "configured: [tests] python",
    )
    assert ran_in(repo, by_python) == str(tmp_path / "other")
    assert runner.command == ("pytest",)  # run as written; `python` elsewhere is the .venv
    assert runner.python_reason == "the repository's .venv"


def test_the_repositorys_venv_runs_its_tests(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    python = make_venv(repo / ".venv", with_pytest=True)

    tests = loaded(repo, VIRTUAL_ENV=sys.prefix)

    assert tests.command == ("python", "-m", "pytest")
    assert (tests.interpreter, tests.python_reason) == (str(python), "the repository's .venv")
    assert ran_in(repo, tests) == str(repo / ".venv")


def test_uvs_project_environment_when_uv_manages_the_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**SRC_REPO, "uv.lock": "version = 1\n"})
    python = make_venv(repo / ".uvenv", with_pytest=True)

    tests = loaded(repo, UV_PROJECT_ENVIRONMENT=".uvenv")

    assert (tests.interpreter, tests.python_reason) == (
        str(python),
        "uv's project environment (.uvenv)",
    )
    assert ran_in(repo, tests) == str(repo / ".uvenv")
    (repo / "uv.lock").unlink()
    assert loaded(repo, UV_PROJECT_ENVIRONMENT=".uvenv").python_reason == OWN


def test_pdms_interpreter_with_pytest_is_preferred_to_a_venv_without(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    bare = make_venv(repo / ".venv", with_pytest=False)
    python = make_venv(tmp_path / "pdm-env", with_pytest=True)
    (repo / ".pdm-python").write_text(f"{python}\n", encoding="utf-8")

    tests = loaded(repo)

    assert (tests.interpreter, tests.python_reason) == (
        str(python),
        "pdm's interpreter (.pdm-python)",
    )
    assert ran_in(repo, tests) == str(tmp_path / "pdm-env")
    (repo / ".pdm-python").unlink()
    assert loaded(repo).interpreter == str(bare)  # no pytest anywhere: the venv still wins


def test_poetry_and_hatch_are_asked_only_when_present(tmp_path: Path) -> None:
    files = {**SRC_REPO, "poetry.lock": "", "hatch.toml": ""}
    repo = make_repo(tmp_path / "repo", files)
    python = make_venv(tmp_path / "cache" / "sample-py3.11", with_pytest=True)
    tools = tmp_path / "bin"
    tool_script(tools / "poetry", f"echo {python.parent.parent}")

    asked = loaded(repo, PATH=str(tools))
    assert (asked.interpreter, asked.python_reason) == (
        str(python),
        "poetry's environment (poetry env info -p)",
    )
    tool_script(tools / "poetry", "echo 'no environment' >&2; exit 1")
    tool_script(tools / "hatch", f"echo {python.parent.parent}")
    assert loaded(repo, PATH=str(tools)).python_reason == (
        "hatch's default environment (hatch env find)"
    )
    assert loaded(repo, PATH=str(tmp_path / "nothing-here")).python_reason == OWN


def test_the_active_virtualenv_or_conda_environment(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    python = make_venv(tmp_path / "active", with_pytest=True)

    virtualenv = loaded(repo, VIRTUAL_ENV=str(tmp_path / "active"))
    conda = loaded(repo, CONDA_PREFIX=str(tmp_path / "active"))

    assert (virtualenv.interpreter, virtualenv.python_reason) == (
        str(python),
        "the active virtualenv (VIRTUAL_ENV)",
    )
    assert conda.python_reason == "the active conda environment (CONDA_PREFIX)"
    assert ran_in(repo, virtualenv) == str(tmp_path / "active")


def test_python3_on_path_only_when_it_has_pytest(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    make_venv(tmp_path / "with", with_pytest=True)
    make_venv(tmp_path / "without", with_pytest=False)

    found = loaded(repo, PATH=str(tmp_path / "with" / "bin"))
    skipped = loaded(repo, PATH=str(tmp_path / "without" / "bin"))

    assert (found.interpreter, found.python_reason) == (
        str(tmp_path / "with" / "bin" / "python3"),
        "python3 on PATH, which has pytest",
    )
    assert ran_in(repo, found) == str(tmp_path / "with")
    assert (skipped.interpreter, skipped.python_reason) == (sys.executable, OWN)


def test_otherwise_agents_own_interpreter(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)

    tests = loaded(repo)

    assert (tests.interpreter, tests.python_reason) == (sys.executable, OWN)
    assert ran_in(repo, tests) == sys.prefix


def test_python_reason_is_not_a_setting(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {".agent.toml": "[tests]\npython_reason = 'mine'\n"})
    with pytest.raises(InputError, match=r"\.agent\.toml:2: setting 'tests.python_reason'"):
        load_settings(repo, env={})


def test_no_pytest_in_the_chosen_interpreter_is_a_warning_not_an_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", FAILING)
    python = make_venv(repo / ".venv", with_pytest=False)
    monkeypatch.delenv("AGENT_TESTS__PYTHON")

    done = discover(capsys, monkeypatch, str(repo), "--sources", "tests", "--json", "--no-write")

    assert done.code == 0, done.err
    assert done.json() == []
    assert done.err == (
        f"warning: tests skipped: pytest is not installed in {python} (the repository's .venv): "
        f"`{python} -m pip install pytest`, or set [tool.agent.tests] command\n"
    )
    stamp = Stamp(measured_at=datetime.now(UTC), commit="0" * 40)
    quality = quality_section(open_repo(repo), "main", load_settings(repo).tests, stamp)
    assert quality.tests_failed.value is None
    assert quality.tests_failed.reason == "not measured: " + done.err.split("skipped: ")[1].strip()
    assert f"python: {python} (the repository's .venv)" in quality.tests_failed.source


def test_a_missing_interpreter_is_a_warning_and_a_real_failure_still_an_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", FAILING)
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "python").symlink_to(tmp_path / "removed" / "python3")
    monkeypatch.delenv("AGENT_TESTS__PYTHON")

    args = (str(repo), "--sources", "tests", "--json", "--no-write")
    missing = discover(capsys, monkeypatch, *args)
    write_files(repo, {".agent.toml": f"[tests]\npython = '{sys.executable}'\n"})
    failing = discover(capsys, monkeypatch, *args)

    assert missing.json() == []
    assert missing.err == (
        f"warning: tests skipped: the test command cannot start: {repo / '.venv/bin/python'} "
        "(the repository's .venv) not found; set [tool.agent.tests] python or command\n"
    )
    assert [item["title"] for item in failing.json()] == [
        "Failing test tests/test_calc.py::test_add"
    ]


def test_the_worktrees_src_comes_before_an_installed_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", SRC_REPO)
    shadow = tmp_path / "site" / "shapes"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("", encoding="utf-8")
    (shadow / "area.py").write_text("def square(side):\n    return 0\n", encoding="utf-8")

    env = run_environment(repo, {"PYTHONPATH": str(shadow.parent), "HOME": "/nowhere"})

    assert env["PYTHONPATH"] == f"{repo / 'src'}{os.pathsep}{shadow.parent}"
    assert env["HOME"] == "/nowhere"
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))  # as an install of the checkout would
    run = run_tests(repo, load_settings(repo, env={}).tests)
    assert run.passed, run.result.output
