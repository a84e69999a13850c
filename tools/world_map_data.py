"""Build sitegen/lib/world/countries.json from Natural Earth country outlines.

Source: the npm package ``world-atlas@2.0.2`` (Mike Bostock's TopoJSON
redistribution of Natural Earth 4.1.0, Admin 0 countries, 1:50m). Natural
Earth data is in the public domain. The package is not a dependency of the
project; fetch it into a scratch folder and point this script at it:

    mkdir -p /tmp/wa && cd /tmp/wa && npm init -y && npm install world-atlas@2.0.2
    cd /path/to/the/repository
    python3 tools/world_map_data.py /tmp/wa/node_modules/world-atlas/countries-50m.json

It needs only the Python standard library and writes
``sitegen/lib/world/countries.json`` (see ``sitegen/lib/world/README.md`` for the
format). Run it again only to change the source data or the settings below;
the output is deterministic, so an unchanged input gives the same bytes.

What it does:

1. decodes the TopoJSON: arcs are quantized and delta-encoded, and the
   ``transform`` turns the integers back into degrees;
2. simplifies every arc once (Douglas–Peucker, ``TOLERANCE`` degrees), so
   neighbouring countries keep exactly the same border and no slivers or
   gaps appear between them;
3. keys outlines by ISO 3166-1 alpha-2 code (world-atlas uses the numeric
   code; the table below was generated once from the ISO 3166 list; see
   ``NAME_TO_ALPHA2`` and ``REASSIGNED`` for the outlines it treats apart),
   and joins the outlines of one country that touch (removing the border
   between them);
4. assembles the polygons, cutting any that cross the antimeridian (Russia's
   Chukotka, Fiji) into pieces within -180°..180° and closing Antarctica
   along the South Pole; rounds to hundredths of a degree, orients outer
   rings counter-clockwise and holes clockwise (in longitude/latitude), and
   drops islands and holes smaller than ``MIN_AREA`` unless the polygon is
   the country's largest (a country that simplification would erase keeps
   its full outline);
5. computes a label point for each country: the pole of inaccessibility of
   its largest polygon, the inside point farthest from its edges.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import json
import math
import sys
from pathlib import Path

TOLERANCE = 0.05  # degrees; Douglas–Peucker tolerance for every arc
MIN_AREA = 0.01  # square degrees (scaled by cos(latitude)); smaller islands and holes go
LABEL_PRECISION = 0.02  # degrees; how close the label point is to the true optimum

OUTPUT = Path(__file__).resolve().parent.parent / "sitegen" / "world" / "countries.json"

# ISO 3166-1 numeric -> alpha-2, for the ids that occur in world-atlas 2.0.2.
NUMERIC_TO_ALPHA2 = {
    "004": "AF", "008": "AL", "010": "AQ", "012": "DZ", "016": "AS", "020": "AD",
    "024": "AO", "028": "AG", "031": "AZ", "032": "AR", "036": "AU", "040": "AT",
    "044": "BS", "048": "BH", "050": "BD", "051": "AM", "052": "BB", "056": "BE",
    "060": "BM", "064": "BT", "068": "BO", "070": "BA", "072": "BW", "076": "BR",
    "084": "BZ", "086": "IO", "090": "SB", "092": "VG", "096": "BN", "100": "BG",
    "104": "MM", "108": "BI", "112": "BY", "116": "KH", "120": "CM", "124": "CA",
    "132": "CV", "136": "KY", "140": "CF", "144": "LK", "148": "TD", "152": "CL",
    "156": "CN", "158": "TW", "170": "CO", "174": "KM", "178": "CG", "180": "CD",
    "184": "CK", "188": "CR", "191": "HR", "192": "CU", "196": "CY", "203": "CZ",
    "204": "BJ", "208": "DK", "212": "DM", "214": "DO", "218": "EC", "222": "SV",
    "226": "GQ", "231": "ET", "232": "ER", "233": "EE", "234": "FO", "238": "FK",
    "239": "GS", "242": "FJ", "246": "FI", "248": "AX", "250": "FR", "258": "PF",
    "260": "TF", "262": "DJ", "266": "GA", "268": "GE", "270": "GM", "275": "PS",
    "276": "DE", "288": "GH", "296": "KI", "300": "GR", "304": "GL", "308": "GD",
    "316": "GU", "320": "GT", "324": "GN", "328": "GY", "332": "HT", "334": "HM",
    "336": "VA", "340": "HN", "344": "HK", "348": "HU", "352": "IS", "356": "IN",
    "360": "ID", "364": "IR", "368": "IQ", "372": "IE", "376": "IL", "380": "IT",
    "384": "CI", "388": "JM", "392": "JP", "398": "KZ", "400": "JO", "404": "KE",
    "408": "KP", "410": "KR", "414": "KW", "417": "KG", "418": "LA", "422": "LB",
    "426": "LS", "428": "LV", "430": "LR", "434": "LY", "438": "LI", "440": "LT",
    "442": "LU", "446": "MO", "450": "MG", "454": "MW", "458": "MY", "462": "MV",
    "466": "ML", "470": "MT", "478": "MR", "480": "MU", "484": "MX", "492": "MC",
    "496": "MN", "498": "MD", "499": "ME", "500": "MS", "504": "MA", "508": "MZ",
    "512": "OM", "516": "NA", "520": "NR", "524": "NP", "528": "NL", "531": "CW",
    "533": "AW", "534": "SX", "540": "NC", "548": "VU", "554": "NZ", "558": "NI",
    "562": "NE", "566": "NG", "570": "NU", "574": "NF", "578": "NO", "580": "MP",
    "583": "FM", "584": "MH", "585": "PW", "586": "PK", "591": "PA", "598": "PG",
    "600": "PY", "604": "PE", "608": "PH", "612": "PN", "616": "PL", "620": "PT",
    "624": "GW", "626": "TL", "630": "PR", "634": "QA", "642": "RO", "643": "RU",
    "646": "RW", "652": "BL", "654": "SH", "659": "KN", "660": "AI", "662": "LC",
    "663": "MF", "666": "PM", "670": "VC", "674": "SM", "678": "ST", "682": "SA",
    "686": "SN", "688": "RS", "690": "SC", "694": "SL", "702": "SG", "703": "SK",
    "704": "VN", "705": "SI", "706": "SO", "710": "ZA", "716": "ZW", "724": "ES",
    "728": "SS", "729": "SD", "732": "EH", "740": "SR", "748": "SZ", "752": "SE",
    "756": "CH", "760": "SY", "762": "TJ", "764": "TH", "768": "TG", "776": "TO",
    "780": "TT", "784": "AE", "788": "TN", "792": "TR", "795": "TM", "796": "TC",
    "800": "UG", "804": "UA", "807": "MK", "818": "EG", "826": "GB", "831": "GG",
    "832": "JE", "833": "IM", "834": "TZ", "840": "US", "850": "VI", "854": "BF",
    "858": "UY", "860": "UZ", "862": "VE", "876": "WF", "882": "WS", "887": "YE",
    "894": "ZM",
}  # fmt: skip

# Outlines without an ISO numeric code. Kosovo has the user-assigned code that
# CLDR (and so Babel) uses. Northern Cyprus and Somaliland have no ISO code and
# are drawn as part of the ISO country they belong to; the Siachen Glacier
# (disputed, uninhabited) is left out. "Indian Ocean Ter." is Christmas Island
# and the Cocos (Keeling) Islands, which ISO codes separately.
NAME_TO_ALPHA2 = {
    "Kosovo": "XK",
    "N. Cyprus": "CY",
    "Somaliland": "SO",
    "Siachen Glacier": None,
}
INDIAN_OCEAN_TERRITORIES = "Indian Ocean Ter."

# Natural Earth draws some borders as controlled on the ground; these follow
# ISO 3166 and the UN instead: (from, to, lon/lat box that holds the polygon).
REASSIGNED = [
    ("RU", "UA", (32.0, 44.0, 37.0, 46.5)),  # Crimea
]

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]
ArcRing = list[int]  # indexes into the topology's arcs; ~i is arc i reversed


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Undo the delta encoding and quantization of every arc, giving degrees."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Keep the points farther than `tolerance` from the simplified line; ends always stay."""
    if len(points) < 3:
        return list(points)
    if points[0] == points[-1]:
        # A closed loop: split it at the point farthest from its start.
        far = max(range(1, len(points) - 1), key=lambda i: math.dist(points[0], points[i]))
        first = douglas_peucker(points[: far + 1], tolerance)
        return first + douglas_peucker(points[far:], tolerance)[1:]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        best, index = 0.0, -1
        for i in range(start + 1, end):
            distance = _segment_distance(points[i], points[start], points[end])
            if distance > best:
                best, index = distance, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((start, index))
            stack.append((index, end))
    return [p for p, k in zip(points, keep) if k]


