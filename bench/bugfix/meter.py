"""A counting proxy in front of the model server: every agent's tokens measured the same way."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Meter:
    """Calls and usage seen since the last reset (as the server reported them)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    inflight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, usage: dict[str, int]) -> None:
        """Count one completed call."""
        with self.lock:
            self.calls += 1
            self.prompt_tokens += int(usage.get("prompt_tokens", 0))
            self.completion_tokens += int(usage.get("completion_tokens", 0))

    def track(self, delta: int) -> None:
        """Count a request that started (+1) or ended (-1)."""
        with self.lock:
            self.inflight += delta

    def wait_idle(self, limit_s: float = 300) -> None:
        """Wait until no request is in flight (a killed agent's last call still finishes)."""
        deadline = time.monotonic() + limit_s
        while self.inflight and time.monotonic() < deadline:
            time.sleep(0.5)

    def take(self) -> tuple[int, int, int]:
        """Return (calls, prompt, completion) and start again from zero."""
        with self.lock:
            counts = (self.calls, self.prompt_tokens, self.completion_tokens)
            self.calls = self.prompt_tokens = self.completion_tokens = 0
        return counts


def _usage(body: bytes) -> dict[str, int] | None:
    try:
        return dict(json.loads(body).get("usage") or {})
    except (ValueError, AttributeError):
        pass
    usage = None
    for line in body.decode("utf-8", errors="replace").splitlines():
        if line.startswith("data: {") and '"usage"' in line:
            usage = json.loads(line[6:]).get("usage") or usage
    return usage


def start_meter(upstream: str) -> tuple[ThreadingHTTPServer, Meter]:
    """Serve a proxy to `upstream` (http://host:port) on a free local port."""
    meter = Meter()

    class Handler(BaseHTTPRequestHandler):
        def _forward(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else None
            headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
            target = upstream + self.path  # a local http:// upstream chosen by the harness
            request = urllib.request.Request(target, data=data, method=method, headers=headers)  # noqa: S310
            meter.track(1)
            try:
                with urllib.request.urlopen(request, timeout=900) as response:  # noqa: S310
                    status, body = response.status, response.read()
                    kind = response.headers.get("Content-Type", "application/json")
            except urllib.error.HTTPError as exc:
                status, body, kind = exc.code, exc.read(), "application/json"
            finally:
                meter.track(-1)
            if method == "POST" and status == 200 and self.path.endswith("/completions"):
                usage = _usage(body)
                if usage is not None:
                    meter.add(usage)
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                return  # the agent was killed (timeout) while its call ran

        def do_POST(self) -> None:
            self._forward("POST")

        def do_GET(self) -> None:
            self._forward("GET")

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, meter
