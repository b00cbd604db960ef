"""The repository's own instructions: which files apply, caps, redaction, and the test command."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config.instructions import InstructionSettings
from agent.config.settings import load_settings
from agent.instructions.files import read_instruction
from agent.instructions.select import instructions_for
from agent.instructions.summary import instruction_summary, status_lines
from agent.testrun.run import run_tests
from agent.text.tokens import encoding
from tests.support import git


def count_tokens(text: str) -> int:
    """Tokens of `text` as the prompts count them."""
    return len(encoding().encode_ordinary(text))


TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def write(root: Path, files: dict[str, str]) -> Path:
    """Write `files` under `root` and commit them in a fresh git repository."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "files")
    return root


NESTED = {
    "AGENTS.md": "root rules\n",
    "pkg/AGENTS.md": "pkg rules\n",
    "pkg/sub/AGENTS.md": "sub rules\n",
    "pkg/sub/mod.py": "x = 1\n",
    "CONTRIBUTING.md": "contributing rules\n",
}


@pytest.mark.parametrize(
    ("paths", "applied"),
    [
        (["pkg/sub/mod.py"], ["pkg/sub/AGENTS.md", "AGENTS.md", "CONTRIBUTING.md"]),
        (["pkg/other.py"], ["pkg/AGENTS.md", "AGENTS.md", "CONTRIBUTING.md"]),
        (["pkg/sub/mod.py", "pkg/x.py"], ["pkg/sub/AGENTS.md", "pkg/AGENTS.md", "AGENTS.md",
                                          "CONTRIBUTING.md"]),
        (["lib/x.py"], ["AGENTS.md", "CONTRIBUTING.md"]),
        (["../pkg/sub/mod.py", "/etc/passwd"], ["AGENTS.md", "CONTRIBUTING.md"]),
    ],
)  # fmt: skip
def test_the_nearest_agents_md_wins_for_a_file_in_a_subtree(
    tmp_path: Path, paths: list[str], applied: list[str]
) -> None:
    root = write(tmp_path, NESTED)

    instructions = instructions_for(root, paths, InstructionSettings())

    assert instructions.paths == applied
    prompt = instructions.prompt()
    shown = [prompt.index(f"--- {path} ---") for path in applied]
    assert shown == sorted(shown)  # most specific first: it wins where they disagree
    assert "the earlier one wins" in prompt


def test_an_agents_md_linked_to_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("do not read me\n", encoding="utf-8")
    root = write(tmp_path / "repo", {"pkg/mod.py": "x = 1\n"})
    (root / "pkg" / "AGENTS.md").symlink_to(outside)

    assert instructions_for(root, ["pkg/mod.py"], InstructionSettings()).paths == []


def test_a_huge_file_is_capped_in_bytes_and_in_prompt_tokens(tmp_path: Path) -> None:
    line = "Always write docstrings in the imperative mood for every public function.\n"
    root = write(tmp_path, {"AGENTS.md": line * 5000, "CONTRIBUTING.md": "later rules\n"})
    settings = InstructionSettings(tokens=300, max_file_bytes=10_000)

    read = read_instruction(root, "AGENTS.md", settings.max_file_bytes)
    instructions = instructions_for(root, [], settings)

    assert read.size == len(line) * 5000 and len(read.text.encode()) <= 10_000
    assert read.text.endswith("\n") and read.bytes_cut == read.size - len(read.text.encode())
    [agents] = instructions.applied
    assert count_tokens(agents.text) <= 300 and count_tokens(instructions.prompt()) <= 300
    assert "bytes beyond the size cap not read" in agents.note
    assert "tokens cut to fit the budget" in agents.note
    assert instructions.left_out == ("CONTRIBUTING.md",)
    assert "Left out for the token budget: CONTRIBUTING.md" in instructions.prompt()


def test_secrets_in_instruction_files_are_redacted(tmp_path: Path) -> None:
    root = write(tmp_path, {"AGENTS.md": f"Deploy with token {TOKEN} please.\n"})

    prompt = instructions_for(root, [], InstructionSettings()).prompt()

    assert TOKEN not in prompt and "Deploy with token [REDACTED] please." in prompt


