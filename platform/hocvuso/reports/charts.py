"""Small SVG charts drawn on the server: no JavaScript, light on phones."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320


def bar_chart(
    items: list[tuple[str, float]], *, unit: str = "%", max_value=None
) -> SafeString:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return mark_safe("")
    top = max_value or max((v for _l, v in items), default=0) or 1
    bar_h, gap, label_w = 16, 6, 120
    height = len(items) * (bar_h + gap)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img">'
    ]
    for i, (label, value) in enumerate(items):
        y = i * (bar_h + gap)
        w = (WIDTH - label_w - 50) * (value / top if top else 0)
        parts.append(
            f'<text x="0" y="{y + 12}" font-size="11">{escape(label[:22])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#1f6f43"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 12}" font-size="11">'
            f"{value:g}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(points: list[tuple[str, int]]) -> SafeString:
    """A cumulative line over days: (day label, running total)."""
    if not points:
        return mark_safe("")
    height, pad = 140, 24
    top = max(v for _d, v in points) or 1
    n = len(points)
    step = (WIDTH - 2 * pad) / max(n - 1, 1)
    coords = [
        (pad + i * step, height - pad - (height - 2 * pad) * v / top)
        for i, (_d, v) in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img">'
        f'<polyline points="{path}" fill="none" stroke="#1f6f43" stroke-width="2"/>'
        f'<text x="{pad}" y="{height - 6}" font-size="11">{escape(points[0][0])}</text>'
        f'<text x="{WIDTH - pad}" y="{height - 6}" font-size="11" text-anchor="end">'
        f"{escape(points[-1][0])}</text>"
        f'<text x="{pad}" y="14" font-size="11">{top}</text></svg>'
    )
