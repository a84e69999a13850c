"""The build-time SVG map of countries: valid, accessible, class-styled, deterministic
SVG; a crop around the countries that matter; shipped data keyed by valid ISO codes."""

from __future__ import annotations

import itertools
import json
import math
import re
import xml.etree.ElementTree as ET

import babel
import pytest

from sitegen.lib import worldmap
from sitegen.lib.worldmap import DATA_FILE, country_map, known_countries, project

SVG = "{http://www.w3.org/2000/svg}"

# The case the map was made for: partners in seven countries, home Uzbekistan.
PARTNERS = {
    "RU": "Russia: 4 partners",
    "KZ": "Kazakhstan: 3 partners",
    "AZ": "Azerbaijan: 1 partner",
    "KR": "South Korea: 2 partners",
    "LV": "Latvia: 1 partner",
    "BY": "Belarus: 1 partner",
    "TJ": "Tajikistan: 2 partners",
}


def draw(marked: dict[str, str] | None = None, **kwargs: object) -> tuple[str, list[str]]:
    """The target case, or `marked` with the same home, title and description."""
    marked = PARTNERS if marked is None else marked
    options = {"home": "UZ", "home_label": "Uzbekistan", "title": "Partners", "description": "Where our partners are."}
    options.update(kwargs)
    return country_map(marked, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def target() -> ET.Element:
    svg, missing = draw()
    assert missing == []
    return ET.fromstring(svg)


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, width, height = map(float, root.get("viewBox").split())
    return x, y, width, height


def test_svg_is_accessible_xml(target: ET.Element) -> None:
    assert target.tag == f"{SVG}svg"
    assert target.get("role") == "img"
    assert target.get("aria-labelledby") == "map-title map-desc"
    assert target.get("class") == "world-map"
    title, desc = target.find(f"{SVG}title"), target.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "map-title" and title.text == "Partners"
    assert desc is not None and desc.get("id") == "map-desc" and desc.text == "Where our partners are."
    assert list(target)[:2] == [title, desc]


def test_inline_svg_has_no_xml_declaration_and_no_prefixes() -> None:
    svg, _ = draw()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ')
    assert "<?xml" not in svg
    assert not re.search(r"<\w+:|\s\w+:\w+=", svg)  # no prefixed elements or attributes


def test_id_prefix_names_title_and_desc() -> None:
    root = ET.fromstring(draw(id_prefix="partners-map")[0])
    assert root.get("aria-labelledby") == "partners-map-title partners-map-desc"
    assert root.find(f"{SVG}title").get("id") == "partners-map-title"
    assert root.find(f"{SVG}desc").get("id") == "partners-map-desc"
    with pytest.raises(ValueError):
        draw(id_prefix='x" onload="alert(1)')


def test_text_is_escaped() -> None:
    svg, _ = draw({"KZ": "Kazakhstan <3 & co"}, title='A "map" <b>', description="a & b")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == 'A "map" <b>'
    assert root.find(f"{SVG}desc").text == "a & b"
    assert "<b>" not in svg


def test_exactly_the_marked_countries_are_marked(target: ET.Element) -> None:
    marked = [e for e in target.iter() if "marked" in (e.get("class") or "").split()]
    assert sorted(e.get("data-country") for e in marked) == sorted(PARTNERS)
    assert all(e.tag == f"{SVG}path" and e.get("d") for e in marked)
    assert {e.find(f"{SVG}title").text for e in marked} == set(PARTNERS.values())


def test_home_country_is_marked_home(target: ET.Element) -> None:
    home = [e for e in target.iter() if "home" in (e.get("class") or "").split()]
    assert [(e.get("data-country"), e.get("class")) for e in home] == [("UZ", "home")]
    assert home[0].find(f"{SVG}title").text == "Uzbekistan"


def test_only_marked_and_home_carry_data_country(target: ET.Element) -> None:
    paths = target.findall(f"{SVG}path")
    tagged = {p.get("data-country") for p in paths if p.get("data-country")}
    assert tagged == set(PARTNERS) | {"UZ"}
    land = [p for p in paths if p.get("class") == "land"]
    assert len(land) > 20  # the neighbours are drawn too: China, Ukraine, Iran...
    assert all(p.get("data-country") is None for p in land)
    assert {p.get("class") for p in paths} == {"land", "marked", "home"}


def test_every_marked_country_has_a_dot_inside_the_view_box(target: ET.Element) -> None:
    _, _, width, height = view_box(target)
    dots = target.findall(f"{SVG}circle")
    assert sorted(d.get("data-country") for d in dots) == sorted(PARTNERS)
    for dot in dots:
        assert dot.get("class") == "dot"
        cx, cy = float(dot.get("cx")), float(dot.get("cy"))
        assert 0 < cx < width and 0 < cy < height, dot.get("data-country")


def test_view_box_contains_every_label_point(target: ET.Element) -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    frame = worldmap._Frame(worldmap._crop([worldmap._countries()[code] for code in sorted([*PARTNERS, "UZ"])]))
    _, _, width, height = view_box(target)
    assert width == 1000
    for code in [*PARTNERS, "UZ"]:
        x, y = frame.tenths(project(*data[code]["label"]))
        assert 0 < x / 10 < width and 0 < y / 10 < height, code


def test_target_crop_spans_eastern_europe_to_korea_but_not_the_world(target: ET.Element) -> None:
    _, _, width, height = view_box(target)
    assert 1.2 < width / height <= 2.2 + 1e-9  # readable on a phone, not a thin strip
    crop = worldmap._crop([worldmap._countries()[code] for code in sorted([*PARTNERS, "UZ"])])
    assert crop[0] < project(21, 57)[0] and crop[2] > project(131, 35)[0]  # Latvia .. Korea
    assert crop[2] < project(180, 66)[0]  # Chukotka is not pulled in
    assert crop[0] > project(0, 50)[0]  # nor western Europe


def test_unknown_code_is_reported_and_not_drawn() -> None:
    svg, missing = draw({**PARTNERS, "QQ": "Nowhere", "ZZ": "Nowhere either"})
    assert missing == ["QQ", "ZZ"]
    assert 'data-country="QQ"' not in svg and 'data-country="ZZ"' not in svg
    assert svg == draw()[0]  # the unknown codes change nothing


def test_unknown_home_is_reported() -> None:
    svg, missing = draw({"KZ": "Kazakhstan"}, home="QQ")
    assert missing == ["QQ"]
    assert 'class="home"' not in svg


def test_home_that_is_also_marked_carries_both_classes() -> None:
    root = ET.fromstring(draw({"UZ": "Uzbekistan: 5 partners"})[0])
    (path,) = [p for p in root.findall(f"{SVG}path") if p.get("data-country")]
    assert path.get("class") == "marked home"
    assert path.find(f"{SVG}title").text == "Uzbekistan: 5 partners"


def test_output_is_deterministic() -> None:
    first = draw()[0].encode()
    worldmap._countries.cache_clear()
    assert draw(dict(reversed(list(PARTNERS.items()))))[0].encode() == first


def test_no_style_attribute_or_element(target: ET.Element) -> None:
    for element in target.iter():
        assert element.tag != f"{SVG}style"
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    svg, _ = draw()
    assert "style" not in svg
    assert "<a" not in svg and "href" not in svg


def test_target_map_is_small() -> None:
    svg, _ = draw()
    size = len(svg.encode())
    print(f"target-case SVG: {size} bytes")
    assert size < 80_000


def test_paths_use_tenths_and_no_repeated_points(target: ET.Element) -> None:
    for path in target.findall(f"{SVG}path"):
        d = path.get("d")
        assert re.fullmatch(r"(M[-.\d ]+l[-.\d ]+z)+", d), d[:80]
        assert not re.search(r"\d\.\d\d", d)  # at most one decimal
        for ring in re.findall(r"l([^z]+)z", d):
            numbers = re.findall(r"-?\d*\.?\d+", ring)
            pairs = list(zip(numbers[::2], numbers[1::2]))
            assert all(float(dx) or float(dy) for dx, dy in pairs)  # no step of zero


def test_tiny_marked_country_is_drawn_and_dotted() -> None:
    root = ET.fromstring(draw({"VA": "Vatican: 1 partner", "MT": "Malta"}, home=None)[0])
    marked = {p.get("data-country") for p in root.findall(f"{SVG}path") if p.get("class") == "marked"}
    assert marked == {"VA", "MT"}
    assert {c.get("data-country") for c in root.findall(f"{SVG}circle")} == {"VA", "MT"}


def test_no_marked_country_shows_the_world() -> None:
    svg, missing = country_map({}, title="World", description="Nothing marked.")
    root = ET.fromstring(svg)
    assert missing == [] and root.find(f"{SVG}circle") is None
    assert len(root.findall(f"{SVG}path")) > 150


def test_projection_centre_symmetry_and_monotonic_longitude() -> None:
    assert project(0, 0) == (0.0, 0.0)
    x, y = project(180, 0)
    assert project(-180, 0) == pytest.approx((-x, y))
    assert x == pytest.approx(2.7064, abs=1e-3)  # Equal Earth's half-width at the equator (R = 1)
    assert project(0, 90)[1] == pytest.approx(-1.3173, abs=1e-3)  # north is up (SVG y is negative)
    for lat in (-80, -45, 0, 30, 66):
        xs = [project(lon, lat)[0] for lon in range(-180, 181, 5)]
        assert all(a < b for a, b in itertools.pairwise(xs)), lat
    ys = [project(0, lat)[1] for lat in range(-90, 91, 5)]
    assert all(a > b for a, b in itertools.pairwise(ys))


def test_projection_keeps_areas_equal() -> None:
    def cell_area(lon: float, lat: float, size: float = 1.0) -> float:
        corners = [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size)]
        return worldmap._area([project(*corner) for corner in corners])

    def sphere_band(lat: float) -> float:
        return math.sin(math.radians(lat + 1)) - math.sin(math.radians(lat))

    ratio = [cell_area(10, lat) / sphere_band(lat) for lat in (0, 40, 70)]
    assert ratio == pytest.approx([ratio[0]] * 3, rel=2e-3)


