"""Places of a unit as of a date, by service type and language (the rules of ``semantics``).

Per unit and service type the latest capacity date in the window counts. On that date, the
observations that give a language are the places by language; those without one are the unit's
total (or, when no observation gives a language, its places in the unit's one language of that
service, else in an unknown language). Observations of one date whose age groups overlap (a 0-6
figure beside 0-2 / 3-6) are never added: the bands are chosen as for population
(``bands.count_range`` over ages 0-18). Staff-based places without ``sn:places`` are caretakers x 7.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from servicenet_vocab.planning.bands import Band, BandCell, count_range
from servicenet_vocab.planning.facts import Fetch, Unit, fetch_age_groups, fetch_units, memoized
from servicenet_vocab.planning.observations import Capacity, fetch_capacity
from servicenet_vocab.planning.semantics import as_of, place_language

__all__ = ["UnitPlaces", "places_as_of", "places_on"]

ALL_AGES = Band(0, 18)
STAFF_RATIO = 7


@dataclass
class UnitPlaces:
    unit: str
    service_type: str
    date: date
    total: Decimal = Decimal(0)
    by_language: dict[str | None, Decimal] = field(default_factory=dict)
    bases: set[str] = field(default_factory=set)
    planned_rate: Decimal | None = None
    confirmed_rate: Decimal | None = None
    realised_rate: Decimal | None = None


def _places(capacity: Capacity) -> Decimal | None:
    if capacity.places is not None:
        return Decimal(capacity.places)
    if capacity.caretakers is not None:
        return capacity.caretakers * STAFF_RATIO
    return None


def _sum(items: list[Capacity], age_groups: Mapping[str, tuple[int, int | None]]) -> Decimal:
    """Places of one date, bands that overlap chosen once (grade ranges kept apart)."""
    by_grade: dict[str | None, list[BandCell]] = defaultdict(list)
    extra = Decimal(0)
    for item in items:
        places = _places(item)
        if places is None:
            continue
        interval = age_groups.get(item.age_group or "")
        if interval is None or places != places.to_integral_value():
            extra += places  # no band, or staff-based decimals: taken as given
            continue
        by_grade[item.grade].append(BandCell(Band(*interval), int(places)))
    total = extra
    for cells in by_grade.values():
        total += count_range(cells, ALL_AGES).estimate
    return total


def places_as_of(
    capacity: Iterable[Capacity],
    units: Mapping[str, Unit],
    age_groups: Mapping[str, tuple[int, int | None]],
    day: date,
) -> dict[tuple[str, str], UnitPlaces]:
    """Per (unit, service type): its places on the latest date in the window."""
    latest = as_of(capacity, lambda c: (c.unit, c.service_type or "ecec"), lambda c: c.date)
    found = {}
    for (unit_iri, service_type), items in latest.items():
        unit = units.get(unit_iri)
        result = UnitPlaces(unit_iri, service_type, items[0].date)
        with_language = [c for c in items if c.language]
        without = [c for c in items if not c.language]
        for language in sorted({c.language for c in with_language if c.language}):
            result.by_language[language] = _sum(
                [c for c in with_language if c.language == language], age_groups
            )
        if without:
            result.total = _sum(without, age_groups)
            if not with_language:
                own = unit.languages(service_type, day) if unit else set()
                result.by_language[place_language(None, own)] = result.total
        else:
            result.total = sum(result.by_language.values(), Decimal(0))
        result.bases = {c.basis for c in items if c.basis}
        for c in items:
            result.planned_rate = result.planned_rate or c.planned_rate
            result.confirmed_rate = result.confirmed_rate or c.confirmed_rate
            result.realised_rate = result.realised_rate or c.realised_rate
        found[(unit_iri, service_type)] = result
    return found


@memoized
def places_on(fetch: Fetch, day: date, window: int) -> dict[tuple[str, str], UnitPlaces]:
    """``places_as_of`` of every unit read through ``fetch``."""
    units = fetch_units(fetch)
    return places_as_of(fetch_capacity(fetch, day, window), units, fetch_age_groups(fetch), day)
