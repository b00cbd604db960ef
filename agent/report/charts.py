"""Inline SVG charts drawn from report data (no scripts, no external resources)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from agent.report.models import TimelinePoint

BAND_COLORS = {"critical": "#c0392b", "high": "#e67e22", "medium": "#2e86c1", "low": "#95a5a6"}
BAR, LINE, AXIS, TEXT = "#2e86c1", "#27ae60", "#7f8c8d", "#2c3e50"
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 280, 48, 56, 24, 48


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 11) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{TEXT}">{escape(text)}</text>'
    )


def _nice_max(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if value <= step:
            return float(step)
    return float(value)


def timeline_chart(points: Sequence[TimelinePoint]) -> str:
    """Bars: items done per week; line: cumulative WSJF delivered."""
    title = "Items done per week and cumulative WSJF delivered"
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    cumulative, total = [], 0.0
    for point in points:
        total += point.wsjf_delivered
        cumulative.append(total)
    max_items = _nice_max(max((p.items_done for p in points), default=0) or 1)
    max_wsjf = _nice_max(max(cumulative, default=0) or 1)
    slot = plot_w / max(len(points), 1)
    body = _axes(plot_w, plot_h, max_items, max_wsjf)
    line = []
    for index, point in enumerate(points):
        x = LEFT + index * slot
        bar_h = plot_h * point.items_done / max_items
        bar_w = min(slot * 0.7, 48.0)
        body.append(
            f'<rect x="{x + (slot - bar_w) / 2:.1f}" y="{TOP + plot_h - bar_h:.1f}" '
            f'width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{BAR}">'
            f"<title>week of {point.week_start:%Y-%m-%d}: {point.items_done} done</title></rect>"
        )
        line.append(
            f"{x + slot / 2:.1f},{TOP + plot_h - plot_h * cumulative[index] / max_wsjf:.1f}"
        )
        if len(points) <= 16 or index % 2 == 0:
            body.append(
                _text(x + slot / 2, TOP + plot_h + 16, f"{point.week_start:%m-%d}", size=10)
            )
    if line:
        body.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{LINE}" stroke-width="3"/>'
        )
        body += [_dot(point) for point in line]
    body.append(_legend([("items done", BAR), ("cumulative WSJF", LINE)], HEIGHT - 10))
    return _svg(WIDTH, HEIGHT, title, body)


def _dot(point: str) -> str:
    x, y = point.split(",")
    return f'<circle cx="{x}" cy="{y}" r="4" fill="{LINE}"/>'


def _axes(plot_w: float, plot_h: float, max_left: float, max_right: float) -> list[str]:
    parts = []
    for step in range(5):
        y = TOP + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" '
            f'stroke="#ecf0f1" stroke-width="1"/>'
        )
        parts.append(_text(LEFT - 6, y + 4, f"{max_left * step / 4:g}", "end", 10))
        parts.append(_text(LEFT + plot_w + 6, y + 4, f"{max_right * step / 4:g}", "start", 10))
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        f'stroke="{AXIS}"/>'
    )
    return parts


def _legend(entries: Sequence[tuple[str, str]], y: float) -> str:
    parts, x = [], float(LEFT)
    for label, color in entries:
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="12" fill="{color}"/>')
        parts.append(_text(x + 16, y + 1, label, "start"))
        x += 28 + 7 * len(label)
    return "".join(parts)


def status_band_chart(counts: dict[str, dict[str, int]]) -> str:
    """Horizontal stacked bars: items per status, split by priority band."""
    title = "Backlog by status and priority band"
    row_h, label_w = 26, 90
    height = TOP + row_h * len(counts) + 40
    plot_w = WIDTH - LEFT - label_w - 40
    most = _nice_max(max((sum(bands.values()) for bands in counts.values()), default=0) or 1)
    body = []
    for row, (status, bands) in enumerate(counts.items()):
        y = TOP + row * row_h
        body.append(_text(LEFT + label_w - 8, y + row_h * 0.62, status, "end"))
        x = float(LEFT + label_w)
        for band, count in bands.items():
            width = plot_w * count / most
            if count:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{row_h - 8}" '
                    f'fill="{BAND_COLORS.get(band, AXIS)}"><title>{escape(status)} / '
                    f"{escape(band)}: {count}</title></rect>"
                )
            x += width
        total = sum(bands.values())
        body.append(_text(x + 6, y + row_h * 0.62, str(total), "start"))
    body.append(_legend(list(BAND_COLORS.items()), height - 10))
    return _svg(WIDTH, height, title, body)
