"""The ``items`` request of OGC API – Features (Part 1 Core, Part 2 CRS): its parameters checked
(each bad one a located ``InputError``), the features filtered by ``bbox``, ``datetime`` and
properties, and one page of them with its ``next`` / ``prev`` offsets.

>>> query = parse_items({"bbox": "24.9,60.1,25.0,60.2", "limit": "5"}, properties=())
>>> query.limit, [round(c, 1) for c in query.bbox.bounds]
(5, [24.9, 60.1, 25.0, 60.2])
>>> parse_datetime("2025-01-01/..")
(datetime.date(2025, 1, 1), None)
>>> parse_items({"limit": "0"}, properties=())
Traceback (most recent call last):
...
servicenet_vocab.errors.InputError: column 'limit': limit must be an integer from 1 to 1000, not '0'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from shapely import segmentize
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.features.crs import CRS84, Crs, from_crs, parse_crs
from servicenet_vocab.features.model import Feature

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "ItemsQuery",
    "Page",
    "extent",
    "page_of",
    "parse_datetime",
    "parse_items",
]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
STANDARD = ("limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "f")
FORMATS = ("json", "geojson")


@dataclass(frozen=True)
class ItemsQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: BaseGeometry | None = None  # CRS84
    crs: Crs = CRS84
    start: date | None = None
    end: date | None = None
    timed: bool = False  # whether datetime was given
    filters: dict[str, str] = field(default_factory=dict)  # property = value
    extra: dict[str, str] = field(default_factory=dict)  # other parameters the caller allowed


@dataclass(frozen=True)
class Page:
    features: list[Feature]
    matched: int
    next_offset: int | None
    prev_offset: int | None


def _at(name: str) -> Location:
    return Location(field=name)


def _integer(values: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = values.get(name)
    if raw is None:
        return default
    text = raw.strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise InputError(
            f"{name} must be an integer from {low} to {high}, not {raw[:40]!r}", location=_at(name)
        )
    return int(text)


def parse_bbox(raw: str, crs: Crs) -> BaseGeometry:
    """``minx,miny,maxx,maxy`` (or six numbers with heights) in ``crs``, as a CRS84 polygon."""
    parts = raw.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) not in (4, 6) or not all(math.isfinite(n) for n in numbers):
        raise InputError(
            f"bbox must be four (or six) comma-separated numbers, not {raw[:80]!r}",
            location=_at("bbox"),
        )
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    x1, y1, x2, y2 = numbers
    if x1 > x2 or y1 > y2:
        raise InputError(
            "bbox must give its lower corner first (minx,miny,maxx,maxy)", location=_at("bbox")
        )
    if crs == CRS84 and not (x1 >= -180 and x2 <= 180 and y1 >= -90 and y2 <= 90):
        raise InputError("bbox is outside longitude/latitude bounds", location=_at("bbox"))
    shape = box(x1, y1, x2, y2)
    if crs != CRS84:  # edges bend in another CRS: densified before the transform
        span = max(x2 - x1, y2 - y1) or 1.0
        shape = box(*from_crs(segmentize(shape, span / 16), crs).bounds)
    return shape


def _moment(text: str) -> date | None:
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError(
            f"datetime must be an RFC 3339 date or date-time, an interval a/b, ../b or a/.., "
            f"not {text[:60]!r}",
            location=_at("datetime"),
        ) from None


def parse_datetime(raw: str) -> tuple[date | None, date | None]:
    """An instant (``2025-10-01``, ``2025-10-01T12:00:00Z``) or an interval (``a/b``, open ends
    ``..``) at the granularity of days."""
    if "/" in raw:
        first, _, second = raw.partition("/")
        if "/" in second or (first.strip() in ("", "..") and second.strip() in ("", "..")):
            raise InputError(f"datetime {raw[:60]!r} is not an interval", location=_at("datetime"))
        start, end = _moment(first), _moment(second)
        if start and end and start > end:
            raise InputError("datetime interval ends before it starts", location=_at("datetime"))
        return start, end
    if raw.strip() in ("", ".."):
        raise InputError("datetime is empty", location=_at("datetime"))
    instant = _moment(raw)
    return instant, instant


def parse_items(
    values: Mapping[str, str],
    *,
    properties: Iterable[str],
    extra: Sequence[str] = (),
    repeated: Iterable[str] = (),
) -> ItemsQuery:
    """The request's parameters: the standard ones, property filters (``properties``) and the
    caller's ``extra`` ones; anything else is a 400, as Part 1 requires of unknown parameters."""
    for name in repeated:
        raise InputError(f"parameter {name!r} is given more than once", location=_at(name))
    known = set(properties)
    for name in values:
        if name not in STANDARD and name not in known and name not in extra:
            listed = ", ".join([*STANDARD, *sorted(known), *extra])
            raise InputError(
                f"unknown parameter {name!r}; this collection takes {listed}", location=_at(name)
            )
    fmt = values.get("f")
    if fmt is not None and fmt.lower() not in FORMATS:
        raise InputError(f"f must be json or geojson, not {fmt[:20]!r}", location=_at("f"))
    crs = parse_crs(values.get("crs"), "crs")
    bbox_crs = parse_crs(values.get("bbox-crs"), "bbox-crs")
    if "bbox-crs" in values and "bbox" not in values:
        raise InputError("bbox-crs is given without a bbox", location=_at("bbox-crs"))
    start = end = None
    if "datetime" in values:
        start, end = parse_datetime(values["datetime"])
    return ItemsQuery(
        limit=_integer(values, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_integer(values, "offset", 0, 0, 10**9),
        bbox=parse_bbox(values["bbox"], bbox_crs) if "bbox" in values else None,
        crs=crs,
        start=start,
        end=end,
        timed="datetime" in values,
        # A named query's own parameter is passed to it, never a filter on a same-named column.
        filters={name: values[name] for name in values if name in known and name not in extra},
        extra={name: values[name] for name in values if name in extra},
    )


def _matches(feature: Feature, query: ItemsQuery) -> bool:
    if query.bbox is not None and (
        feature.geometry is None or not feature.geometry.intersects(query.bbox)
    ):
        return False
    if query.timed:
        # A feature's extent is [start, end], open where unknown: it matches when it overlaps.
        if query.end is not None and feature.start is not None and feature.start > query.end:
            return False
        if query.start is not None and feature.end is not None and feature.end < query.start:
            return False
    for name, wanted in query.filters.items():
        value = feature.iri if name == "iri" else feature.properties.get(name)
        if value is None or _text(value) != wanted:
            return False
    return True


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def page_of(features: Sequence[Feature], query: ItemsQuery) -> Page:
    matching = [feature for feature in features if _matches(feature, query)]
    chosen = matching[query.offset : query.offset + query.limit]
    following = query.offset + query.limit
    return Page(
        features=chosen,
        matched=len(matching),
        next_offset=following if following < len(matching) else None,
        prev_offset=max(0, query.offset - query.limit) if query.offset > 0 else None,
    )


def extent(features: Iterable[Feature]) -> dict[str, object]:
    """The collection's ``extent``: its CRS84 bounding box and its temporal interval."""
    features = list(features)
    shapes = [f.geometry for f in features if f.geometry is not None]
    spatial: list[list[float]] = []
    if shapes:
        bounds = [s.bounds for s in shapes]
        spatial = [
            [
                min(b[0] for b in bounds),
                min(b[1] for b in bounds),
                max(b[2] for b in bounds),
                max(b[3] for b in bounds),
            ]
        ]
    starts = [f.start for f in features]
    ends = [f.end for f in features]
    start = None if not starts or None in starts else min(s for s in starts if s)
    end = None if not ends or None in ends else max(e for e in ends if e)
    return {
        "spatial": {"bbox": spatial or [[-180.0, -90.0, 180.0, 90.0]], "crs": CRS84.uri},
        "temporal": {
            "interval": [[start.isoformat() if start else None, end.isoformat() if end else None]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        },
    }
