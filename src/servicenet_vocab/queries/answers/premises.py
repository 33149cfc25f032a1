"""Question 5: units in premises whose lease ends, whose repair need falls due or whose condition
is poor within the horizon, with the places they carry.

A unit's premises are those of its ``sn:premisesUse`` valid on the date; its places are counted as
every answer counts them (``planning.places``: as of the date, per service type, staff-based
places as caretakers x 7, a total beside per-language figures and overlapping age bands never
added). The 0.x query added every ``sn:places`` of the latest date, so a unit giving a total and
its Finnish and Swedish parts carried its places twice, and staff-based places were nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from servicenet_vocab.planning.facts import (
    PREFIXES,
    Fetch,
    code,
    fetch_units,
    memoized,
    parse_date,
    parse_int,
)
from servicenet_vocab.planning.places import places_on
from servicenet_vocab.planning.table import Column, Table
from servicenet_vocab.queries.answers.base import (
    WINDOW,
    Answer,
    Params,
    as_date,
    param,
    years_after,
)

__all__ = ["ANSWERS"]

POOR = {"poor", "very-poor"}
SERVICES = ("ecec", "pre-school", "basic-education")


@dataclass(frozen=True)
class PremisesUse:
    unit: str
    premises: str
    valid_from: date | None
    valid_to: date | None
    lease_end: date | None
    condition: str | None  # the code IRI
    repair_year: int | None


@memoized
def fetch_premises_uses(fetch: Fetch) -> list[PremisesUse]:
    text = (
        PREFIXES
        + """SELECT ?unit ?premises ?from ?to ?lease ?condition ?repair WHERE {
      ?unit sn:premisesUse ?use . ?use sn:premises ?premises .
      OPTIONAL { ?use sn:validFrom ?from } OPTIONAL { ?use sn:validTo ?to }
      OPTIONAL { ?premises sn:leaseEndDate ?lease } OPTIONAL { ?premises sn:condition ?condition }
      OPTIONAL { ?premises sn:repairNeedYear ?repair } }"""
    )
    return [
        PremisesUse(
            str(row["unit"]),
            str(row["premises"]),
            parse_date(row["from"]),
            parse_date(row["to"]),
            parse_date(row["lease"]),
            row["condition"],
            parse_int(row["repair"]),
        )
        for row in fetch(text)
    ]


def premises_risk(fetch: Fetch, p: Params) -> Table:
    day, years, window = as_date(p["asOf"]), int(p["years"]), int(p["window"])
    until = years_after(day, years)
    units = fetch_units(fetch)
    places: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for (unit_iri, service_type), found in places_on(fetch, day, window).items():
        places[unit_iri][service_type] = found.total
    table = Table(
        [
            Column("municipality", "iri"),
            Column("unit", "iri"),
            Column("unitName"),
            Column("premises", "iri"),
            Column("leaseEnd", "xsd:date"),
            Column("condition", "iri"),
            Column("repairYear", "xsd:integer"),
            Column("places", "xsd:decimal", "All places of the unit as of the date"),
            Column("ececPlaces", "xsd:decimal"),
            Column("preSchoolPlaces", "xsd:decimal"),
            Column("basicEducationPlaces", "xsd:decimal"),
            Column("leaseEnding", "xsd:boolean"),
            Column("poorCondition", "xsd:boolean"),
            Column("repairDue", "xsd:boolean"),
        ]
    )
    for use in fetch_premises_uses(fetch):
        if use.valid_from is None or use.valid_from > day:
            continue
        if use.valid_to is not None and use.valid_to < day:
            continue
        lease_ending = use.lease_end is not None and use.lease_end <= until
        poor = code(use.condition) in POOR
        repair_due = use.repair_year is not None and use.repair_year <= day.year + years
        if not (lease_ending or poor or repair_due):
            continue
        unit = units.get(use.unit)
        carried = places.get(use.unit, {})
        table.add(
            unit.municipality if unit else None,
            use.unit,
            unit.label if unit else None,
            use.premises,
            use.lease_end,
            use.condition,
            use.repair_year,
            sum(carried.values(), Decimal(0)) if carried else None,
            *(carried.get(service) for service in SERVICES),
            lease_ending,
            poor,
            repair_due,
        )
    table.rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[3])))
    return table


ANSWERS = {
    "premises-risk": Answer(
        "premises-risk",
        "Units in premises with an ending lease or poor condition",
        "Planners' question 5. Units whose current premises have a lease ending, a repair need falling due within the horizon, or a poor or very poor condition, with the places they carry as of the date (per service type and in all).",
        (
            param(
                "asOf",
                "xsd:date",
                "2025-10-01",
                "The day the horizon starts (also the date of the places)",
            ),
            param("years", "xsd:integer", "5", "Horizon in years"),
            WINDOW,
        ),
        premises_risk,
    ),
}
