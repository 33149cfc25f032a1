"""The rules every named query shares (``docs/queries.md`` states them for planners).

- **Forecasts** are chosen, never summed: per area, the forecast of the asked scenario (default
  the baseline; one without ``sn:scenario`` is a baseline) and vintage (default the latest that
  covers the area), ties broken by the latest ``dct:issued`` and then the IRI.
- **Ages** are counted from band intervals (``bands.count_range``), per table: one area, year,
  forecast and mother tongue; a total is the cells without a mother tongue where a table has them,
  else the sum over the mother tongues.
- **As of a date**: per key (unit and service type...), the latest observation dated on or before
  the date and within the window (days) before it; older ones do not count.
- **Areas** at any level: ``auto`` takes, per municipality, the first of district, sub-district,
  postal-code area, grid cell at which it has areas, else the municipality. Figures attached to
  areas roll up the ``sn:partOfArea`` hierarchy: an area's figure is its own where it has one,
  else the sum of its sub-areas of one level (the first level found in ``LEVEL_ORDER``), so two
  divisions of the same ground are never added.
- **Places by language**: the capacity's own ``sn:serviceLanguage``; else the unit's language of
  that service when it has exactly one; else unknown (never counted as Swedish or Finnish).
- **Small cells**: a published count of 1-4 children or respondents is withheld, with a flag.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.planning.bands import Band, BandCell, RangeCount, count_range, parse_band
from servicenet_vocab.planning.facts import (
    Area,
    Fetch,
    Unit,
    fetch_age_groups,
    fetch_areas,
    memoized,
)
from servicenet_vocab.planning.observations import (
    Forecast,
    ForecastCell,
    fetch_forecast_cells,
    fetch_forecasts,
)

__all__ = [
    "LEVEL_ORDER",
    "AreaIndex",
    "ForecastChoice",
    "area_index",
    "as_of",
    "children_by_area",
    "children_for_language",
    "choose_forecasts",
    "forecast_children",
    "is_small",
    "parse_level",
    "parse_vintage",
    "place_language",
    "ratio",
    "withhold",
]

MUNICIPALITY_PREFIX = "https://w3id.org/servicenet/code/municipality/"
LEVEL_ORDER = (
    "major-district",
    "district",
    "sub-district",
    "postal-code-area",
    "grid-cell",
    "service-area",
    "catchment-area",
)
AUTO_LEVELS = ("district", "sub-district", "postal-code-area", "grid-cell")
LEVELS = ("auto", "municipality", *LEVEL_ORDER)
SCENARIOS = ("baseline", "high", "low")
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


# --- parameters -----------------------------------------------------------------------------------


def parse_level(text: str, field_name: str = "level") -> str:
    if text not in LEVELS:
        raise InputError(
            f"parameter {field_name!r} must be one of {', '.join(LEVELS)}, not {text[:40]!r}",
            location=Location(field=field_name),
        )
    return text


def parse_vintage(text: str, field_name: str = "vintage") -> int | None:
    """``latest`` -> None, else a year."""
    if text == "latest":
        return None
    if text.isdigit() and len(text) == 4:
        return int(text)
    raise InputError(
        f"parameter {field_name!r} must be 'latest' or a year, not {text[:40]!r}",
        location=Location(field=field_name),
    )


def parse_scenario(text: str, field_name: str = "scenario") -> str:
    if text not in SCENARIOS:
        raise InputError(
            f"parameter {field_name!r} must be one of {', '.join(SCENARIOS)}, not {text[:40]!r}",
            location=Location(field=field_name),
        )
    return text


# --- small cells ------------------------------------------------------------------------------------


def is_small(count: int | Decimal | None) -> bool:
    """A count of 1-4 (children, respondents): withheld in every published answer."""
    return count is not None and 0 < count < 5


def withhold(count: T | None, *more: object) -> T | None:
    """``count`` unless it, or any count it would reveal (``more``), is small."""
    if is_small(count) or any(isinstance(m, int | Decimal) and is_small(m) for m in more):  # type: ignore[arg-type]
        return None
    return count


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None, places: int = 3) -> Decimal | None:  # fmt: skip
    """``numerator / denominator`` rounded half up to ``places`` decimals (as the SPARQL queries
    did with ROUND(1000 * x) / 1000), None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(numerator) / Decimal(denominator)).quantize(quantum, ROUND_HALF_UP)


# --- as of a date -------------------------------------------------------------------------------------


