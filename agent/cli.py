"""The `agent` command line. Heavy modules are imported inside commands to keep start-up fast."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent import __version__
from agent.errors import AgentError, ExitCode

app = typer.Typer(
    name="agent",
    help="Backlog-driven autonomous coding assistant for Python repositories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
model_app = typer.Typer(help="Manage the bundled local model (setup, serve, status, stop).")
app.add_typer(model_app, name="model")
forge_app = typer.Typer(help="The forge (GitHub): check the token, repository and rate limit.")
app.add_typer(forge_app, name="forge")

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


@app.command()
def discover(
    repo: RepoArg = Path("."),
    sources: Annotated[
        str | None,
        typer.Option(
            "--sources",
            help="Comma list of comments, tests, lint, security, backlog, perf, and with a "
            "forge issues, ci (default: the first five).",
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
def run(
    repo: RepoArg = Path("."),
    item: Annotated[str | None, typer.Option("--item", help="Work this item.")] = None,
    max_items: Annotated[int, typer.Option("--max-items", min=1, help="Items per run.")] = 1,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Never ask: escalate what needs a human.")
    ] = False,
    discover: Annotated[
        bool, typer.Option("--discover/--no-discover", help="Run discovery first.")
    ] = True,
    sources: Annotated[
        str, typer.Option("--sources", help="Discovery sources for the run.")
    ] = "comments,tests,backlog",
    discover_only: Annotated[
        bool, typer.Option("--discover-only", help="Stop after discovery and scoring.")
    ] = False,
    auto_merge: Annotated[
        bool, typer.Option("--auto-merge", help="Merge when the auto-approve rules hold.")
    ] = False,
    push: Annotated[
        bool, typer.Option("--push", help="Push each finished item's branch to the remote.")
    ] = False,
    pr: Annotated[
        bool, typer.Option("--pr", help="Push, then open a draft pull request (needs [forge]).")
    ] = False,
    sync_branches: Annotated[
        bool, typer.Option("--sync-branches", help="First rebase the branches under review.")
    ] = False,
    continuous: Annotated[
        bool, typer.Option("--continuous", help="Run again every --interval minutes.")
    ] = False,
    interval: Annotated[
        float, typer.Option("--interval", min=0, help="Minutes between continuous runs.")
    ] = 30.0,
    now: NowOpt = None,
) -> None:
    """Work the top READY item through the TDD micro cycle on its own branch."""
    from agent.commands.run import interactive_terminal, run_command
    from agent.discovery.engine import parse_sources
    from agent.graph.run_context import RunOptions

    options = RunOptions(
        item_id=item, max_items=max_items, interactive=interactive_terminal(yes),
        discover=discover, sources=parse_sources(sources, ()), discover_only=discover_only,
        auto_merge=auto_merge, push=push or pr, pr=pr, sync_branches=sync_branches,
    )  # fmt: skip
    raise typer.Exit(run_command(repo, options, now, interval if continuous else None))


@app.command()
def sync(
    repo: RepoArg = Path("."),
    item: Annotated[str | None, typer.Option("--item", help="Only this item's branch.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rebase the branches under review onto the moved base, re-run their checks, push them."""
    from agent.commands.sync import sync_command

    raise typer.Exit(sync_command(repo, item, as_json))


@app.command()
def resume(repo: RepoArg = Path(".")) -> None:
    """Continue the last interrupted run from its last completed step."""
    from agent.commands.run import resume_command

    raise typer.Exit(resume_command(repo))


@app.command()
def status(repo: RepoArg = Path("."), as_json: JsonOpt = False) -> None:
    """Show runs, the current item and phase, and spend."""
    from agent.commands.runs import show_status

    show_status(repo, as_json)


@app.command()
def clarify(
    item_id: Annotated[str, typer.Argument(help="Item id.")],
    repo: RepoArg = Path("."),
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Never ask: escalate.")] = False,
) -> None:
    """Agree an item's acceptance criteria in a chat; the item becomes READY."""
    from agent.commands.clarify import clarify_command
    from agent.commands.run import interactive_terminal

    raise typer.Exit(clarify_command(repo, item_id, interactive_terminal(yes)))


@app.command()
def report(
    repo: RepoArg = Path("."),
    formats: Annotated[
        str | None,
        typer.Option("--format", help="Comma-separated formats: md, json, html (default: all)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Directory for the files (default: .agent/reports/)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Start of the period, ISO 8601 (default: 90 days before)."),
    ] = None,
    now: Annotated[
        str | None, typer.Option("--now", help="Report as of this ISO 8601 time (default: now).")
    ] = None,
) -> None:
    """Measure the repository now and write a status report in markdown, JSON and HTML."""
    from agent.commands.report import write_report

    write_report(repo, formats=formats, out=out, since=since, now=now)


@app.command()
def demo(
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to create the demo (default: a temp dir).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Never ask: escalate.")] = False,
    max_items: Annotated[int, typer.Option("--max-items", min=1, help="Items to work.")] = 4,
) -> None:
    """Create the bundled demo repository and let the agent work its backlog."""
    from agent.commands.demo import demo_command

    raise typer.Exit(demo_command(directory, yes, max_items))


@model_app.command("setup")
def model_setup(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Build llama-server again for this CPU.")
    ] = False,
    threads: Annotated[int, typer.Option("--threads", help="CPU threads for the check.")] = 2,
) -> None:
    """Download and verify the bundled model, build its server, and prove it answers here."""
    from agent.commands.model import setup_model

    setup_model(rebuild, threads)


@model_app.command("serve")
def model_serve(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: a free one).")] = 0,
    threads: Annotated[int, typer.Option("--threads", help="CPU threads.")] = 2,
) -> None:
    """Start the bundled model server in the background and print its base URL."""
    from agent.commands.model import serve_model

    serve_model(port, threads)


@model_app.command("status")
def model_status() -> None:
    """Show whether the bundled model is set up and its server running."""
    from agent.commands.model import model_status as show

    show()


@model_app.command("stop")
def model_stop() -> None:
    """Stop the bundled model server started by `agent model serve`."""
    from agent.commands.model import stop_model

    stop_model()


@forge_app.command("status")
def forge_status(repo: RepoArg = Path("."), as_json: JsonOpt = False) -> None:
    """Show whether the token is accepted, the repository and the rate limit left."""
    from agent.commands.forge import show_forge_status

    show_forge_status(repo, as_json)


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
