"""Reading PTV v11 records: pages and items, language-keyed texts, service classes, the
ETRS-TM35FIN point, weekly service hours."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyproj import Transformer

from servicenet_vocab.convert.emit import XSD_DECIMAL
from servicenet_vocab.errors import InputError, Location

__all__ = [
    "LANGUAGES",
    "TM35FIN",
    "UNIT_TYPE",
    "UUID",
    "Problem",
    "by_language",
    "decimal",
    "hours",
    "is_channel",
    "items",
    "metres",
    "point",
    "service_types",
]

PTV_CLASS = "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/"
# PTV class -> service-type notation (the code list's skos:exactMatch), with PTV's own labels
CLASSES = {
    "P3.4": ("ecec", ("varhaiskasvatus", "småbarnspedagogik", "day care")),
    "P6.1": ("pre-school", ("esiopetus", "förskoleundervisning", "pre-school education")),
    "P6.2": ("basic-education", ("perusopetus", "grundläggande utbildning", "basic education")),
}
_BY_LABEL = {label: service for service, labels in CLASSES.values() for label in labels}
# the unit a location is, from the services it offers (a school with pre-school is a school)
UNIT_TYPE = (
    ("basic-education", "comprehensive-school"),
    ("ecec", "daycare-centre"),
    ("pre-school", "pre-school-unit"),
)
DAYS = {
    "monday": "Mo", "tuesday": "Tu", "wednesday": "We", "thursday": "Th",
    "friday": "Fr", "saturday": "Sa", "sunday": "Su",
}  # fmt: skip
LANGUAGES = ("fi", "sv", "en")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TIME = re.compile(r"^([0-2]\d):([0-5]\d)")
TM35FIN = "http://www.opengis.net/def/crs/EPSG/0/3067"


class Problem(Exception):
    def __init__(self, field: str | None, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.field, self.message = field, message
        self.value = None if value is None else str(value)


def items(path: Path) -> Iterator[dict[str, Any]]:
    """The items of a PTV response: a page, a list of pages or a list of items."""
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise InputError(
            f"not a PTV JSON response: {error}", location=Location(source=path.name, line=line)
        ) from None
    pages = data if isinstance(data, list) else [data]
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("itemList"), list):
            yield from (item for item in page["itemList"] if isinstance(item, dict))
        elif isinstance(page, dict) and "id" in page:
            yield page
        else:
            raise InputError(
                "not a PTV v11 response: expected pages with 'itemList'",
                location=Location(source=path.name),
            )


def is_channel(item: dict[str, Any]) -> bool:
    return "serviceChannelType" in item


def by_language(values: Any, kind: str | None = None) -> dict[str, str]:
    """PTV's ``[{"language": "fi", "value": ...}]`` as language -> text (the first of each)."""
    found: dict[str, str] = {}
    for entry in values or ():
        if not isinstance(entry, dict) or (kind and entry.get("type") != kind):
            continue
        text, language = str(entry.get("value") or "").strip(), entry.get("language")
        if text and language in LANGUAGES:
            found.setdefault(language, text)
    return found


def service_types(service: dict[str, Any] | None, name: str | None) -> list[str]:
    """The service types a PTV service is: by its classes, else (a broad class) by its name."""
    found: list[str] = []
    for service_class in (service or {}).get("serviceClasses") or ():
        code = str(service_class.get("code") or service_class.get("uri") or "")
        code = code.removeprefix(PTV_CLASS)
        if code in CLASSES:
            found.append(CLASSES[code][0])
            continue
        for label in by_language(service_class.get("name")).values():
            if label.lower() in _BY_LABEL:
                found.append(_BY_LABEL[label.lower()])
    if not found:
        names = [name] if name else []
        names += list(by_language((service or {}).get("serviceNames")).values())
        found += [_BY_LABEL[n.lower()] for n in names if n and n.lower() in _BY_LABEL]
    return list(dict.fromkeys(found))


@lru_cache(maxsize=1)
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


def point(address: dict[str, Any]) -> tuple[float, float, float, float] | None:
    """(easting, northing, longitude, latitude) of a PTV address; ``None`` if it has none."""
    lat, lon = address.get("latitude"), address.get("longitude")
    if lat in (None, "") or lon in (None, ""):
        return None
    try:
        northing, easting = float(lat), float(lon)
    except (TypeError, ValueError):
        raise Problem("latitude", f"'{lat}', '{lon}' are not coordinates", lat) from None
    longitude, latitude = _to_wgs84().transform(easting, northing)
    if not (59.5 <= latitude <= 70.1 and 19.0 <= longitude <= 31.6):
        raise Problem(
            "latitude",
            f"ETRS-TM35FIN N {lat}, E {lon} is not in Finland (PTV gives metres, not degrees)",
            lat,
        )
    return easting, northing, longitude, latitude


def hours(channel: dict[str, Any]) -> list[str]:
    """Weekly service hours as schema.org ``openingHours`` (``We 08:00-16:00``)."""
    found: list[str] = []
    for hours in channel.get("serviceHours") or ():
        if hours.get("serviceHourType") != "DaysOfTheWeek" or hours.get("isClosed"):
            continue
        if hours.get("validForNow") is False:
            continue
        if hours.get("isAlwaysOpen"):
            found.append("Mo-Su 00:00-24:00")
            continue
        for opening in hours.get("openingHour") or ():
            first = DAYS.get(str(opening.get("dayFrom") or "").lower())
            last = DAYS.get(str(opening.get("dayTo") or "").lower())
            start = _TIME.match(str(opening.get("from") or ""))
            end = _TIME.match(str(opening.get("to") or ""))
            if first and start and end:
                days = f"{first}-{last}" if last and last != first else first
                found.append(f"{days} {start[1]}:{start[2]}-{end[1]}:{end[2]}")
    return list(dict.fromkeys(found))


def metres(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def decimal(value: float) -> str:
    return f'"{value:.6f}"^^{XSD_DECIMAL}'