def as_of(items: Iterable[T], key: Callable[[T], K], when: Callable[[T], date]) -> dict[K, list[T]]:
    """Per key, the items of the latest date (the fetch already kept the window before the day)."""
    latest: dict[K, date] = {}
    grouped: dict[K, list[T]] = defaultdict(list)
    for item in items:
        k, day = key(item), when(item)
        if k not in latest or day > latest[k]:
            latest[k] = day
            grouped[k] = [item]
        elif day == latest[k]:
            grouped[k].append(item)
    return dict(grouped)


# --- language of places ---------------------------------------------------------------------------------


def place_language(own: str | None, unit_languages: set[str]) -> str | None:
    if own:
        return own
    if len(unit_languages) == 1:
        return next(iter(unit_languages))
    return None


# --- forecasts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastChoice:
    forecast: str
    vintage: int | None
    scenario: str


def choose_forecasts(
    forecasts: Mapping[str, Forecast],
    cells: Iterable[ForecastCell],
    *,
    vintage: int | None,
    scenario: str,
) -> dict[str, ForecastChoice]:
    """Per area with cells: the one forecast its figures come from."""
    offered: dict[str, set[str]] = defaultdict(set)
    for cell in cells:
        offered[cell.area].add(cell.forecast)
    chosen = {}
    for area, iris in offered.items():
        fitting = [
            forecasts[i]
            for i in iris
            if i in forecasts
            and forecasts[i].scenario == scenario
            and (vintage is None or forecasts[i].vintage == vintage)
        ]
        if not fitting:
            continue
        best = max(fitting, key=lambda f: (f.vintage or 0, f.issued or date.min, f.iri))
        chosen[area] = ForecastChoice(best.iri, best.vintage, best.scenario)
    return chosen


def children_by_area(
    cells: Iterable[ForecastCell],
    choice: Mapping[str, ForecastChoice],
    age_groups: Mapping[str, tuple[int, int | None]],
    asked: Band,
    *,
    tongue: str | None = None,
    weight: Callable[[int], Decimal] | None = None,
) -> dict[str, RangeCount]:
    """Children of the asked range per area, from each area's chosen forecast only."""
    tables: dict[tuple[str, str | None], list[BandCell]] = defaultdict(list)
    for cell in cells:
        picked = choice.get(cell.area)
        if picked is None or picked.forecast != cell.forecast:
            continue
        if tongue is not None and cell.tongue != tongue:
            continue
        interval = age_groups.get(cell.age_group)
        band = Band(*interval) if interval else _band_of(cell.age_group)
        if band is None:
            continue
        tables[(cell.area, cell.tongue)].append(BandCell(band, cell.value))
    tongues: dict[str, list[str | None]] = defaultdict(list)
    for area, t in tables:
        tongues[area].append(t)
    found: dict[str, RangeCount] = {}
    for area, keys in tongues.items():
        use = [None] if None in keys and tongue is None else [t for t in keys if t is not None]
        total = RangeCount()
        for t in use:
            total.add(count_range(tables[(area, t)], asked, weight))
        found[area] = total
    return found


def children_for_language(
    cells: list[ForecastCell],
    choice: Mapping[str, ForecastChoice],
    age_groups: Mapping[str, tuple[int, int | None]],
    asked: Band,
    language: str | None,
) -> dict[str, RangeCount]:
    """Children a service in ``language`` is for: Swedish-speaking children for Swedish; for any
    other language the children who are not Swedish-speaking where the forecast gives mother
    tongues (Finnish- and Swedish-language areas cover the same ground), else all children."""
    if language == "sv":
        return children_by_area(cells, choice, age_groups, asked, tongue="sv")
    total = children_by_area(cells, choice, age_groups, asked)
    if language is None:
        return total
    swedish = children_by_area(cells, choice, age_groups, asked, tongue="sv")
    for area, count in total.items():
        if area in swedish:
            count.exact -= swedish[area].exact
            count.estimate -= swedish[area].estimate
            count.weighted -= swedish[area].weighted
    return total


def _band_of(notation: str) -> Band | None:
    try:
        return parse_band(notation)
    except ValueError:
        return None


# --- areas -----------------------------------------------------------------------------------------------


