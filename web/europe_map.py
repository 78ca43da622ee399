"""The map of Europe behind ``/map/``: Natural Earth's country shapes (vendored from npm
``world-atlas``, see web/data/world-atlas/README.md) decoded from TopoJSON, cut to Europe and
projected on the server into SVG path data, once per process.

The projection is Lambert's azimuthal equal-area centred on Europe (as the EU's statistical maps,
EPSG:3035, are), so that the shading of a large country does not weigh more than its area.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TOPOLOGY = Path(__file__).resolve().parent / "data" / "world-atlas" / "countries-50m.json"

# ISO 3166-1 numeric (the shapes' ids) -> alpha-2 (the site's country codes), for the countries a
# practice may be in (projects.countries); the other shapes are drawn as neighbours, unlinked.
NUMERIC_TO_ALPHA2 = {
    "040": "AT", "056": "BE", "100": "BG", "756": "CH", "196": "CY", "203": "CZ", "276": "DE",
    "208": "DK", "233": "EE", "724": "ES", "246": "FI", "250": "FR", "826": "GB", "300": "GR",
    "191": "HR", "348": "HU", "372": "IE", "380": "IT", "440": "LT", "442": "LU", "428": "LV",
    "470": "MT", "528": "NL", "578": "NO", "616": "PL", "620": "PT", "642": "RO", "752": "SE",
    "705": "SI", "703": "SK",
}  # fmt: skip

# What is cut out of the world before projecting (longitude, latitude): wider than the frame
# (the site's countries in Europe), so that the cut edges fall outside it; overseas territories,
# the Canaries and the Azores fall outside too, as they would shrink the continent to a corner.
CLIP = {"west": -40.0, "east": 70.0, "south": 25.0, "north": 80.0}
# The frame's latitudes, to leave out Svalbard (Norway), which lies far north of the rest.
FRAME_LATITUDES = (33.0, 71.5)
CENTRE = {"lon": 10.0, "lat": 52.0}
# The drawing's width in SVG units; its height follows the shapes' extent.
WIDTH = 1000
MARGIN = 10


@dataclass(frozen=True)
class CountryShape:
    code: str  # alpha-2 for a country of the site, "" for a neighbour
    name: str  # Natural Earth's English name (the page labels the site's countries itself)
    path: str  # SVG path data


@dataclass(frozen=True)
class EuropeMap:
    width: int
    height: int
    shapes: tuple  # CountryShape, neighbours first so that the site's countries' outlines show

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


def _decode_arcs(topology):
    """The arcs as lists of (longitude, latitude): TopoJSON stores them quantized and as
    differences from the previous point."""
    (scale_x, scale_y), (translate_x, translate_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def _ring(arc_indexes, arcs):
    """A closed ring from its arcs; a negative index ``~i`` is arc ``i`` reversed, and each arc
    after the first starts where the previous one ended."""
    points = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry):
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def _near_europe(ring):
    """Whether any point of the ring lies within CLIP."""
    return any(
        CLIP["west"] <= lon <= CLIP["east"] and CLIP["south"] <= lat <= CLIP["north"]
        for lon, lat in ring
    )


def _project(lon, lat):
    """Lambert azimuthal equal-area around CENTRE: (x east, y north) on the unit sphere."""
    lam, phi = math.radians(lon - CENTRE["lon"]), math.radians(lat)
    phi0 = math.radians(CENTRE["lat"])
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    return (
        k * math.cos(phi) * math.sin(lam),
        k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam)),
    )


def _path(rings, to_svg, *, width, height):
    """SVG path data in whole units. Points beyond the frame (and a margin) are held at its
    edges, and a run of them along one edge kept only by its ends: the frame hides them, and
    Russia or Greenland would otherwise weigh more than the rest of the map."""
    low_x, high_x, low_y, high_y = -MARGIN, width + MARGIN, -MARGIN, height + MARGIN

    def edges(point):
        x, y = point
        return {
            edge
            for edge, on_it in (
                ("w", x == low_x),
                ("e", x == high_x),
                ("n", y == low_y),
                ("s", y == high_y),
            )
            if on_it
        }

    parts = []
    for ring in rings:
        held = []
        for x, y in (to_svg(*point) for point in ring):
            point = (min(max(round(x), low_x), high_x), min(max(round(y), low_y), high_y))
            if not held or point != held[-1]:
                held.append(point)
        points = []
        for index, point in enumerate(held):
            following = held[index + 1] if index + 1 < len(held) else None
            if points and following and edges(points[-1]) & edges(point) & edges(following):
                continue
            points.append(point)
        if len(points) >= 3 and any(not edges(point) for point in points):
            parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
    return "".join(parts)


@cache
def europe_map():
    """The projected shapes, computed once per process (a few hundred milliseconds)."""
    topology = json.loads(TOPOLOGY.read_text())
    arcs = _decode_arcs(topology)
    projected = []  # (code, name, [rings of projected points])
    ours = []  # the projected points of the site's countries within the frame's latitudes
    south, north = FRAME_LATITUDES
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = NUMERIC_TO_ALPHA2.get(geometry.get("id", ""), "")
        rings = []
        for polygon in _polygons(geometry):
            for arc_indexes in polygon:
                ring = _ring(arc_indexes, arcs)
                if _near_europe(ring):
                    rings.append([_project(lon, lat) for lon, lat in ring])
                    if code:
                        ours += [_project(lon, lat) for lon, lat in ring if south <= lat <= north]
        if rings:
            projected.append((code, geometry["properties"]["name"], rings))

    # The frame: the extent of the site's countries; the drawing hides what lies beyond it.
    min_x, max_x = min(x for x, _y in ours), max(x for x, _y in ours)
    min_y, max_y = min(y for _x, y in ours), max(y for _x, y in ours)
    scale = (WIDTH - 2 * MARGIN) / (max_x - min_x)
    height = round((max_y - min_y) * scale) + 2 * MARGIN

    def to_svg(x, y):  # SVG's y axis points down
        return (x - min_x) * scale + MARGIN, (max_y - y) * scale + MARGIN

    shapes = sorted(
        (
            CountryShape(code=code, name=name, path=path)
            for code, name, rings in projected
            if (
                path := _path(rings, to_svg, width=WIDTH, height=height)
            )  # a city state may round away to nothing
        ),
        key=lambda shape: (shape.code != "", shape.code),
    )
    return EuropeMap(width=WIDTH, height=height, shapes=tuple(shapes))
