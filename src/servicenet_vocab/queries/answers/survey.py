"""Question 7: survey response rate and mean score per unit or per area, and theme, small cells
suppressed.

Per survey question (each has one theme): per unit its invitations, responses and mean score;
per area the sums over its units and the mean weighted by their responses. A mean is withheld
below the survey's minimum cell size or ``minResponses``, whichever is larger, and a response
count of 1–4 is itself withheld with its rate (docs/queries.md, small cells).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.planning.facts import (
    PREFIXES,
    Fetch,
    code,
    fetch_units,
    memoized,
    parse_decimal,
    parse_int,
)
from servicenet_vocab.planning.semantics import area_index, is_small, parse_level, ratio
from servicenet_vocab.planning.table import Column, Table
from servicenet_vocab.queries.answers.base import Answer, Params, param

__all__ = ["ANSWERS"]


@dataclass(frozen=True)
class SurveyResult:
    survey: str
    question: str
    theme: str | None
    unit: str
    invitations: int | None
    responses: int | None
    mean: Decimal | None
    minimum: int | None


@memoized
def fetch_survey_results(fetch: Fetch) -> list[SurveyResult]:
    text = (
        PREFIXES
        + """SELECT ?survey ?question ?theme ?unit ?invited ?n ?mean ?minimum WHERE {
      ?result a sn:SurveyResult ; qb:dataSet ?survey ; sn:question ?question ; sn:unit ?unit .
      OPTIONAL { ?question sn:theme ?theme } OPTIONAL { ?result sn:invitationCount ?invited }
      OPTIONAL { ?result sn:responseCount ?n } OPTIONAL { ?result sn:meanScore ?mean }
      OPTIONAL { ?survey sn:minimumCellSize ?minimum } }"""
    )
    return [
        SurveyResult(
            str(row["survey"]),
            str(row["question"]),
            code(row["theme"]),
            str(row["unit"]),
            parse_int(row["invited"]),
            parse_int(row["n"]),
            parse_decimal(row["mean"]),
            parse_int(row["minimum"]),
        )
        for row in fetch(text)
    ]


@dataclass
class Cell:
    invitations: int = 0
    responses: int = 0
    scored: int = 0  # responses of the results that give a mean
    score_sum: Decimal = Decimal(0)
    minimum: int = 0
    units: set[str] = field(default_factory=set)

    def add(self, result: SurveyResult) -> None:
        self.invitations += result.invitations or 0
        self.responses += result.responses or 0
        if result.mean is not None and result.responses:
            self.scored += result.responses
            self.score_sum += result.mean * result.responses
        self.minimum = max(self.minimum, result.minimum or 0)
        self.units.add(result.unit)


def survey_results(fetch: Fetch, p: Params) -> Table:
    least = int(p["minResponses"])
    if least < 1:
        raise InputError("minResponses must be at least 1", location=Location(field="minResponses"))  # fmt: skip
    level = str(p["level"])
    per_unit = level == "unit"
    if not per_unit:
        level = parse_level(level)
    units = fetch_units(fetch)
    index = area_index(fetch)
    # (survey, question, theme, where) -> cell; where is the unit, or each area it lies in
    cells: dict[tuple[str, str, str | None, str], Cell] = defaultdict(Cell)
    wanted = set() if per_unit else {t for ts in index.targets(level).values() for t in ts}
    for result in fetch_survey_results(fetch):
        unit = units.get(result.unit)
        if per_unit:
            cells[(result.survey, result.question, result.theme, result.unit)].add(result)
            continue
        if unit is None:
            continue
        for target in index.unit_areas(unit) & wanted:
            cells[(result.survey, result.question, result.theme, target)].add(result)
    table = Table(
        [
            Column("municipality", "iri"),
            Column("survey", "iri"),
            Column("unit", "iri"),
            Column("unitName"),
            Column("theme"),
            Column("invitations", "xsd:integer"),
            Column("responses", "xsd:integer"),
            Column("responseRate", "xsd:decimal"),
            Column("meanScore", "xsd:decimal"),
            Column("suppressed", "xsd:boolean"),
            Column("area", "iri"),
            Column("areaName"),
            Column("question", "iri"),
        ]
    )
    for (survey, question, theme, where), cell in cells.items():
        limit = max(least, cell.minimum)
        withheld_count = is_small(cell.responses)
        mean = (cell.score_sum / cell.scored).quantize(Decimal("0.01")) if cell.scored else None
        unit = units.get(where) if per_unit else None
        area = (unit.area if unit else None) if per_unit else where
        table.add(
            (unit.municipality if unit else None) if per_unit else index.municipality(where),
            survey,
            where if per_unit else None,
            unit.label if unit else None,
            theme,
            cell.invitations,
            None if withheld_count else cell.responses,
            None if withheld_count else ratio(cell.responses, cell.invitations),
            None if cell.responses < limit else mean,
            cell.responses < limit,
            area,
            index.label(area) if area else None,
            question,
        )
    table.rows.sort(key=lambda r: (str(r[0]), str(r[10]), str(r[2]), str(r[4]), str(r[12])))
    return table


ANSWERS = {
    "survey-results": Answer(
        "survey-results",
        "Survey response rate and mean score per unit or area and theme, small cells suppressed",
        "Planners' question 7. Per survey question (and its theme), per unit or per area at the asked level: invitations, responses, response rate and mean score (per area: sums over its units, the mean weighted by their responses). A mean with fewer responses than the survey's minimum cell size (or minResponses, whichever is larger) is withheld, and a response count of 1–4 is itself withheld with its rate.",
        (
            param(
                "minResponses",
                "xsd:integer",
                "5",
                "Smallest number of responses whose mean may be shown",
            ),
            param(
                "level",
                "xsd:string",
                "unit",
                "unit, or an area level: municipality, auto, major-district, district, sub-district, postal-code-area, grid-cell, service-area",
            ),
        ),
        survey_results,
    ),
}
