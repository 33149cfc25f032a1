"""Questions 3 and 11: places of the units serving a catchment area against the children of its
ages, per catchment area and school year.

A school year "Y-(Y+1)" is compared with the forecast of year Y (population at the end of Y, in
completed years): pre-school with the children aged 6, grades 1-6 with 7-12, grades 7-9 with 13-15.
The children of a catchment area are those of its own cells, else of the forecast areas lying in
it (``sn:partOfArea``, else the point of an area of the same municipality inside its polygon); for its language as in
``semantics.children_for_language``. Places: the capacity as of the date of the units it is served
by (``sn:servedBy``), in its language (``semantics.place_language``); basic-education capacity by
grade range where the city gives one, else the unit's whole capacity, flagged shared.
"""

from __future__ import annotations

import re
from decimal import Decimal

from shapely.geometry.base import BaseGeometry

from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.planning.bands import Band, RangeCount, parse_band
from servicenet_vocab.planning.facts import Area, Fetch, fetch_units
from servicenet_vocab.planning.geometry import area_point, contained_in, polygon
from servicenet_vocab.planning.observations import (
    fetch_capacity,
)
from servicenet_vocab.planning.places import places_on
from servicenet_vocab.planning.semantics import (
    AreaIndex,
    area_index,
    as_of,
    forecast_children,
    parse_scenario,
    parse_vintage,
    place_language,
    ratio,
    withhold,
)
from servicenet_vocab.planning.table import Column, Table
from servicenet_vocab.queries.answers.base import (
    SCENARIO,
    VINTAGE,
    WINDOW,
    Answer,
    Params,
    as_date,
    param,
)
from servicenet_vocab.queries.params import QueryParam

__all__ = ["ANSWERS"]

KINDS = {"pre-school": Band(6, 6), "grades-1-6": Band(7, 12), "grades-7-9": Band(13, 15)}
GRADES = {"grades-1-6": Band(1, 6), "grades-7-9": Band(7, 9)}
_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def _school_year(text: str) -> int:
    match = _SCHOOL_YEAR.match(text)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise InputError(
            f"parameter 'schoolYear' must look like 2025-2026, not {text[:40]!r}",
            location=Location(field="schoolYear"),
        )
    return int(match.group(1))


def _members(
    catchments: list[Area], index: AreaIndex, counted: dict[str, RangeCount]
) -> dict[str, list[str]]:
    """The forecast areas whose children a catchment area counts."""
    found: dict[str, list[str]] = {}
    shapes = {}
    under: dict[str, list[str]] = {}
    for counted_area in counted:
        for ancestor in index.ancestors(counted_area) - {counted_area}:
            under.setdefault(ancestor, []).append(counted_area)
    for area in catchments:
        if area.iri in counted:
            found[area.iri] = [area.iri]
            continue
        below = under.get(area.iri, [])
        if below:
            found[area.iri] = below
        elif area.wkt and (shape := polygon(area.wkt)) is not None:
            shapes[area.iri] = shape
    # a catchment area is its municipality's: it holds the forecast areas of that municipality
    points: dict[str | None, list[tuple[str, tuple[float, float]]]] = {}
    for a in counted:
        if a in index.areas and (point := area_point(index.areas[a])):
            points.setdefault(index.municipality(a), []).append((a, point))
    by_municipality: dict[str | None, dict[str, BaseGeometry]] = {}
    for iri, shape in shapes.items():
        by_municipality.setdefault(index.municipality(iri), {})[iri] = shape
    inside_of: dict[str, list[str]] = {}
    for municipality, group in by_municipality.items():
        inside_of.update(contained_in(points.get(municipality, []), group))
    nested = {a: (index.ancestors(a) - {a}) & counted.keys() for a in counted}
    for iri, inside in inside_of.items():
        # an area whose own parent is inside too would count twice: keep the coarsest
        keep = set(inside)
        found[iri] = sorted(a for a in inside if not nested[a] or not nested[a] & keep)
    return found


