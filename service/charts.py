"""Charts drawn on the server as SVG: they show without JavaScript and print as they are.

Each function returns markup for one ``<svg role="img">`` with a ``<title>`` and ``<desc>``; the
pages put the data table and the link to the query behind the chart next to it. Text in the
charts is escaped; numbers are laid out on a fixed canvas that scales with the page width.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

INK = "#1d2530"
MUTED = "#4a5561"  # 7.6:1 on white
BAR = "#2f6690"
GRADE_COLOURS = {"A": "#1b6e3a", "B": "#2f6690", "C": "#b35c00", "D": "#a3212b"}  # each ≥ 4.5:1 with white text
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    href: str | None = None
    text: str = ""  # the value as shown; formatted from value when empty


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _frame(width: int, height: int, title: str, desc: str, body: str) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-t{n} chart-d{n}" font-family="sans-serif" font-size="12">'
        f'<title id="chart-t{n}">{escape(title)}</title><desc id="chart-d{n}">{escape(desc)}</desc>{body}</svg>'
    )


def bar_chart(bars: list[Bar], title: str, desc: str, width: int = 720) -> Markup:
    """Horizontal bars, longest first as given; a bar with ``href`` links there."""
    label_w, row_h, pad = 220, 22, 8
    top = max((b.value for b in bars), default=0) or 1
    height = pad * 2 + row_h * max(1, len(bars))
    span = width - label_w - 120
    parts = []
    for i, b in enumerate(bars):
        y = pad + i * row_h
        w = max(1.0, span * max(b.value, 0) / top)
        label = escape(b.label if len(b.label) <= 18 else b.label[:17] + "…")
        bar = f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{BAR}"/>'
        if b.href:
            bar = f'<a href="{escape(b.href)}"><title>{escape(b.label)}</title>{bar}</a>'
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row_h / 2 + 4}" text-anchor="end" fill="{INK}">{label}</text>{bar}'
            f'<text x="{label_w + w + 6:.1f}" y="{y + row_h / 2 + 4}" fill="{INK}">{escape(b.text or _fmt(b.value))}</text>'
        )
    return _frame(width, height, title, desc, "".join(parts))


def stacked_bars(
    rows: list[tuple[str, dict[str, int], str | None]], categories: list[str], title: str, desc: str, width: int = 720
) -> Markup:
    """One horizontal bar per row, split by category (grades A–D), with a legend."""
    label_w, row_h, pad, legend_h = 260, 22, 8, 24
    top = max((sum(c.values()) for _, c, _ in rows), default=0) or 1
    span = width - label_w - 40
    height = pad * 2 + legend_h + row_h * max(1, len(rows))
    parts = []
    for i, cat in enumerate(categories):
        lx = label_w + i * 70
        parts.append(
            f'<rect x="{lx}" y="{pad}" width="14" height="14" fill="{GRADE_COLOURS.get(cat, BAR)}"/>'
            f'<text x="{lx + 18}" y="{pad + 12}" fill="{INK}">{escape(cat)}</text>'
        )
    for r, (label, tally, href) in enumerate(rows):
        y = pad + legend_h + r * row_h
        short = escape(label if len(label) <= 22 else label[:21] + "…")
        text = f'<text x="{label_w - 6}" y="{y + row_h / 2 + 4}" text-anchor="end" fill="{INK}">{short}</text>'
        if href:
            text = f'<a href="{escape(href)}"><title>{escape(label)}</title>{text}</a>'
        parts.append(text)
        x = float(label_w)
        for cat in categories:
            n = tally.get(cat, 0)
            if not n:
                continue
            w = span * n / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{GRADE_COLOURS.get(cat, BAR)}">'
                f"<title>{escape(label)}: {escape(cat)} {n}</title></rect>"
            )
            if w >= 14:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + row_h / 2 + 4}" text-anchor="middle" fill="#fff">{n}</text>'
                )
            x += w
    return _frame(width, height, title, desc, "".join(parts))


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    text: str = ""


def indicator_chart(
    actuals: list[Point],
    baseline: Point | None,
    target: Point | None,
    unit: str,
    title: str,
    desc: str,
    labels: dict[str, str],
    reference: Point | None = None,
    width: int = 360,
    height: int = 200,
) -> Markup:
    """Actuals as a line with dots, the baseline as a square, the target as a ring, and a dashed line
    from the reference (baseline) to the target: the track an on-track indicator stays on or beyond."""
    pts = [p for p in [baseline, *actuals, target] if p is not None]
    if not pts:
        return _frame(
            width, 40, title, desc, f'<text x="8" y="24" fill="{MUTED}">{escape(labels.get("none", "—"))}</text>'
        )
    left, right, top_pad, bottom = 52, 16, 16, 34
    years = [p.year for p in pts]
    y0, y1 = min(years), max(years)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    lo, hi = min(min(p.value for p in pts), 0.0), max(p.value for p in pts)
    if hi == lo:
        hi = lo + 1
    hi += (hi - lo) * 0.08

    def sx(year: float) -> float:
        return left + (width - left - right) * (year - y0) / (y1 - y0)

    def sy(v: float) -> float:
        return height - bottom - (height - top_pad - bottom) * (v - lo) / (hi - lo)

    parts = [
        f'<line x1="{left}" y1="{sy(lo):.1f}" x2="{width - right}" y2="{sy(lo):.1f}" stroke="{MUTED}"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{sy(lo):.1f}" stroke="{MUTED}"/>',
    ]
    for v in _ticks(lo, hi):
        parts.append(
            f'<text x="{left - 4}" y="{sy(v) + 4:.1f}" text-anchor="end" fill="{MUTED}">{escape(_fmt(v))}</text>'
            f'<line x1="{left}" y1="{sy(v):.1f}" x2="{width - right}" y2="{sy(v):.1f}" stroke="#e3e7eb"/>'
        )
    for year in sorted(set(years)):
        parts.append(
            f'<text x="{sx(year):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="{MUTED}">{year}</text>'
        )
    if unit:
        parts.append(f'<text x="4" y="12" fill="{MUTED}">{escape(unit)}</text>')
    start = baseline or reference
    if start and target:
        parts.append(
            f'<line x1="{sx(start.year):.1f}" y1="{sy(start.value):.1f}" x2="{sx(target.year):.1f}" '
            f'y2="{sy(target.value):.1f}" stroke="{MUTED}" stroke-dasharray="4 3"/>'
        )
    line = [p for p in ([baseline] if baseline else []) + actuals]
    if len(line) > 1:
        path = " ".join(f"{sx(p.year):.1f},{sy(p.value):.1f}" for p in line)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    if baseline:
        x, y = sx(baseline.year), sy(baseline.value)
        parts.append(
            f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{MUTED}">'
            f"<title>{escape(labels['baseline'])} {baseline.year}: {escape(baseline.text or _fmt(baseline.value))}</title></rect>"
        )
    for p in actuals:
        parts.append(
            f'<circle cx="{sx(p.year):.1f}" cy="{sy(p.value):.1f}" r="4" fill="{BAR}">'
            f"<title>{escape(labels['actual'])} {p.year}: {escape(p.text or _fmt(p.value))}</title></circle>"
        )
    if target:
        parts.append(
            f'<circle cx="{sx(target.year):.1f}" cy="{sy(target.value):.1f}" r="6" fill="none" stroke="{GRADE_COLOURS["A"]}" '
            f'stroke-width="2.5"><title>{escape(labels["target"])} {target.year}: {escape(target.text or _fmt(target.value))}'
            f"</title></circle>"
        )
    return _frame(width, height, title, desc, "".join(parts))


def _ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    step = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(step)) if step > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    start = math.ceil(lo / step) * step
    out = []
    v = start
    while v <= hi + 1e-9:
        out.append(round(v, 10))
        v += step
    return out
