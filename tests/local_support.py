"""A stand-in llama-server for tests: real processes, real HTTP, configurable failures.

Modes:
- ok: /health and /v1/chat/completions answer like llama-server (reply, usage, timings);
- sigill-start: the process kills itself with SIGILL as it starts (a build for a missing CPU
  feature);
- sigill-compute: healthy, then SIGILL at the first completion unless started with
  --no-repack (the AMX trap seen on a real machine);
- noise: answers, but with a wrong reply (a miscompiled server);
- slow: answers each completion after 5 seconds (a busy machine).
Every start appends its arguments to `argv.log` beside the binary.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from agent.llm.local import paths
from agent.llm.local.buildconfig import Tier, cmake_flags
from agent.llm.local.cpu import CpuInfo, read_cpu
from agent.llm.local.record import BuildRecord, add_verification, new_record, save_record

STAND_IN = """#!{python}
import http.server, json, os, signal, sys, time
MODE = {mode!r}
with open(os.path.join(os.path.dirname(sys.argv[0]), "argv.log"), "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
print("llama-server stand-in, mode", MODE, flush=True)
if MODE == "sigill-start":
    os.kill(os.getpid(), signal.SIGILL)
port = int(sys.argv[sys.argv.index("--port") + 1])
class Server(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()
        self.wfile.write(b'{{"status": "ok"}}')
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if MODE == "sigill-compute" and "--no-repack" not in sys.argv:
            print("ggml_backend_amx_mul_mat: computing", flush=True)
            os.kill(os.getpid(), signal.SIGILL)
        if MODE == "slow":
            time.sleep(5)
        text = "banana" if MODE == "noise" else "ready"
        n = body.get("max_tokens", 8) if body.get("ignore_eos") else 1
        reply = {{"choices": [{{"index": 0, "finish_reason": "stop",
                  "message": {{"role": "assistant", "content": text}}}}],
                 "model": "stand-in", "object": "chat.completion", "created": 0, "id": "x",
                 "usage": {{"prompt_tokens": 40, "completion_tokens": n, "total_tokens": 40 + n}},
                 "timings": {{"prompt_per_second": 80.5, "predicted_per_second": 25.25}}}}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Server).serve_forever()
"""


def install_weights() -> None:
    """Sparse weights of the right size with a verified marker (no 1 GB on disk)."""
    model = paths.model_path()
    model.parent.mkdir(parents=True, exist_ok=True)
    with model.open("wb") as handle:
        handle.truncate(paths.MODEL_SIZE)
    paths.verified_marker().write_text(paths.MODEL_SHA256 + "\n")


def install_binary(mode: str = "ok") -> Path:
    """Put a stand-in server of `mode` where setup would build llama-server."""
    binary = paths.server_binary()
    binary.parent.mkdir(parents=True, exist_ok=True)
    binary.write_text(STAND_IN.format(python=sys.executable, mode=mode))
    binary.chmod(0o755)
    return binary


def install_record(tier: str = "x86-avx2", verified_here: bool = True) -> BuildRecord:
    """A build record for the installed stand-in, verified on this CPU or on another one."""
    cpu = read_cpu()
    built_on = cpu if verified_here else CpuInfo("x86_64", "Other CPU", frozenset({"avx512f"}))
    record = new_record(tier, cmake_flags(Tier(tier, (), ()), cpu), built_on, 1.0)
    save_record(record)
    return add_verification(record, built_on, 80.0, 25.0)


def started_args() -> list[str]:
    """The argument lines the stand-in was started with, oldest first."""
    log = paths.server_binary().with_name("argv.log")
    return log.read_text().splitlines() if log.exists() else []


class FakeBuilder:
    """Stands in for the cmake build: installs a stand-in of the mode given per tier."""

    def __init__(self, modes: dict[str, str]) -> None:
        self.modes = modes
        self.built: list[str] = []

    def __call__(self, tier: Tier, cpu: CpuInfo, show: object) -> BuildRecord:
        """Install the stand-in for `tier` and record it like a real build."""
        self.built.append(tier.name)
        install_binary(self.modes.get(tier.name, "ok"))
        started = time.monotonic()
        record = new_record(tier.name, cmake_flags(tier, cpu), cpu, time.monotonic() - started)
        save_record(record)
        return record
