"""Charts rendered on the server as inline SVG (no script, no CDN): bars, and a map of the 22 aimags.

The map is schematic: each first-level unit is a circle at the approximate position of its centre
(``reference/aimag_positions.csv``), shaded by the value shown; no boundary data is shipped.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

POSITIONS = Path(__file__).resolve().parents[1] / "reference" / "aimag_positions.csv"
WEST, EAST, SOUTH, NORTH = 87.5, 120.0, 41.5, 52.2


@dataclass(frozen=True)
class Place:
    code: str
    name_mn: str
    name_en: str
    lon: float
    lat: float


@cache
def places() -> tuple[Place, ...]:
    with POSITIONS.open(encoding="utf-8") as handle:
        return tuple(Place(r["nso_code"], r["name_mn"], r["name_en"], float(r["lon"]), float(r["lat"]))
                     for r in csv.DictReader(handle))


def bar_chart(title: str, bars: Sequence[tuple[str, float | None]], unit: str = "") -> Markup:
    """Horizontal bars; a missing value is drawn as an empty bar labelled "–"."""
    width, row, label_w = 560, 22, 150
    top = max((v for _, v in bars if v is not None), default=0) or 1
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {row * len(bars) + 8}" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(bars):
        y = i * row + 4
        length = 0 if value is None else (width - label_w - 70) * value / top
        text = "–" if value is None else f"{value:g}{unit}"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" class="chart-label">{escape(label)}'
                     f'</text><rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{row - 6}" '
                     f'class="chart-bar"/><text x="{label_w + length + 4:.1f}" y="{y + 14}" '
                     f'class="chart-value">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _xy(place: Place, width: int, height: int) -> tuple[float, float]:
    return ((place.lon - WEST) / (EAST - WEST) * width, (NORTH - place.lat) / (NORTH - SOUTH) * height)


def aimag_map(title: str, values: Mapping[str, float | None], links: Mapping[str, str], lang: str) -> Markup:
    """Circles per aimag shaded by value (darker = higher); each links to that aimag's page when known."""
    width, height = 640, 360
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    parts = [f'<svg class="map" role="img" viewBox="0 0 {width} {height}" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
             f'<rect width="{width}" height="{height}" class="map-bg" rx="12"/>']
    for place in places():
        parts.append(_marker(place, values.get(place.code), low, high, links.get(place.code), lang, width, height))
    parts.append("</svg>")
    return Markup("".join(parts))


def _marker(place: Place, value: float | None, low: float, high: float, link: str | None, lang: str,
            width: int, height: int) -> str:
    x, y = _xy(place, width, height)
    name = place.name_mn if lang == "mn" else place.name_en
    share = 0.0 if value is None or high == low else (value - low) / (high - low)
    shade = "none" if value is None else f"rgba(1,81,151,{0.25 + 0.75 * share:.2f})"
    label = f"{name}: {'–' if value is None else f'{value:g}'}"
    circle = (f'<circle cx="{x:.0f}" cy="{y:.0f}" r="16" fill="{shade}" class="map-dot" data-code="{place.code}">'
              f'<title>{escape(label)}</title></circle><text x="{x:.0f}" y="{y + 30:.0f}" text-anchor="middle" '
              f'class="map-label">{escape(name)}</text>')
    return f'<a href="{escape(link)}">{circle}</a>' if link else circle