def test_no_instruction_files_and_disabled_instructions_add_nothing(tmp_path: Path) -> None:
    root = write(tmp_path, {"README.md": "# readme\n"})
    assert instructions_for(root, ["a.py"], InstructionSettings()).prompt() == ""
    write(root, {"AGENTS.md": "rules\n", "CLAUDE.md": "\n"})
    assert instructions_for(root, [], InstructionSettings()).paths == ["AGENTS.md"]  # empty: none
    assert instructions_for(root, [], InstructionSettings(enabled=False)).prompt() == ""
    assert instruction_summary(root) is not None


TWO_FAILURES = {
    "tests/test_two.py": "def test_a():\n    assert False\n\n\ndef test_b():\n    assert False\n",
}
AGENTS_TESTING = (
    "# Contributing\n\nBe kind.\n\n## Testing\n\nRun the suite before you commit:\n\n"
    "```console\n$ pytest -x tests/\n```\n\nOne test: `pytest tests/test_two.py::test_a -x`\n"
)


def test_a_test_command_named_in_agents_md_is_used_when_none_is_configured(
    tmp_path: Path,
) -> None:
    root = write(tmp_path, {**TWO_FAILURES, "AGENTS.md": AGENTS_TESTING})

    settings = load_settings(root, env={})
    run = run_tests(root, settings.tests)

    assert settings.tests.command == ("python", "-m", "pytest", "-x")
    assert run.report is not None and len(run.report.problems) == 1  # -x stopped at the first
    summary = instruction_summary(root)
    assert summary is not None
    assert summary["test_command"]["from"] == "instructions"
    assert "test command: python -m pytest -x (from AGENTS.md (`pytest -x tests/`)" in "\n".join(
        status_lines(summary)
    )


@pytest.mark.parametrize(
    ("files", "env"),
    [
        ({"pyproject.toml": '[tool.agent.tests]\ncommand = ["python", "-m", "pytest"]\n'}, {}),
        ({}, {"AGENT_TESTS__COMMAND": '["python", "-m", "pytest"]'}),
    ],
)
def test_the_configured_test_command_wins_over_agents_md(
    tmp_path: Path, files: dict[str, str], env: dict[str, str]
) -> None:
    root = write(tmp_path, {**TWO_FAILURES, **files, "AGENTS.md": AGENTS_TESTING})

    settings = load_settings(root, env=env)
    run = run_tests(root, settings.tests)

    assert settings.tests.command == ("python", "-m", "pytest")
    assert run.report is not None and len(run.report.problems) == 2


@pytest.mark.parametrize(
    "text",
    [
        "## Tests\n`pytest -x`\n\n```\npytest --maxfail=2\n```\n",  # two different commands
        "## Tests\n`pytest -x | tee log.txt`\n",  # a shell pipeline
        "## Tests\n`tox -e py`\n`make test`\n",  # other runners
        "## Install\n`pytest -x`\n",  # not under a tests heading
    ],
)
def test_an_ambiguous_or_foreign_test_command_is_never_taken(tmp_path: Path, text: str) -> None:
    root = write(tmp_path, {"AGENTS.md": text})

    assert load_settings(root, env={}).tests.command == ("python", "-m", "pytest")


def test_hints_can_be_switched_off_and_the_lint_command_is_reported(tmp_path: Path) -> None:
    text = AGENTS_TESTING + "\n## Linting\n\n```\nruff check .\n```\n"
    root = write(tmp_path, {"AGENTS.md": text, "pkg/AGENTS.md": "pkg\n"})
    off = {"AGENT_INSTRUCTIONS__HINTS": "false"}

    assert load_settings(root, env=off).tests.command == ("python", "-m", "pytest")
    summary = instruction_summary(root)
    assert summary is not None
    lines = status_lines(summary)
    assert lines[0] == "instructions: AGENTS.md (every item)"
    assert lines[1] == "instructions: pkg/AGENTS.md (items whose files are under pkg/)"
    assert any("lint command named in AGENTS.md: `ruff check .`" in line for line in lines)
