"""A small stateful GitHub behind `prism proxy --errors` (tests/forge/servers.py).

Its answers are GitHub's own examples from the OpenAPI description with the fields a test cares
about changed (number, title, state, ...), so prism checks them against the schema like any
response; prism also rejects every malformed request before it gets here.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

REPO = "octo/fixture"
TOKEN = "ghp_canaryTOKEN0123456789abcdefABCDEF0123"


@dataclass
class State:
    """What the fake GitHub holds; tests change it between runs."""

    examples: dict[str, Any]
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    check_runs: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    """Commit statuses of the default branch's head: context -> state."""
    pulls: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    labels: dict[int, list[str]] = field(default_factory=dict)
    log: list[tuple[str, str, int]] = field(default_factory=list)
    """(method, path with query, status) of every request that reached the fake."""
    bodies: list[Any] = field(default_factory=list)
    """The JSON bodies of POST and PATCH requests, in order."""
    remaining: int = 5000
    rate_limited: bool = False
    """Answer every request with GitHub's rate-limit 403 (reset in an hour)."""
    limit_once: bool = False
    """Answer the next request with a rate-limit 403 that resets in a second."""
    limit_path: str = ""
    """Answer the next request whose path matches this regex with a rate-limit 403 (an hour)."""
    forbidden: bool = False
    """Answer every request with a 403 naming the permission the token lacks."""

    def add_issue(self, number: int, title: str, body: str = "", labels: tuple[str, ...] = (),
                  pull: bool = False) -> None:  # fmt: skip
        """Open an issue (or a pull request, as the issues listing shows them)."""
        self.issues[number] = {"title": title, "body": body, "labels": list(labels),
                               "state": "open", "pull": pull}  # fmt: skip

    def set_check(self, name: str, conclusion: str | None, summary: str = "") -> None:
        """Set the latest run of check `name` (conclusion None: still running)."""
        self.check_runs = [run for run in self.check_runs if run["name"] != name]
        self.check_runs.append({"name": name, "conclusion": conclusion, "summary": summary})

    def calls(self, method: str, pattern: str) -> list[tuple[str, str, int]]:
        """Logged requests with `method` whose path matches `pattern`."""
        return [c for c in self.log if c[0] == method and re.search(pattern, c[1])]


def load_examples(spec: dict[str, Any]) -> dict[str, Any]:
    """The example values of the spec's components, by name."""
    return {name: ex["value"] for name, ex in spec["components"]["examples"].items()}


