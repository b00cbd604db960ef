"""`agent run` and `agent resume`: drive the graph, chat with the human, summarise."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt
from rich.table import Table

from agent.commands.common import git_root, parse_now
from agent.config.forge import ForgeSettings
from agent.config.settings import load_settings
from agent.graph.run_context import RunOptions
from agent.graph.state import CycleOutcome, RunState

console = Console(stderr=False)
CHOICES = "[a]ccept, [e]dit, [r]eply to the questions, [s]kip"


def interactive_terminal(yes: bool) -> bool:
    """A human can answer: not --yes, stdin is a terminal, and not in CI."""
    return not yes and sys.stdin.isatty() and os.environ.get("CI", "").lower() not in ("1", "true")


def run_command(
    repo: Path, options: RunOptions, now: str | None, interval_min: float | None = None
) -> int:
    """Run the macro loop on `repo` (repeatedly with an interval) and print what happened."""
    from agent.graph.runner import start_run

    root = git_root(repo)
    settings = load_settings(root)
    if options.pr:
        check_forge(root, settings.forge)
    _say(f"Tests run with {settings.tests.python_note}.")

    def once() -> tuple[RunState, int]:
        state, code = start_run(root, settings, options, parse_now(now), ask_human, _say)
        if not options.discover_only:
            print_summary(root, state)
        return state, code

    if interval_min is not None:
        return continuous(once, interval_min * 60, time.sleep, _say)
    state, code = once()
    if options.discover_only:
        from agent.commands.backlog import show_backlog

        show_backlog(root, as_json=False, now=state.now, statuses=[], include_done=False)
        return 0
    return code


def check_forge(root: Path, forge: ForgeSettings) -> None:
    """Before any work: the token is accepted and may push to the repository (else exit 2)."""
    from agent.forge.errors import ForgeError
    from agent.forge.status import forge_status

    status = forge_status(root, forge)
    if not status.can_push:
        raise ForgeError(f"the token may not push to {status.repository}: --pr needs push access")
    _say(f"Pull requests go to {status.repository} ({status.rate_remaining} requests left).")


def continuous(
    once: Callable[[], tuple[RunState, int]],
    interval_s: float,
    sleep: Callable[[float], None],
    say: Callable[[str], None],
) -> int:
    """Run again every `interval_s` until nothing is actionable, a cap is hit or the PR limit."""
    worst = 0
    while True:
        state, code = once()
        worst = max(worst, code)
        reason = stop_reason(state)
        if reason:
            say(f"Continuous mode stops: {reason}.")
            return worst
        say(f"Next run in {interval_s / 60:g} minutes (Ctrl-C stops).")
        sleep(interval_s)


def stop_reason(state: RunState) -> str | None:
    """Why continuous mode should stop after this run, if it should."""
    if not state.results:
        return state.stop_reason or "nothing actionable"
    if state.stop_reason and "limit" in state.stop_reason:
        return state.stop_reason
    capped = [r for r in state.results if r.reason.startswith("budget:") and "per run" in r.reason]
    return f"a run cap was hit ({capped[0].reason})" if capped else None


def resume_command(repo: Path) -> int:
    """Continue the latest interrupted run."""
    from agent.graph.runner import resume_run

    root = git_root(repo)
    state, code = resume_run(root, load_settings(root), ask_human, _say)
    print_summary(root, state)
    return code


def _say(message: str) -> None:
    console.print(f"[dim]›[/] {message}", highlight=False)


def ask_human(payload: dict[str, Any]) -> dict[str, Any]:
    """The clarification chat: show the drafted criteria and questions, take the human's answer."""
    from agent.graph.clarify import unique_lines  # the graph (langgraph) loads only when asked

    console.rule(escape(f"Clarify {payload.get('item')}: {payload.get('title')}"))
    console.print("Drafted acceptance criteria:")
    for number, line in enumerate(unique_lines(payload.get("criteria")), start=1):
        console.print(f"  {number}. {escape(line)}", highlight=False)
    for question in unique_lines(payload.get("questions")):
        console.print(f"  [yellow]?[/] {escape(question)}", highlight=False)
    choice = Prompt.ask(escape(CHOICES), default="a")
    if choice.startswith("e"):
        console.print("Type the criteria, one per line; an empty line ends.")
        lines = iter(lambda: Prompt.ask("", default="").strip(), "")
        return {"action": "edit", "criteria": unique_lines(list(lines))}
    if choice.startswith("r"):
        return {"action": "answer", "text": Prompt.ask("Your answer")}
    return {"action": "skip"} if choice.startswith("s") else {"action": "accept"}


def print_summary(root: Path, state: RunState) -> None:
    """What was fixed, what was escalated, and where the branches and PR descriptions are."""
    if not state.results:
        console.print(f"Nothing to do: {state.stop_reason or 'no actionable item'}.")
        return
    table = Table(title=f"Run {state.run_id}", title_justify="left")
    for column in ("item", "outcome", "branch", "tokens", "time"):
        table.add_column(column, no_wrap=column != "branch")
    for result in state.results:
        style = "green" if result.outcome is CycleOutcome.RESOLVED else "red"
        table.add_row(
            result.item_id,
            f"[{style}]{result.outcome.value}[/]",
            result.branch or "",
            str(result.tokens),
            f"{result.seconds:.0f}s",
        )
    console.print(table)
    for result in state.results:
        if result.outcome is CycleOutcome.RESOLVED:
            console.print(
                f"[green]✓[/] {result.item_id}: review branch {result.branch}, "
                f"PR description {result.pr_path}"
            )
        else:
            console.print(
                f"[red]✗[/] {result.item_id} blocked in {result.phase}: {result.reason}",
                highlight=False,
            )
            console.print(f"  decision needed: {result.decision}", highlight=False)
    console.print(f"Evidence: {root / '.agent' / 'evidence'}; run log: .agent/runs/{state.run_id}/")
