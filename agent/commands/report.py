"""`agent report`: measure the repository now and write the status report files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import typer

from agent.commands.common import git_root, parse_now, parse_time
from agent.config.report import FORMATS
from agent.config.settings import load_settings
from agent.errors import InputError
from agent.report.build import Request, build_report, relative, report_stem
from agent.report.models import Report
from agent.system.fsutil import atomic_write_text
from agent.workspace.gitutil import ensure_excluded, open_repo


def _json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def _markdown(report: Report) -> str:
    from agent.report.render_md import render_markdown

    return render_markdown(report)


def _html(report: Report) -> str:
    from agent.report.render_html import render_html

    return render_html(report)


RENDERERS: dict[str, Callable[[Report], str]] = {"md": _markdown, "json": _json, "html": _html}


def write_report(
    repo: Path, formats: str | None, out: Path | None, since: str | None, now: str | None
) -> list[Path]:
    """Build the report of `repo` and write one file per format; print and return the paths."""
    root = git_root(repo)
    settings = load_settings(root)
    chosen = parse_formats(formats) if formats else settings.report.formats
    moment = parse_now(now)
    request = Request(root=root, now=moment, since=parse_since(since))
    report = build_report(request, settings)
    out_dir = out.resolve() if out else root / settings.report.out_dir
    if out_dir.is_relative_to(root / ".agent"):
        ensure_excluded(open_repo(root), "/.agent/")  # reports in .agent/ never show in git status
    written = []
    for fmt in chosen:
        path = out_dir / f"{report_stem(moment)}.{fmt}"
        atomic_write_text(path, RENDERERS[fmt](report))
        written.append(path)
        typer.echo(f"wrote {relative(path, Path.cwd())}")
    return written


def parse_formats(value: str) -> tuple[str, ...]:
    """Parse `--format md,json,html` (order kept, duplicates dropped)."""
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise InputError(
            f"--format: unknown format {', '.join(unknown) or repr(value)} "
            f"(expected a comma-separated list of {', '.join(FORMATS)})"
        )
    return chosen


def parse_since(value: str | None) -> datetime | None:
    """Parse `--since` (an ISO 8601 date or time; naive means UTC)."""
    if value is None:
        return None
    return parse_time("--since", value, "an ISO 8601 date or time", "2026-11-01")
