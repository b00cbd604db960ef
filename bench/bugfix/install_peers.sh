#!/bin/sh
# Install the peer agents of the bug-fix benchmark in their own virtual environments (never in the
# project's): $BENCH_PEERS/mini (mini-swe-agent + mcp) and $BENCH_PEERS/aider (aider-chat).
set -eu
PEERS="${BENCH_PEERS:-/tmp/peers}"
mkdir -p "$PEERS"
test -x "$PEERS/mini/bin/mini" || {
    uv venv -q "$PEERS/mini" --python 3.11
    uv pip install -q --python "$PEERS/mini/bin/python" "mini-swe-agent==2.4.6" mcp
}
test -x "$PEERS/aider/bin/aider" || {
    uv venv -q "$PEERS/aider" --python 3.11
    uv pip install -q --python "$PEERS/aider/bin/python" "aider-chat==0.86.2"
}
echo "peers ready in $PEERS"
