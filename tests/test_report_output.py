"""The generated files: every JSON figure re-derived from its sources; markdown and HTML agree."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from agent.report.models import NOT_MEASURED, Report, figures, title_of
from agent.report.schema import schema_text
from tests import report_rederive
from tests.report_support import NOW, SINCE, fixture_repo

STEM = "2026-10-15-000000"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run the real CLI on the fixture repository once for the module."""
    root = tmp_path_factory.mktemp("output") / "repo"
    fixture_repo(root)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the fixture's tests need no plugin
    env["AGENT_TESTS__PYTHON"] = sys.executable  # as conftest: not the machine's python3
    args = [sys.executable, "-m", "agent", "report", str(root), "--since", SINCE, "--now", NOW]
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=True, cwd=root)
    paths = {ext: root / ".agent/reports" / f"{STEM}.{ext}" for ext in ("md", "json", "html")}
    assert done.stdout.splitlines() == [f"wrote .agent/reports/{STEM}.{ext}" for ext in paths]
    return {"root": root, **paths}


def _raw_figures(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for section in ("summary", "runs", "quality", "delivery"):
        for name, value in raw[section].items():
            if isinstance(value, dict) and {"value", "source", "commit"} <= set(value):
                found[f"{section}.{name}"] = value
    return found


def test_every_json_figure_is_re_derived_from_its_source(files: dict[str, Path]) -> None:
    root = files["root"]
    raw = json.loads(files["json"].read_text())
    since, until = datetime.fromisoformat(SINCE), datetime.fromisoformat(NOW)
    derived = {
        **report_rederive.summary(root, since, until),
        **report_rederive.runs(root, since, until),
        **report_rederive.quality(root, raw["base_branch"]),
        **report_rederive.delivery(root, raw["base_branch"], since, until),
    }
    reported = _raw_figures(raw)
    assert set(reported) == set(derived), "every figure needs a re-derivation"
    for path, figure in reported.items():
        expected = derived[path]
        if expected is None or isinstance(expected, str):
            assert figure["value"] == expected, path
        else:
            assert figure["value"] == pytest.approx(expected, rel=1e-3, abs=1e-4), path


def test_json_validates_against_the_models_and_the_schema_is_current(files) -> None:
    report = Report.model_validate_json(files["json"].read_text())
    assert report.schema_version == 1
    schema = Path(__file__).parents[1] / "docs/report-schema.json"
    assert schema.read_text() == schema_text(), "run: python -m agent.report.schema"


def _md_cells(markdown: str, title: str) -> str:
    rows = [line for line in markdown.splitlines() if line.startswith(f"| {title} |")]
    assert len(rows) == 1, title
    return rows[0].split(" | ")[1]


def _html_cell(page: str, title: str) -> str:
    match = re.search(
        rf"<td>{re.escape(html.escape(title))}</td>\s*<td class=\"value\">(.*?)<", page
    )
    assert match, title
    return html.unescape(match.group(1))


def _assert_shows(text: str, figure: dict[str, Any], where: str) -> None:
    value = figure["value"]
    if value is None:
        assert text.startswith(NOT_MEASURED), where
    elif isinstance(value, str):
        assert text.startswith(value), where
    else:
        shown = float(NUMBER.search(text).group())
        assert shown == pytest.approx(value, abs=0.006), where


def test_markdown_and_html_show_the_same_numbers_as_the_json(files) -> None:
    raw = json.loads(files["json"].read_text())
    report = Report.model_validate(raw)
    markdown, page = files["md"].read_text(), files["html"].read_text()
    for path, figure in _raw_figures(raw).items():
        title = title_of(report, path)
        _assert_shows(_md_cells(markdown, title), figure, f"md {path}")
        _assert_shows(_html_cell(page, title), figure, f"html {path}")
    assert len(figures(report)) == len(_raw_figures(raw))
    for row in report.backlog.items:
        assert f"| {row.rank} | {row.id} |" in markdown
        assert f"<strong>{row.wsjf:.2f}</strong>" in page
    assert "Decide: keep the v1 API for one more release or break it now?" in markdown


def test_not_measured_figures_show_their_reason(files) -> None:
    markdown = files["md"].read_text()
    line = next(x for x in markdown.splitlines() if x.startswith("| Line coverage |"))
    assert "not measured (coverage.py is not importable in the checkout)" in line


def test_html_page_is_self_contained(files) -> None:
    page = files["html"].read_text()
    assert page.count("<svg") == 2
    for forbidden in ("<script", "<link", "<img", "src=", "url(", "@import"):
        assert forbidden not in page
    assert re.findall(r"https?://[^\s\"']+", page) == ["http://www.w3.org/2000/svg"] * 2


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed")
def test_html_renders_non_blank_in_headless_chromium(files, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "report.png"
    args = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        files["html"].as_uri(),
    ]
    subprocess.run(args, capture_output=True, timeout=120, check=False)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2000)
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50  # text, cards, bars in several colours: not a blank page
    background = max(colours)[1]
    changed = sum(count for count, colour in colours if colour != background)
    assert changed > 0.2 * 1280 * 2000
    band_red = (0xC0, 0x39, 0x2B)  # critical-band segment of the status chart
    assert any(colour == band_red for _count, colour in colours)
