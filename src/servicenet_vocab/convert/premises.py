"""Premises: buildings or parts of them, with floor area, tenure, condition and the units using them.

One row is one premises; when the row names a unit (``unit_id``), the unit gets an
``sn:premisesUse`` with the period of use, so a unit may move between premises over time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Self

from pydantic import model_validator

from servicenet_vocab.convert.emit import (
    TYPE,
    Triple,
    bnode,
    boolean,
    decimal,
    integer,
    iri,
    plain,
    sn,
    tagged,
    xsd_date,
)
from servicenet_vocab.convert.rows import (
    Bool,
    Code,
    ConversionContext,
    Date,
    Decimal_,
    RowModel,
    Text,
    Year,
    rule,
)
from servicenet_vocab.convert.units import address_triples
from servicenet_vocab.namespaces import RDFS

__all__ = ["PremisesRow", "premises_triples"]

LABEL = iri(RDFS + "label")
_BUILDING_ID = re.compile(
    r"^1\d{8}[0-9A-Z]$"
)  # VTJ-PRT: ten characters, the last a check character
_POSTAL_CODE = re.compile(r"^\d{5}$")


class PremisesRow(RowModel):
    """One premises, optionally with the unit that uses it."""

    id: Text
    name_fi: Text | None = None
    name_sv: Text | None = None
    street_address_fi: Text | None = None
    street_address_sv: Text | None = None
    postal_code: Text | None = None
    post_office_fi: Text | None = None
    post_office_sv: Text | None = None
    building_id: Text | None = None
    floor_area: Decimal_ | None = None
    year_built: Year | None = None
    tenure: Code("premises-tenure") | None = None  # type: ignore[valid-type]
    lease_end_date: Date | None = None
    condition: Code("premises-condition") | None = None  # type: ignore[valid-type]
    repair_need_year: Year | None = None
    accessible: Bool | None = None
    accessibility_note_fi: Text | None = None
    accessibility_note_sv: Text | None = None
    unit_id: Text | None = None
    use_from: Date | None = None
    use_to: Date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.building_id and not _BUILDING_ID.match(self.building_id.upper()):
            raise rule(
                "building_id",
                "'{value}' is not a permanent building ID (VTJ-PRT, e.g. 103066585R)",
                value=self.building_id,
            )
        if self.postal_code and not _POSTAL_CODE.match(self.postal_code):
            raise rule(
                "postal_code", "'{value}' is not a five-digit postal code", value=self.postal_code
            )
        if self.floor_area is not None and self.floor_area <= 0:
            raise rule(
                "floor_area",
                "'{value}' is not a positive floor area in m²",
                value=str(self.floor_area),
            )
        if self.use_from and self.use_to and self.use_to < self.use_from:
            raise rule(
                "use_to",
                "'{value}' is before the start of use {start}",
                value=self.use_to.isoformat(),
                start=self.use_from.isoformat(),
            )
        if (self.use_from or self.use_to) and not self.unit_id:
            raise rule("unit_id", "is empty although a period of use is given")
        return self


def premises_triples(row: PremisesRow, context: ConversionContext) -> Iterator[Triple]:
    premises = context.templates["premises"].expand(row)
    context.claim(premises, "id")
    yield (premises, TYPE, sn("Premises"))
    yield (premises, sn("localIdentifier"), plain(row.id))
    for language, name in (("fi", row.name_fi), ("sv", row.name_sv)):
        if name:
            yield (premises, LABEL, tagged(name, language))
    if row.building_id:
        yield (premises, sn("buildingId"), plain(row.building_id.upper()))
    if row.floor_area is not None:
        yield (premises, sn("floorArea"), decimal(row.floor_area))
    for prop, year in (("yearBuilt", row.year_built), ("repairNeedYear", row.repair_need_year)):
        if year is not None:
            yield (premises, sn(prop), integer(year))
    for prop, concept in (("tenure", row.tenure), ("condition", row.condition)):
        if concept:
            yield (premises, sn(prop), iri(concept))
    if row.lease_end_date:
        yield (premises, sn("leaseEndDate"), xsd_date(row.lease_end_date))
    if row.accessible is not None:
        yield (premises, sn("accessible"), boolean(row.accessible))
    for language, note in (("fi", row.accessibility_note_fi), ("sv", row.accessibility_note_sv)):
        if note:
            yield (premises, sn("accessibilityNote"), tagged(note, language))
    yield (premises, sn("municipality"), iri(context.municipality_concept))
    yield from address_triples(
        premises,
        street=(row.street_address_fi, row.street_address_sv),
        postal_code=row.postal_code,
        office=(row.post_office_fi, row.post_office_sv),
    )
    if row.unit_id:
        use = bnode()
        yield (context.templates["unit"].expand(row), sn("premisesUse"), use)
        yield (use, TYPE, sn("PremisesUse"))
        yield (use, sn("premises"), premises)
        if row.use_from:
            yield (use, sn("validFrom"), xsd_date(row.use_from))
        if row.use_to:
            yield (use, sn("validTo"), xsd_date(row.use_to))
