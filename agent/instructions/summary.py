"""Say which instruction files apply and where the test command comes from (`agent status`)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from agent.config.settings import Settings, load_settings
from agent.errors import InputError
from agent.instructions.apply import CommandHints, command_hints, hinted_command
from agent.instructions.files import all_agents, root_paths


def instruction_summary(root: Path) -> dict[str, Any] | None:
    """What applies in `root`: files, the test command's source, the lint hint (None: no files)."""
    try:
        settings = load_settings(root)
    except InputError:
        return None  # `agent status` still shows the runs; other commands name the bad setting
    if not settings.instructions.enabled:
        return None
    files, nested = root_paths(root), all_agents(root)
    if not files and not nested:
        return None
    hints = command_hints(root, settings.instructions)
    return {
        "files": files,
        "nested": nested,
        "test_command": _test_command(settings, hints),
        "lint_command": (
            {"command": hints.lint.lint, "source": hints.lint.source} if hints.lint else None
        ),
    }


def _test_command(settings: Settings, hints: CommandHints) -> dict[str, Any]:
    """The test command in use and why: configured, hinted (and by which file), or the default."""
    command = settings.tests.command
    test = hints.test
    named: dict[str, Any] = (
        {"named": test.test_written, "source": test.source} if test and test.test else {}
    )
    if test is not None and test.ambiguous:
        named = {"ambiguous": list(test.ambiguous), "source": test.source}
    # with_hints put the hinted command in place unless configuration had set one.
    if named and command == hinted_command(settings, hints):
        origin = "instructions"
    else:
        origin = "configured" if "command" in settings.tests.model_fields_set else "default"
    return {"command": list(command), "from": origin, **named}


def status_lines(summary: dict[str, Any]) -> list[str]:
    """The summary as `agent status` prints it."""
    lines = []
    if summary["files"]:
        lines.append(f"instructions: {', '.join(summary['files'])} (every item)")
    for path in summary["nested"]:
        folder = path.rsplit("/", 1)[0]
        lines.append(f"instructions: {path} (items whose files are under {folder}/)")
    lines.append(_test_line(summary["test_command"]))
    lint = summary["lint_command"]
    if lint:
        lines.append(
            f"lint command named in {lint['source']}: `{lint['command']}` (shown to the model; "
            "the security phase runs ruff and bandit with the repository's configuration)"
        )
    return lines


def _test_line(test: dict[str, Any]) -> str:
    command = shlex.join(test["command"])
    if "ambiguous" in test:
        named = "; ".join(f"`{c}`" for c in test["ambiguous"])
        note = f"{test['source']} names different test commands ({named}), so none is taken"
    elif "named" in test and test["from"] == "instructions":
        note = f"from {test['source']} (`{test['named']}`); no configuration sets one"
    elif "named" in test:
        note = f"{test['source']} names `{test['named']}`, but the configured command wins"
    else:
        note = test["from"]
    return f"test command: {command} ({note})"
