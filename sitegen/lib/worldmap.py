"""Static SVG maps of countries, drawn at build time.

`country_map` draws the countries a page marks (partner countries, say) and
an optional home country as inline SVG. Nothing is fetched: the outlines ship
in ``sitegen/lib/world/countries.json`` (Natural Earth 1:50m, public domain,
simplified by ``tools/world_map_data.py``; see ``sitegen/lib/world/README.md``).

Choices:

* Projection: Equal Earth (Šavrič, Patterson and Jenny, 2018). It keeps areas
  true, so Russia does not swallow its neighbours as on Mercator, while the
  shapes of countries stay familiar. y grows downwards, as in SVG.
* Crop: the map shows the marked countries and the home country, not the
  whole world. Each of them counts with its largest polygon (mainland France,
  not French Guiana), and a country larger than `MAX_SPAN` both ways counts
  only with a box of that size around its label point, so that Russia, say,
  does not pull the map out to Chukotka. A crop that is too small, too tall
  or too flat is widened to `MIN_WIDTH_DEGREES` and to an aspect ratio
  between `MIN_ASPECT` and `MAX_ASPECT`, a margin is added, and the result is
  scaled to `WIDTH` units across. Every label point lies inside the crop.
* Only the countries whose outlines reach into the crop are drawn, clipped
  to it, with coordinates rounded to a tenth of a unit and written as
  relative path commands; islands too small to see are left out.
* Styling is by class only (``land``, ``marked``, ``home``, ``dot``), with no
  ``style`` attribute or element, so a strict Content Security Policy holds.
  Each marked country also gets a dot at its label point, so that a country
  too small to see at the map's scale can still be found.

The output depends only on the arguments: the same input gives the same bytes.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

DATA_FILE = Path(__file__).resolve().parent / "world" / "countries.json"

WIDTH = 1000.0  # viewBox width in user units
MAX_SPAN = (60.0, 30.0)  # degrees of longitude and latitude; see _focus
MIN_WIDTH_DEGREES = 24.0  # the narrowest crop, in degrees of longitude at the equator
MAX_ASPECT = 2.2  # width / height beyond which the crop is made taller
MIN_ASPECT = 1.0  # width / height below which the crop is made wider
MARGIN = 0.04  # of the crop's width, added on every side
MIN_RING_AREA = 1.0  # square units; smaller rings of unmarked countries are left out
DOT_RADIUS = 6.0

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

# Equal Earth constants.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2

Point = tuple[float, float]
Ring = list[Point]
Box = tuple[float, float, float, float]  # min x, min y, max x, max y


def project(lon: float, lat: float) -> Point:
    """Equal Earth projection of a point in degrees; (0, 0) maps to (0, 0), north is up."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return (x, -y)


@dataclass(frozen=True)
class Country:
    code: str
    polygons: tuple[tuple[Ring, ...], ...]  # projected; the first ring of each is the outer one
    boxes: tuple[Box, ...]  # projected bounding box of each polygon
    label: Point  # projected label point
    focus: Box  # projected part that counts for the crop
    area: float  # projected area, for drawing order


def _decode_ring(values: list[int]) -> Ring:
    """Undo the file's ring encoding: hundredths of a degree, deltas after the first point."""
    lon, lat = values[0], values[1]
    ring = [(lon / 100, lat / 100)]
    for i in range(2, len(values), 2):
        lon += values[i]
        lat += values[i + 1]
        ring.append((lon / 100, lat / 100))
    return ring


def _box(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _intersects(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _area(ring: Ring) -> float:
    """Unsigned shoelace area of a ring (closed or not)."""
    total = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))
    return abs(total) / 2


def _projected_box(lon_min: float, lat_min: float, lon_max: float, lat_max: float) -> Box:
    """Projected bounding box of a longitude/latitude box, from points along its edges."""
    steps = 16
    points = []
    for i in range(steps + 1):
        lon = lon_min + (lon_max - lon_min) * i / steps
        lat = lat_min + (lat_max - lat_min) * i / steps
        points += [project(lon, lat_min), project(lon, lat_max), project(lon_min, lat), project(lon_max, lat)]
    if lat_min < 0 < lat_max:
        points += [project(lon_min, 0), project(lon_max, 0)]
    return _box(points)


