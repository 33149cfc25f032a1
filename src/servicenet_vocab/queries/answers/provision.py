"""Question 9: ECEC places by organisation form (who provides them) per area, and the trend.

The places are counted as every answer counts them (``planning.places``): per unit its latest
capacity in the window before each day, caretakers x 7 for staff-based places, overlapping age
bands and a total beside per-language figures never added. The trend takes the same day in each
of the ``years`` years up to the date, so every point of it counts every unit once, whatever day
of the year each unit reports on (the 0.x query grouped by reference date, so a city whose units
report on 31 December and on 1 October had two half totals a year).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.planning.facts import PREFIXES, Fetch, code, fetch_units, memoized
from servicenet_vocab.planning.places import places_on
from servicenet_vocab.planning.semantics import area_index, parse_level, ratio
from servicenet_vocab.planning.table import Column, Table
from servicenet_vocab.queries.answers.base import (
    WINDOW,
    Answer,
    Params,
    as_date,
    date_param,
    param,
    years_after,
)

__all__ = ["ANSWERS"]

UNKNOWN_FORM = "unknown"


@memoized
def fetch_organisation_forms(fetch: Fetch) -> dict[str, str]:
    text = PREFIXES + "SELECT ?unit ?form WHERE { ?unit sn:organisationForm ?form }"
    return {str(row["unit"]): str(code(row["form"])) for row in fetch(text)}


def trend_days(day: date, years: int) -> list[date]:
    """The same day in each of ``years`` years up to ``day``, oldest first (29 February: 28th).

    >>> trend_days(date(2024, 2, 29), 2)
    [datetime.date(2023, 2, 28), datetime.date(2024, 2, 29)]
    """
    if not 1 <= years <= 30:
        raise InputError("years must be 1–30", location=Location(field="years"))
    return [years_after(day, -back) for back in range(years - 1, -1, -1)]


def places_by_organisation_form(fetch: Fetch, p: Params) -> Table:
    level, window = parse_level(str(p["level"])), int(p["window"])
    days = trend_days(as_date(p["date"]), int(p["years"]))
    index = area_index(fetch)
    units = fetch_units(fetch)
    forms = fetch_organisation_forms(fetch)
    table = Table(
        [
            Column("municipality", "iri"),
            Column("area", "iri"),
            Column("areaName"),
            Column("level"),
            Column("date", "xsd:date"),
            Column("organisationForm"),
            Column("units", "xsd:integer"),
            Column("places", "xsd:decimal"),
            Column("share", "xsd:decimal"),
        ]
    )
    for day in days:
        # per target area and form: units and places; per target area: all places
        by_area: dict[str, dict[str, list[Decimal]]] = defaultdict(
            lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])
        )
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for (unit_iri, service_type), found in places_on(fetch, day, window).items():
            unit = units.get(unit_iri)
            if service_type != "ecec" or unit is None:
                continue
            form = forms.get(unit_iri, UNKNOWN_FORM)
            for target in index.unit_areas(unit):
                counts = by_area[target][form]
                counts[0] += 1
                counts[1] += found.total
                totals[target] += found.total
        for municipality, targets in sorted(index.targets(level).items()):
            for target in targets:
                for form, (count, places) in sorted(by_area.get(target, {}).items()):
                    table.add(
                        municipality,
                        target,
                        index.label(target),
                        index.level(target) or level,
                        day,
                        form,
                        int(count),
                        places,
                        ratio(places, totals[target]),
                    )
    return table


ANSWERS = {
    "places-by-organisation-form": Answer(
        "places-by-organisation-form",
        "ECEC places by organisation form per area, over time",
        "Planners' question 9. ECEC places per area (at the asked level, default the municipality) and organisation form (municipal, purchased service, service voucher, private, fully private; unknown where a unit gives none), as of the same day in each of the last years, so the trend counts every unit once a year; each form's share of the area's places on that day.",
        (
            date_param("The last day of the trend (places as of it, and of the same day before)"),
            param("years", "xsd:integer", "5", "Years of the trend, up to the date (1–30)"),
            param(
                "level",
                "xsd:string",
                "municipality",
                "Area level: municipality, auto, major-district, district, sub-district, postal-code-area, grid-cell, service-area",
            ),
            WINDOW,
        ),
        places_by_organisation_form,
    ),
}