class Handler(BaseHTTPRequestHandler):
    """Routes of the operations in scripts/trim_github_spec.py."""

    state: State
    public_url = ""
    """Where clients reach the fake (prism's URL): the base of next-page links, as on GitHub."""
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        with self.lock:
            if body is not None:
                self.state.bodies.append(body)
            status, payload, headers = self._route(method, url.path, query, body)
            if status == 200 and method == "GET":
                free = url.path == "/rate_limit"  # as on GitHub, it costs no rate limit
                status, payload, headers = self._conditional(payload, headers, free)
            self.state.log.append((method, self.path, status))
        self._reply(status, payload, headers)

    def _route(self, method: str, path: str, query: dict[str, str], body: Any
               ) -> tuple[int, Any, dict[str, str]]:  # fmt: skip
        if self.headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {"message": "Bad credentials", "documentation_url": "x"}, {}
        limit_path = bool(self.state.limit_path and re.search(self.state.limit_path, path))
        if limit_path:
            self.state.limit_path = ""
        if self.state.rate_limited or self.state.limit_once or limit_path:
            reset = str(
                int(time.time()) + (1 if self.state.limit_once and not limit_path else 3600)
            )
            self.state.limit_once = False
            headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
            return 403, {"message": "API rate limit exceeded", "documentation_url": "x"}, headers
        if self.state.forbidden:
            message = {
                "message": "Resource not accessible by integration",
                "documentation_url": "x",
            }
            return 403, message, {"x-accepted-github-permissions": "issues=read"}
        if path == "/rate_limit":
            return 200, self._rate_limit(), {}
        prefix = f"/repos/{REPO}"
        if not path.startswith(prefix):
            return 404, {"message": "Not Found", "documentation_url": "x"}, {}
        return self._repo_route(method, path[len(prefix) :], query, body)

    def _repo_route(self, method: str, rest: str, query: dict[str, str], body: Any
                    ) -> tuple[int, Any, dict[str, str]]:  # fmt: skip
        number = re.fullmatch(r"/(issues|pulls)/(\d+)(/\w+)?", rest)
        if rest == "" and method == "GET":
            return 200, self._repo(), {}
        if rest == "/issues" and method == "GET":
            return self._issue_page(query)
        if rest == "/commits/main/check-runs":
            return 200, self._check_runs(), {}
        if rest == "/commits/main/status":
            return 200, self._statuses(), {}
        if rest == "/pulls" and method == "GET":
            head = query.get("head", "")
            return 200, [self._pull(p, simple=True) for p in self._open_pulls(head)], {}
        if rest == "/pulls" and method == "POST":
            return 201, self._create_pull(body), {}
        if number and number[1] == "pulls" and method == "PATCH":
            return self._update_pull(int(number[2]), body)
        if number and number[3] == "/labels" and method == "POST":
            labels = self.state.labels.setdefault(int(number[2]), [])
            labels.extend(name for name in body["labels"] if name not in labels)
            return 200, self._label_items(labels), {}
        if number and number[3] == "/comments":
            return self._comments(method, int(number[2]), body)
        return 404, {"message": "Not Found", "documentation_url": "x"}, {}

    # responses built from the spec's examples

    def _example(self, name: str) -> Any:
        return copy.deepcopy(self.state.examples[name])

    def _rate_limit(self) -> Any:
        data = self._example("rate-limit-overview")
        data["resources"]["core"]["remaining"] = self.state.remaining
        data["rate"]["remaining"] = self.state.remaining
        return data

    def _repo(self) -> Any:
        data = self._example("full-repository-default-response")
        data.update(full_name=REPO, name=REPO.split("/")[1], default_branch="main")
        data["language"] = data["source"]["language"] = "Python"  # the example lacks them
        data["permissions"] = {"admin": False, "maintain": False, "push": True, "triage": True,
                               "pull": True}  # fmt: skip
        return data

    def _issue_page(self, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        wanted = query.get("state", "open")
        numbers = sorted(
            (n for n, i in self.state.issues.items() if wanted in ("all", i["state"])),
            reverse=True,
        )
        size, page = int(query.get("per_page", 30)), int(query.get("page", 1))
        chosen = numbers[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(numbers):
            base = self.public_url or f"http://{self.headers.get('host')}"
            nxt = f"{base}/repos/{REPO}/issues?state={wanted}&per_page={size}&page={page + 1}"
            headers["link"] = f'<{nxt}>; rel="next"'
        return 200, [self._issue(n) for n in chosen], headers

    def _issue(self, number: int) -> Any:
        issue = self.state.issues[number]
        data = self._example("issue-items")[0]
        data.update(number=number, id=number, title=issue["title"], body=issue["body"],
                    state=issue["state"], closed_at=None, state_reason=None,
                    html_url=f"https://github.com/{REPO}/issues/{number}")  # fmt: skip
        label = data["labels"][0]
        data["labels"] = [{**label, "name": name} for name in issue["labels"]]
        if not issue["pull"]:
            del data["pull_request"]
        return data

    def _check_runs(self) -> Any:
        data = self._example("check-run-paginated")
        template = data["check_runs"][0]
        runs = []
        for index, run in enumerate(self.state.check_runs, start=1):
            item = copy.deepcopy(template)
            item.update(id=index, name=run["name"], conclusion=run["conclusion"],
                        status="completed" if run["conclusion"] else "in_progress")  # fmt: skip
            item["output"].update(title=f"{run['name']} {run['conclusion']}",
                                  summary=run["summary"] or "ok")  # fmt: skip
            runs.append(item)
        return {"total_count": len(runs), "check_runs": runs}

    def _statuses(self) -> Any:
        data = self._example("combined-commit-status")
        template = data["statuses"][0]
        data["statuses"] = [
            {**template, "id": index, "context": context, "state": state,
             "description": f"{context}: {state}"}
            for index, (context, state) in enumerate(self.state.statuses.items(), start=1)
        ]  # fmt: skip
        states = set(self.state.statuses.values())
        data["state"] = next((s for s in ("failure", "pending") if s in states), "success")
        data["total_count"] = len(data["statuses"])
        return data

    def _open_pulls(self, head: str) -> list[dict[str, Any]]:
        pulls = [p for p in self.state.pulls if p["state"] == "open"]
        return [
            p for p in pulls if not head or f"{REPO.split('/', maxsplit=1)[0]}:{p['head']}" == head
        ]

    def _pull(self, pull: dict[str, Any], simple: bool = False) -> Any:
        data = (
            self._example("pull-request-simple-items")[0]
            if simple
            else self._example("pull-request")
        )
        data.update(number=pull["number"], id=pull["number"], title=pull["title"],
                    body=pull["body"], draft=pull["draft"], state="open",
                    html_url=f"https://github.com/{REPO}/pull/{pull['number']}")  # fmt: skip
        data["requested_teams"] = []  # the example's team lacks the required `type`
        data["head"]["ref"] = pull["head"]
        data["base"]["ref"] = pull["base"]
        return data

    def _create_pull(self, body: dict[str, Any]) -> Any:
        number = max([*self.state.issues, *(p["number"] for p in self.state.pulls), 0]) + 1
        pull = {"number": number, "title": body["title"], "body": body.get("body"),
                "head": body["head"], "base": body["base"], "draft": body.get("draft", False),
                "state": "open"}  # fmt: skip
        self.state.pulls.append(pull)
        return self._pull(pull)

    def _update_pull(self, number: int, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        pull = next((p for p in self.state.pulls if p["number"] == number), None)
        if pull is None:
            return 422, {"message": "Validation Failed", "documentation_url": "x"}, {}
        pull.update({k: v for k, v in body.items() if k in ("title", "body", "state")})
        return 200, self._pull(pull), {}

    def _label_items(self, names: list[str]) -> Any:
        template = self._example("label-items")[0]
        return [{**template, "name": name} for name in names]

    def _comments(self, method: str, number: int, body: Any) -> tuple[int, Any, dict[str, str]]:
        if number not in self.state.issues:
            return 404, {"message": "Not Found", "documentation_url": "x"}, {}
        comments = self.state.comments.setdefault(number, [])
        if method == "POST":
            comments.append({"body": body["body"], "login": "agent-bot"})
        items = []
        for index, comment in enumerate(comments, start=1):
            data = self._example("issue-comment")
            data.update(id=number * 1000 + index, body=comment["body"])
            data["user"]["login"] = comment["login"]
            items.append(data)
        return (201, items[-1], {}) if method == "POST" else (200, items, {})

    def _conditional(self, payload: Any, headers: dict[str, str], free: bool
                     ) -> tuple[int, Any, dict[str, str]]:  # fmt: skip
        """GitHub's ETags: an unchanged answer to If-None-Match is a 304 with no body."""
        etag = '"' + hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest() + '"'
        if self.headers.get("if-none-match") == etag:
            return 304, None, {"etag": etag}
        self.state.remaining -= 0 if free else 1
        return 200, payload, {**headers, "etag": etag}

    def _reply(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.send_header("x-ratelimit-limit", "5000")
        remaining = headers.pop("x-ratelimit-remaining", str(self.state.remaining))
        self.send_header("x-ratelimit-remaining", remaining)
        self.send_header("x-ratelimit-reset", headers.pop("x-ratelimit-reset", "1893456000"))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def serve(state: State) -> ThreadingHTTPServer:
    """Start the fake on a free 127.0.0.1 port in a daemon thread."""
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