def round_line(points: list[Point]) -> list[Point]:
    """Round to hundredths of a degree and drop points that repeat the one before."""
    out: list[Point] = []
    for lon, lat in points:
        p = (round(lon, 2), round(lat, 2))
        if not out or out[-1] != p:
            out.append(p)
    return out


def unwrap(points: list[Point]) -> list[Point]:
    """Shift longitudes by whole turns so that no step is longer than 180°.

    world-atlas keeps lines that cross the antimeridian whole (a step from
    179.9° to -180°); unwrapped, such a line runs on past 180° instead.
    """
    out: list[Point] = []
    for lon, lat in points:
        if out:
            lon += 360 * round((out[-1][0] - lon) / 360)
        out.append((lon, lat))
    return out


def ring_from_arcs(indexes: list[int], arcs: list[list[Point]]) -> Ring:
    """Join unwrapped arcs into one closed ring; a negative index (~i) means arc i reversed.

    Each arc is shifted by whole turns to start where the ring so far ends. A
    ring that goes once around a pole (Antarctica) is closed along that pole.
    """
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        if ring:
            shift = 360 * round((ring[-1][0] - arc[0][0]) / 360)
            ring.extend((lon + shift, lat) for lon, lat in arc[1:])
        else:
            ring.extend(arc)
    ring = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    (first_lon, first_lat), last_lon = ring[0], ring[-1][0]
    if abs(last_lon - first_lon) > 180:
        pole = -90.0 if first_lat < 0 else 90.0
        ring += [(last_lon, pole), (first_lon, pole)]
    ring[-1:] = [ring[0]] if abs(ring[-1][0] - ring[0][0]) < 1e-9 else [ring[-1], ring[0]]
    return ring


