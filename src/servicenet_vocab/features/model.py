"""A feature (one unit, area or catchment area, or one row of a planning answer): its id, the IRI
it describes, a CRS84 geometry (shapely), plain properties and its temporal extent; and how a
GeoSPARQL WKT literal or a pair of coordinates becomes its geometry.

>>> wkt_geometry("<http://www.opengis.net/def/crs/EPSG/0/3067> POINT(385611 6672118)").wkt
'POINT (24.9383... 60.1698...)'
>>> wkt_geometry("POLYGON((24 60, 25 60, 25 61, 24 60))").geom_type
'Polygon'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from servicenet_vocab.features.crs import CRS84, Crs, crs_by_uri, from_crs, to_crs

__all__ = ["Feature", "feature_collection", "point", "wkt_geometry"]

_CRS_IRI = re.compile(r"^\s*<([^>]+)>\s*(.*)$", re.S)


def wkt_geometry(text: str) -> BaseGeometry | None:
    """A GeoSPARQL ``wktLiteral`` as a CRS84 geometry: CRS84 without a CRS IRI, else the IRI's
    CRS transformed (only the supported ones); None for a literal that does not parse."""
    crs: Crs | None = CRS84
    match = _CRS_IRI.match(text)
    if match:
        crs = crs_by_uri(match.group(1))
        text = match.group(2)
    if crs is None:
        return None
    try:
        geometry = shapely_wkt.loads(text)
    except (ShapelyError, ValueError):
        return None
    if geometry.is_empty:
        return None
    return from_crs(geometry, crs)


def point(longitude: float, latitude: float) -> Point:
    return Point(longitude, latitude)


@dataclass
class Feature:
    """One feature; ``geometry`` is CRS84 (None when the thing has none)."""

    id: str
    iri: str
    geometry: BaseGeometry | None
    properties: dict[str, Any] = field(default_factory=dict)
    start: date | None = None  # the temporal extent, open where None
    end: date | None = None
    municipality: str | None = None  # the code of the graph it was read from

    def to_geojson(
        self, crs: Crs = CRS84, links: Iterable[Mapping[str, str]] = ()
    ) -> dict[str, Any]:
        geometry = None
        if self.geometry is not None:
            geometry = mapping(to_crs(self.geometry, crs))
        found: dict[str, Any] = {
            "type": "Feature",
            "id": self.id,
            "geometry": _lists(geometry),
            "properties": {"iri": self.iri, **self.properties},
        }
        links = list(links)
        if links:
            found["links"] = links
        return found


def _lists(value: Any) -> Any:
    """shapely's ``mapping`` gives tuples; JSON (and the GeoJSON schema) wants arrays."""
    if isinstance(value, tuple | list):
        return [_lists(item) for item in value]
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    return value


def feature_collection(features: Iterable[Mapping[str, Any]], **members: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features), **members}
