"""The lean `discover --sources comments --no-write --json` path: same bytes as the full command,
taken only where nothing can differ."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent.cli import main as full_main
from agent.config import discovery_defaults as defaults
from agent.config.discovery import DiscoverySettings
from agent.config.settings import Settings
from agent.discovery.cache import CACHE_FILE
from agent.discovery.fast import DefaultOptions, defaults_apply, parse_request, run_fast
from tests.support import make_repo, write_files

NOW = "2026-11-21T00:00:00Z"
LEAN = ["discover", "--sources", "comments", "--no-write", "--json", "--now", NOW]
FILES = {
    "a.py": (
        "# TODO: one\n# FIXME(#12): two\nx = '# TODO: string'\n"
        "def f():\n    pass  # HACK: trailing\n    # TODO: one\n"
    ),
    "b.js": "// BUG: js é\n/* XXX(ann): block */\n",
    "c/d.go": "// todo: lower with colon\n// todo later is prose\n",
    "vendor/v.py": "# TODO: excluded\n",
}


@pytest.fixture(autouse=True)
def _default_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AGENT_ variable, as for a user: conftest's interpreter pin turns the lean path off."""
    monkeypatch.delenv("AGENT_TESTS__PYTHON")


def lean(capsys: pytest.CaptureFixture[str], repo: Path, *extra: str) -> tuple[bool, str]:
    """Run the lean path on `repo`: (taken, stdout)."""
    taken = run_fast([*LEAN, str(repo), *extra])
    return taken, capsys.readouterr().out


def full(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, repo: Path) -> str:
    """Run the typer command with the same arguments: its stdout."""
    monkeypatch.setattr(sys, "argv", ["agent", *LEAN, str(repo)])
    with pytest.raises(SystemExit) as exited:
        full_main()
    assert exited.value.code in (0, None)
    return capsys.readouterr().out


def test_lean_and_full_print_the_same_bytes_cold_and_after_a_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "r", FILES)
    write_files(repo, {"new.rb": "# FIXME: untracked\n"})
    taken, out = lean(capsys, repo)
    assert taken and '"id": "TODO-' in out and "excluded" not in out and "string" not in out
    assert out == full(capsys, monkeypatch, repo)
    write_files(repo, {"a.py": FILES["a.py"] + "# BUG: added\n"})
    taken, again = lean(capsys, repo)
    assert taken and "BUG: added" in again and again != out
    assert again == full(capsys, monkeypatch, repo)
    (repo / CACHE_FILE).write_text("{corrupt", encoding="utf-8")
    assert lean(capsys, repo) == (True, again)


def test_whole_process_prints_the_same_bytes_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "r", FILES)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "agent", *LEAN, str(repo)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == full(capsys, monkeypatch, repo)
    assert (repo / CACHE_FILE).is_file()  # written before the fast exit


@pytest.mark.parametrize(
    "argv",
    [
        ["discover", "--sources=comments", "--json", "--no-write"],
        ["discover", "--no-write", "--json", "--sources", " comments, comments"],
        ["discover", "REPO", "--json", "--sources", "comments", "--no-write", "--now=2026-01-01"],
    ],
)
def test_lean_invocations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    request = parse_request([word.replace("REPO", str(tmp_path)) for word in argv])
    assert request is not None and request[0] == tmp_path.resolve()


@pytest.mark.parametrize(
    "argv",
    [
        ["discover", "--sources", "comments", "--json"],  # writes the backlog
        ["discover", "--sources", "comments,tests", "--json", "--no-write"],
        ["discover", "--json", "--no-write"],  # every source
        ["discover", "--sources", "comments", "--json", "--no-write", "--help"],
        ["discover", "--sources", "comments", "--json", "--no-write", "a", "b"],
        ["discover", "--sources", "comments", "--json", "--no-write", "--now", "yesterday"],
        ["discover", "--sources", "comments", "--json", "--no-write", "--now"],
        ["discover", "--sources", "comments", "--json", "--no-write", "no-such-dir"],
        ["discover", "--sources", "comments", "--sources", "comments", "--json", "--no-write"],
        ["backlog", "--json"],
    ],
)
def test_other_invocations_take_the_full_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert parse_request(argv) is None


def test_any_configuration_or_backlog_takes_the_full_command(tmp_path: Path) -> None:
    assert defaults_apply(tmp_path, {"PATH": "/bin"})
    assert not defaults_apply(tmp_path, {"AGENT_DISCOVERY__TODO_TYPE": "feature"})
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 99\n")
    assert defaults_apply(tmp_path, {})
    (tmp_path / "pyproject.toml").write_text("[tool.agent.discovery]\ntodo_type = 'feature'\n")
    assert not defaults_apply(tmp_path, {})
    (tmp_path / "pyproject.toml").write_text("[tool\n")
    assert not defaults_apply(tmp_path, {})
    (tmp_path / "pyproject.toml").unlink()
    for name in (".agent.toml", "backlog.yml"):
        (tmp_path / name).write_text("")
        assert not defaults_apply(tmp_path, {})
        (tmp_path / name).unlink()


def test_configured_repository_gets_the_configured_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(
        tmp_path / "r", {**FILES, ".agent.toml": "[discovery]\ntodo_type = 'feature'\n"}
    )
    assert lean(capsys, repo) == (False, "")
    assert '"type": "feature"' in full(capsys, monkeypatch, repo)


def test_bad_repository_is_left_to_the_full_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").mkdir()
    assert lean(capsys, tmp_path / "plain") == (False, "")


def test_lean_defaults_are_the_settings_defaults() -> None:
    settings = Settings()
    discovery = DiscoverySettings()
    for name in DefaultOptions.__dataclass_fields__:
        assert getattr(DefaultOptions(), name) == getattr(discovery, name), name
    scores = {key: tuple(s.model_dump().values()) for key, s in discovery.scores.items()}
    assert scores == defaults.SCORE_DEFAULTS
    assert discovery.comment_status == defaults.COMMENT_STATUS
    assert settings.backlog.path == defaults.BACKLOG_PATH
    assert set(defaults.SCORE_DEFAULTS["TODO"]) <= set(settings.scoring.scale)