def _clip_half_plane(ring: Ring, edge: float, keep_below: bool) -> Ring:
    """Sutherland–Hodgman: the part of a closed ring with lon <= edge (or >= edge)."""

    def inside(p: Point) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    out: Ring = []
    for a, b in itertools.pairwise(ring):
        if inside(a):
            out.append(a)
        if inside(a) != inside(b):
            t = (edge - a[0]) / (b[0] - a[0])
            out.append((edge, round(a[1] + t * (b[1] - a[1]), 2)))
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def split_at_antimeridian(polygon: Polygon) -> list[Polygon]:
    """Cut a polygon whose longitudes run past ±180° into pieces within [-180°, 180°]."""
    lons = [p[0] for p in polygon[0]]
    first, last = math.floor((min(lons) + 180) / 360), math.ceil((max(lons) - 180) / 360)
    if first == 0 and last <= 0:
        return [polygon]
    pieces = []
    for turn in range(first, max(first, last) + 1):
        low, high = 360 * turn - 180, 360 * turn + 180
        piece = []
        for ring in polygon:
            clipped = _clip_half_plane(_clip_half_plane(ring, low, False), high, True)
            if len(clipped) >= 4:
                piece.append([(round(lon - 360 * turn, 2), lat) for lon, lat in clipped])
            elif ring is polygon[0]:
                break
        if piece:
            pieces.append(piece)
    return pieces


def signed_area(ring: Ring) -> float:
    """Shoelace area in square degrees; positive for a counter-clockwise ring."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def scaled_area(ring: Ring) -> float:
    """Absolute area in square degrees, scaled by the cosine of the mean latitude."""
    mean_lat = sum(p[1] for p in ring) / len(ring)
    return abs(signed_area(ring)) * math.cos(math.radians(mean_lat))


def oriented(ring: Ring, counter_clockwise: bool) -> Ring:
    return ring if (signed_area(ring) > 0) == counter_clockwise else ring[::-1]


def _polygon_distance(x: float, y: float, rings: Polygon) -> float:
    """Signed distance from (x, y) to the polygon's edges: positive inside."""
    inside = False
    best = math.inf
    for ring in rings:
        for a, b in itertools.pairwise(ring):
            if (a[1] > y) != (b[1] > y) and x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]:
                inside = not inside
            best = min(best, _segment_distance((x, y), a, b))
    return best if inside else -best


