"""Questions 1, 4 and 12: ECEC places against forecast children aged 1-6, per area at any level.

Children come from one forecast per area (``semantics.choose_forecasts``), ages from band intervals
(``bands``), places as of the date (``places``); the need is weighted the way computational places
are: a child under 3 counts ``under3Weight`` (eVaka's 1.75), older children 1.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from servicenet_vocab.planning.bands import Band, RangeCount
from servicenet_vocab.planning.facts import Fetch, fetch_units
from servicenet_vocab.planning.places import places_on
from servicenet_vocab.planning.semantics import (
    area_index,
    forecast_children,
    parse_level,
    parse_scenario,
    parse_vintage,
    ratio,
    withhold,
)
from servicenet_vocab.planning.table import Column, Table
from servicenet_vocab.queries.answers.base import (
    LEVEL,
    SCENARIO,
    VINTAGE,
    WINDOW,
    Answer,
    Params,
    as_date,
    as_decimal,
    date_param,
    param,
)

__all__ = ["ANSWERS"]

AGES = Band(1, 6)


@dataclass
class AreaFigures:
    municipality: str
    area: str
    name: str | None
    level: str
    places: Decimal = Decimal(0)
    unknown_language_places: Decimal = Decimal(0)
    children: RangeCount | None = None
    vintages: set[int] = field(default_factory=set)


def _sum_counts(a: RangeCount, b: RangeCount) -> RangeCount:
    a.add(b)
    return a


def compare(
    fetch: Fetch,
    p: Params,
    *,
    ages: Band = AGES,
    tongue: str | None = None,
    language: str | None = None,
    level: str | None = None,
    service_type: str = "ecec",
    under3: Decimal | None = None,
) -> list[AreaFigures]:
    """Places and children per target area (the shared core of these answers)."""
    day, window, year = as_date(p["date"]), int(p["window"]), int(p["year"])
    level = level or parse_level(str(p["level"]))
    vintage, scenario = parse_vintage(str(p["vintage"])), parse_scenario(str(p["scenario"]))
    index = area_index(fetch)
    units = fetch_units(fetch)
    own, choice = forecast_children(
        fetch, year, ages, vintage=vintage, scenario=scenario, tongue=tongue, under3=under3
    )
    children = index.roll_up(own, _sum_counts, RangeCount)
    places = places_on(fetch, day, window)
    per_target: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for (unit_iri, kind), found in places.items():
        unit = units.get(unit_iri)
        if kind != service_type or unit is None:
            continue
        counted = found.total if language is None else found.by_language.get(language, Decimal(0))
        unknown = found.by_language.get(None, Decimal(0)) if language is not None else Decimal(0)
        for target in index.unit_areas(unit):
            per_target[target][0] += counted
            per_target[target][1] += unknown
    vintages: dict[str, set[int]] = defaultdict(set)
    for area, picked in choice.items():
        if area in own and picked.vintage is not None:
            for target in index.ancestors(area):
                vintages[target].add(picked.vintage)
    rows = []
    for municipality, targets in sorted(index.targets(level).items()):
        for target in targets:
            count = children(target)
            if count is None and target not in per_target:
                continue
            rows.append(
                AreaFigures(
                    municipality,
                    target,
                    index.label(target),
                    index.level(target) or level,
                    per_target[target][0] if target in per_target else Decimal(0),
                    per_target[target][1] if target in per_target else Decimal(0),
                    count,
                    vintages.get(target, set()),
                )
            )
    return rows


def _coverage(count: RangeCount | None) -> tuple[bool, str | None]:
    if count is None:
        return False, None
    notes = [*(f"{b} straddles" for b in count.straddling), *(f"{b} suppressed" for b in count.suppressed)]  # fmt: skip
    if count.uncovered:
        notes.append("no band for age " + ",".join(map(str, count.uncovered)))
    return count.complete, "; ".join(notes) or None


def _vintage_text(found: set[int]) -> str | None:
    return ",".join(map(str, sorted(found))) or None


COMMON = (
    Column("municipality", "iri"),
    Column("area", "iri"),
    Column("areaName"),
    Column("level"),
)
TAIL = (
    Column("vintage"),
    Column("complete", "xsd:boolean"),
    Column("coverage"),
    Column("suppressed", "xsd:boolean"),
)


def places_vs_forecast(fetch: Fetch, p: Params) -> Table:
    table = Table(
        [
            *COMMON,
            Column("places", "xsd:decimal"),
            Column("children", "xsd:integer"),
            Column("childrenEstimate", "xsd:decimal"),
            Column("need", "xsd:decimal"),
            Column("ratio", "xsd:decimal"),
            Column("overCapacity", "xsd:boolean"),
            *TAIL,
        ]
    )
    participation = as_decimal(p["participation"])
    for row in compare(fetch, p, under3=as_decimal(p["under3Weight"])):
        count = row.children
        exact = count.exact if count else None
        estimate = count.estimate.quantize(Decimal("0.1")) if count else None
        need = count.weighted * participation if count else None
        shown = withhold(exact, estimate)
        need_shown = None if shown is None and count is not None and count.exact else need
        share = ratio(need_shown, row.places)
        complete, coverage = _coverage(count)
        table.add(
            row.municipality,
            row.area,
            row.name,
            row.level,
            row.places,
            shown,
            None if shown is None else estimate,
            None if need_shown is None else need_shown.quantize(Decimal("0.01")),
            share,
            None if share is None else share > 1,
            _vintage_text(row.vintages),
            complete,
            coverage,
            shown is None and exact is not None,
        )
    table.rows.sort(key=lambda r: (-(r[8] or Decimal(-1)), str(r[1])))  # type: ignore[operator]
    return table


def swedish_language_gap(fetch: Fetch, p: Params) -> Table:
    table = Table(
        [
            *COMMON,
            Column("swedishPlaces", "xsd:decimal"),
            Column("unknownLanguagePlaces", "xsd:decimal"),
            Column("swedishChildren", "xsd:integer"),
            Column("need", "xsd:decimal"),
            Column("gap", "xsd:decimal"),
            *TAIL,
        ]
    )
    participation = as_decimal(p["participation"])
    for row in compare(fetch, p, tongue="sv", language="sv", under3=as_decimal(p["under3Weight"])):
        count = row.children
        shown = None if count is None else withhold(count.exact, count.estimate)
        need = None if shown is None or count is None else (count.weighted * participation).quantize(Decimal("0.01"))  # fmt: skip
        complete, coverage = _coverage(count)
        table.add(
            row.municipality,
            row.area,
            row.name,
            row.level,
            row.places,
            row.unknown_language_places,
            shown,
            need,
            None if need is None else need - row.places,
            _vintage_text(row.vintages),
            complete,
            coverage,
            shown is None and count is not None and count.exact > 0,
        )
    table.rows.sort(key=lambda r: (-(r[8] if r[8] is not None else Decimal(-(10**9))), str(r[1])))  # type: ignore[operator]
    return table


def places_per_100_children(fetch: Fetch, p: Params) -> Table:
    names = {
        str(r["m"]): r["name"]
        for r in fetch(
            "PREFIX sn: <https://w3id.org/servicenet/ontology#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?m ?name WHERE { "
            '?m a sn:Municipality ; skos:prefLabel ?name FILTER(LANG(?name) = "fi") }'
        )
    }
    table = Table(
        [
            Column("municipality", "iri"),
            Column("municipalityName"),
            Column("places", "xsd:decimal"),
            Column("children", "xsd:integer"),
            Column("childrenEstimate", "xsd:decimal"),
            Column("placesPer100", "xsd:decimal"),
            *TAIL,
        ]
    )
    for row in compare(fetch, {**p, "level": "municipality"}, level="municipality"):
        count = row.children
        if count is None:
            continue
        shown = withhold(count.exact, count.estimate)
        estimate = count.estimate.quantize(Decimal("0.1"))
        per100 = ratio(100 * row.places, count.estimate) if shown is not None else None
        complete, coverage = _coverage(count)
        table.add(
            row.municipality,
            names.get(row.municipality),
            row.places,
            shown,
            None if shown is None else estimate,
            per100,
            _vintage_text(row.vintages),
            complete,
            coverage,
            shown is None and count.exact > 0,
        )
    table.rows.sort(key=lambda r: -(r[5] or Decimal(-1)))  # type: ignore[operator]
    return table


YEAR_1_6 = "Forecast year of the children"
PARTICIPATION = param(
    "participation", "xsd:decimal", "0.8", "Share of children aged 1–6 expected to use ECEC"
)
UNDER3 = param(
    "under3Weight",
    "xsd:decimal",
    "1.75",
    "Weight of a child under 3 in the need, as in computational places (1 for head counts)",
)
FORECAST = (VINTAGE, SCENARIO)
ANSWERS = {
    "places-vs-forecast": Answer(
        "places-vs-forecast",
        "ECEC places vs forecast children aged 1–6 per area",
        "Planners' question 1. Per area (at the asked level): ECEC places as of the date against the forecast children aged 1–6 in a year (one forecast per area: the scenario and vintage asked), weighted like computational places (under 3: under3Weight) times the participation rate; a ratio over 1 means the need exceeds the places. Bands that straddle 1–6 (0-6, 0-2) are reported in coverage and enter the estimate by their share of years.",
        (
            param("year", "xsd:integer", "2030", YEAR_1_6),
            date_param("Reference date of the places (as of)"),
            PARTICIPATION,
            UNDER3,
            LEVEL,
            *FORECAST,
            WINDOW,
        ),
        places_vs_forecast,
    ),
    "swedish-language-gap": Answer(
        "swedish-language-gap",
        "Swedish-language ECEC places vs Swedish-speaking children per area",
        "Planners' question 4. Per area: ECEC places given in Swedish (the capacity's own language, else the unit's only ECEC language; places of units offering several languages without a per-capacity language are unknownLanguagePlaces) against the forecast Swedish-speaking children aged 1–6, weighted and times the participation rate; a positive gap is missing places.",
        (
            param("year", "xsd:integer", "2025", YEAR_1_6),
            date_param("Reference date of the places (as of)"),
            PARTICIPATION,
            UNDER3,
            LEVEL,
            *FORECAST,
            WINDOW,
        ),
        swedish_language_gap,
    ),
    "places-per-100-children": Answer(
        "places-per-100-children",
        "ECEC places per 100 children aged 1–6, by municipality",
        "Planners' question 12. Comparable across cities because places and children are counted on the shared code lists and the same rules: ECEC places as of a date per 100 forecast children aged 1–6 (head count, one forecast per area) in a year.",
        (
            param("year", "xsd:integer", "2025", YEAR_1_6),
            date_param("Reference date of the places (as of)"),
            *FORECAST,
            WINDOW,
        ),
        places_per_100_children,
    ),
}
