"""The security source: bandit findings (one item per rule per file) and committed secrets.

Bandit runs with the repository's own configuration (`[tool.bandit]`, `.bandit`) on the tracked
Python files, test files excepted unless `discovery.bandit_tests` is set: the test guard forbids
the agent to edit tests, and their `assert`s (B101) are the bulk of bandit's output. Scores follow
the findings' severity and confidence (the `bandit-<severity>-<confidence>` score keys).
"""

from __future__ import annotations

import re
from pathlib import Path

from agent.config.discovery import DiscoverySettings
from agent.discovery.files import FileList, read_file
from agent.discovery.identity import fingerprint
from agent.discovery.model import BANDIT_CODE, Found, SourceResult, guarded
from agent.scanners.lint import Finding, run_bandit
from agent.scanners.secrets import find_secrets, is_env_file, redact
from agent.testrun.testfiles import is_test_file

LINES_MAX = 20
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
SECRET_TESTS = ("B105", "B106", "B107")
RANKS = ("LOW", "MEDIUM", "HIGH")
NOT_SCANNED = (
    "no longer scanned: bandit skips test files (set discovery.bandit_tests = true to scan them)"
)


def discover_security(root: Path, files: FileList, settings: DiscoverySettings) -> SourceResult:
    """Run bandit on the tracked Python files and scan every text file for secrets."""
    result = SourceResult("security")
    python = [f.path for f in files.files if f.path.endswith(".py")]
    skipped = set() if settings.bandit_tests else {p for p in python if is_test_file(p)}
    scan = run_bandit(root, [p for p in python if p not in skipped])
    if not scan.available:
        result.complete = False
        result.warnings.append(f"bandit skipped: {scan.error}")
    else:
        result.found += bandit_items(scan.findings)
        result.stats["bandit findings"] = len(scan.findings)
        result.stats["test files not scanned by bandit"] = len(skipped)

    def unscanned(path: str | None, tag: str) -> str | None:
        return NOT_SCANNED if path in skipped and BANDIT_CODE.match(tag) else None

    result.unscanned = unscanned
    result.found += _secret_items(root, files, settings)
    return result


def bandit_items(findings: list[Finding]) -> list[Found]:
    """One item per rule per file, in path and rule order."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.path, finding.code), []).append(finding)
    return [_bandit_item(path, code, group) for (path, code), group in sorted(groups.items())]


def _rank(value: str | None) -> str:
    return value if value in RANKS else "LOW"


def _confidence(finding: Finding) -> int:
    return RANKS.index(_rank(finding.confidence))


def score_key(findings: list[Finding]) -> str:
    """The score key of the group's gravest finding: severity first, then confidence."""
    worst = max(findings, key=lambda f: (RANKS.index(_rank(f.severity)), _confidence(f)))
    return f"bandit-{_rank(worst.severity).lower()}-{_rank(worst.confidence).lower()}"


def _message(finding: Finding) -> str:
    message = redact(finding.message)
    return QUOTED.sub("'[REDACTED]'", message) if finding.code in SECRET_TESTS else message


def _bandit_item(path: str, code: str, findings: list[Finding]) -> Found:
    first, key = findings[0], score_key(findings)
    lines = [
        f"{path}:{f.line}: {_message(f)} (severity {_rank(f.severity)}, "
        f"confidence {_rank(f.confidence)})"
        for f in findings
    ]
    more = [f"… and {len(lines) - LINES_MAX} more"] if len(lines) > LINES_MAX else []
    count = f"{len(findings)} finding" + ("s" if len(findings) != 1 else "")
    return Found(
        kind="security",
        tag=code,
        path=path,
        line=first.line,
        text=f"{code}: {_message(first)} ({count})",
        title=f"bandit {code} in {path} ({count}): {_message(first)}"[:100],
        description="\n".join(lines[:LINES_MAX] + more),
        item_type="security",
        fingerprint=fingerprint("security", path, code),
        score_key=key,
        criteria=(f"bandit reports no {code} in {path}, or each finding is justified",),
        links=(first.url,) if first.url else (),
        blocked_reason=guarded(path),
    )


def _secret_items(root: Path, files: FileList, settings: DiscoverySettings) -> list[Found]:
    found = []
    for entry in files.files:
        if is_env_file(entry.path):
            found.append(_secret_item(entry.path, 1, "environment file in the repository", 0))
            continue
        data, _why = read_file(root, entry, settings.max_file_bytes)
        if data is None:
            continue
        seen: dict[str, int] = {}
        for hit in find_secrets(data.decode("utf-8", "replace")):
            seen[hit.kind] = seen.get(hit.kind, 0) + 1
            found.append(_secret_item(entry.path, hit.line, hit.kind, seen[hit.kind]))
    return found


def _secret_item(path: str, line: int, kind: str, occurrence: int) -> Found:
    """A secret's location and kind only: the value never leaves the file."""
    return Found(
        kind="security",
        tag=f"secret:{kind}",
        path=path,
        line=line,
        text=f"possible {kind} at {path}:{line}",
        title=f"Possible {kind} committed at {path}:{line}",
        description=(
            f"A {kind} appears to be stored in {path} at line {line}. Rotate it if it is real, "
            "and load it from the environment or a secret store instead."
        ),
        item_type="security",
        fingerprint=fingerprint("security", path, f"secret:{kind}", str(occurrence)),
        score_key="security",
        criteria=(f"No secret is stored in {path}",),
        blocked_reason=guarded(path),
    )
