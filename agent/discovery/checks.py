"""The tests, lint and security sources: failing tests, ruff findings, bandit findings, secrets."""

from __future__ import annotations

import re
from pathlib import Path

from agent.discovery.files import FileList, read_file
from agent.discovery.identity import fingerprint, normalize, number_duplicates
from agent.discovery.model import Found, SourceResult
from agent.discovery.settings import DiscoverySettings
from agent.scanners import Finding, run_bandit, run_ruff
from agent.secrets import find_secrets, is_env_file, redact
from agent.settings import TestSettings
from agent.testrun import TestRun

DETAIL_MAX = 2000
LINT_LINES_MAX = 20
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
SECRET_TESTS = ("B105", "B106", "B107")
NO_TESTS_COLLECTED = 5  # pytest's exit status when there is nothing to run
COLLECTION_FAILURE = (
    "collection failure"  # pytest's JUnit message for a module that fails to import
)


def discover_tests(root: Path, settings: TestSettings) -> SourceResult:
    """Run the test command in a temporary checkout of HEAD; one item per failing test."""
    from git import GitCommandError

    from agent.gitutil import open_repo, temporary_checkout
    from agent.testrun import run_tests, start_failure

    result = SourceResult("tests")
    try:
        with temporary_checkout(open_repo(root)) as tree:
            run = run_tests(tree, settings)
    except GitCommandError as exc:
        result.complete = False
        detail = (str(exc.stderr).strip().splitlines() or ["git failed"])[-1]
        result.warnings.append(f"tests skipped: no temporary checkout ({detail})")
        return result
    if run.result.returncode == NO_TESTS_COLLECTED:
        return result
    cannot_start = start_failure(run, settings)
    if cannot_start is not None:  # the user's environment, not the code: a warning, no item
        result.complete = False
        result.warnings.append(f"tests skipped: {cannot_start}")
        return result
    if run.timed_out:
        result.complete = False
        text = f"test run timed out after {settings.timeout_s:g}s"
        result.found.append(_test_item("timeout", None, text, _tail(redact(run.result.output))))
        return result
    result.found += _case_items(run)
    if run.collection_failed:
        text = "test collection failed"
        result.found.append(_test_item("collection", None, text, _tail(redact(run.result.output))))
    return result


def _case_items(run: TestRun) -> list[Found]:
    """One item per failing or erroring case; a module that failed to import is one item."""
    found = []
    for case in run.report.problems if run.report else []:
        message = redact(case.message or case.outcome.value)
        detail = f"{message}\n\n{_tail(redact(case.details))}".strip()
        if message == COLLECTION_FAILURE:
            module = case.node_id.rsplit("::", 1)[-1]
            path = case.file or module.replace(".", "/") + ".py"
            text = f"test collection failed in {path}"
            found.append(_test_item(f"collection:{path}", path, text, detail))
        else:
            found.append(_test_item(case.node_id, case.file, message, detail))
    return found


def _tail(text: str) -> str:
    text = text.strip()
    return text if len(text) <= DETAIL_MAX else "…" + text[-DETAIL_MAX:]


def _test_item(node: str, path: str | None, text: str, detail: str) -> Found:
    if node in ("timeout", "collection") or node.startswith("collection:"):
        title, criteria = text[:1].upper() + text[1:], "The full test command passes"
    else:
        title, criteria = f"Failing test {node}", f"`{node}` passes"
        path = path or node.split("::", 1)[0]
    return Found(
        kind="tests",
        tag=node,
        path=path,
        line=None,
        text=text.splitlines()[0][:300] if text else "",
        title=title if len(title) <= 100 else title[:99] + "…",
        description=detail,
        item_type="bug",
        fingerprint=fingerprint("tests", node),
        score_key="tests",
        criteria=(criteria, "No other test regresses"),
    )


def discover_lint(root: Path) -> SourceResult:
    """Run ruff; one item per rule per file."""
    result = SourceResult("lint")
    scan = run_ruff(root)
    if not scan.available:
        result.complete = False
        result.warnings.append(f"lint skipped: {scan.error}")
        return result
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in scan.findings:
        groups.setdefault((finding.path, finding.code), []).append(finding)
    for (path, code), findings in sorted(groups.items()):
        result.found.append(_lint_item(path, code, findings))
    return result


def _lint_item(path: str, code: str, findings: list[Finding]) -> Found:
    first = findings[0]
    lines = [f"{path}:{f.line}:{f.column}: {redact(f.message)}" for f in findings]
    shown = lines[:LINT_LINES_MAX] + (
        [f"… and {len(lines) - LINT_LINES_MAX} more"] * (len(lines) > LINT_LINES_MAX)
    )
    count = f"{len(findings)} finding" + ("s" if len(findings) != 1 else "")
    return Found(
        kind="lint",
        tag=code,
        path=path,
        line=first.line,
        text=f"{code}: {redact(first.message)} ({count})",
        title=f"ruff {code} in {path} ({count})",
        description="\n".join(shown),
        item_type="debt",
        fingerprint=fingerprint("lint", path, code),
        score_key="lint",
        criteria=(f"`ruff check {path}` reports no {code}",),
        links=(first.url,) if first.url else (),
    )


def discover_security(root: Path, files: FileList, settings: DiscoverySettings) -> SourceResult:
    """Run bandit on the tracked Python files and scan every text file for secrets."""
    result = SourceResult("security")
    python = [f.path for f in files.files if f.path.endswith(".py")]
    scan = run_bandit(root, python)
    if not scan.available:
        result.complete = False
        result.warnings.append(f"bandit skipped: {scan.error}")
    else:
        result.found += _bandit_items(root, scan.findings)
    result.found += _secret_items(root, files, settings)
    return result


def _bandit_items(root: Path, findings: list[Finding]) -> list[Found]:
    lines = {f.path: _source_lines(root, f.path) for f in findings}
    bases = []
    for f in findings:
        code_line = lines[f.path][f.line - 1] if 0 < f.line <= len(lines[f.path]) else ""
        bases.append(fingerprint("security", f.path, f.code, normalize(redact(code_line))))
    return [_bandit_item(f, p) for f, p in zip(findings, number_duplicates(bases), strict=True)]


def _source_lines(root: Path, path: str) -> list[str]:
    try:
        return (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _bandit_item(finding: Finding, print_: str) -> Found:
    message = redact(finding.message)
    if finding.code in SECRET_TESTS:
        message = QUOTED.sub("'[REDACTED]'", message)
    where = f"{finding.path}:{finding.line}"
    return Found(
        kind="security",
        tag=finding.code,
        path=finding.path,
        line=finding.line,
        text=f"{finding.code}: {message}",
        title=f"bandit {finding.code} at {where}: {message}"[:100],
        description=(
            f"{message}\nSeverity {finding.severity}, confidence {finding.confidence} ({where})."
        ),
        item_type="security",
        fingerprint=print_,
        score_key="security",
        criteria=(f"bandit reports no {finding.code} at this place, or it is justified",),
        links=(finding.url,) if finding.url else (),
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
    )
