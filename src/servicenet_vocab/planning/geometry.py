"""Distances and containment, which the engine does not compute (pyoxigraph has no GeoSPARQL
functions): points and polygons projected to ETRS-TM35FIN (EPSG:3067, metres) with pyproj, nearest
neighbours and point-in-polygon with shapely's STRtree.

A WKT literal without a CRS IRI is CRS84 (longitude, latitude), as GeoSPARQL says; one that starts
with ``<http://www.opengis.net/def/crs/EPSG/0/3067>`` is already in TM35FIN. An area's point is its
``sn:latitude`` / ``sn:longitude`` (the representative, population-weighted point a city gives),
else a point inside its polygon.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from servicenet_vocab.planning.facts import Area

__all__ = ["Nearest", "area_point", "contained_in", "distance_km", "polygon", "to_tm35"]

TM35 = "<http://www.opengis.net/def/crs/EPSG/0/3067>"


@cache
def _transformer() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:3067", always_xy=True)


@lru_cache(maxsize=262_144)
def to_tm35(lon: Decimal | float, lat: Decimal | float) -> tuple[float, float]:
    x, y = _transformer().transform(float(lon), float(lat))
    return float(x), float(y)


def polygon(wkt: str) -> BaseGeometry | None:
    """A WKT literal as a TM35FIN geometry, or None when it does not parse."""
    text = wkt.strip()
    projected = text.startswith(TM35)
    if text.startswith("<"):
        text = text[text.index(">") + 1 :].strip()
    try:
        shape = shapely.from_wkt(text)
    except shapely.errors.GEOSException:
        return None
    if shape is None or projected:
        return shape
    return shapely.transform(shape, _project)


def _project(coords: np.ndarray) -> np.ndarray:
    x, y = _transformer().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def area_point(area: Area) -> tuple[float, float] | None:
    if area.lat is not None and area.lon is not None:
        return to_tm35(area.lon, area.lat)
    if area.wkt:
        shape = polygon(area.wkt)
        if shape is not None and not shape.is_empty:
            point = shape.representative_point()
            return point.x, point.y
    return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> Decimal:
    metres = ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
    return Decimal(metres / 1000).quantize(Decimal("0.01"))


@dataclass
class Nearest:
    """The nearest of a fixed set of points (candidates keyed by any string)."""

    keys: Sequence[str]
    points: Sequence[tuple[float, float]]

    def __post_init__(self) -> None:
        self._geoms = shapely.points(list(self.points)) if self.points else None
        self._tree = shapely.STRtree(self._geoms) if self._geoms is not None else None

    def nearest(self, point: tuple[float, float]) -> tuple[str, Decimal] | None:
        if self._tree is None:
            return None
        index = int(self._tree.nearest(shapely.Point(point)))
        return self.keys[index], distance_km(point, self.points[index])

    def within(self, point: tuple[float, float], km: Decimal) -> list[tuple[str, Decimal]]:
        """The candidates within ``km``, nearest first (ties by key)."""
        if self._tree is None:
            return []
        found = self._tree.query(shapely.Point(point).buffer(float(km) * 1000))
        near = [(self.keys[i], distance_km(point, self.points[i])) for i in found]
        return sorted(((k, d) for k, d in near if d <= km), key=lambda kd: (kd[1], kd[0]))


def contained_in(
    points: Iterable[tuple[str, tuple[float, float]]], shapes: dict[str, BaseGeometry]
) -> dict[str, list[str]]:
    """For each shape key, the point keys inside it (or on its boundary), in one bulk query."""
    keys = list(shapes)
    listed = list(points)
    found: dict[str, list[str]] = {k: [] for k in keys}
    if not keys or not listed:
        return found
    tree = shapely.STRtree([shapes[k] for k in keys])
    geoms = shapely.points([p for _, p in listed])
    point_index, shape_index = tree.query(geoms, predicate="intersects")
    for i, j in zip(point_index.tolist(), shape_index.tolist(), strict=True):
        found[keys[j]].append(listed[i][0])
    return found
