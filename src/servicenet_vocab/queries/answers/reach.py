"""Questions 10 and 14: how far children are from a free place, and what happens if a unit closes.

A unit has a free place of a service and language when, as of the date, it has places of that
service in that language (``semantics.place_language``) and its places exceed its weighted
children (confirmed occupancy, ``utilisation.occupied``); a unit without enrolment figures has
unknown free places and is not taken. Distances are straight lines in ETRS-TM35FIN between the
area's point (``geometry.area_point``) or the unit's coordinates.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.planning.bands import Band
from servicenet_vocab.planning.facts import (
    Fetch,
    Unit,
    fetch_age_groups,
    fetch_options,
    fetch_units,
)
from servicenet_vocab.planning.geometry import Nearest, area_point, to_tm35
from servicenet_vocab.planning.observations import (
    fetch_enrolment,
)
from servicenet_vocab.planning.places import UnitPlaces, places_on
from servicenet_vocab.planning.semantics import (
    area_index,
    as_of,
    forecast_children,
    parse_scenario,
    parse_vintage,
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
    as_decimal,
    date_param,
    param,
)
from servicenet_vocab.queries.answers.utilisation import occupied

__all__ = ["ANSWERS"]

SERVICES = ("ecec", "pre-school", "basic-education")
LANGUAGES = ("fi", "sv", "any")


def _choice(p: Params, name: str, allowed: tuple[str, ...]) -> str:
    text = str(p[name])
    if text not in allowed:
        raise InputError(
            f"parameter {name!r} must be one of {', '.join(allowed)}, not {text[:40]!r}",
            location=Location(field=name),
        )
    return text


class Network:
    """Units with their places, weighted children and points, as of a date."""

    def __init__(self, fetch: Fetch, day: object, window: int) -> None:
        assert hasattr(day, "isoformat")
        self.day = as_date(day)
        self.units = fetch_units(fetch, location=True)
        age_groups = fetch_age_groups(fetch)
        self.places = places_on(fetch, self.day, window)
        latest = as_of(fetch_enrolment(fetch, self.day, window), lambda e: e.unit, lambda e: e.date)
        self.occupancy = occupied(latest, self.units, fetch_options(fetch), age_groups, self.places)

    def point(self, unit: Unit) -> tuple[float, float] | None:
        return None if unit.lat is None or unit.lon is None else to_tm35(unit.lon, unit.lat)

    def free(self, unit_iri: str, service: str) -> Decimal | None:
        places = self.places.get((unit_iri, service))
        if places is None or (unit_iri, service) not in self.occupancy:
            return None
        return places.total - self.occupancy[(unit_iri, service)][1]

    def speaks(self, places: UnitPlaces, languages: set[str] | None) -> bool:
        if languages is None:
            return places.total > 0
        return any(places.by_language.get(lang, Decimal(0)) > 0 for lang in languages)

    def candidates(self, service: str, languages: set[str] | None, exclude: str = "") -> Nearest:
        keys, points = [], []
        for (unit_iri, kind), places in sorted(self.places.items()):
            if kind != service or unit_iri == exclude or not self.speaks(places, languages):
                continue
            free = self.free(unit_iri, service)
            point = self.point(self.units[unit_iri]) if unit_iri in self.units else None
            if free is not None and free > 0 and point is not None:
                keys.append(unit_iri)
                points.append(point)
        return Nearest(keys, points)


def distance_to_free_place(fetch: Fetch, p: Params) -> Table:
    service, language = _choice(p, "service", SERVICES), _choice(p, "language", LANGUAGES)
    limit, year = as_decimal(p["maxKm"]), int(p["year"])
    vintage, scenario = parse_vintage(str(p["vintage"])), parse_scenario(str(p["scenario"]))
    network = Network(fetch, p["date"], int(p["window"]))
    wanted = None if language == "any" else {language}
    nearest = network.candidates(service, wanted)
    index = area_index(fetch, True)
    children, _ = forecast_children(
        fetch,
        year,
        Band(0, 6),
        vintage=vintage,
        scenario=scenario,
        language=None if language == "any" else language,
    )
    table = Table(
        [
            Column("municipality", "iri"),
            Column("area", "iri"),
            Column("areaName"),
            Column("children", "xsd:integer"),
            Column("childrenEstimate", "xsd:decimal"),
            Column("nearestUnit", "iri"),
            Column("nearestUnitName"),
            Column("distanceKm", "xsd:decimal"),
            Column("farther", "xsd:boolean"),
            Column("suppressed", "xsd:boolean"),
        ]
    )
    for area_iri, count in sorted(children.items()):
        area = index.areas.get(area_iri)
        point = area_point(area) if area else None
        found = nearest.nearest(point) if point else None
        shown = withhold(count.exact, count.estimate)
        unit = network.units.get(found[0]) if found else None
        table.add(
            index.municipality(area_iri),
            area_iri,
            index.label(area_iri),
            shown,
            None if shown is None else count.estimate.quantize(Decimal("0.1")),
            found[0] if found else None,
            unit.label if unit else None,
            found[1] if found else None,
            None if point is None else (found is None or found[1] > limit),
            shown is None and count.exact > 0,
        )
    table.rows.sort(key=lambda r: (-(r[7] if r[7] is not None else Decimal(10**9)), str(r[1])))  # type: ignore[operator]
    return table


def closure_impact(fetch: Fetch, p: Params) -> Table:
    service, closing = _choice(p, "service", SERVICES), str(p["unit"])
    limit = as_decimal(p["maxKm"])
    network = Network(fetch, p["date"], int(p["window"]))
    table = Table(
        [
            Column("closingUnit", "iri"),
            Column("receivingUnit", "iri"),
            Column("receivingUnitName"),
            Column("distanceKm", "xsd:decimal"),
            Column("places", "xsd:decimal"),
            Column("freePlaces", "xsd:decimal"),
            Column("childrenReceived", "xsd:integer"),
            Column("utilisationBefore", "xsd:decimal"),
            Column("utilisationAfter", "xsd:decimal"),
            Column("childrenNotPlaced", "xsd:integer"),
            Column("suppressed", "xsd:boolean"),
        ]
    )
    unit = network.units.get(closing)
    own = network.places.get((closing, service))
    if unit is None or own is None or (closing, service) not in network.occupancy:
        return table  # nothing known to move
    children, weighted, _ = network.occupancy[(closing, service)]
    languages = {lang for lang in own.by_language if lang} or unit.languages(service, network.day)
    point = network.point(unit)
    per_child = weighted / children if children else Decimal(1)
    left = children
    if point is not None:
        for receiver, km in network.candidates(service, languages or None, closing).within(
            point, limit
        ):
            free = network.free(receiver, service) or Decimal(0)
            taken = min(left, int((free / per_child).to_integral_value(ROUND_FLOOR)))
            if taken <= 0:
                continue
            left -= taken
            places = network.places[(receiver, service)].total
            before = network.occupancy[(receiver, service)][1]
            shown = withhold(taken)
            table.add(
                closing,
                receiver,
                network.units[receiver].label,
                km,
                places,
                free.normalize(),
                shown,
                ratio(before, places),
                ratio(before + taken * per_child, places),
                None,
                shown is None,
            )
            if left == 0:
                break
    shown_left = withhold(left)
    table.add(
        closing,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        shown_left,
        shown_left is None and left > 0,
    )
    return table


COMMON = (
    param(
        "service",
        "xsd:string",
        "ecec",
        "Service of the places: ecec, pre-school or basic-education",
    ),
    date_param("Reference date of places and children in the units (as of)"),
)
ANSWERS = {
    "distance-to-free-place": Answer(
        "distance-to-free-place",
        "Children aged 0–6 farther than X km from a unit with a free place",
        "Planners' question 10. Per forecast area: the children aged 0–6 (one forecast per area; for a language, the children it serves) and the straight-line distance from the area's point to the nearest unit with a free place (places above its weighted children, as of the date) of the service in the language; farther is true beyond maxKm.",
        (
            param(
                "maxKm",
                "xsd:decimal",
                "2",
                "Distance in kilometres beyond which an area is flagged",
            ),
            param("language", "xsd:string", "fi", "Language of the places: fi, sv or any"),
            *COMMON,
            param("year", "xsd:integer", "2025", "Forecast year of the children"),
            VINTAGE,
            SCENARIO,
            WINDOW,
        ),
        distance_to_free_place,
    ),
    "closure-impact": Answer(
        "closure-impact",
        "What if a unit closes: who absorbs its children, at what utilisation",
        "Planners' question 14. The children placed in the closing unit (as of the date) go to the nearest units within maxKm offering the same service in one of its languages, each up to its free places (weighted as the closing unit's children are on average); per receiving unit its utilisation before and after, and in a last row the children who cannot be placed.",
        (
            param(
                "unit",
                "iri",
                "https://data.hel.fi/servicenet/unit/katajanokka",
                "The unit that closes",
            ),
            param("maxKm", "xsd:decimal", "5", "Farthest receiving unit, in kilometres"),
            *COMMON,
            WINDOW,
        ),
        closure_impact,
    ),
}
