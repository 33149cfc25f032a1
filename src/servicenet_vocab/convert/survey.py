"""Customer survey results per question and unit (or area): response count and mean score.

The survey (``sn:CustomerSurvey``) and each question (``sn:SurveyQuestion``) are written once; every
row is one ``sn:SurveyResult``. Results below the survey's minimum cell size (5) are kept: the shapes
flag them and the planning queries suppress them, so nothing is silently lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Self

from pydantic import model_validator

from servicenet_vocab.convert.areas import AreaFields, area_node, area_triples
from servicenet_vocab.convert.dataset import described_dataset
from servicenet_vocab.convert.emit import (
    TYPE,
    Triple,
    decimal,
    integer,
    iri,
    plain,
    sn,
    tagged,
    xsd_date,
)
from servicenet_vocab.convert.rows import Code, ConversionContext, Count, Date, Decimal_, Text, rule
from servicenet_vocab.namespaces import QB

__all__ = ["SurveyRow", "survey_triples"]


class SurveyRow(AreaFields):
    """One result: a question at a unit or in an area."""

    survey_id: Text
    survey_title_fi: Text | None = None
    survey_title_sv: Text | None = None
    period_start: Date | None = None
    period_end: Date | None = None
    target_group_fi: Text | None = None
    minimum_cell_size: Count = 5
    question_id: Text
    question_fi: Text | None = None
    question_sv: Text | None = None
    question_en: Text | None = None
    theme: Code("survey-theme") | None = None  # type: ignore[valid-type]
    journey_phase: Code("journey-phase") | None = None  # type: ignore[valid-type]
    scale_max: Count | None = None
    unit_id: Text | None = None
    response_count: Count
    invitation_count: Count | None = None
    mean_score: Decimal_ | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not (self.unit_id or self.has_area()):
            raise rule(
                "unit_id", "is empty and no area is given; a result belongs to a unit or an area"
            )
        if self.invitation_count is not None and self.response_count > self.invitation_count:
            raise rule(
                "response_count",
                "'{value}' responses exceed the {invited} invitations",
                value=self.response_count,
                invited=self.invitation_count,
            )
        if (
            self.mean_score is not None
            and self.scale_max is not None
            and not 1 <= self.mean_score <= self.scale_max
        ):
            raise rule(
                "mean_score",
                "'{value}' is outside the answer scale 1–{top}",
                value=str(self.mean_score),
                top=self.scale_max,
            )
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise rule(
                "period_end",
                "'{value}' is before the start of the survey",
                value=self.period_end.isoformat(),
            )
        return self


def survey_triples(row: SurveyRow, context: ConversionContext) -> Iterator[Triple]:
    survey = context.templates["survey"].expand(row)
    if context.first_time(survey):
        yield from _survey(survey, row, context)
    question = context.templates["question"].expand(row)
    if context.first_time(question):
        yield from _question(question, row)
    result = context.templates["result"].expand(row)
    context.claim(result, "question_id")
    yield (result, TYPE, sn("SurveyResult"))
    yield (result, TYPE, iri(QB + "Observation"))
    yield (result, iri(QB + "dataSet"), survey)
    yield (result, sn("question"), question)
    if row.unit_id:
        yield (result, sn("unit"), context.templates["unit"].expand(row))
    else:
        yield (result, sn("area"), area_node(row, context))
        yield from area_triples(row, context)
    yield (result, sn("responseCount"), integer(row.response_count))
    if row.invitation_count is not None:
        yield (result, sn("invitationCount"), integer(row.invitation_count))
    if row.mean_score is not None:
        yield (result, sn("meanScore"), decimal(row.mean_score))


def _survey(survey: str, row: SurveyRow, context: ConversionContext) -> Iterator[Triple]:
    yield (survey, TYPE, sn("CustomerSurvey"))
    yield (survey, TYPE, iri(QB + "DataSet"))
    yield (survey, sn("localIdentifier"), plain(row.survey_id))
    titles = {
        lang: t for lang, t in (("fi", row.survey_title_fi), ("sv", row.survey_title_sv)) if t
    }
    yield from described_dataset(survey, context, titles or {"fi": row.survey_id})
    if row.target_group_fi:
        yield (survey, sn("targetGroup"), tagged(row.target_group_fi, "fi"))
    if row.period_start:
        yield (survey, sn("periodStart"), xsd_date(row.period_start))
    if row.period_end:
        yield (survey, sn("periodEnd"), xsd_date(row.period_end))
    yield (survey, sn("minimumCellSize"), integer(row.minimum_cell_size))


def _question(question: str, row: SurveyRow) -> Iterator[Triple]:
    yield (question, TYPE, sn("SurveyQuestion"))
    yield (question, sn("localIdentifier"), plain(row.question_id))
    for language, text in (
        ("fi", row.question_fi),
        ("sv", row.question_sv),
        ("en", row.question_en),
    ):
        if text:
            yield (question, sn("questionText"), tagged(text, language))
    if row.theme:
        yield (question, sn("theme"), iri(row.theme))
    if row.journey_phase:
        yield (question, sn("journeyPhase"), iri(row.journey_phase))
    if row.scale_max is not None:
        yield (question, sn("scaleMax"), integer(row.scale_max))