def _focus(outer: Ring, label: Point) -> Box:
    """The part of a country that counts for the crop: its largest polygon's
    bounding box, or, if that box exceeds `MAX_SPAN` both ways (Russia,
    Canada, China; not Chile or Brazil), a box of `MAX_SPAN` around the label
    point, kept within the bounding box."""
    lon_min, lat_min, lon_max, lat_max = _box(outer)
    if lon_max - lon_min > MAX_SPAN[0] and lat_max - lat_min > MAX_SPAN[1]:
        half_lon, half_lat = MAX_SPAN[0] / 2, MAX_SPAN[1] / 2
        lon_min, lon_max = max(lon_min, label[0] - half_lon), min(lon_max, label[0] + half_lon)
        lat_min, lat_max = max(lat_min, label[1] - half_lat), min(lat_max, label[1] + half_lat)
    return _projected_box(lon_min, lat_min, lon_max, lat_max)


def _load_country(code: str, entry: dict) -> Country:
    rings_in_degrees = [[_decode_ring(ring) for ring in polygon] for polygon in entry["polygons"]]
    polygons = tuple(tuple([project(*p) for p in ring] for ring in polygon) for polygon in rings_in_degrees)
    label = (float(entry["label"][0]), float(entry["label"][1]))
    return Country(
        code=code,
        polygons=polygons,
        boxes=tuple(_box(polygon[0]) for polygon in polygons),
        label=project(*label),
        focus=_focus(rings_in_degrees[0][0], label),
        area=sum(_area(polygon[0]) for polygon in polygons),
    )


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {code: _load_country(code, entry) for code, entry in sorted(data.items())}


def known_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes the shipped map data can draw."""
    return frozenset(_countries())


def _crop(focus: list[Country]) -> Box:
    """The projected box the map shows: see the module docstring."""
    if focus:
        box = focus[0].focus
        for country in focus[1:]:
            box = _union(box, country.focus)
    else:
        box = _projected_box(-180, -58, 180, 84)
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width = max(x1 - x0, project(MIN_WIDTH_DEGREES, 0)[0])
    height = y1 - y0
    height = max(height, width / MAX_ASPECT)
    width = max(width, height * MIN_ASPECT)
    margin = width * MARGIN
    width, height = width + 2 * margin, height + 2 * margin
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def _clip(ring: Ring, box: Box) -> Ring:
    """Sutherland–Hodgman clipping of a ring (closed or not) to a box; returns an open ring."""
    points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
    for axis, edge, keep_below in ((0, box[0], False), (0, box[2], True), (1, box[1], False), (1, box[3], True)):
        if not points:
            break
        out: Ring = []
        for a, b in zip(points, points[1:] + points[:1]):
            a_in = a[axis] <= edge if keep_below else a[axis] >= edge
            b_in = b[axis] <= edge if keep_below else b[axis] >= edge
            if a_in:
                out.append(a)
            if a_in != b_in:
                t = (edge - a[axis]) / (b[axis] - a[axis])
                out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
        points = out
    return points


class _Frame:
    """Maps projected coordinates into the viewBox, in whole tenths of a unit."""

    def __init__(self, crop: Box) -> None:
        self.x0, self.y0 = crop[0], crop[1]
        self.scale = WIDTH / (crop[2] - crop[0])
        self.height = (crop[3] - crop[1]) * self.scale
        # Clip a little outside the viewBox, so that the edges clipping makes stay hidden.
        pad = 4 / self.scale
        self.clip_box = (crop[0] - pad, crop[1] - pad, crop[2] + pad, crop[3] + pad)

    def tenths(self, point: Point) -> tuple[int, int]:
        return (round((point[0] - self.x0) * self.scale * 10), round((point[1] - self.y0) * self.scale * 10))


def _number(tenths: int) -> str:
    """A coordinate in tenths as the shortest decimal: 120 -> "12", -5 -> "-.5"."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{tenth}"


