"""`agent demo`: create the shipped demo repository and run the agent on it, end to end."""

from __future__ import annotations

import tempfile
from pathlib import Path

from agent.commands.run import console, interactive_terminal, run_command
from agent.demo import create_demo_repo
from agent.errors import ExitCode
from agent.graph.run_context import RunOptions

DEMO_SOURCES = ("comments", "tests", "backlog")


def demo_command(directory: Path | None, yes: bool, max_items: int) -> int:
    """Create the demo repository, work its backlog, write a report, and say where everything is."""
    target = directory or Path(tempfile.mkdtemp(prefix="agent-demo-")) / "calclib"
    repo = create_demo_repo(target)
    console.rule("agent demo")
    console.print(
        f"Demo repository: {repo}\n"
        "It has a failing test, a FIXME with a clear spec, a READY backlog item and one that\n"
        "needs clarification. The agent works each on its own branch; your tree stays as it is."
    )
    options = RunOptions(
        max_items=max_items,
        interactive=interactive_terminal(yes),
        sources=DEMO_SOURCES,
    )
    code = run_command(repo, options, now=None)
    _report(repo)
    console.print(f"Try: cd {repo} && git branch --list 'agent/*' && ls .agent/prs")
    return demo_exit_code(code)


def demo_exit_code(run_code: int) -> int:
    """Escalated items are part of what the demo shows: a finished demo run exits 0."""
    return ExitCode.OK if run_code == ExitCode.ITEM_FAILED else run_code


def _report(repo: Path) -> None:
    from agent.commands.report import write_report

    console.rule("status report")
    write_report(
        repo, formats="md,json,html", out=repo / ".agent" / "reports", since=None, now=None
    )
