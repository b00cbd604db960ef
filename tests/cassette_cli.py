"""Run the real `agent` CLI in this process with HTTP replayed from a cassette (replay only).

`python tests/cassette_cli.py CASSETTE ARGS...` is `agent ARGS...` whose model calls are answered
by the cassette with the same vcrpy configuration as tests/conftest.py: every request field must
match, an unrecorded request fails loudly, nothing reaches the network. Crash tests start it as a
subprocess and kill it with SIGKILL.
"""

from __future__ import annotations

import sys

import vcr

from tests.conftest import VCR_CONFIG


def main(argv: list[str]) -> None:
    """Replay `argv[0]` while the CLI runs with the remaining arguments."""
    recorder = vcr.VCR(record_mode="none", **VCR_CONFIG)
    from agent.cli import main as cli_main

    with recorder.use_cassette(argv[0]):
        sys.argv = ["agent", *argv[1:]]
        cli_main()


if __name__ == "__main__":
    main(sys.argv[1:])
