"""Area geometries: checked, repaired when asked, transformed to WGS84 and written as WKT.

A batch at a time, vectorised: shapely reads the WKB, ``is_valid_reason`` names what is wrong with
an invalid (e.g. self-intersecting) polygon, ``make_valid`` repairs it with ``--repair`` (keeping
its polygonal parts), pyproj transforms every coordinate of the batch in one call
(``always_xy=True``: easting/longitude first, as GDAL hands them over), and the WKT is GeoSPARQL's
default CRS84 (longitude first) with 7 decimals (about 1 cm).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from servicenet_vocab.errors import InputError, Location

__all__ = ["Batch", "Projector", "crs_iri"]

PRECISION = 7
# Finland with a margin: what lies outside after the transform was in another CRS.
LON = (19.0, 31.6)
LAT = (59.5, 70.1)
_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


@lru_cache(maxsize=16)
def _transformer(source: str) -> Transformer | None:
    crs = CRS.from_user_input(source)
    if crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None  # already longitude/latitude (GDAL hands EPSG:4326 over as x = longitude)
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def crs_iri(source: str) -> str:
    """``http://www.opengis.net/def/crs/EPSG/0/3879`` for the layer's CRS."""
    epsg = CRS.from_user_input(source).to_epsg()
    return f"http://www.opengis.net/def/crs/EPSG/0/{epsg}"


@dataclass(frozen=True)
class Projector:
    """The layer's CRS and its transform to WGS84."""

    crs: str

    @classmethod
    def of(cls, crs: str | None, source: str) -> Projector:
        if not crs:
            raise InputError(
                "the layer has no coordinate reference system; give --option crs=EPSG:3067 "
                "(or the CRS it is in)",
                location=Location(source=source),
            )
        try:
            _transformer(crs)
        except CRSError as error:
            raise InputError(
                f"unknown coordinate reference system {crs!r}: {error}",
                location=Location(source=source, field="crs"),
            ) from None
        return cls(crs)

    def to_wgs84(self, geometries: np.ndarray) -> np.ndarray:
        transformer = _transformer(self.crs)
        if transformer is None:
            return geometries

        def move(points: np.ndarray) -> np.ndarray:
            x, y = transformer.transform(points[:, 0], points[:, 1])
            return np.column_stack((x, y))

        return shapely.transform(geometries, move)


@dataclass
class Batch:
    """The geometries of one batch of features: WGS84 WKT, original WKT, problems by index."""

    wkt: list[str | None]
    original: list[str | None]
    problems: dict[int, str]
    repaired: set[int]

    @classmethod
    def of(
        cls, wkbs: Sequence[bytes | None], projector: Projector, *, repair: bool, original: bool
    ) -> Batch:
        geometries = shapely.from_wkb(np.array(wkbs, dtype=object), on_invalid="ignore")
        geometries = shapely.force_2d(geometries)
        problems: dict[int, str] = {}
        repaired: set[int] = set()
        present = ~shapely.is_missing(geometries)
        invalid = np.flatnonzero(present & ~shapely.is_valid(geometries))
        for index in invalid.tolist():
            if repair:
                geometries[index] = _repaired(geometries[index])
                repaired.add(index)
            else:
                reason = shapely.is_valid_reason(geometries[index])
                problems[index] = (
                    f"invalid geometry: {reason}; --repair (option repair) repairs it "
                    "with shapely make_valid"
                )
        for index in np.flatnonzero(present & shapely.is_empty(geometries)).tolist():
            problems.setdefault(index, "the geometry is empty")
        moved = projector.to_wgs84(geometries)
        bounds = shapely.bounds(moved)
        outside = present & ~(
            (bounds[:, 0] >= LON[0])
            & (bounds[:, 2] <= LON[1])
            & (bounds[:, 1] >= LAT[0])
            & (bounds[:, 3] <= LAT[1])
        )
        for index in np.flatnonzero(outside).tolist():
            problems.setdefault(
                index,
                f"the geometry is not in Finland once transformed from {projector.crs} to WGS84 "
                f"(longitude {bounds[index, 0]:.2f}–{bounds[index, 2]:.2f}, latitude "
                f"{bounds[index, 1]:.2f}–{bounds[index, 3]:.2f}): is the layer in another CRS? "
                "give --option crs=EPSG:…",
            )
        wkt = shapely.to_wkt(moved, rounding_precision=PRECISION, trim=True).tolist()
        kept = (
            shapely.to_wkt(geometries, rounding_precision=3, trim=True).tolist()
            if original and _transformer(projector.crs) is not None
            else [None] * len(wkt)
        )
        return cls(wkt=wkt, original=kept, problems=problems, repaired=repaired)


def _repaired(geometry: shapely.Geometry) -> shapely.Geometry:
    """``make_valid`` keeping what is polygonal (a repaired bow-tie is two polygons, not a line)."""
    fixed = shapely.make_valid(geometry)
    if shapely.get_type_id(fixed) in _POLYGONAL:
        return fixed
    parts = [p for p in shapely.get_parts(fixed) if shapely.get_type_id(p) in _POLYGONAL]
    if not parts:
        return fixed
    return shapely.union_all(parts)
