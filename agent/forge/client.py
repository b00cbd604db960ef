"""A small GitHub REST client over httpx: auth, errors, rate limits, pages and ETags.

Only this module speaks HTTP to the forge. The token is sent in the Authorization header and
nowhere else: it is never part of a message, a URL, a log line or a cached file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from agent import __version__
from agent.config.forge import ForgeSettings
from agent.forge.errors import ForgeError, transient
from agent.forge.etags import EtagCache

API_VERSION = "2022-11-28"


@dataclass
class Page:
    """One page of a listing: its JSON body and the URL of the next page (None: the last)."""

    body: Any
    next_url: str | None
    cached: bool = False
    """True when the server answered 304 and the page came from the ETag cache."""


@dataclass
class GitHub:
    """REST calls on one repository (`owner/name`)."""

    settings: ForgeSettings
    repository: str
    token: str
    cache: EtagCache | None = None
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    """Requests sent (conditional ones answered 304 included)."""
    not_modified: int = 0
    """Requests answered 304 from the ETag cache (free of rate limit)."""
    rate: dict[str, str] = field(default_factory=dict)
    """The last rate-limit headers seen (x-ratelimit-limit, -remaining, -reset, -resource)."""
    _http: httpx.Client | None = None

    @property
    def http(self) -> httpx.Client:
        """The shared connection pool, opened on first use."""
        if self._http is None:
            self._http = httpx.Client(
                base_url=self.settings.api_url.rstrip("/"),
                headers={
                    "Accept": self.settings.media_type,
                    "Authorization": f"Bearer {self.token}",
                    "X-GitHub-Api-Version": API_VERSION,
                    "User-Agent": f"agent/{__version__}",
                },
                timeout=self.settings.timeout_s,
            )
        return self._http

    def close(self) -> None:
        """Close the connection pool."""
        if self._http is not None:
            self._http.close()

    def repo_path(self, suffix: str = "") -> str:
        """`/repos/OWNER/NAME` followed by `suffix`."""
        return f"/repos/{self.repository}{suffix}"

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET `path` and return its JSON."""
        return self.request("GET", path, params=params).json()

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        """POST or PATCH `body` as JSON to `path` and return the JSON answer."""
        return self.request(method, path, json=body).json()

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[Page]:
        """Every page of a listing, conditionally requested when a cache is set."""
        url: str | None = path
        query = {**(params or {}), "per_page": self.settings.per_page}
        while url is not None:
            page = self._page(url, query)
            yield page
            url, query = page.next_url, {}

    def _page(self, url: str, query: dict[str, Any]) -> Page:
        params = query or None  # an empty dict would drop the query of a next-page URL
        key = str(self.http.build_request("GET", url, params=params).url)
        known = self.cache.get(key) if self.cache else None
        headers = {"If-None-Match": known.etag} if known else {}
        response = self.request("GET", url, params=params, headers=headers)
        if response.status_code == 304 and known is not None:
            self.not_modified += 1
            return Page(known.body, known.next_url, cached=True)
        body, next_url = response.json(), _next_link(response)
        etag = response.headers.get("etag")
        if self.cache is not None and etag:
            self.cache.put(key, etag, body, next_url)
        return Page(body, next_url)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request; wait out a short rate limit once; map failures to ForgeError."""
        response = self._send(method, url, **kwargs)
        wait = self._rate_wait(response)
        if wait is not None:
            self.sleep(wait)
            response = self._send(method, url, **kwargs)
        _raise_for(response, method, self.repository)
        return response

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            api = self.settings.api_url
            raise transient(f"cannot reach {api}: {type(exc).__name__}: {exc}") from None
        self.requests += 1
        self.rate = {k: v for k, v in response.headers.items() if k.startswith("x-ratelimit-")}
        return response

    def _rate_wait(self, response: httpx.Response) -> float | None:
        """Seconds to wait before one retry of a rate-limited response (None: not limited)."""
        if not _rate_limited(response):
            return None
        wait = _wait_seconds(response.headers)
        if wait > self.settings.max_wait_s:
            raise transient(_limit_message(response.headers, wait))
        return wait


def _next_link(response: httpx.Response) -> str | None:
    link = response.links.get("next")
    return link.get("url") if link else None


def _rate_limited(response: httpx.Response) -> bool:
    headers = response.headers
    if response.status_code == 429:
        return True
    exhausted = headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers
    return response.status_code == 403 and exhausted


def _wait_seconds(headers: httpx.Headers) -> float:
    if "retry-after" in headers:
        return max(float(headers["retry-after"]), 0.0)
    reset = headers.get("x-ratelimit-reset")
    return max(float(reset) - time.time(), 0.0) + 1.0 if reset else 60.0


def _limit_message(headers: httpx.Headers, wait: float) -> str:
    until = datetime.fromtimestamp(time.time() + wait, UTC).strftime("%H:%M:%S UTC")
    used = headers.get("x-ratelimit-limit", "?")
    return f"GitHub rate limit reached ({used} requests per hour used up); it resets at {until}"


def _raise_for(response: httpx.Response, method: str, repository: str) -> None:
    status = response.status_code
    if status < 400:
        return
    what = f"{method} {response.request.url.path}"
    detail = _message(response)
    if status == 401:
        raise ForgeError(f"GitHub refused the token (401 {detail}): check GITHUB_TOKEN or GH_TOKEN")
    if _rate_limited(response):
        raise transient(_limit_message(response.headers, _wait_seconds(response.headers)))
    if status == 403:
        needed = response.headers.get("x-accepted-github-permissions", "")
        hint = f"; it needs {needed}" if needed else "; the token lacks a scope or permission"
        raise ForgeError(f"GitHub refused {what} (403 {detail}){hint}")
    if status == 404:
        raise ForgeError(
            f"repository {repository} not found (404 on {what}), or the token cannot see it"
        )
    raise transient(f"GitHub answered {status} to {what}: {detail}")


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.reason_phrase or "error"
    message = data.get("message") if isinstance(data, dict) else None
    return str(message or response.reason_phrase or "error")[:200]
