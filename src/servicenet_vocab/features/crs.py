"""Coordinate reference systems of the features: CRS84 (stored, the default), WGS 84 with its
authority axis order (EPSG:4326: latitude first) and ETRS-TM35FIN (EPSG:3067, metres), by their
OGC URIs; transforms through pyproj.

>>> crs_by_uri("http://www.opengis.net/def/crs/EPSG/0/3067").code
'EPSG:3067'
>>> from shapely.geometry import Point
>>> [round(c) for c in to_crs(Point(24.9384, 60.1699), TM35FIN).coords[0]]
[385611, 6672118]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from servicenet_vocab.errors import InputError, Location

__all__ = [
    "CRS84",
    "SUPPORTED",
    "TM35FIN",
    "WGS84_LATLON",
    "Crs",
    "crs_by_uri",
    "from_crs",
    "parse_crs",
    "to_crs",
]


@dataclass(frozen=True)
class Crs:
    uri: str  # the OGC URI clients name it by (crs=, bbox-crs=, Content-Crs)
    code: str  # what pyproj calls it
    decimals: int  # coordinates are rounded to this many decimals (about 1 cm)


CRS84 = Crs("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "OGC:CRS84", 7)
WGS84_LATLON = Crs("http://www.opengis.net/def/crs/EPSG/0/4326", "EPSG:4326", 7)
TM35FIN = Crs("http://www.opengis.net/def/crs/EPSG/0/3067", "EPSG:3067", 2)
SUPPORTED = (CRS84, TM35FIN, WGS84_LATLON)  # the order collections list them in

_ALIASES = {
    "crs84": CRS84,
    "ogc:crs84": CRS84,
    "epsg:4326": WGS84_LATLON,
    "epsg:3067": TM35FIN,
}


def crs_by_uri(uri: str) -> Crs | None:
    """The supported CRS a URI (or a short name such as ``EPSG:3067``) names, or None."""
    text = uri.strip().strip("<>")
    for crs in SUPPORTED:
        if text == crs.uri:
            return crs
    return _ALIASES.get(text.lower())


def parse_crs(value: str | None, field: str) -> Crs:
    """A ``crs`` / ``bbox-crs`` parameter: CRS84 when absent; an unsupported one is a 400."""
    if value is None:
        return CRS84
    crs = crs_by_uri(value)
    if crs is None:
        supported = ", ".join(c.uri for c in SUPPORTED)
        raise InputError(
            f"{field} {value[:100]!r} is not supported; supported: {supported}",
            location=Location(field=field),
        )
    return crs


@cache
def _transformer(source: str, target: str) -> Transformer:
    # Authority axis order: EPSG:4326 is latitude, longitude; CRS84 and EPSG:3067 are x, y.
    return Transformer.from_crs(source, target)


def _round(geometry: BaseGeometry, decimals: int) -> BaseGeometry:
    rounded: BaseGeometry = shapely.transform(
        geometry,
        lambda x, y: (numpy.round(x, decimals), numpy.round(y, decimals)),
        interleaved=False,
    )
    return rounded


def _apply(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    moved: BaseGeometry = shapely.transform(
        geometry, lambda x, y: transformer.transform(x, y), interleaved=False
    )
    return moved


def to_crs(geometry: BaseGeometry, crs: Crs) -> BaseGeometry:
    """A CRS84 geometry in ``crs``, rounded to about a centimetre."""
    if crs != CRS84:
        geometry = _apply(geometry, _transformer(CRS84.code, crs.code))
    return _round(geometry, crs.decimals)


def from_crs(geometry: BaseGeometry, crs: Crs) -> BaseGeometry:
    """A geometry in ``crs`` as CRS84."""
    if crs == CRS84:
        return geometry
    return _apply(geometry, _transformer(crs.code, CRS84.code))