def _numbers(values: list[int]) -> str:
    """Numbers for a path, separated by a space unless a minus sign does it."""
    out = []
    for i, value in enumerate(values):
        text = _number(value)
        if i and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


def _ring_path(points: list[tuple[int, int]]) -> str:
    """One closed ring as ``M x y l dx dy ... z``."""
    deltas: list[int] = []
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        deltas += [x1 - x0, y1 - y0]
    return f"M{_numbers(list(points[0]))}l{_numbers(deltas)}z"


def _country_path(country: Country, frame: _Frame, keep_small: bool) -> str:
    """Path data for the parts of a country inside the frame ("" if none)."""
    parts = []
    min_area = 0.0 if keep_small else MIN_RING_AREA * 100  # in square tenths
    for polygon, box in zip(country.polygons, country.boxes):
        if not _intersects(box, frame.clip_box):
            continue
        inside = box[0] >= frame.clip_box[0] and box[2] <= frame.clip_box[2]
        inside = inside and box[1] >= frame.clip_box[1] and box[3] <= frame.clip_box[3]
        for index, ring in enumerate(polygon):
            clipped = ring if inside else _clip(ring, frame.clip_box)
            points = []
            for point in map(frame.tenths, clipped):
                if not points or points[-1] != point:
                    points.append(point)
            while len(points) > 1 and points[-1] == points[0]:
                points.pop()
            if len(points) < 3 or _area(points) <= min_area:
                if index == 0:
                    break  # without its outer ring, a polygon's holes go too
                continue
            parts.append(_ring_path(points))
    return "".join(parts)


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>" if text else ""


def country_map(
    marked: dict[str, str],
    *,
    home: str | None = None,
    home_label: str = "",
    title: str,
    description: str,
    id_prefix: str = "map",
) -> tuple[str, list[str]]:
    """Draw the `marked` countries (ISO 3166-1 alpha-2 code -> short label) and `home`.

    Returns the SVG markup, ready to put inline in an HTML page, and the codes
    the map data does not know (sorted; an unknown `home` is listed too). Those
    are left off the map. `title` and `description` become the SVG's
    accessible name and description; `id_prefix` makes their ids unique on
    the page. Marked countries carry class ``marked``, the home country
    ``home``, the rest ``land``; each marked country's label shows as a
    tooltip on it and on its dot (class ``dot``).
    """
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter followed by letters, digits, '-' or '_': {id_prefix!r}")
    countries = _countries()
    missing = sorted(code for code in marked if code not in countries)
    if home is not None and home not in countries:
        missing.append(home)
        home = None
    shown = {code: label for code, label in sorted(marked.items()) if code in countries}
    focus = [countries[code] for code in sorted(shown.keys() | ({home} if home else set()))]
    frame = _Frame(_crop(focus))

    paths = []
    for country in sorted(countries.values(), key=lambda c: (-c.area, c.code)):
        classes = [name for name, on in (("marked", country.code in shown), ("home", country.code == home)) if on]
        d = _country_path(country, frame, keep_small=bool(classes))
        if not d:
            continue
        if not classes:
            paths.append(f'<path class="land" d="{d}"/>')
            continue
        label = shown.get(country.code) or (home_label if country.code == home else "")
        paths.append(
            f'<path class="{" ".join(classes)}" data-country="{country.code}" d="{d}">{_title(label)}</path>'
            if label
            else f'<path class="{" ".join(classes)}" data-country="{country.code}" d="{d}"/>'
        )

    dots = []
    for code, label in shown.items():
        cx, cy = frame.tenths(countries[code].label)
        dots.append(
            f'<circle class="dot" data-country="{code}" cx="{_number(cx)}" cy="{_number(cy)}" '
            f'r="{DOT_RADIUS:g}">{_title(label)}</circle>'
        )

    ids = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{ids[0]} {ids[1]}" '
        f'viewBox="0 0 {WIDTH:g} {_number(round(frame.height * 10))}" class="world-map">'
        f'<title id="{ids[0]}">{escape(title)}</title><desc id="{ids[1]}">{escape(description)}</desc>'
        + "".join(paths)
        + "".join(dots)
        + "</svg>"
    )
    return svg, missing
