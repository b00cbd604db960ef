"""Allow `python -m agent`; also the `agent` console script (`script`)."""

import os
import sys


def main() -> None:
    """Run the lean `discover --sources comments --no-write --json` path when it applies, else
    the typer CLI (agent.cli)."""
    if not _lean(sys.argv[1:]):
        from agent.cli import main as cli_main

        cli_main()


def script() -> None:
    """Run `main` as a whole process: after the lean path, exit without tearing down the
    interpreter (its output is flushed and nothing else is pending; teardown costs ~8 ms)."""
    if not _lean(sys.argv[1:]):
        from agent.cli import main as cli_main

        cli_main()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _lean(argv: list[str]) -> bool:
    if argv[:1] != ["discover"]:
        return False
    from agent.discovery.fast import run_fast
    from agent.errors import ExitCode

    try:
        return run_fast(argv)
    except KeyboardInterrupt:  # as agent.cli.main: a message and exit 130, never a traceback
        sys.stderr.write("interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)


if __name__ == "__main__":
    script()
