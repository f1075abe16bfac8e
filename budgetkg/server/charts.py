"""Charts as server-side SVG: horizontal bars and stacked bars, no JavaScript and no CDN.

Every label is XML-escaped; bar lengths are proportional to the values, on a scale from zero."""

from decimal import Decimal, InvalidOperation

from markupsafe import Markup, escape

COLOURS = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#718096"]
ROW, GAP, LABEL_CHAR, VALUE_WIDTH, BAR_WIDTH = 22, 6, 13, 90, 360


def number(value):
    """A Decimal from a number or numeric string; None if it is not one."""
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def fmt(value):
    """A number for tables and labels: thousands separators and every digit (amounts are exact)."""
    value = number(value)
    if value is None:
        return ""
    return f"{value:,f}"


def label_width(labels):
    """Width of the label column for these labels (CJK characters are wide)."""
    longest = max((sum(2 if ord(c) > 0x2E80 else 1 for c in str(text)) for text in labels), default=4)
    return min(320, max(60, longest * LABEL_CHAR // 2 + 12))


def svg(width, height, title, body):
    """Wrap chart elements in an accessible <svg> element."""
    return Markup(f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
                  f'<title>{escape(title)}</title>{body}</svg>')


def bar_chart(bars, title, unit="万元"):
    """Horizontal bars for [(label, value)], largest scale = largest value; None when nothing to draw."""
    bars = [(str(label), number(value)) for label, value in bars]
    bars = [(label, value) for label, value in bars if value is not None]
    if not bars:
        return None
    left = label_width(label for label, _ in bars)
    top = 26
    peak = max((value for _, value in bars), default=Decimal(0))
    scale = BAR_WIDTH / float(peak) if peak > 0 else 0
    parts = [f'<text x="0" y="16" class="chart-title">{escape(title)} ({escape(unit)})</text>']
    for index, (label, value) in enumerate(bars):
        y = top + index * (ROW + GAP)
        length = max(0.0, float(value) * scale)
        parts.append(f'<g class="bar"><title>{escape(label)}: {escape(fmt(value))} {escape(unit)}</title>'
                     f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
                     f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{ROW}" fill="{COLOURS[0]}"/>'
                     f'<text x="{left + length + 4:.1f}" y="{y + 15}">{escape(fmt(value))}</text></g>')
    height = top + len(bars) * (ROW + GAP)
    return svg(left + BAR_WIDTH + VALUE_WIDTH, height, title, "".join(parts))


def stacked_chart(rows, series, title, unit="万元"):
    """One stacked bar per row: rows = [(label, {series name: value})], series = names in stacking order."""
    rows = [(str(label), {name: number(parts.get(name)) or Decimal(0) for name in series}) for label, parts in rows]
    rows = [(label, parts) for label, parts in rows if any(parts.values())]
    if not rows:
        return None
    left = label_width(label for label, _ in rows)
    top = 46
    peak = max(sum(parts.values()) for _, parts in rows)
    scale = BAR_WIDTH / float(peak) if peak > 0 else 0
    parts_svg = [f'<text x="0" y="16" class="chart-title">{escape(title)} ({escape(unit)})</text>']
    x = left
    for index, name in enumerate(series):
        parts_svg.append(f'<rect x="{x}" y="24" width="12" height="12" fill="{COLOURS[index % len(COLOURS)]}"/>'
                         f'<text x="{x + 16}" y="34">{escape(name)}</text>')
        x += 28 + len(name) * LABEL_CHAR
    for row_index, (label, values) in enumerate(rows):
        y = top + row_index * (ROW + GAP)
        parts_svg.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        x = float(left)
        for index, name in enumerate(series):
            length = max(0.0, float(values[name]) * scale)
            parts_svg.append(f'<rect class="segment" x="{x:.1f}" y="{y}" width="{length:.1f}" height="{ROW}" '
                             f'fill="{COLOURS[index % len(COLOURS)]}"><title>{escape(label)} · {escape(name)}: '
                             f'{escape(fmt(values[name]))} {escape(unit)}</title></rect>')
            x += length
        parts_svg.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{escape(fmt(sum(values.values())))}</text>')
    height = top + len(rows) * (ROW + GAP)
    return svg(left + BAR_WIDTH + VALUE_WIDTH, height, title, "".join(parts_svg))
