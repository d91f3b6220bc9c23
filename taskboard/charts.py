"""Small charts drawn on the server as SVG: no script, no CDN, printable."""
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass
class Point:
    label: str
    value: float  # 0..1


def line_chart(points: list[Point], *, width: int = 640, height: int = 220,
               title: str = "") -> Markup:
    """A line of fractions (0–100 %) over labelled steps, with a dot and a figure per point."""
    left, right, top, bottom = 44, 16, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + i * step if len(points) > 1 else left + plot_w / 2

    def y(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(value, 1.0)))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}" class="chart" '
             f'style="max-width:100%;height:auto;font-size:12px">']
    for fraction in (0, 0.5, 0.8, 1):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(fraction):.1f}" '
                     f'y2="{y(fraction):.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y(fraction) + 4:.1f}" text-anchor="end" '
                     f'fill="#6b7280">{fraction:.0%}</text>')
    if points:
        path = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
        parts.append(f'<polyline points="{path}" fill="none" stroke="#9b1c1c" '
                     f'stroke-width="2"/>')
    for i, point in enumerate(points):
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(point.value):.1f}" r="3.5" '
                     f'fill="#9b1c1c"/>')
        parts.append(f'<text x="{x(i):.1f}" y="{y(point.value) - 8:.1f}" text-anchor="middle"'
                     f' fill="#1f2937">{point.value:.0%}</text>')
        parts.append(f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" '
                     f'fill="#4b5563">{escape(point.label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass
class Bar:
    label: str
    value: int
    color: str = "#9b1c1c"


def bar_chart(bars: list[Bar], *, width: int = 360, row: int = 28, title: str = "") -> Markup:
    """Horizontal bars with their counts, one row each."""
    label_w, number_w = 90, 48
    height = row * len(bars) + 8
    most = max((b.value for b in bars), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}" class="chart" '
             f'style="max-width:100%;height:auto;font-size:13px">']
    for i, bar in enumerate(bars):
        y = 4 + i * row
        length = (width - label_w - number_w) * bar.value / most
        parts.append(f'<text x="{label_w - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" '
                     f'fill="#1f2937">{escape(bar.label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" '
                     f'height="{row - 10}" fill="{bar.color}" rx="2"/>')
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + row / 2 + 4:.1f}" '
                     f'fill="#1f2937">{bar.value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
