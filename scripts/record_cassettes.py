"""Re-record HTTP cassettes against the bundled local model: `make cassettes [TESTS=...]`.

Starts its own bundled llama-server (pid file `recording.json` in the cache, apart from the one
`agent model serve` uses) on the fixed recording port at temperature 0, runs the chosen tests with
`--record-mode=rewrite` (each cassette is deleted and recorded afresh), then stops it by its pid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.errors import AgentError
from agent.llm.local.server import start_server, stop_server
from agent.system.proc import run

ROOT = Path(__file__).resolve().parent.parent
RECORDING_PORT = 8975
DEFAULT_TESTS = ("tests/test_llm_recorded.py",)
SAMPLING = ("--temp", "0", "--seed", "0")
INSTANCE = "recording"


def main(argv: list[str] | None = None) -> int:
    """Record the cassettes of the chosen tests and return pytest's exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tests", nargs="*", default=list(DEFAULT_TESTS), help="pytest selectors")
    args = parser.parse_args(argv)
    try:
        info = start_server(port=RECORDING_PORT, extra_args=SAMPLING, name=INSTANCE)
    except AgentError as exc:
        print("\n".join(["cannot start the bundled server:", *exc.lines]), file=sys.stderr)
        return 2
    try:
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                   "--record-mode=rewrite", "--timeout=1800", *args.tests]  # fmt: skip
        result = run(command, cwd=ROOT, timeout=1800)
        print(result.output)
        return result.returncode
    finally:
        stop_server(INSTANCE)
        print(f"stopped the recording server (pid {info.pid})", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
