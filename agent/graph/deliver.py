"""DOCS and COMMIT: a changelog entry, one Conventional Commit, the PR description and evidence."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from agent.backlog.models import BacklogItem, ItemType
from agent.backlog.scoring import score_item
from agent.graph.common import block, current, record, update, workspace_for
from agent.graph.instructed import for_item
from agent.graph.items import load_item
from agent.graph.run_context import RunContext
from agent.graph.state import ItemState, Phase, RunState
from agent.system import proc
from agent.system.fsutil import atomic_write_text
from agent.text.prompting import render
from agent.workspace.worktree import ItemWorkspace

COMMIT_KIND = {
    ItemType.BUG: "fix",
    ItemType.SECURITY: "fix",
    ItemType.FEATURE: "feat",
    ItemType.REFACTOR: "refactor",
    ItemType.DEBT: "refactor",
    ItemType.DOCS: "docs",
    ItemType.TEST: "test",
    ItemType.CHORE: "chore",
    ItemType.INVESTIGATION: "chore",
}
CHANGELOG_SECTION = {"feat": "Added", "fix": "Fixed"}
CHANGELOG_HEADER = (
    "# Changelog\n\nAll notable changes to this project are documented in this file.\n"
    "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n\n"
    "## [Unreleased]\n"
)


def docs(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Add the change to CHANGELOG.md under [Unreleased] (once, even if the node runs again)."""
    started, item = time.monotonic(), current(state)
    ws = workspace_for(state, ctx)
    backlog_item = load_item(ctx, item.item_id)
    path = ws.root / ctx.settings.agent.changelog
    entry = render("changelog_entry", subject=_subject(backlog_item), item=backlog_item).strip()
    text = path.read_text(encoding="utf-8") if path.is_file() else CHANGELOG_HEADER
    if entry not in text:
        section = CHANGELOG_SECTION.get(COMMIT_KIND[backlog_item.type], "Changed")
        atomic_write_text(path, add_changelog_entry(text, section, entry))
    return update(record(item, Phase.DOCS, True, started, detail=ctx.settings.agent.changelog))


def add_changelog_entry(text: str, section: str, entry: str) -> str:
    """Insert `entry` under `### section` of the Unreleased block, creating either if missing."""
    if "## [Unreleased]" not in text:
        first = re.search(r"^## ", text, re.MULTILINE)
        at = first.start() if first else len(text)
        text = text[:at].rstrip("\n") + "\n\n## [Unreleased]\n\n" + text[at:].lstrip("\n")
    start = text.index("## [Unreleased]")
    end_match = re.search(r"^## ", text[start + 3 :], re.MULTILINE)
    end = start + 3 + end_match.start() if end_match else len(text)
    block_text = text[start:end]
    heading = f"### {section}\n"
    if heading in block_text:
        at = start + block_text.index(heading) + len(heading)
        return text[:at] + entry + "\n" + text[at:]
    insertion = f"\n{heading}{entry}\n"
    return text[:end].rstrip("\n") + "\n" + insertion + ("\n" + text[end:] if text[end:] else "")


def _subject(item: BacklogItem) -> str:
    source = item.source
    if source is not None and source.kind == "tests" and source.tag and "::" in source.tag:
        return f"make {source.tag} pass"
    if source is not None and source.kind in ("lint", "security") and source.tag:
        return f"resolve {source.tag} in {source.path}"
    title = item.title.strip().rstrip(".")
    return title[:1].lower() + title[1:] if title[:2] != title[:2].upper() else title


def commit(state: RunState, ctx: RunContext) -> dict[str, Any]:
    """Check the scope limits, then make one commit with the Agent-Item trailer."""
    started, item = time.monotonic(), current(state)
    ws = workspace_for(state, ctx)
    breach = ws.limit_breach()
    if breach is not None:
        item = block(
            item, Phase.COMMIT, breach.message, "review the change size and approve it by hand"
        )
        return update(record(item, Phase.COMMIT, False, started))
    backlog_item = load_item(ctx, item.item_id)
    sha = ws.commit(commit_message(backlog_item, item)) or _head_if_committed(ws, item.item_id)
    if sha is None:
        item = block(item, Phase.COMMIT, "nothing to commit", "check whether the item needs work")
        return update(record(item, Phase.COMMIT, False, started))
    stat = proc.run(["git", "diff", "--shortstat", ws.base_sha, sha], cwd=ws.root, timeout=60)
    item = item.model_copy(update={"commit": sha, "diffstat": stat.stdout.strip()})
    return update(record(item, Phase.COMMIT, True, started, detail=sha[:12]))