def _answer(fetch: Fetch, p: Params, kinds: tuple[str, ...]) -> Table:
    first = _school_year(str(p["schoolYear"]))
    day, window = as_date(p["date"]), int(p["window"])
    vintage, scenario = parse_vintage(str(p["vintage"])), parse_scenario(str(p["scenario"]))
    index = area_index(fetch, True)
    areas = index.areas
    catchments = [
        a
        for a in areas.values()
        if a.catchment_kind in kinds and (a.school_year in (None, p["schoolYear"]))
    ]
    units = fetch_units(fetch)
    capacity = fetch_capacity(fetch, day, window)
    places = places_on(fetch, day, window)
    latest_school = as_of(
        (c for c in capacity if c.service_type == "basic-education"),
        lambda c: c.unit,
        lambda c: c.date,
    )
    table = Table(
        [
            Column("municipality", "iri"),
            Column("catchmentArea", "iri"),
            Column("catchmentName"),
            Column("catchmentKind"),
            Column("language"),
            Column("schoolYear"),
            Column("units"),
            Column("places", "xsd:decimal"),
            Column("children", "xsd:integer"),
            Column("childrenEstimate", "xsd:decimal"),
            Column("placesPerChild", "xsd:decimal"),
            Column("gap", "xsd:decimal"),
            Column("sharedCapacity", "xsd:boolean"),
            Column("complete", "xsd:boolean"),
            Column("suppressed", "xsd:boolean"),
        ]
    )
    by_language: dict[tuple[str, str | None], dict[str, RangeCount]] = {}
    members_of: dict[str, list[str]] = {}
    for key in sorted({(str(a.catchment_kind), a.language) for a in catchments}, key=str):
        counted, _ = forecast_children(
            fetch, first, KINDS[key[0]], vintage=vintage, scenario=scenario, language=key[1]
        )
        by_language[key] = counted
        group = [a for a in catchments if (a.catchment_kind, a.language) == key]
        members_of.update(_members(group, index, counted))
    for area in sorted(catchments, key=lambda a: a.iri):
        kind = str(area.catchment_kind)
        counted = by_language[(kind, area.language)]
        members = members_of.get(area.iri, [])
        total = _total([counted[member] for member in members])
        total_places, shared, reported = Decimal(0), False, False
        for unit_iri in area.served_by:
            if kind == "pre-school":
                found = places.get((unit_iri, "pre-school"))
                if found is not None:
                    reported = True
                    unit = units.get(unit_iri)
                    own = unit.languages("pre-school", day) if unit else set()
                    language = area.language
                    total_places += sum(
                        (
                            v
                            for lang, v in found.by_language.items()
                            if language is None or place_language(lang, own) == language
                        ),
                        Decimal(0),
                    )
                continue
            grades = GRADES[kind]
            for c in latest_school.get(unit_iri, []):
                if c.places is None:
                    continue
                reported = True
                if c.grade is None:
                    total_places += c.places
                    shared = True
                elif (band := _grades(c.grade)) is not None and band.within(grades):
                    total_places += c.places
                elif band is not None and band.overlap(grades) is not None:
                    total_places += c.places  # 1-9 for a 1-6 area: the school's whole capacity
                    shared = True
        no_data = not members or (
            len(total.uncovered) == KINDS[kind].years() and not total.straddling
        )
        shown = None if no_data else withhold(total.exact, total.estimate)
        spaces = total_places if reported else None
        table.add(
            index.municipality(area.iri),
            area.iri,
            area.label,
            kind,
            area.language,
            area.school_year or p["schoolYear"],
            " ".join(sorted(area.served_by)) or None,
            spaces,
            shown,
            None if shown is None else total.estimate.quantize(Decimal("0.1")),
            ratio(spaces, total.estimate) if shown is not None else None,
            None
            if shown is None or spaces is None
            else (total.estimate - spaces).quantize(Decimal("0.1")),
            shared,
            total.complete and not no_data,
            not no_data and shown is None and total.exact > 0,
        )
    return table


def _total(parts: list[RangeCount]) -> RangeCount:
    """The children of several areas (summed directly: a catchment area may hold many)."""
    total = RangeCount(
        exact=sum(p.exact for p in parts),
        estimate=sum((p.estimate for p in parts), Decimal(0)),
        weighted=sum((p.weighted for p in parts), Decimal(0)),
        complete=all(p.complete for p in parts),
    )
    for part in parts:
        if part.straddling or part.suppressed or part.uncovered:
            total.add(RangeCount(0, Decimal(0), Decimal(0), part.complete, part.straddling, part.suppressed, part.uncovered))  # fmt: skip
    return total


def _grades(notation: str) -> Band | None:
    try:
        return parse_band(notation)
    except ValueError:
        return None


def preschool(fetch: Fetch, p: Params) -> Table:
    return _answer(fetch, p, ("pre-school",))


def schools(fetch: Fetch, p: Params) -> Table:
    return _answer(fetch, p, ("grades-1-6", "grades-7-9"))


def _params(date: str) -> tuple[QueryParam, ...]:
    return (
        param(
            "schoolYear",
            "xsd:string",
            "2025-2026",
            "School year, compared with the forecast of its first year",
        ),
        param("date", "xsd:date", date, "Reference date of the places (as of)"),
        VINTAGE,
        SCENARIO,
        WINDOW,
    )


ANSWERS = {
    "preschool-places-vs-six-year-olds": Answer(
        "preschool-places-vs-six-year-olds",
        "Pre-school places vs six-year-olds per pre-school area and school year",
        "Planners' question 3. Per pre-school area (catchment kind pre-school) of the school year: the pre-school places, as of the date and in the area's language, of the units serving it, against the forecast children aged 6 at the end of the school year's first year (one forecast per area, by band intervals) who live in it; placesPerChild under 1 or a positive gap means too few places.",
        _params("2025-10-01"),
        preschool,
    ),
    "school-capacity-vs-forecast": Answer(
        "school-capacity-vs-forecast",
        "Basic-education capacity vs forecast 7–12 and 13–15-year-olds per catchment area",
        "Planners' question 11. Per catchment area for grades 1–6 and 7–9: the basic-education places of the schools serving it (by grade range where given; a school's undivided capacity counts in each of its areas, flagged sharedCapacity) against the forecast children aged 7–12 or 13–15 living in it, for the school year's first year.",
        _params("2025-10-01"),
        schools,
    ),
}
