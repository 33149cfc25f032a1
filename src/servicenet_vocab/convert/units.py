"""Service units (daycare centres, family daycare, pre-school units, schools, clubs...).

One row is one unit: names in fi/sv/en, type, organisation form, services and languages, address,
WGS84 coordinates, dates, identifiers, the planning area, and optionally its number of places (then a
``sn:CapacityObservation`` on ``capacity_date`` is written too). Unit IRIs come from the ``unit``
pattern, so a city keeps its own IRIs (e.g. ``https://www.hel.fi/palvelukartta/unit/{id}``).
"""

from __future__ import annotations

import re
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


# Terms used on every row, resolved once.
_A_UNIT = sn("ServiceUnit")
_UNIT_TYPE, _MUNICIPALITY, _ORG_FORM, _PROVIDER = (
    sn(n) for n in ("unitType", "municipality", "organisationForm", "provider")
)
_STATUS, _OPENING, _CLOSING, _AREA = (
    sn(n) for n in ("unitStatus", "openingDate", "closingDate", "area")
)
_IDENTIFIERS = tuple((field_name, sn(prop)) for field_name, prop in IDENTIFIERS.items())
_CLASSES = {notation: sn(name) for notation, name in UNIT_CLASSES.items()}


def unit_triples(row: UnitRow, context: ConversionContext) -> list[Triple]:
    """The unit's triples as one list (built with appends: this runs once per row of big files)."""
    template = context.templates["unit"]
    unit = template.expand(row)
    context.claim(unit, template.parts[0][1] if template.parts else "id")
    triples: list[Triple] = []
    add = triples.append
    add((unit, TYPE, _CLASSES[row.unit_type.rsplit("/", 1)[1]]))
    add((unit, TYPE, _A_UNIT))
    add((unit, _UNIT_TYPE, iri(row.unit_type)))
    for language, name in (("fi", row.name_fi), ("sv", row.name_sv), ("en", row.name_en)):
        if name:
            add((unit, LABEL, tagged(name, language)))
    for field_name, prop in _IDENTIFIERS:
        value = getattr(row, field_name)
        if value:
            add((unit, prop, plain(value)))
    add((unit, _MUNICIPALITY, iri(context.municipality_concept)))
    if row.organisation_form:
        add((unit, _ORG_FORM, iri(row.organisation_form)))
        if row.organisation_form == MUNICIPAL:
            add((unit, _PROVIDER, context.publisher))
    if row.status:
        add((unit, _STATUS, iri(row.status)))
    if row.opening_date:
        add((unit, _OPENING, xsd_date(row.opening_date)))
    if row.closing_date:
        add((unit, _CLOSING, xsd_date(row.closing_date)))
    if row.has_area():
        add((unit, _AREA, area_node(row, context)))
    triples += address_triples(
        unit,
        street=(row.street_address_fi, row.street_address_sv),
        postal_code=row.postal_code,
        office=(row.post_office_fi, row.post_office_sv),
    )
    triples += _geometry(unit, row)
    triples += _offerings(unit, row)
    if row.has_area():
        triples += area_triples(row, context)
    if row.places is not None and row.capacity_date is not None:
        triples += _capacity(unit, row, context)
    return triples


def _capacity(unit: str, row: UnitRow, context: ConversionContext) -> list[Triple]:
    assert row.places is not None and row.capacity_date is not None  # checked by the caller
    observation = context.templates["capacity"].expand(row)
    return [
        (observation, TYPE, sn("CapacityObservation")),
        (observation, TYPE, iri(QB + "Observation")),
        (observation, iri(QB + "dataSet"), context.dataset),
        (observation, sn("unit"), unit),
        (observation, sn("referenceDate"), xsd_date(row.capacity_date)),
        (observation, sn("serviceType"), iri(_capacity_service_type(row))),
        (observation, sn("places"), integer(row.places)),
    ]


def address_triples(
    subject: str,
    *,
    street: tuple[str | None, str | None],
    postal_code: str | None,
    office: tuple[str | None, str | None],
) -> list[Triple]:
    """An ``sn:Address`` node for street address, postal code and post office in fi and sv."""
    if not any((*street, postal_code, *office)):
        return []
    address = bnode()
    triples = [(subject, sn("hasAddress"), address), (address, TYPE, sn("Address"))]
    for language, text in zip(("fi", "sv"), street, strict=True):
        if text:
            triples.append((address, sn("streetAddress"), tagged(text, language)))
    if postal_code:
        triples.append((address, sn("postalCode"), plain(postal_code)))
    for language, text in zip(("fi", "sv"), office, strict=True):
        if text:
            triples.append((address, sn("postOffice"), tagged(text, language)))
    return triples


def _geometry(unit: str, row: UnitRow) -> list[Triple]:
    if row.latitude is None or row.longitude is None:
        return []
    geometry = bnode()
    point = f"POINT({format(row.longitude, 'f')} {format(row.latitude, 'f')})"
    return [
        (unit, iri(GEO + "hasGeometry"), geometry),
        (geometry, TYPE, iri(GEO + "Geometry")),
        (geometry, iri(GEO + "asWKT"), typed(point, WKT)),
        (geometry, sn("latitude"), decimal(row.latitude)),
        (geometry, sn("longitude"), decimal(row.longitude)),
    ]


def _offerings(unit: str, row: UnitRow) -> list[Triple]:
    triples: list[Triple] = []
    for service_type in row.service_types or []:
        offering = bnode()
        triples += [
            (unit, sn("offers"), offering),
            (offering, TYPE, sn("ServiceOffering")),
            (offering, sn("serviceType"), iri(service_type)),
        ]
        triples += [(offering, sn("serviceLanguage"), iri(lang)) for lang in row.languages or []]
    if not row.service_types:
        triples += [(unit, sn("serviceLanguage"), iri(lang)) for lang in row.languages or []]
    return triples


def _capacity_service_type(row: UnitRow) -> str:
    if row.capacity_service_type:
        return row.capacity_service_type
    if row.service_types:
        return row.service_types[0]
    return f"{CODE}service-type/{SERVICE_OF_UNIT_TYPE[row.unit_type.rsplit('/', 1)[1]]}"