@dataclass
class AreaIndex:
    """The area hierarchy: levels, parents, children and each area's municipality."""

    areas: Mapping[str, Area]
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for area in self.areas.values():
            for parent in area.parents:
                self.children[parent].append(area.iri)
        self._municipality: dict[str, str | None] = {}

    def level(self, iri: str) -> str | None:
        if iri.startswith(MUNICIPALITY_PREFIX):
            return "municipality"
        area = self.areas.get(iri)
        return area.level if area else None

    def municipality(self, iri: str) -> str | None:
        if iri.startswith(MUNICIPALITY_PREFIX):
            return iri
        if iri in self._municipality:
            return self._municipality[iri]
        self._municipality[iri] = None  # a cycle in the data ends here
        found = None
        for parent in self.areas[iri].parents if iri in self.areas else ():
            found = self.municipality(parent)
            if found:
                break
        self._municipality[iri] = found
        return found

    def ancestors(self, iri: str) -> set[str]:
        """The area and every area it lies in (``sn:partOfArea*``); do not change the set."""
        cache = self.__dict__.setdefault("_ancestors", {})
        if iri in cache:
            return cache[iri]
        seen: set[str] = set()
        todo = [iri]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(self.areas[current].parents if current in self.areas else ())
        cache[iri] = seen
        return seen

    def unit_areas(self, unit: Unit) -> set[str]:
        """Every area a unit counts in: its ``sn:area`` and the areas it lies in, and its
        municipality (none without either); do not change the set."""
        where = unit.area or unit.municipality
        if not where:
            return set()
        cache = self.__dict__.setdefault("_unit_areas", {})
        key = (where, unit.municipality)
        if key not in cache:
            cache[key] = self.ancestors(where) | (
                {unit.municipality} if unit.municipality else set()
            )
        found: set[str] = cache[key]
        return found

    def targets(self, level: str) -> dict[str, list[str]]:
        """The areas an answer at ``level`` reports on, by municipality."""
        by_municipality: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for iri in self.areas:
            municipality = self.municipality(iri)
            if municipality and (area_level := self.level(iri)):
                by_municipality[municipality][area_level].append(iri)
        found: dict[str, list[str]] = {}
        for municipality, levels in by_municipality.items():
            if level == "municipality":
                found[municipality] = [municipality]
            elif level == "auto":
                first = next((lv for lv in AUTO_LEVELS if levels.get(lv)), None)
                found[municipality] = sorted(levels[first]) if first else [municipality]
            elif levels.get(level):
                found[municipality] = sorted(levels[level])
        return found

    def roll_up(self, own: Mapping[str, T], add: Callable[[T, T], T], zero: Callable[[], T]) -> Callable[[str], T | None]:  # fmt: skip
        """An area's figure: its own, else the sum over its sub-areas of one level (the first level
        of ``LEVEL_ORDER`` that has figures), so parallel divisions are not added together."""
        memo: dict[str, T | None] = {}

        def value(iri: str, depth: int = 0) -> T | None:
            if iri in own:
                return own[iri]
            if iri in memo or depth > 30:
                return memo.get(iri)
            memo[iri] = None
            by_level: dict[str, list[T]] = defaultdict(list)
            for child in self.children.get(iri, ()):
                found = value(child, depth + 1)
                if found is not None:
                    by_level[self.level(child) or ""].append(found)
            if by_level:
                pick = next((lv for lv in (*LEVEL_ORDER, "") if lv in by_level), None)
                parts = by_level[pick] if pick is not None else next(iter(by_level.values()))
                total = zero()
                for part in parts:
                    total = add(total, part)
                memo[iri] = total
            return memo[iri]

        return value

    def label(self, iri: str) -> str | None:
        area = self.areas.get(iri)
        return area.label if area else None


@memoized
def area_index(fetch: Fetch, geometry: bool = False) -> AreaIndex:
    """The hierarchy of the areas read through ``fetch`` (shared while the data is the same)."""
    return AreaIndex(fetch_areas(fetch, geometry=geometry))


@memoized
def forecast_children(
    fetch: Fetch,
    year: int,
    asked: Band,
    *,
    vintage: int | None,
    scenario: str,
    tongue: str | None = None,
    language: str | None = "",
    under3: Decimal | None = None,
) -> tuple[dict[str, RangeCount], dict[str, ForecastChoice]]:
    """Children of ``asked`` in ``year`` per area with figures, and each area's forecast: of a
    mother ``tongue`` (``children_by_area``) or, when ``language`` is given (None: all
    children), those a service in that language is for (``children_for_language``); years under
    3 weighted ``under3``. Shared while the data is the same; do not change the counts."""
    cells = fetch_forecast_cells(fetch, (year,), tongue).get(year, [])
    choice = choose_forecasts(fetch_forecasts(fetch), cells, vintage=vintage, scenario=scenario)
    age_groups = fetch_age_groups(fetch)
    if language != "":
        return children_for_language(cells, choice, age_groups, asked, language), choice
    weight = None if under3 is None else (lambda age: under3 if age < 3 else Decimal(1))
    return children_by_area(cells, choice, age_groups, asked, tongue=tongue, weight=weight), choice
