"""The `agent` command line. Heavy modules are imported inside commands to keep start-up fast."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent import __version__
from agent.errors import AgentError, ExitCode, NotAvailableError

app = typer.Typer(
    name="agent",
    help="Backlog-driven autonomous coding assistant for Python repositories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
model_app = typer.Typer(help="Manage the bundled local model (setup, serve, status, stop).")
app.add_typer(model_app, name="model")

RepoArg = Annotated[
    Path, typer.Argument(help="Repository to work on (default: the current directory).")
]
NowOpt = Annotated[
    str | None,
    typer.Option("--now", help="Score as of this ISO 8601 time, e.g. 2026-11-21T00:00:00Z."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of a table.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"agent {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Backlog-driven autonomous coding assistant for Python repositories."""


@app.command()
def backlog(
    repo: RepoArg = Path("."),
    as_json: JsonOpt = False,
    now: NowOpt = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Only items with this status (repeatable).")
    ] = None,
    all_items: Annotated[bool, typer.Option("--all", help="Include DONE items.")] = False,
) -> None:
    """Show the backlog ranked by WSJF, with the score breakdown of every item."""
    from agent.commands.backlog import show_backlog

    show_backlog(repo, as_json=as_json, now=now, statuses=status or [], include_done=all_items)


def _not_yet(command: str, issue: str) -> None:
    raise NotAvailableError(
        f"agent {command}: not available yet (it arrives with the {issue} work; see backlog.yml)."
    )


@app.command()
def discover(
    repo: RepoArg = Path("."),
    sources: Annotated[
        str | None,
        typer.Option(
            "--sources",
            help="Comma list of comments, tests, lint, security, backlog (default: all).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the discovered items as JSON on stdout.")
    ] = False,
    no_write: Annotated[
        bool, typer.Option("--no-write", help="Only print; leave backlog.yml unchanged.")
    ] = False,
    now: NowOpt = None,
) -> None:
    """Scan the repository for work and merge it into backlog.yml."""
    from agent.commands.discover import run_discover

    run_discover(repo, sources=sources, as_json=as_json, write=not no_write, now=now)


@app.command()
def run(repo: RepoArg = Path(".")) -> None:
    """Work the top READY item through the TDD micro cycle on its own branch."""
    _not_yet("run", "agent graph")


@app.command()
def resume(repo: RepoArg = Path(".")) -> None:
    """Continue the last interrupted run from its last completed step."""
    _not_yet("resume", "agent graph")


@app.command()
def status(repo: RepoArg = Path(".")) -> None:
    """Show runs, the current item and phase, and spend."""
    _not_yet("status", "agent graph")


@app.command()
def clarify(item_id: Annotated[str, typer.Argument(help="Item id.")]) -> None:
    """Agree an item's acceptance criteria in a chat."""
    _not_yet("clarify", "agent graph")


@app.command()
def report(repo: RepoArg = Path(".")) -> None:
    """Write a status report in markdown, JSON and HTML."""
    _not_yet("report", "status report")


@model_app.command("setup")
def model_setup() -> None:
    """Download and verify the bundled model and build its server."""
    _not_yet("model setup", "model layer")


def main() -> None:
    """Run the CLI, turning known errors into messages and exit codes (never a traceback)."""
    try:
        app()  # typer exits 2 on usage errors and 130 on Ctrl-C
    except AgentError as exc:
        for line in exc.lines:
            typer.echo(f"error: {line}" if len(exc.lines) == 1 else line, err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