def pole_of_inaccessibility(rings: Polygon, precision: float) -> Point:
    """The inside point farthest from the polygon's edges (the "polylabel" search).

    Longitudes are scaled by the cosine of the middle latitude first, so that
    distances are roughly true on the ground.
    """
    lats = [p[1] for p in rings[0]]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    plane = [[(x * k, y) for x, y in ring] for ring in rings]
    xs, ys = [p[0] for p in plane[0]], [p[1] for p in plane[0]]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    size = min(max_x - min_x, max_y - min_y)
    if size == 0:
        return (round(min_x / k, 2), round(min_y, 2))

    def cell(x: float, y: float, half: float) -> tuple[float, float, float, float, float]:
        d = _polygon_distance(x, y, plane)
        return (-(d + half * math.sqrt(2)), d, x, y, half)

    queue = []
    half = size / 2
    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            heapq.heappush(queue, cell(x + half, y + half, half))
            y += size
        x += size
    best = cell((min_x + max_x) / 2, (min_y + max_y) / 2, 0)
    while queue:
        negative_max, d, x, y, half = heapq.heappop(queue)
        if d > best[1]:
            best = (0.0, d, x, y, 0.0)
        if -negative_max - best[1] <= precision * k:
            continue
        half /= 2
        for cx, cy in ((x - half, y - half), (x + half, y - half), (x - half, y + half), (x + half, y + half)):
            heapq.heappush(queue, cell(cx, cy, half))
    return (round(best[2] / k, 2), round(best[3], 2))


def reassigned(code: str, outer: Ring) -> str:
    """The country a polygon belongs to under `REASSIGNED`."""
    for source, target, (west, south, east, north) in REASSIGNED:
        if code == source and all(west <= lon <= east and south <= lat <= north for lon, lat in outer):
            return target
    return code


