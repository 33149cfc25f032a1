"""Service units (daycare centres, family daycare, pre-school units, schools, clubs...).

One row is one unit: names in fi/sv/en, type, organisation form, services and languages, address,
WGS84 coordinates, dates, identifiers, the planning area, and optionally its number of places (then a
``sn:CapacityObservation`` on ``capacity_date`` is written too). Unit IRIs come from the ``unit``
pattern, so a city keeps its own IRIs (e.g. ``https://www.hel.fi/palvelukartta/unit/{id}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Self

from pydantic import model_validator

from servicenet_vocab.convert.areas import AreaFields, area_node, area_triples
from servicenet_vocab.convert.emit import (
    TYPE,
    Triple,
    bnode,
    decimal,
    integer,
    iri,
    plain,
    sn,
    tagged,
    typed,
    xsd_date,
)
from servicenet_vocab.convert.rows import (
    Code,
    Codes,
    ConversionContext,
    Count,
    Date,
    Decimal_,
    Text,
    rule,
)
from servicenet_vocab.namespaces import CODE, GEO, QB, RDFS

__all__ = ["UnitRow", "address_triples", "unit_triples"]

LABEL = iri(RDFS + "label")
WKT = iri(GEO + "wktLiteral")
MUNICIPAL = CODE + "organisation-form/municipal"
UNIT_CLASSES = {
    "daycare-centre": "DaycareCentre",
    "family-daycare": "FamilyDaycare",
    "group-family-daycare": "GroupFamilyDaycare",
    "pre-school-unit": "PreSchoolUnit",
    "comprehensive-school": "ComprehensiveSchool",
    "club": "Club",
    "open-early-education": "OpenEarlyEducation",
}
# The service a unit's places are for when the row does not say: its first service, else by type.
SERVICE_OF_UNIT_TYPE = {
    "daycare-centre": "ecec",
    "family-daycare": "ecec",
    "group-family-daycare": "ecec",
    "pre-school-unit": "pre-school",
    "comprehensive-school": "basic-education",
    "club": "club",
    "open-early-education": "open-early-education",
}
IDENTIFIERS = {
    "id": "localIdentifier",
    "tpr_id": "tprId",
    "oph_oid": "ophOid",
    "varda_id": "vardaId",
    "ptv_id": "ptvId",
}
_POSTAL_CODE = re.compile(r"^\d{5}$")
_OPH_OID = re.compile(r"^1\.2\.246\.562\.10\.\d+$")
LATITUDE = (Decimal("59.5"), Decimal("70.1"))
LONGITUDE = (Decimal("19.0"), Decimal("31.6"))


class UnitRow(AreaFields):
    """One service unit."""

    id: Text | None = None
    name_fi: Text | None = None
    name_sv: Text | None = None
    name_en: Text | None = None
    unit_type: Code("service-unit-type")  # type: ignore[valid-type]
    organisation_form: Code("organisation-form") | None = None  # type: ignore[valid-type]
    service_types: Codes("service-type") | None = None  # type: ignore[valid-type]
    languages: Codes("language") | None = None  # type: ignore[valid-type]
    status: Code("unit-status") | None = None  # type: ignore[valid-type]
    street_address_fi: Text | None = None
    street_address_sv: Text | None = None
    postal_code: Text | None = None
    post_office_fi: Text | None = None
    post_office_sv: Text | None = None
    latitude: Decimal_ | None = None
    longitude: Decimal_ | None = None
    opening_date: Date | None = None
    closing_date: Date | None = None
    tpr_id: Text | None = None
    oph_oid: Text | None = None
    varda_id: Text | None = None
    ptv_id: Text | None = None
    places: Count | None = None
    capacity_date: Date | None = None
    capacity_service_type: Code("service-type") | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not (self.name_fi or self.name_sv):
            raise rule("name_fi", "the unit has no name in Finnish or Swedish")
        if self.postal_code and not _POSTAL_CODE.match(self.postal_code):
            raise rule(
                "postal_code", "'{value}' is not a five-digit postal code", value=self.postal_code
            )
        if self.oph_oid and not _OPH_OID.match(self.oph_oid):
            raise rule(
                "oph_oid",
                "'{value}' is not an OPH organisation OID (1.2.246.562.10.…)",
                value=self.oph_oid,
            )
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            raise rule(missing, "is empty although the other coordinate is given")
        if self.latitude is not None and self.longitude is not None:
            self._check_coordinates(self.latitude, self.longitude)
        if self.opening_date and self.closing_date and self.closing_date < self.opening_date:
            raise rule(
                "closing_date",
                "'{value}' is before the opening date {opening}",
                value=self.closing_date.isoformat(),
                opening=self.opening_date.isoformat(),
            )
        if self.places is not None and self.capacity_date is None:
            raise rule("capacity_date", "is empty; places need the date they were counted on")
        return self

    @staticmethod
    def _check_coordinates(latitude: Decimal, longitude: Decimal) -> None:
        if LATITUDE[0] <= longitude <= LATITUDE[1] and LONGITUDE[0] <= latitude <= LONGITUDE[1]:
            raise rule(
                "latitude",
                "'{value}' looks like a longitude: latitude and longitude seem swapped",
                value=str(latitude),
            )
        if not LATITUDE[0] <= latitude <= LATITUDE[1]:
            raise rule(
                "latitude",
                "'{value}' is not a WGS84 latitude in Finland (59.5–70.1); metres (TM35FIN)?",
                value=str(latitude),
            )
        if not LONGITUDE[0] <= longitude <= LONGITUDE[1]:
            raise rule(
                "longitude",
                "'{value}' is not a WGS84 longitude in Finland (19.0–31.6)",
                value=str(longitude),
            )


def unit_triples(row: UnitRow, context: ConversionContext) -> Iterator[Triple]:
    unit = context.templates["unit"].expand(row)
    context.claim(
        unit, context.templates["unit"].fields()[0] if context.templates["unit"].fields() else "id"
    )
    notation = row.unit_type.rsplit("/", 1)[1]
    yield (unit, TYPE, sn(UNIT_CLASSES[notation]))
    yield (unit, TYPE, sn("ServiceUnit"))
    yield (unit, sn("unitType"), iri(row.unit_type))
    for language, name in (("fi", row.name_fi), ("sv", row.name_sv), ("en", row.name_en)):
        if name:
            yield (unit, LABEL, tagged(name, language))
    for field_name, prop in IDENTIFIERS.items():
        value = getattr(row, field_name)
        if value:
            yield (unit, sn(prop), plain(value))
    yield (unit, sn("municipality"), iri(context.municipality_concept))
    if row.organisation_form:
        yield (unit, sn("organisationForm"), iri(row.organisation_form))
        if row.organisation_form == MUNICIPAL:
            yield (unit, sn("provider"), context.publisher)
    if row.status:
        yield (unit, sn("unitStatus"), iri(row.status))
    if row.opening_date:
        yield (unit, sn("openingDate"), xsd_date(row.opening_date))
    if row.closing_date:
        yield (unit, sn("closingDate"), xsd_date(row.closing_date))
    if row.has_area():
        yield (unit, sn("area"), area_node(row, context))
    yield from address_triples(
        unit,
        street=(row.street_address_fi, row.street_address_sv),
        postal_code=row.postal_code,
        office=(row.post_office_fi, row.post_office_sv),
    )
    yield from _geometry(unit, row)
    yield from _offerings(unit, row)
    if row.has_area():
        yield from area_triples(row, context)
    if row.places is not None and row.capacity_date is not None:
        observation = context.templates["capacity"].expand(row)
        yield (observation, TYPE, sn("CapacityObservation"))
        yield (observation, TYPE, iri(QB + "Observation"))
        yield (observation, iri(QB + "dataSet"), context.dataset)
        yield (observation, sn("unit"), unit)
        yield (observation, sn("referenceDate"), xsd_date(row.capacity_date))
        yield (observation, sn("serviceType"), iri(_capacity_service_type(row)))
        yield (observation, sn("places"), integer(row.places))


def address_triples(
    subject: str,
    *,
    street: tuple[str | None, str | None],
    postal_code: str | None,
    office: tuple[str | None, str | None],
) -> Iterator[Triple]:
    """An ``sn:Address`` node for street address, postal code and post office in fi and sv."""
    if not any((*street, postal_code, *office)):
        return
    address = bnode()
    yield (subject, sn("hasAddress"), address)
    yield (address, TYPE, sn("Address"))
    for language, text in zip(("fi", "sv"), street, strict=True):
        if text:
            yield (address, sn("streetAddress"), tagged(text, language))
    if postal_code:
        yield (address, sn("postalCode"), plain(postal_code))
    for language, text in zip(("fi", "sv"), office, strict=True):
        if text:
            yield (address, sn("postOffice"), tagged(text, language))


def _geometry(unit: str, row: UnitRow) -> Iterator[Triple]:
    if row.latitude is None or row.longitude is None:
        return
    geometry = bnode()
    yield (unit, iri(GEO + "hasGeometry"), geometry)
    yield (geometry, TYPE, iri(GEO + "Geometry"))
    point = f"POINT({format(row.longitude, 'f')} {format(row.latitude, 'f')})"
    yield (geometry, iri(GEO + "asWKT"), typed(point, WKT))
    yield (geometry, sn("latitude"), decimal(row.latitude))
    yield (geometry, sn("longitude"), decimal(row.longitude))


def _offerings(unit: str, row: UnitRow) -> Iterator[Triple]:
    for service_type in row.service_types or []:
        offering = bnode()
        yield (unit, sn("offers"), offering)
        yield (offering, TYPE, sn("ServiceOffering"))
        yield (offering, sn("serviceType"), iri(service_type))
        for language in row.languages or []:
            yield (offering, sn("serviceLanguage"), iri(language))
    if not row.service_types:
        for language in row.languages or []:
            yield (unit, sn("serviceLanguage"), iri(language))


def _capacity_service_type(row: UnitRow) -> str:
    if row.capacity_service_type:
        return row.capacity_service_type
    if row.service_types:
        return row.service_types[0]
    return f"{CODE}service-type/{SERVICE_OF_UNIT_TYPE[row.unit_type.rsplit('/', 1)[1]]}"
