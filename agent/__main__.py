"""Allow `python -m agent`; also the `agent` console script."""

import sys


def main() -> None:
    """Run the lean `discover --sources comments --no-write --json` path when it applies, else
    the typer CLI (agent.cli)."""
    if sys.argv[1:2] == ["discover"]:
        from agent.discovery.fast import run_fast

        if run_fast(sys.argv[1:]):
            return
    from agent.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
