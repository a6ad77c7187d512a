"""Growth charts as SVG drawn on the server (no script, nothing from another host): the child's measurements
over the WHO median and ±2 SD curves of the same reference the z-scores use."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from markupsafe import Markup

from parent.domain.growth import GrowthPoint, GrowthStandard

WIDTH, HEIGHT, PAD = 360, 240, 36
DAYS_PER_MONTH = 30.4375
CURVE_COLOURS = {-2: "#b45309", 0: "#1d4ed8", 2: "#b45309"}


@dataclass(frozen=True)
class Chart:
    indicator: str  # "hfa" (height, cm) or "wfa" (weight, kg)
    title: str
    unit: str


def _value(point: GrowthPoint, indicator: str) -> float:
    m = point.measurement
    return float(m.height_cm if indicator == "hfa" else m.weight_kg)


def _curves(standard: GrowthStandard, indicator: str, sex: str, months: range) -> dict[int, list[tuple[int, float]]]:
    curves: dict[int, list[tuple[int, float]]] = {}
    for z in CURVE_COLOURS:
        for month in months:
            value = standard.curve_value(indicator, sex=sex, age_days=int(month * DAYS_PER_MONTH), z=z)
            if value is not None:
                curves.setdefault(z, []).append((month, float(value)))
    return curves


def growth_svg(chart: Chart, points: list[GrowthPoint], sex: str, standard: GrowthStandard,
               label_age: str, label_median: str) -> Markup:
    """An accessible SVG line chart; empty markup when there is nothing to draw."""
    if not points:
        return Markup("")
    ages = [p.age_days / DAYS_PER_MONTH for p in points]
    months = range(max(0, int(min(ages)) - 3), int(max(ages)) + 4)
    curves = _curves(standard, chart.indicator, sex, months)
    values = [v for line in curves.values() for _, v in line] + [_value(p, chart.indicator) for p in points]
    low, high = min(values) * 0.97, max(values) * 1.03
    x = _scale(months.start, months.stop - 1, PAD, WIDTH - 8)
    y = _scale(low, high, HEIGHT - PAD, 8)
    parts = [_axes(months, low, high, x, y, chart.unit, label_age)]
    for z, line in curves.items():
        dash = "" if z == 0 else ' stroke-dasharray="5 4"'
        path = " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in line)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{CURVE_COLOURS[z]}" stroke-width="1.5"{dash}/>')
    child_path = " ".join(f"{x(a):.1f},{y(_value(p, chart.indicator)):.1f}" for a, p in zip(ages, points, strict=True))
    parts.append(f'<polyline points="{child_path}" fill="none" stroke="#047857" stroke-width="2.5"/>')
    parts += [f'<circle cx="{x(a):.1f}" cy="{y(_value(p, chart.indicator)):.1f}" r="4" fill="#047857">'
              f'<title>{p.measurement.measured_on.isoformat()}: {_value(p, chart.indicator):g} {escape(chart.unit)}'
              f'</title></circle>' for a, p in zip(ages, points, strict=True)]
    legend = escape(f"{label_median} (WHO), ±2 SD")
    return Markup(f'<svg class="growth-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
                  f'aria-labelledby="chart-{chart.indicator}-title" xmlns="http://www.w3.org/2000/svg">'
                  f'<title id="chart-{chart.indicator}-title">{escape(chart.title)}</title>'
                  f'<desc>{legend}</desc>{"".join(parts)}</svg>')


def _scale(lo: float, hi: float, out_lo: float, out_hi: float):  # noqa: ANN202 - a small closure
    span = (hi - lo) or 1.0
    return lambda v: out_lo + (float(v) - lo) / span * (out_hi - out_lo)


def _axes(months: range, low: float, high: float, x, y, unit: str, label_age: str) -> str:  # noqa: ANN001
    lines = [f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - 8}" y2="{HEIGHT - PAD}" stroke="#374151"/>',
             f'<line x1="{PAD}" y1="8" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#374151"/>']
    step = max(1, len(months) // 6)
    for month in months[::step]:
        lines.append(f'<text x="{x(month):.1f}" y="{HEIGHT - PAD + 14}" font-size="10" text-anchor="middle" '
                     f'fill="#374151">{month}</text>')
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * fraction
        lines.append(f'<text x="{PAD - 4}" y="{y(value) + 3:.1f}" font-size="10" text-anchor="end" '
                     f'fill="#374151">{value:.0f}</text>')
    lines.append(f'<text x="{(PAD + WIDTH) / 2:.0f}" y="{HEIGHT - 4}" font-size="10" text-anchor="middle" '
                 f'fill="#374151">{escape(label_age)}</text>')
    lines.append(f'<text x="10" y="{HEIGHT / 2:.0f}" font-size="10" text-anchor="middle" fill="#374151" '
                 f'transform="rotate(-90 10 {HEIGHT / 2:.0f})">{escape(unit)}</text>')
    return "".join(lines)


def z_text(z: Decimal | None) -> str:
    return "—" if z is None else f"{z:+.2f}"
