"""Build the map's base outlines, static/map/outlines.json, from openly licensed packages.

    make map-assets        # npm ci (us-atlas, world-atlas), pip download japanmap, then this script

Inputs (nothing is fetched at run time; the site serves only the output file):

- us-atlas 3.0.1 (npm, ISC licence): `states-10m.json`, US Census Bureau cartographic
  boundary files 2017 (public domain): the states and territories.
- world-atlas 2.0.2 (npm, ISC licence): `land-50m.json`, Natural Earth 4.1.0 (public
  domain): land around the Pacific, drawn faintly for context.
- japanmap 0.6.0 (PyPI, Apache License 2.0, by Saito Tsutomu): `japan.json`, the
  boundaries of the 47 prefectures (the main area of each).

The projection is a plain equirectangular one with the longitudes of the western
hemisphere moved past 180° (lon + 360), so that Japan and the United States sit side by
side on one continuous map and every relationship's line crosses the Pacific. Lines are
simplified (Douglas–Peucker on shared arcs, so neighbours keep a common border) and the
numbers rounded: the output is a few hundred kilobytes at most and byte-for-byte
reproducible from the same package versions.
"""

import argparse
import json
import math
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The map's frame in degrees (longitudes after the shift), and the projection.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 110.0, 300.0, -16.0, 72.0
LON0, LAT0 = LON_MIN, LAT_MAX
X_SCALE = round(math.cos(math.radians(38)), 4)  # east-west squeeze at the middle latitude
UNIT = 10  # map units per degree of latitude

TOLERANCE = {"us": 0.04, "jp": 0.02, "land": 0.08}  # degrees
MIN_RING_SPAN = {"us": 0.05, "jp": 0.03, "land": 0.4}  # drop islets smaller than this (degrees)


def shift(lon):
    return lon + 360 if lon < 0 else lon


def project(lon, lat):
    return (round((lon - LON0) * X_SCALE * UNIT, 1), round((LAT0 - lat) * UNIT, 1))


# --- TopoJSON -----------------------------------------------------------------------------


def decode_arcs(topology):
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring_from_arcs(indexes, arcs):
    ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


# --- geometry -------------------------------------------------------------------------------


def simplify(points, tolerance):
    """Douglas–Peucker, keeping both ends."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        x1, y1 = points[first][:2]
        x2, y2 = points[last][:2]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        best, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i][:2]
            if length == 0:
                distance = math.hypot(px - x1, py - y1)
            else:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def clip(ring):
    """Sutherland–Hodgman against the map's frame."""
    edges = [
        (lambda p: p[0] >= LON_MIN, lambda a, b: cut_x(a, b, LON_MIN)),
        (lambda p: p[0] <= LON_MAX, lambda a, b: cut_x(a, b, LON_MAX)),
        (lambda p: p[1] >= LAT_MIN, lambda a, b: cut_y(a, b, LAT_MIN)),
        # Not at the top: cutting the Arctic coast there leaves slivers; the frame hides it anyway.
        (lambda p: p[1] <= 85, lambda a, b: cut_y(a, b, 85)),
    ]
    for inside, cut in edges:
        if not ring:
            break
        output = []
        previous = ring[-1]
        for point in ring:
            if inside(point):
                if not inside(previous):
                    output.append(cut(previous, point))
                output.append(point)
            elif inside(previous):
                output.append(cut(previous, point))
            previous = point
        ring = output
    return ring


def cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def span(ring):
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def area(ring):
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def path(rings):
    parts = []
    for ring in rings:
        projected = []
        for lon, lat in ring:
            point = project(lon, lat)
            if not projected or projected[-1] != point:
                projected.append(point)
        if len(projected) < 3:
            continue
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in projected) + "Z")
    return "".join(parts)


# --- the three sources ----------------------------------------------------------------------


def us_states(node_modules):
    topology = json.loads((node_modules / "us-atlas" / "states-10m.json").read_text())
    arcs = [[(shift(lon), lat) for lon, lat in arc] for arc in decode_arcs(topology)]
    arcs = [simplify(arc, TOLERANCE["us"]) for arc in arcs]
    features = []
    for geometry in topology["objects"]["states"]["geometries"]:
        rings = []
        for polygon in polygons_of(geometry):
            for indexes in polygon:
                ring = ring_from_arcs(indexes, arcs)
                if len(ring) >= 4 and span(ring) >= MIN_RING_SPAN["us"]:
                    rings.append(ring)
        features.append({"id": geometry["id"], "name": geometry["properties"]["name"], "d": path(rings)})
    return sorted(features, key=lambda feature: feature["id"])


def land(node_modules):
    topology = json.loads((node_modules / "world-atlas" / "land-50m.json").read_text())
    arcs = decode_arcs(topology)
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        for polygon in polygons_of(geometry):
            for indexes in polygon:
                ring = ring_from_arcs(indexes, arcs)
                # A ring in the western hemisphere moves east as a whole; one across 180°
                # (Eurasia with Chukotka, Wrangel Island) moves only its far-western points;
                # one across Greenwich (Africa, Britain) stays where it is.
                lons = [lon for lon, _ in ring]
                if max(lons) <= 0:
                    ring = [(lon + 360, lat) for lon, lat in ring]
                elif max(lons) - min(lons) > 180:
                    ring = [(lon + 360 if lon < -90 else lon, lat) for lon, lat in ring]
                ring = clip(simplify(ring, TOLERANCE["land"]))
                # (area: clipping leaves slivers along the frame where Arctic islands were)
                if len(ring) >= 4 and span(ring) >= MIN_RING_SPAN["land"] and area(ring) > 0.3:
                    rings.append(ring)
    return path(rings)


def jp_prefectures(japanmap_wheel):
    with zipfile.ZipFile(japanmap_wheel) as wheel:
        points, prefectures = json.loads(wheel.read("japanmap/japan.json"))
        names = read_pref_names(wheel.read("japanmap/__init__.py").decode())
    coordinates = [tuple(point[0]) for point in points]
    simplified = {}
    features = []
    for number, boundaries in enumerate(prefectures, start=1):
        ring = []
        for _neighbour, indexes in boundaries:
            # A border shared by two prefectures is listed for each, once in each direction.
            key = (min(indexes[0], indexes[-1]), max(indexes[0], indexes[-1]), len(indexes))
            if key not in simplified:
                kept = simplify([coordinates[i] + (i,) for i in indexes], TOLERANCE["jp"])
                simplified[key] = [p[2] for p in kept]
            kept = simplified[key] if simplified[key][0] == indexes[0] else simplified[key][::-1]
            segment = [coordinates[i] for i in kept]
            ring.extend(segment if not ring else segment[1:])
        features.append({"id": f"{number:02d}", "name": names[number], "d": path([ring])})
    return features


def read_pref_names(source):
    start = source.index("pref_names = (")
    text = source[start : source.index(").split()", start)]
    return " ".join(part.strip().strip('"') for part in text.splitlines()[1:]).split()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--japanmap-wheel", type=Path, required=True, help="japanmap-0.6.0-py3-none-any.whl")
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "map" / "outlines.json")
    args = parser.parse_args()

    width, height = project(LON_MAX, LAT_MIN)
    outlines = {
        "projection": {"lon0": LON0, "lat0": LAT0, "xScale": X_SCALE, "unit": UNIT, "shift": "lon+360 if lon<0"},
        "viewBox": [0, 0, width, height],
        "land": land(args.node_modules),
        "us": us_states(args.node_modules),
        "jp": jp_prefectures(args.japanmap_wheel),
        "sources": "See static/map/SOURCES.md",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(outlines, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{args.out}: {args.out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
