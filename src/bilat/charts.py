"""Charts of the briefing and the explorer as plain SVG, written here.

Why SVG by hand rather than a plotting library: the charts are a timeline of marks and a bar chart, which need no
more than rectangles, circles and polygons; SVG opens offline in any browser, embeds in HTML and Markdown alike,
runs no script (so text from articles cannot execute in it), and every mark carries a <title> that browsers show
on hover. Text is escaped by construction: every string goes through `_esc`.
"""
from __future__ import annotations

import datetime as dt
from html import escape

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_COLOURS = {1: "#2b8cbe", 2: "#1a9850", 3: "#fdae61", 4: "#d73027"}
STATUS_SHAPES = {"occurred": "circle", "planned": "triangle", "possible": "diamond", "negated": "cross"}


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _day(date: str) -> dt.date:
    parts = [int(p) for p in date.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _shape(shape: str, x: float, y: float, colour: str, r: float = 6) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}" fill-opacity="0.8"/>'
    if shape == "triangle":
        pts = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y + r:.1f} {x - r:.1f},{y + r:.1f}"
        return f'<polygon points="{pts}" fill="white" stroke="{colour}" stroke-width="2"/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="white" stroke="{colour}" stroke-width="2" stroke-dasharray="2,1"/>'
    return (f'<path d="M{x - r:.1f},{y - r:.1f} L{x + r:.1f},{y + r:.1f} M{x - r:.1f},{y + r:.1f} '
            f'L{x + r:.1f},{y - r:.1f}" stroke="{colour}" stroke-width="2"/>')


def timeline_svg(events: list[dict], width: int = 900) -> str:
    """Dated events on a time axis, one row per quad class: colour by class, shape by status, the date, summary
    and first sentence on hover. Each mark is a <g class="mark" data-event-id=...>."""
    dated = [e for e in events if e.get("date")]
    row_h, top, left, right = 42, 24, 150, 20
    height = top + 4 * row_h + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="Timeline of {len(dated)} dated events">']
    for q in range(1, 5):
        y = top + (q - 0.5) * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                     f'font-family="sans-serif">{_esc(QUAD_NAMES[q])}</text>')
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
    if dated:
        days = [_day(e["date"]) for e in dated]
        first, last = min(days), max(days)
        span = max((last - first).days, 1)
        first -= dt.timedelta(days=span // 20 + 1)
        last += dt.timedelta(days=span // 20 + 1)
        span = (last - first).days

        def x_of(day: dt.date) -> float:
            return left + (day - first).days / span * (width - left - right)

        for year in range(first.year, last.year + 2):
            tick = dt.date(year, 1, 1)
            if first <= tick <= last and (last.year - first.year < 40 or year % 5 == 0):
                x = x_of(tick)
                parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + 4 * row_h}" stroke="#eee"/>')
                parts.append(f'<text x="{x:.1f}" y="{top + 4 * row_h + 16}" text-anchor="middle" font-size="11" '
                             f'font-family="sans-serif">{year}</text>')
        placed: dict[tuple[int, int], int] = {}
        for e, day in sorted(zip(dated, days), key=lambda p: (p[1], p[0]["event_id"])):
            x = x_of(day)
            slot = (e["quad_class"], round(x / 6))
            jitter = placed.get(slot, 0)
            placed[slot] = jitter + 1
            y = top + (e["quad_class"] - 0.5) * row_h + ((jitter % 5) - 2) * 5
            sentence = e["mentions"][0]["sentence"] if e.get("mentions") else ""
            tip = f"{e['date']} ({e['status']}): {e['summary']}. \u201c{sentence}\u201d"
            parts.append(f'<g class="mark status-{_esc(e["status"])}" data-event-id="{_esc(e["event_id"])}">'
                         f'<title>{_esc(tip)}</title>'
                         f'{_shape(STATUS_SHAPES.get(e["status"], "circle"), x, y, QUAD_COLOURS[e["quad_class"]])}'
                         f'</g>')
    lx = left
    for status, shape in STATUS_SHAPES.items():
        parts.append(_shape(shape, lx + 6, height - 10, "#555", r=5))
        parts.append(f'<text x="{lx + 16}" y="{height - 6}" font-size="11" font-family="sans-serif">'
                     f'{_esc(status)}</text>')
        lx += 90
    parts.append("</svg>")
    return "".join(parts)


def _every_month(rows: list[dict], most: int = 240) -> list[dict]:
    """Monthly rows with the months between them that had no event, so the bars keep time's proportions (up to
    `most` months; a longer span is drawn as given)."""
    if not rows or any(len(r["period"]) != 7 for r in rows):
        return rows
    first, last = rows[0]["period"], rows[-1]["period"]
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    if span > most:
        return rows
    have = {r["period"]: r for r in rows}
    out = []
    for k in range(span):
        year, month = divmod(int(first[:4]) * 12 + int(first[5:]) - 1 + k, 12)
        period = f"{year:04d}-{month + 1:02d}"
        out.append(have.get(period) or {"period": period, "events": 0, "occurred": 0, "goldstein_sum": 0.0,
                                        "goldstein_mean": None})
    return out


def index_svg(rows: list[dict], width: int = 900) -> str:
    """The relations index per period: a bar of the Goldstein sum of occurred events (up for cooperation, down
    for conflict), the period's figures on hover. Each bar is a <rect class="bar">."""
    rows = _every_month(rows)
    height, top, bottom, left, right = 220, 16, 40, 50, 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart index" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="Relations index, {len(rows)} periods">']
    biggest = max([abs(r["goldstein_sum"]) for r in rows] + [1.0])
    mid = top + (height - top - bottom) / 2
    half = (height - top - bottom) / 2
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{mid:.1f}" y2="{mid:.1f}" stroke="#999"/>')
    parts.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="10" '
                 f'font-family="sans-serif">+{biggest:g}</text>')
    parts.append(f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="10" '
                 f'font-family="sans-serif">-{biggest:g}</text>')
    step = (width - left - right) / max(len(rows), 1)
    for k, r in enumerate(rows):
        value = r["goldstein_sum"]
        h = abs(value) / biggest * half
        y = mid - h if value >= 0 else mid
        colour = "#1a9850" if value >= 0 else "#d73027"
        mean = "" if r["goldstein_mean"] is None else f", mean {r['goldstein_mean']:g}"
        tip = f"{r['period']}: {r['events']} events, {r['occurred']} occurred, Goldstein sum {value:g}{mean}"
        if r["events"]:  # a month without events has no bar, only its place on the axis
            parts.append(f'<rect class="bar" x="{left + k * step + 1:.1f}" y="{y:.1f}" '
                         f'width="{max(step - 2, 1):.1f}" height="{max(h, 1):.1f}" fill="{colour}">'
                         f'<title>{_esc(tip)}</title></rect>')
        if len(rows) <= 24 or k % max(len(rows) // 12, 1) == 0:
            parts.append(f'<text x="{left + (k + 0.5) * step:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                         f'font-size="10" font-family="sans-serif">{_esc(r["period"])}</text>')
    parts.append("</svg>")
    return "".join(parts)
