"""The tests and lint sources: failing test functions, ruff findings (one item per rule per file).

A parametrized test that fails for several parameters is one item for its test function (the
failing parameter ids and the first failure in its description); it is resolved when every
parameter passes. agent/discovery/security.py holds the security source.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from agent.config.settings import TestSettings
from agent.discovery.identity import fingerprint
from agent.discovery.model import Found, SourceResult, guarded
from agent.scanners.lint import Finding, run_ruff
from agent.scanners.secrets import redact
from agent.testrun.junit import TestCase
from agent.testrun.run import TestRun
from agent.testrun.testfiles import function_id, parameter, selects

DETAIL_MAX = 2000
LINT_LINES_MAX = 20
NO_TESTS_COLLECTED = 5  # pytest's exit status when there is nothing to run
COLLECTION_FAILURE = (
    "collection failure"  # pytest's JUnit message for a module that fails to import
)


def discover_tests(root: Path, settings: TestSettings) -> SourceResult:
    """Run the test command in a temporary checkout of HEAD; one item per failing test."""
    from git import GitCommandError

    from agent.testrun.run import run_tests, start_failure
    from agent.workspace.gitutil import open_repo, temporary_checkout

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
    """One item per failing test function; a module that failed to import is one item."""
    report = run.report
    groups: dict[str, list[TestCase]] = {}
    for case in report.problems if report else []:
        if redact(case.message or case.outcome.value) == COLLECTION_FAILURE:
            groups[f"collection:{case.node_id}"] = [case]
        else:
            groups.setdefault(function_id(case.node_id), []).append(case)
    found = []
    for key, cases in groups.items():
        if key.startswith("collection:"):
            found.append(_collection_item(cases[0]))
        elif cases[0].node_id == key:
            found.append(_test_item(key, cases[0].file, *_failure(cases[0])))
        else:
            total = sum(1 for c in report.cases if selects(key, c.node_id)) if report else 0
            found.append(_function_item(key, cases, total))
    return found


def _failure(case: TestCase) -> tuple[str, str]:
    message = redact(case.message or case.outcome.value)
    return message, f"{message}\n\n{_tail(redact(case.details))}".strip()


def _collection_item(case: TestCase) -> Found:
    module = case.node_id.rsplit("::", 1)[-1]
    path = case.file or module.replace(".", "/") + ".py"
    text = f"test collection failed in {path}"
    return _test_item(f"collection:{path}", path, text, _failure(case)[1])


def _function_item(function: str, cases: list[TestCase], total: int) -> Found:
    """A parametrized test function: its failing parameters, then the first failure in full."""
    message, detail = _failure(cases[0])
    failing = [f"- {parameter(c.node_id)}: {_failure(c)[0].splitlines()[0][:200]}" for c in cases]
    shown = failing[:LINT_LINES_MAX] + [f"… and {len(failing) - LINT_LINES_MAX} more"] * (
        len(failing) > LINT_LINES_MAX
    )
    header = f"{len(cases)} of {total} parameters fail:"
    item = _test_item(function, cases[0].file, message, detail)
    return replace(
        item,
        text=f"{header[:-1]}; first: {item.text}"[:300],
        title=_clip_title(f"Failing test {function} ({len(cases)} of {total} parameters)"),
        description="\n".join([header, *shown, "", f"First failure, {cases[0].node_id}:", detail]),
        criteria=(f"`{function}` passes for every parameter", "No other test regresses"),
    )


def _clip_title(title: str) -> str:
    return title if len(title) <= 100 else title[:99] + "…"


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
        title=_clip_title(title),
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
        blocked_reason=guarded(path),
    )
