"""Dated observations the answers read (capacity, enrolment, forecasts and their cells), each
with one narrow SELECT that starts from its most selective pattern (a date window, a year)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol, TypeVar

from servicenet_vocab.planning.facts import (
    CODE,
    PREFIXES,
    Fetch,
    code,
    date_term,
    memoized,
    parse_date,
    parse_decimal,
    parse_int,
)

__all__ = [
    "Capacity",
    "Enrolment",
    "Forecast",
    "ForecastCell",
    "fetch_capacity",
    "fetch_enrolment",
    "fetch_forecast_cells",
    "fetch_forecasts",
]


@dataclass
class Capacity:
    iri: str
    unit: str
    date: date
    service_type: str | None
    places: int | None
    basis: str | None
    caretakers: Decimal | None
    language: str | None
    age_group: str | None
    grade: str | None
    planned_rate: Decimal | None = None
    confirmed_rate: Decimal | None = None
    realised_rate: Decimal | None = None


def fetch_capacity(fetch: Fetch, day: date, window: int) -> list[Capacity]:
    """Capacity observations dated in the window ``day - window`` < date <= ``day``."""
    return _in_window(fetch, _every_capacity, _read_capacity, day, window)


@memoized
def _every_capacity(fetch: Fetch) -> list[Capacity]:
    return _read_capacity(fetch, "")


class _Observation(Protocol):
    @property
    def date(self) -> date: ...


Dated = TypeVar("Dated", bound=_Observation)


def _in_window(
    fetch: Fetch,
    every: Callable[[Fetch], list[Dated]],
    read: Callable[[Fetch, str], list[Dated]],
    day: date,
    window: int,
) -> list[Dated]:
    """The observations dated ``day - window`` < date <= ``day``. A worker that keeps the facts
    keeps every date's (``every``), so an answer for another date or window costs no SELECT; a
    one-off answer reads only its window."""
    start = day - timedelta(days=window)
    if getattr(fetch, "memo_token", None) is not None:
        return [o for o in every(fetch) if start < o.date <= day]
    return read(fetch, f"FILTER(?date <= {date_term(day)} && ?date > {date_term(start)})")


def _read_capacity(fetch: Fetch, dated: str) -> list[Capacity]:
    text = (
        PREFIXES
        + f"""SELECT ?c ?unit ?date ?type ?places ?basis ?caretakers ?language ?age
        ?grade ?planned ?confirmed ?realised WHERE {{
      ?c sn:referenceDate ?date .
      {dated}
      ?c a sn:CapacityObservation ; sn:unit ?unit .
      OPTIONAL {{ ?c sn:serviceType ?type }} OPTIONAL {{ ?c sn:places ?places }}
      OPTIONAL {{ ?c sn:placeBasis ?basis }} OPTIONAL {{ ?c sn:caretakers ?caretakers }}
      OPTIONAL {{ ?c sn:serviceLanguage ?language }} OPTIONAL {{ ?c sn:ageGroup ?age }}
      OPTIONAL {{ ?c sn:gradeRange ?grade }} OPTIONAL {{ ?c sn:plannedOccupancyRate ?planned }}
      OPTIONAL {{ ?c sn:confirmedOccupancyRate ?confirmed }}
      OPTIONAL {{ ?c sn:realisedUtilisationRate ?realised }} }}"""
    )
    found = []
    for row in fetch(text):
        found.append(
            Capacity(
                str(row["c"]),
                str(row["unit"]),
                date.fromisoformat(str(row["date"])[:10]),
                code(row["type"]),
                parse_int(row["places"]),
                code(row["basis"]),
                parse_decimal(row["caretakers"]),
                code(row["language"]),
                code(row["age"]),
                code(row["grade"]),
                parse_decimal(row["planned"]),
                parse_decimal(row["confirmed"]),
                parse_decimal(row["realised"]),
            )
        )
    return found


@dataclass
class Enrolment:
    iri: str
    unit: str
    date: date
    age_group: str | None
    option: str | None
    enrolled: int | None
    planned: int | None
    support: Decimal | None
    grade: str | None


def fetch_enrolment(fetch: Fetch, day: date, window: int) -> list[Enrolment]:
    """Enrolment observations dated in the window, as ``fetch_capacity``."""
    return _in_window(fetch, _every_enrolment, _read_enrolment, day, window)


@memoized
def _every_enrolment(fetch: Fetch) -> list[Enrolment]:
    return _read_enrolment(fetch, "")


def _read_enrolment(fetch: Fetch, dated: str) -> list[Enrolment]:
    text = (
        PREFIXES
        + f"""SELECT ?e ?unit ?date ?age ?option ?enrolled ?planned ?support ?grade
      WHERE {{
      ?e sn:referenceDate ?date .
      {dated}
      ?e a sn:EnrolmentObservation ; sn:unit ?unit .
      OPTIONAL {{ ?e sn:ageGroup ?age }} OPTIONAL {{ ?e sn:serviceNeedOption ?option }}
      OPTIONAL {{ ?e sn:enrolledChildren ?enrolled }} OPTIONAL {{ ?e sn:plannedChildren ?planned }}
      OPTIONAL {{ ?e sn:supportCoefficient ?support }} OPTIONAL {{ ?e sn:gradeRange ?grade }} }}"""
    )
    return [
        Enrolment(
            str(row["e"]),
            str(row["unit"]),
            date.fromisoformat(str(row["date"])[:10]),
            code(row["age"]),
            row["option"],
            parse_int(row["enrolled"]),
            parse_int(row["planned"]),
            parse_decimal(row["support"]),
            code(row["grade"]),
        )
        for row in fetch(text)
    ]


@dataclass
class Forecast:
    iri: str
    vintage: int | None
    scenario: str  # a forecast without sn:scenario is taken as the baseline
    issued: date | None


@memoized
def fetch_forecasts(fetch: Fetch) -> dict[str, Forecast]:
    text = (
        PREFIXES
        + """SELECT ?f ?vintage ?scenario ?issued WHERE {
      ?f a sn:PopulationForecast .
      OPTIONAL { ?f sn:forecastVintage ?vintage } OPTIONAL { ?f sn:scenario ?scenario }
      OPTIONAL { ?f dct:issued ?issued } }"""
    )
    return {
        str(row["f"]): Forecast(
            str(row["f"]),
            parse_int(row["vintage"]),
            code(row["scenario"]) or "baseline",
            parse_date(row["issued"]),
        )
        for row in fetch(text)
    }


@dataclass(frozen=True)
class ForecastCell:
    forecast: str
    area: str
    age_group: str
    tongue: str | None
    value: int | None  # None: a suppressed cell


@memoized
def fetch_forecast_cells(
    fetch: Fetch, years: tuple[int, ...], tongue: str | None = None
) -> dict[int, list[ForecastCell]]:
    """Forecast observations and suppressed cells of the given years, by year; ``tongue`` narrows
    them to one mother tongue."""
    values = " ".join(str(int(y)) for y in years)
    narrow = f"sn:motherTongue <{CODE}language/{tongue}> ;" if tongue else ""
    tongue_var = f"(<{CODE}language/{tongue}> AS ?tongue)" if tongue else "?tongue"
    optional = "" if tongue else "OPTIONAL { ?obs sn:motherTongue ?tongue }"
    text = (
        PREFIXES
        + f"""SELECT ?year ?f ?area ?age {tongue_var} ?n ?cell WHERE {{
      VALUES ?year {{ {values} }}
      {{ ?obs sn:referenceYear ?year ; {narrow} a sn:PopulationForecastObservation ;
           qb:dataSet ?f ; sn:area ?area ; sn:ageGroup ?age ; sn:population ?n . {optional} }}
      UNION
      {{ ?obs sn:referenceYear ?year ; {narrow} a sn:SuppressedCell ; sn:cellOf ?f ;
           sn:area ?area ; sn:ageGroup ?age . ?f a sn:PopulationForecast . {optional}
         BIND(true AS ?cell) }} }}"""
    )
    found: dict[int, list[ForecastCell]] = defaultdict(list)
    for row in fetch(text):
        found[int(str(row["year"]))].append(
            ForecastCell(
                str(row["f"]),
                str(row["area"]),
                str(code(row["age"])),
                code(row["tongue"]),
                None if row["cell"] else parse_int(row["n"]),
            )
        )
    return found