def test_shipped_codes_are_iso_codes_babel_knows() -> None:
    territories = babel.Locale.parse("en").territories
    codes = known_countries()
    assert codes
    for code in codes:
        assert re.fullmatch(r"[A-Z]{2}", code) and code in territories, code
    assert {"RU", "KZ", "AZ", "KR", "LV", "BY", "TJ", "UZ"} <= codes
    assert len(codes) > 200


def test_shipped_data_is_consistent() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert set(data) == known_countries()
    for code, entry in data.items():
        lon, lat = entry["label"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90, code
        assert entry["polygons"], code
        for polygon in entry["polygons"]:
            for ring in polygon:
                assert len(ring) % 2 == 0 and len(ring) >= 6, code
                assert all(isinstance(v, int) for v in ring)
                ring_lons = [p[0] for p in worldmap._decode_ring(ring)]
                assert min(ring_lons) >= -180 and max(ring_lons) <= 180, code  # cut at the antimeridian


def test_crimea_is_drawn_as_part_of_ukraine() -> None:
    countries = worldmap._countries()
    simferopol = project(34.1, 44.95)

    def covers(code: str) -> bool:
        return any(inside(simferopol, polygon[0]) for polygon in countries[code].polygons)

    assert covers("UA") and not covers("RU")


def inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y = point
    result = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            result = not result
    return result


def test_label_points_lie_inside_their_country() -> None:
    countries = worldmap._countries()
    for code in [*PARTNERS, "UZ", "CL", "HR", "VN", "NO"]:
        country = countries[code]
        assert inside(country.label, country.polygons[0][0]), code
