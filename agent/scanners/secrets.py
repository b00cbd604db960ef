"""Find and redact secrets so they never reach a prompt, a log, a report or backlog.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass

REDACTED = "[REDACTED]"

# (name, pattern); group "secret" (when present) is the part to hide, else the whole match.
_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "private key block",
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
        r"[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    ),
    ("AWS access key id", r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"),
    (
        "AWS secret access key",
        r"(?i)aws_?secret_?access_?key\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9/+=]{40})",
    ),
    ("GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
    ("OpenAI API key", r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}\b"),
    ("Anthropic API key", r"\bsk-ant-[A-Za-z0-9_-]{20,}\b"),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("Stripe secret key", r"\b[rs]k_live_[0-9A-Za-z]{20,}\b"),
    ("JSON web token", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b"),
    (  # pytest abbreviates long values in assertion messages: 'ghp_C4n4ryC4...yC4n4ry'
        "abbreviated token",
        r"\b(?:gh[pousr]_|github_pat_|sk-|xox[abposr]-|AIza|AKIA|ASIA|[rs]k_live_|eyJ)"
        r"[A-Za-z0-9_.-]*?(?:\.\.\.|\u2026)[A-Za-z0-9_-]*",
    ),
    (
        "credential literal",
        r"(?i)\b[A-Z0-9_]*(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD)[A-Z0-9_]*[\"']?\s*[:=]\s*"
        r"[\"'](?P<secret>[^\"'\s]{8,})[\"']",
    ),
    (
        "credential assignment",
        r"(?m)^[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*"
        r"(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|PWD|CREDENTIALS?)"
        r"[A-Z0-9_]*=[\"']?(?P<secret>[^\s\"'#]{6,})",
    ),
)
_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in _PATTERNS)
_PLACEHOLDERS = ("${", "<", "changeme", "xxx", "your-", "your_", "example", "dummy", "redacted")
_ENV_FILE = re.compile(r"(^|/)\.env(\.[\w.-]+)?$|\.envrc$")


@dataclass(frozen=True)
class SecretHit:
    """Where a secret was seen: never the secret itself."""

    kind: str
    line: int
    column: int


def _spans(text: str) -> list[tuple[str, int, int]]:
    """Secret spans, most specific pattern first, overlapping matches dropped."""
    found = []
    for rank, (name, pattern) in enumerate(_COMPILED):
        for match in pattern.finditer(text):
            group = "secret" if "secret" in pattern.groupindex else 0
            start, end = match.span(group)
            if start >= 0 and end > start and not _is_placeholder(match.group(group)):
                found.append((start, rank, end, name))
    spans: list[tuple[str, int, int]] = []
    for start, _rank, end, name in sorted(found):
        if not spans or start >= spans[-1][2]:
            spans.append((name, start, end))
    return spans


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    return lowered == REDACTED.lower() or lowered.startswith(_PLACEHOLDERS)


def find_secrets(text: str) -> list[SecretHit]:
    """Locate secrets in `text` (1-based line and column), without copying them."""
    hits = []
    for name, start, _end in _spans(text):
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        hits.append(SecretHit(name, line, column))
    return hits


def secret_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every secret `redact` hides in `text`, in order."""
    return [(start, end) for _name, start, end in _spans(text)]


def redact(text: str) -> str:
    """Replace every secret in `text` with [REDACTED]."""
    pieces, cursor = [], 0
    for _name, start, end in _spans(text):
        pieces += [text[cursor:start], REDACTED]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def is_env_file(path: str) -> bool:
    """True for dotenv-style files whose every value is treated as secret."""
    return bool(_ENV_FILE.search(path))
