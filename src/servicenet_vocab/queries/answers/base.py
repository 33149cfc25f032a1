"""What a Python answer is: the header a ``.rq`` file would carry, and a function of the facts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from servicenet_vocab.planning.facts import Fetch
from servicenet_vocab.planning.table import Table
from servicenet_vocab.queries.params import QueryParam

__all__ = ["Answer", "Params", "param"]

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Answer:
    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    compute: Callable[[Fetch, Params], Table]


def param(name: str, datatype: str, default: str, description: str) -> QueryParam:
    return QueryParam(name=name, datatype=datatype, default=default, description=description)


# the parameters several answers share, with the same names and defaults
def date_param(description: str = "The day the places and children are counted on") -> QueryParam:
    return param("date", "xsd:date", "2025-10-01", description)


WINDOW = param(
    "window",
    "xsd:integer",
    "365",
    "Days before the date within which the latest observation counts (as of the date)",
)
LEVEL = param(
    "level",
    "xsd:string",
    "auto",
    "Area level of the answer: auto (per city district, else sub-district, postal-code area, grid cell), municipality, major-district, district, sub-district, postal-code-area, grid-cell, service-area",
)
VINTAGE = param(
    "vintage", "xsd:string", "latest", "Forecast vintage: latest (per area) or a year such as 2024"
)
SCENARIO = param("scenario", "xsd:string", "baseline", "Forecast scenario: baseline, high or low")


def as_date(value: object) -> date:
    assert isinstance(value, date)
    return value


def years_after(day: date, years: int) -> date:
    """The same day ``years`` years later (earlier when negative); 29 February becomes the 28th
    in a common year.

    >>> years_after(date(2024, 2, 29), -1)
    datetime.date(2023, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def as_decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
