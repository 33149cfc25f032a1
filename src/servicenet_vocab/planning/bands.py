"""Age ranges from band intervals (``sn:lowestAge`` .. ``sn:highestAge``, completed years).

Statistics come in band systems that do not nest: PxWeb's 0-6, the forecasts' 1-2 / 3-5 / 6, Paavo's
0-2 / 3-6, single years. For an asked range (1-6, 7-12, ...) ``count_range`` picks, among the cells
of one table, a set of bands that do not overlap (so two systems are never added together) and
cover as much of the range as possible, by this order of preference: years covered by a published
value (exactly or by share), then years covered by a published band lying inside the range, then
years covered by a suppressed band inside it, then fewer bands. A band inside the range counts whole and exactly; a band that
straddles a bound (0-6 for 1-6) is reported by name and enters only the estimate, by its share of
single years (uniform within the band); an open band (65-) that straddles cannot be shared and is
only reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["Band", "BandCell", "RangeCount", "count_range", "parse_band"]

ONE = Decimal(1)


@dataclass(frozen=True, order=True)
class Band:
    lowest: int
    highest: int | None  # None: open (65-)

    @property
    def notation(self) -> str:
        if self.highest is None:
            return f"{self.lowest}-"
        return str(self.lowest) if self.lowest == self.highest else f"{self.lowest}-{self.highest}"

    def within(self, other: Band) -> bool:
        above = other.highest is None or (
            self.highest is not None and self.highest <= other.highest
        )
        return self.lowest >= other.lowest and above

    def overlap(self, other: Band) -> Band | None:
        lowest = max(self.lowest, other.lowest)
        ends = [h for h in (self.highest, other.highest) if h is not None]
        highest = min(ends) if ends else None
        if highest is not None and highest < lowest:
            return None
        return Band(lowest, highest)

    def years(self) -> int | None:
        return None if self.highest is None else self.highest - self.lowest + 1


def parse_band(text: str) -> Band:
    """``"3-5"`` -> Band(3, 5); ``"6"`` -> Band(6, 6); ``"65-"`` -> Band(65, None)."""
    low, dash, high = text.partition("-")
    if not dash:
        return Band(int(low), int(low))
    return Band(int(low), int(high) if high else None)


@dataclass(frozen=True)
class BandCell:
    band: Band
    value: int | None  # None: a suppressed cell (sn:SuppressedCell)


@dataclass
class RangeCount:
    """Children of an asked range from one table's cells."""

    exact: int = 0  # the published bands inside the range
    estimate: Decimal = Decimal(0)  # exact + the straddling bands' shares
    weighted: Decimal = Decimal(0)  # estimate with each year's weight
    complete: bool = True  # every year covered by a published band inside the range
    straddling: list[str] = field(default_factory=list)  # bands reported, shared or not
    suppressed: list[str] = field(default_factory=list)  # suppressed bands inside the range
    uncovered: list[int] = field(default_factory=list)  # years no band gave (suppressed or not)

    def add(self, other: RangeCount) -> None:
        self.exact += other.exact
        self.estimate += other.estimate
        self.weighted += other.weighted
        self.complete = self.complete and other.complete
        for band in other.straddling:
            if band not in self.straddling:
                self.straddling.append(band)
        for band in other.suppressed:
            if band not in self.suppressed:
                self.suppressed.append(band)
        if other.uncovered and other.uncovered != self.uncovered:
            self.uncovered = sorted(set(self.uncovered) | set(other.uncovered))


Score = tuple[int, int, int, int]


def _score(cell: BandCell, asked: Band) -> Score:
    part = cell.band.overlap(asked)
    assert part is not None and part.highest is not None
    years = part.highest - part.lowest + 1
    inside = cell.band.within(asked)
    shareable = cell.value is not None and (inside or cell.band.highest is not None)
    return (
        years if shareable else 0,
        years if inside and cell.value is not None else 0,
        years if inside else 0,
        -1,
    )


def _plus(a: Score, b: Score) -> Score:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def count_range(
    cells: Iterable[BandCell], asked: Band, weight: Callable[[int], Decimal] | None = None
) -> RangeCount:
    """The children of ``asked`` (a closed range) from the cells of one table (one area, year,
    forecast and mother tongue), each year weighted by ``weight`` (1 when not given)."""
    assert asked.highest is not None, "ask for a closed range"
    weigh = weight or (lambda age: ONE)
    low, high = asked.lowest, asked.highest
    candidates = sorted(
        {c for c in cells if c.band.overlap(asked) is not None},
        key=lambda c: (c.band, c.value is None, c.value or 0),
    )
    if _disjoint_inside(candidates, asked):  # the common case: one band system, inside
        return _plain(candidates, asked, weigh)
    # weighted interval scheduling over the years low..high: best[a] covers the years below a
    ending: dict[int, list[tuple[BandCell, Band]]] = {}
    for cell in candidates:
        part = cell.band.overlap(asked)
        assert part is not None and part.highest is not None
        ending.setdefault(part.highest, []).append((cell, part))
    best: list[tuple[Score, list[BandCell]]] = [((0, 0, 0, 0), [])]
    for age in range(low, high + 1):
        choice = best[age - low]  # year `age` left uncovered
        for cell, part in ending.get(age, ()):
            before = best[part.lowest - low]
            option = (_plus(before[0], _score(cell, asked)), [*before[1], cell])
            if option[0] > choice[0]:
                choice = option
        best.append(choice)
    chosen = best[-1][1]
    result = RangeCount()
    covered: set[int] = set()
    for cell in chosen:
        part = cell.band.overlap(asked)
        assert part is not None and part.highest is not None
        years = range(part.lowest, part.highest + 1)
        inside = cell.band.within(asked)
        if not inside:
            result.straddling.append(cell.band.notation)
            result.complete = False
        if cell.value is None:
            if inside:
                result.suppressed.append(cell.band.notation)
                covered.update(years)  # given, though without a value: not "no band"
            result.complete = False
            continue
        if inside:
            result.exact += cell.value
            covered.update(years)
            share = Decimal(cell.value) / len(years)
            result.estimate += cell.value
            result.weighted += sum((share * weigh(a) for a in years), Decimal(0))
        elif cell.band.highest is not None:
            share = Decimal(cell.value) / (cell.band.highest - cell.band.lowest + 1)
            result.estimate += share * len(years)
            result.weighted += sum((share * weigh(a) for a in years), Decimal(0))
            covered.update(years)
    result.uncovered = [a for a in range(low, high + 1) if a not in covered]
    if result.uncovered:
        result.complete = False
    return result


def _disjoint_inside(candidates: list[BandCell], asked: Band) -> bool:
    last = -1
    for cell in candidates:  # sorted by band
        if cell.value is None or not cell.band.within(asked) or cell.band.lowest <= last:
            return False
        last = cell.band.highest if cell.band.highest is not None else 10**6
    return True


def _plain(candidates: list[BandCell], asked: Band, weigh: Callable[[int], Decimal]) -> RangeCount:
    result = RangeCount()
    covered: set[int] = set()
    for cell in candidates:
        assert cell.value is not None and cell.band.highest is not None
        years = range(cell.band.lowest, cell.band.highest + 1)
        covered.update(years)
        result.exact += cell.value
        result.estimate += cell.value
        share = Decimal(cell.value) / len(years)
        result.weighted += sum((share * weigh(a) for a in years), Decimal(0))
    assert asked.highest is not None
    result.uncovered = [a for a in range(asked.lowest, asked.highest + 1) if a not in covered]
    result.complete = not result.uncovered
    return result
