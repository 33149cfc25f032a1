"""Capacity and enrolment per unit, date and age group (aggregates, never a child's record).

One row gives places (``sn:CapacityObservation``), enrolled children by service-need option
(``sn:EnrolmentObservation``), or both, for one unit on one reference date and age group.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Self

from pydantic import model_validator

from servicenet_vocab.convert.emit import TYPE, Triple, integer, iri, sn, xsd_date
from servicenet_vocab.convert.rows import Code, ConversionContext, Count, Date, RowModel, Text, rule
from servicenet_vocab.namespaces import QB

__all__ = ["CapacityRow", "capacity_triples"]

OBSERVATION = iri(QB + "Observation")
DATASET = iri(QB + "dataSet")


class CapacityRow(RowModel):
    """Places and/or enrolled children of one unit, date and age group."""

    unit_id: Text
    reference_date: Date
    age_group: Code("age-group")  # type: ignore[valid-type]
    service_type: Code("service-type") | None = None  # type: ignore[valid-type]
    places: Count | None = None
    # How the places were counted (head count, computational, staff-based): usually a constant of
    # the mapping, since a city's export counts all its places one way.
    place_basis: Code("place-basis") | None = None  # type: ignore[valid-type]
    service_need_option: Code("service-need-option") | None = None  # type: ignore[valid-type]
    enrolled: Count | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.places is None and self.enrolled is None:
            raise rule("places", "is empty and so is the number of enrolled children; give one")
        return self


def capacity_triples(row: CapacityRow, context: ConversionContext) -> Iterator[Triple]:
    unit = context.templates["unit"].expand(row)
    if row.places is not None:
        observation = context.templates["capacity"].expand(row)
        context.claim(observation, "unit_id")
        yield from _observation(observation, "CapacityObservation", unit, row, context)
        if row.service_type:
            yield (observation, sn("serviceType"), iri(row.service_type))
        yield (observation, sn("places"), integer(row.places))
        if row.place_basis:  # without it the output fails CapacityObservation-placeBasis
            yield (observation, sn("placeBasis"), iri(row.place_basis))
    if row.enrolled is not None:
        observation = context.templates["enrolment"].expand(row)
        context.claim(observation, "unit_id")
        yield from _observation(observation, "EnrolmentObservation", unit, row, context)
        if row.service_need_option:
            yield (observation, sn("serviceNeedOption"), iri(row.service_need_option))
        yield (observation, sn("enrolledChildren"), integer(row.enrolled))


def _observation(
    node: str, kind: str, unit: str, row: CapacityRow, context: ConversionContext
) -> Iterator[Triple]:
    yield (node, TYPE, sn(kind))
    yield (node, TYPE, OBSERVATION)
    yield (node, DATASET, context.dataset)
    yield (node, sn("unit"), unit)
    yield (node, sn("referenceDate"), xsd_date(row.reference_date))
    yield (node, sn("ageGroup"), iri(row.age_group))