def commit_message(backlog_item: BacklogItem, item: ItemState) -> str:
    """Conventional Commits message with a body from the evidence and the Agent-Item trailer."""
    kind = COMMIT_KIND[backlog_item.type]
    scope = _scope(item.changed_files)
    body_lines = [item.summary] if item.summary else []
    if item.check is not None:
        body_lines.append(
            f"RED: {item.check.target} failed before this change and passes after it."
        )
    body_lines += [f"- {line}" for line in item.criteria]
    return (
        render(
            "commit",
            kind=kind,
            scope=scope,
            subject=_subject(backlog_item),
            body="\n".join(body_lines) or backlog_item.title,
            item=backlog_item,
        ).strip()
        + "\n"
    )


def _scope(paths: list[str]) -> str:
    tops = {Path(p).parts[0] for p in paths if not p.startswith(("tests/", "test/", "CHANGELOG"))}
    return next(iter(tops)).removesuffix(".py") if len(tops) == 1 else ""


def _head_if_committed(ws: ItemWorkspace, item_id: str) -> str | None:
    """After a crash between commit and checkpoint, the commit is already there: reuse it."""
    log = proc.run(
        [
            "git",
            "log",
            "-1",
            "--format=%H%n%(trailers:key=Agent-Item,valueonly)",
            f"{ws.base_sha}..HEAD",
        ],
        cwd=ws.root,
        timeout=60,
    ).stdout.split()
    return log[0] if len(log) >= 2 and log[1] == item_id else None


def write_evidence(ctx: RunContext, state: RunState, item: ItemState) -> Path:
    """Write .agent/evidence/<id>.json (agent.backlog.runs.Evidence, the schema reports read)."""
    from agent.backlog.runs import DiffStat, Evidence, PhaseEvidence, RedCheck

    check = item.check
    red = RedCheck(kind=check.kind, target=check.target, rule=check.rule) if check else None
    held = item.blocked is None and check is not None
    evidence = Evidence(
        item_id=item.item_id,
        run_id=state.run_id,
        phases=[
            PhaseEvidence(
                phase=r.phase,
                started_at=_utc(r.ended_at - r.seconds),
                ended_at=_utc(r.ended_at),
                ok=r.ok,
                output="\n".join(part for part in (r.detail, r.output) if part),
            )
            for r in item.records
        ],
        red_output=item.red_output,
        green_output=item.green_output,
        test_file=check.file if check else None,
        test_hash_before=check.file_sha256 if check else None,
        test_hash_after=check.file_sha256 if held and check else None,
        red_check=red,
        commits=[item.commit] if item.commit else [],
        diff=DiffStat(**_diffstat(item.diffstat)),
    )
    path = ctx.repo / ".agent" / "evidence" / f"{item.item_id}.json"
    atomic_write_text(path, evidence.model_dump_json(indent=2) + "\n")
    return path


def _utc(seconds: float) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC)


def _diffstat(text: str) -> dict[str, int]:
    """`2 files changed, 10 insertions(+), 1 deletion(-)` -> counts."""
    counts = {"files": 0, "insertions": 0, "deletions": 0}
    for number, word in re.findall(r"(\d+) (file|insertion|deletion)", text):
        counts["files" if word == "file" else word + "s"] = int(number)
    return counts


def write_pr(ctx: RunContext, state: RunState, item: ItemState) -> Path:
    """Write .agent/prs/<id>.md from the evidence only."""
    backlog_item = load_item(ctx, item.item_id)
    score = score_item(backlog_item, _now(state), ctx.settings.scoring)
    tally = state.ledger.items.get(item.item_id)
    ci_record = next((r for r in reversed(item.records) if r.phase == Phase.CI), None)
    text = render(
        "pr",
        item=backlog_item,
        summary=item.summary or backlog_item.title,
        wsjf=score.wsjf,
        cost_of_delay=score.cost_of_delay,
        criteria=item.criteria or backlog_item.acceptance_criteria,
        red={
            "test_id": item.check.target if item.check else "",
            "output": item.red_output,
            "test_sha256": (item.check.file_sha256 or "") if item.check else "",
        },
        ci={
            "summary": ci_record.output.splitlines()[0]
            if ci_record and ci_record.output
            else "passed"
        },
        branch=item.branch,
        commit=item.commit or "",
        diffstat=item.diffstat or "none",
        spend={
            "calls": tally.calls if tally else 0,
            "tokens": tally.tokens if tally else 0,
            "cost_usd": tally.cost_usd if tally else 0.0,
        },
        risk=_risk(item),
        instructions=for_item(ctx, item).paths,
    )
    path = ctx.repo / ".agent" / "prs" / f"{item.item_id}.md"
    atomic_write_text(path, text)
    return path


def _risk(item: ItemState) -> str:
    files = len([p for p in item.changed_files if not p.startswith("CHANGELOG")])
    return (
        f"{files} file(s) changed ({item.diffstat or 'no diff'}); the full suite passed with no "
        f"new failures; {item.regression_rounds} regression round(s) were needed."
    )


def _now(state: RunState) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(state.now)