def country_parts(topology: dict, arcs: list[list[Point]]) -> dict[str, list[tuple[ArcRing, list[ArcRing]]]]:
    """Each country's polygons as arc indexes (outer ring, holes), keyed by alpha-2 code."""
    countries: dict[str, list[tuple[ArcRing, list[ArcRing]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        if geometry["type"] == "Polygon":
            parts = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            continue
        for part in parts:
            rings = [(indexes, ring_from_arcs(indexes, arcs)) for indexes in part]
            # The largest ring is the outer one. Simplification can flatten a ring
            # to nothing, and world-atlas gives Antarctica a ring of zero area
            # around the pole itself (its coast closes along the pole instead).
            rings = [(indexes, ring) for indexes, ring in rings if len(ring) >= 4 and signed_area(ring) != 0]
            if not rings:
                continue
            rings.sort(key=lambda item: -abs(signed_area(item[1])))
            if "id" in geometry:
                code = NUMERIC_TO_ALPHA2[geometry["id"]]
            elif name == INDIAN_OCEAN_TERRITORIES:
                code = "CX" if rings[0][1][0][0] > 100 else "CC"
            else:
                code = NAME_TO_ALPHA2[name]
            if code is not None:
                code = reassigned(code, rings[0][1])
                countries.setdefault(code, []).append((rings[0][0], [indexes for indexes, _ in rings[1:]]))
    return countries


def _node(point: Point) -> tuple[float, float]:
    """A point as a key, the same on either side of the antimeridian."""
    return (round((point[0] + 180) % 360, 4), round(point[1], 4))


def stitch(rings: list[ArcRing], arcs: list[list[Point]]) -> list[ArcRing] | None:
    """Join rings that share arcs (running opposite ways) into rings without them.

    This removes the border between two outlines that now belong to one
    country (Northern Cyprus and Cyprus, say). None if no arc is shared or the
    remaining arcs do not close into rings.
    """
    directed = [index for ring in rings for index in ring]
    present = set(directed)
    kept = [index for index in directed if ~index not in present]
    if len(kept) == len(directed):
        return None

    def start(index: int) -> tuple[float, float]:
        return _node(arcs[index][0] if index >= 0 else arcs[~index][-1])

    def end(index: int) -> tuple[float, float]:
        return _node(arcs[index][-1] if index >= 0 else arcs[~index][0])

    starts: dict[tuple[float, float], list[int]] = {}
    for index in kept:
        starts.setdefault(start(index), []).append(index)
    unused = dict.fromkeys(kept)
    out = []
    while unused:
        first = next(iter(unused))
        del unused[first]
        ring = [first]
        while end(ring[-1]) != start(first):
            following = [index for index in starts.get(end(ring[-1]), []) if index in unused]
            if not following:
                return None
            del unused[following[0]]
            ring.append(following[0])
        out.append(ring)
    return out


def contains(ring: Ring, point: Point) -> bool:
    """Whether a point lies inside a ring (even-odd rule)."""
    x, y = point
    inside = False
    for a, b in itertools.pairwise(ring):
        if (a[1] > y) != (b[1] > y) and x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]:
            inside = not inside
    return inside


def country_polygons(topology: dict, arcs: list[list[Point]]) -> dict[str, list[Polygon]]:
    """Each country's polygons in degrees, keyed by alpha-2 code; parts that
    touch are merged, and everything is cut at the antimeridian."""
    countries = {}
    for code, parts in country_parts(topology, arcs).items():
        merged = stitch([outer for outer, _ in parts], arcs)
        if merged is None:
            polygons = [[ring_from_arcs(indexes, arcs) for indexes in [outer, *holes]] for outer, holes in parts]
        else:
            polygons = [[ring_from_arcs(outer, arcs)] for outer in merged]
            for hole in (ring_from_arcs(indexes, arcs) for _, holes in parts for indexes in holes):
                for polygon in polygons:
                    if contains(polygon[0], hole[0]):
                        polygon.append(hole)
                        break
        countries[code] = [piece for polygon in polygons for piece in split_at_antimeridian(polygon)]
    return countries


def clean_country(polygons: list[Polygon]) -> list[Polygon]:
    """Orient rings, drop slivers, tiny islands and tiny holes; largest polygon first."""
    usable = [[ring for ring in polygon if len(ring) >= 4] for polygon in polygons]
    usable = [polygon for polygon in usable if polygon and signed_area(polygon[0]) != 0]
    usable.sort(key=lambda polygon: (-scaled_area(polygon[0]), polygon[0]))
    out = []
    for index, (outer, *holes) in enumerate(usable):
        if index > 0 and scaled_area(outer) < MIN_AREA:
            continue
        kept = [oriented(outer, True)]
        kept += [oriented(hole, False) for hole in holes if scaled_area(hole) >= MIN_AREA]
        out.append(kept)
    return out


def build(source: Path) -> dict[str, dict]:
    topology = json.loads(source.read_text(encoding="utf-8"))
    unwrapped = [unwrap(arc) for arc in decode_arcs(topology)]
    simplified = country_polygons(topology, [round_line(douglas_peucker(arc, TOLERANCE)) for arc in unwrapped])
    # A very small country can vanish under simplification: it keeps its full outline.
    full = country_polygons(topology, [round_line(arc) for arc in unwrapped])
    data = {}
    for code in sorted(full):
        polygons = clean_country(simplified.get(code, [])) or clean_country(full[code])
        for polygon in polygons:
            for ring in polygon:
                if any(abs(lon) > 180 for lon, _ in ring):
                    raise SystemExit(f"{code}: a ring still runs past the antimeridian")
        data[code] = {
            "label": list(pole_of_inaccessibility(polygons[0], LABEL_PRECISION)),
            "polygons": [[encode_ring(ring) for ring in polygon] for polygon in polygons],
        }
    return data


def encode_ring(ring: Ring) -> list[int]:
    """A closed ring as flat integers in hundredths of a degree: the first point
    absolute, each next one as the difference from the one before; the closing
    point (equal to the first) is left out."""
    values = [(round(lon * 100), round(lat * 100)) for lon, lat in ring[:-1]]
    flat = list(values[0])
    for (x0, y0), (x1, y1) in itertools.pairwise(values):
        flat += [x1 - x0, y1 - y0]
    return flat


def dump(data: dict[str, dict]) -> str:
    """One country per line, keys sorted, no spaces: compact and diffable."""
    lines = [f"{json.dumps(code)}:{json.dumps(value, separators=(',', ':'))}" for code, value in data.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="countries-50m.json from world-atlas@2.0.2")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = build(args.source)
    text = dump(data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    points = sum(len(r) // 2 for c in data.values() for p in c["polygons"] for r in p)
    print(f"wrote {args.output}: {len(data)} countries, {points} points, {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
