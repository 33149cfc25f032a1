"""Question 2: occupancy per unit as eVaka computes it, from the aggregates the model holds.

Per unit, as of the date: enrolled children weighted by their option's occupancy coefficient (the
under-3 coefficient for years under 3, shared by years when a band straddles 3), times the support
coefficient; an enrolment without an option takes the full-day option's coefficients (eVaka's
default option); in family and group family daycare every child weighs 1.75 (eVaka's family
placement coefficient). Children whose option is pre-school are counted against the unit's
pre-school places when it reports any, else against its ECEC places (eVaka counts them in the
unit's occupancy at 0.5); pupils (grade ranges) never count. Places: the stated basis (head count,
computational, caretakers x 7). Planned occupancy uses planned children where given; the rates a
city reports itself (planned, confirmed, realised) are shown beside.
"""

from __future__ import annotations

from decimal import Decimal

from servicenet_vocab.planning.bands import Band
from servicenet_vocab.planning.facts import (
    Fetch,
    Option,
    Unit,
    fetch_age_groups,
    fetch_options,
    fetch_units,
)
from servicenet_vocab.planning.observations import Enrolment, fetch_enrolment
from servicenet_vocab.planning.places import UnitPlaces, places_on
from servicenet_vocab.planning.semantics import as_of, ratio, withhold
from servicenet_vocab.planning.table import Column, Table
from servicenet_vocab.queries.answers.base import (
    WINDOW,
    Answer,
    Params,
    as_date,
    as_decimal,
    date_param,
    param,
)

__all__ = ["ANSWERS", "occupied", "weight_of"]

FULL_DAY = "https://w3id.org/servicenet/code/service-need-option/full-day"
FAMILY_COEFFICIENT = Decimal("1.75")
ONE = Decimal(1)


def weight_of(
    enrolment: Enrolment,
    options: dict[str, Option],
    age_groups: dict[str, tuple[int, int | None]],
    family: bool,
) -> Decimal:
    """One child's weight in this observation: coefficient x support."""
    support = enrolment.support if enrolment.support is not None else ONE
    if family:
        return FAMILY_COEFFICIENT * support
    option = options.get(enrolment.option or FULL_DAY) or options.get(FULL_DAY) or Option(FULL_DAY)
    over3 = option.coefficient if option.coefficient is not None else ONE
    under3 = option.under3 if option.under3 is not None else over3
    low, high = age_groups.get(enrolment.age_group or "", (3, 6))
    band = Band(low, high if high is not None else max(low, 6))
    years = range(band.lowest, (band.highest or band.lowest) + 1)
    mean = sum((under3 if a < 3 else over3 for a in years), Decimal(0)) / len(years)
    return mean * support


def occupied(
    latest: dict[str, list[Enrolment]],
    units: dict[str, Unit],
    options: dict[str, Option],
    age_groups: dict[str, tuple[int, int | None]],
    places: dict[tuple[str, str], UnitPlaces],
) -> dict[tuple[str, str], tuple[int, Decimal, Decimal]]:
    """Per (unit, service type of the places): children, weighted children, weighted planned."""
    sums: dict[tuple[str, str], tuple[int, Decimal, Decimal]] = {}
    for unit_iri, enrolments in latest.items():
        unit = units.get(unit_iri)
        if unit is None:
            continue
        has_preschool = (unit_iri, "pre-school") in places
        for enrolment in enrolments:
            if enrolment.grade is not None or enrolment.enrolled is None:
                continue
            option = options.get(enrolment.option or FULL_DAY)
            kind = option.service_type if option else "ecec"
            target = "pre-school" if kind == "pre-school" and has_preschool else "ecec"
            weight = ONE if target == "pre-school" else weight_of(enrolment, options, age_groups, unit.family)  # fmt: skip
            planned = enrolment.planned if enrolment.planned is not None else enrolment.enrolled
            children, weighted, planned_weighted = sums.get((unit_iri, target), (0, Decimal(0), Decimal(0)))  # fmt: skip
            sums[(unit_iri, target)] = (
                children + enrolment.enrolled,
                weighted + enrolment.enrolled * weight,
                planned_weighted + planned * weight,
            )
    return sums


def utilisation(fetch: Fetch, p: Params) -> Table:
    day, window = as_date(p["date"]), int(p["window"])
    low, high = as_decimal(p["low"]), as_decimal(p["high"])
    units = fetch_units(fetch)
    age_groups = fetch_age_groups(fetch)
    options = fetch_options(fetch)
    places = places_on(fetch, day, window)
    latest = as_of(fetch_enrolment(fetch, day, window), lambda e: e.unit, lambda e: e.date)
    table = Table(
        [
            Column("municipality", "iri"),
            Column("area", "iri"),
            Column("unit", "iri"),
            Column("unitName"),
            Column("serviceType"),
            Column("places", "xsd:decimal"),
            Column("placeBasis"),
            Column("children", "xsd:integer"),
            Column("weightedChildren", "xsd:decimal"),
            Column("utilisation", "xsd:decimal"),
            Column("flag"),
            Column("plannedUtilisation", "xsd:decimal"),
            Column("reportedPlanned", "xsd:decimal"),
            Column("reportedConfirmed", "xsd:decimal"),
            Column("reportedRealised", "xsd:decimal"),
            Column("capacityDate", "xsd:date"),
            Column("suppressed", "xsd:boolean"),
        ]
    )
    for (unit_iri, kind), (children, weighted, planned_weighted) in sorted(
        occupied(latest, units, options, age_groups, places).items()
    ):
        unit = units[unit_iri]
        found = places.get((unit_iri, kind))
        if found is None or found.total <= 0:
            continue
        share = ratio(weighted, found.total)
        count = withhold(int(children))
        flag = None if share is None else "under" if share < low else "over" if share > high else "ok"  # fmt: skip
        table.add(
            unit.municipality,
            unit.area,
            unit_iri,
            unit.label,
            kind,
            found.total,
            ",".join(sorted(found.bases)) or None,
            count,
            None if count is None else weighted.normalize(),
            share,
            flag,
            ratio(planned_weighted, found.total),
            found.planned_rate,
            found.confirmed_rate,
            found.realised_rate,
            found.date,
            count is None,
        )
    table.rows.sort(key=lambda r: (str(r[0]), str(r[2]), str(r[4])))
    return table


ANSWERS = {
    "utilisation": Answer(
        "utilisation",
        "Confirmed occupancy (täyttöaste) per unit with occupancy and support coefficients",
        "Planners' question 2. Per unit and service type, as of the date and as eVaka computes confirmed occupancy: placed children weighted by their service-need option's occupancy coefficient (under 3: the under-3 coefficient; no option: full day; family daycare: 1.75 each) times their support coefficient, divided by the places on their stated basis; pre-school-only children against the unit's pre-school places when it reports them. Planned occupancy with planned children; the city's own reported planned, confirmed and realised rates beside. Flags units under the low or over the high threshold.",
        (
            date_param("Reference date of capacity and enrolment (as of)"),
            param("low", "xsd:decimal", "0.85", 'Utilisation below this is flagged "under"'),
            param("high", "xsd:decimal", "1.05", 'Utilisation above this is flagged "over"'),
            WINDOW,
        ),
        utilisation,
    ),
}
