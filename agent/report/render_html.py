"""Render a report as one self-contained HTML page (inline CSS and SVG, no scripts)."""

from __future__ import annotations

from markupsafe import Markup

from agent.report.charts import status_band_chart, timeline_chart
from agent.report.models import Report
from agent.report.render_md import context, environment


def render_html(report: Report) -> str:
    """The report as an HTML page that needs no network."""
    variables = context(report)
    variables["timeline_svg"] = Markup(timeline_chart(report.timeline))  # noqa: S704 - escaped
    variables["status_svg"] = Markup(status_band_chart(report.backlog.by_status_band))  # noqa: S704
    return environment(autoescape=True).get_template("report.html.j2").render(variables)
