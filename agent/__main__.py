"""Allow `python -m agent`; also the `agent` console script."""

import sys


def main() -> None:
    """Run the lean `discover --sources comments --no-write --json` path when it applies, else
    the typer CLI (agent.cli)."""
    if sys.argv[1:2] == ["discover"] and _lean(sys.argv[1:]):
        return
    from agent.cli import main as cli_main

    cli_main()


def _lean(argv: list[str]) -> bool:
    from agent.discovery.fast import run_fast
    from agent.errors import ExitCode

    try:
        return run_fast(argv)
    except KeyboardInterrupt:  # as agent.cli.main: a message and exit 130, never a traceback
        sys.stderr.write("interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)


if __name__ == "__main__":
    main()
