"""Service units (daycare centres, family daycare, pre-school units, schools, clubs...).

One row is one unit: names in fi/sv/en, type, organisation form, services and languages, address,
WGS84 coordinates, dates, identifiers, the planning area, and optionally its number of places (then a
``sn:CapacityObservation`` on ``capacity_date`` is written too). Unit IRIs come from the ``unit``
pattern, so a city keeps its own IRIs (e.g. ``https://www.hel.fi/palvelukartta/unit/{id}``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Self

from pydantic import model_validator

from servicenet_vocab.convert.areas import AreaFields, area_node, area_triples
from servicenet_vocab.convert.emit import (
    SEPARATOR,
    TYPE,
    XSD_DECIMAL,
    XSD_INTEGER,
    Triple,
    bnode,
    escaped,
    iri,
    plain,
    sn,
    tagged,
    turtle,
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

__all__ = ["UnitRow", "address_triples", "render_unit"]

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
    place_basis: Code("place-basis") | None = None  # type: ignore[valid-type]

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


# Terms and fixed text used on every row, resolved once. Rows are rendered with f-strings around
# these (compiled, unlike ``str.format``, which parses its template on every call).
_ORG_FORM, _PROVIDER, _STATUS, _OPENING, _CLOSING, _AREA = (
    sn(n)
    for n in ("organisationForm", "provider", "unitStatus", "openingDate", "closingDate", "area")
)
_HAS_ADDRESS, _OFFERS, _LANGUAGE = sn("hasAddress"), sn("offers"), sn("serviceLanguage")
_HAS_GEOMETRY = iri(GEO + "hasGeometry")
_STREET, _POSTAL, _OFFICE = sn("streetAddress"), sn("postalCode"), sn("postOffice")
_CLASSES = {notation: sn(name) for notation, name in UNIT_CLASSES.items()}
# (field, text before the value, text after it) of the unit's and its address's literals
_UNIT_LITERALS = (
    ("name_fi", f'{LABEL} "', '"@fi'),
    ("name_sv", f'{LABEL} "', '"@sv'),
    ("name_en", f'{LABEL} "', '"@en'),
    *((field_name, f'{sn(prop)} "', '"') for field_name, prop in IDENTIFIERS.items()),
)
_ADDRESS_LITERALS = (
    ("street_address_fi", f'{_STREET} "', '"@fi'),
    ("street_address_sv", f'{_STREET} "', '"@sv'),
    ("postal_code", f'{_POSTAL} "', '"'),
    ("post_office_fi", f'{_OFFICE} "', '"@fi'),
    ("post_office_sv", f'{_OFFICE} "', '"@sv'),
)
_ADDRESS_HEAD = f"{TYPE} {sn('Address')}"
_GEOMETRY_HEAD = f' {TYPE} {iri(GEO + "Geometry")}{SEPARATOR}{iri(GEO + "asWKT")} "POINT('
_GEOMETRY_LAT = f')"^^{WKT}{SEPARATOR}{sn("latitude")} "'
_GEOMETRY_LON = f'"^^{XSD_DECIMAL}{SEPARATOR}{sn("longitude")} "'
_GEOMETRY_END = f'"^^{XSD_DECIMAL} .\n'
_OFFERING_HEAD = f"{TYPE} {sn('ServiceOffering')}{SEPARATOR}{sn('serviceType')} "
_CAPACITY_HEAD = (
    f" {TYPE} {sn('CapacityObservation')}{SEPARATOR}{TYPE} {iri(QB + 'Observation')}"
    f"{SEPARATOR}{iri(QB + 'dataSet')} "
)
_CAPACITY_UNIT = f"{SEPARATOR}{sn('unit')} "
_CAPACITY_DATE = f"{SEPARATOR}{sn('referenceDate')} "
_CAPACITY_SERVICE = f"{SEPARATOR}{sn('serviceType')} "
_CAPACITY_PLACES = f'{SEPARATOR}{sn("places")} "'
_CAPACITY_BASIS = f"{SEPARATOR}{sn('placeBasis')} "
_CAPACITY_INTEGER = f'"^^{XSD_INTEGER}'


@lru_cache(maxsize=1024)
def _coded(
    unit_type: str,
    organisation_form: str | None,
    status: str | None,
    municipality: str,
    publisher: str,
) -> tuple[str, int]:
    """The unit's classes, type, municipality, organisation form (and the city as provider of a
    municipal unit) and status: the same few combinations on every row, rendered once each."""
    pairs = [
        f"{TYPE} {_CLASSES[unit_type.rsplit('/', 1)[1]]}",
        f"{TYPE} {sn('ServiceUnit')}",
        f"{sn('unitType')} {iri(unit_type)}",
        f"{sn('municipality')} {iri(municipality)}",
    ]
    if organisation_form:
        pairs.append(f"{_ORG_FORM} {iri(organisation_form)}")
        if organisation_form == MUNICIPAL:
            pairs.append(f"{_PROVIDER} {publisher}")
    if status:
        pairs.append(f"{_STATUS} {iri(status)}")
    return SEPARATOR.join(pairs), len(pairs)


def render_unit(row: UnitRow, context: ConversionContext) -> tuple[str, int]:
    """The unit's Turtle (its own statements, address, point, offerings, new area, capacity
    observation) rendered from templates, and the number of triples: this runs once per row of
    big exports, so it writes text directly instead of building triples."""
    template = context.templates["unit"]
    unit = template.expand(row)
    context.claim(unit, template.parts[0][1] if template.parts else "id")
    values = row.__dict__  # the fields' values, read without attribute lookups
    coded, triples = _coded(
        values["unit_type"],
        values["organisation_form"],
        values["status"],
        context.municipality_concept,
        context.publisher,
    )
    pairs = [coded]
    pairs += [f"{a}{escaped(v)}{b}" for name, a, b in _UNIT_LITERALS if (v := values[name])]
    if opening := values["opening_date"]:
        pairs.append(f"{_OPENING} {xsd_date(opening)}")
    if closing := values["closing_date"]:
        pairs.append(f"{_CLOSING} {xsd_date(closing)}")
    area = area_node(row, context) if row.has_area() else None
    if area:
        pairs.append(f"{_AREA} {area}")
    blocks: list[str] = []
    address = [f"{a}{escaped(v)}{b}" for name, a, b in _ADDRESS_LITERALS if (v := values[name])]
    if address:
        node = bnode()
        pairs.append(f"{_HAS_ADDRESS} {node}")
        blocks.append(f"{node} {_ADDRESS_HEAD}{SEPARATOR}{SEPARATOR.join(address)} .\n")
        triples += len(address) + 1
    latitude, longitude = values["latitude"], values["longitude"]
    if latitude is not None and longitude is not None:
        node = bnode()
        pairs.append(f"{_HAS_GEOMETRY} {node}")
        blocks.append(_geometry(node, latitude, longitude))
        triples += 4
    service_types = values["service_types"]
    languages = [f"{_LANGUAGE} {iri(language)}" for language in values["languages"] or ()]
    for service_type in service_types or ():
        node = bnode()
        pairs.append(f"{_OFFERS} {node}")
        offering = [_OFFERING_HEAD + iri(service_type), *languages]
        blocks.append(f"{node} {SEPARATOR.join(offering)} .\n")
        triples += len(offering) + 1
    if not service_types:
        pairs += languages
    triples += len(pairs) - 1  # the coded part was counted already
    text = f"{unit} {SEPARATOR.join(pairs)} .\n" + "".join(blocks)
    if area and area not in context.seen:  # a new area: described once
        described, count = turtle(area_triples(row, context))
        text += described
        triples += count
    places, capacity_date = values["places"], values["capacity_date"]
    if places is not None and capacity_date is not None:
        node = context.templates["capacity"].expand(row)
        # Without a basis the output fails the shape CapacityObservation-placeBasis.
        basis = values["place_basis"]
        text += (
            f"{node}{_CAPACITY_HEAD}{context.dataset}{_CAPACITY_UNIT}{unit}"
            f"{_CAPACITY_DATE}{xsd_date(capacity_date)}"
            f"{_CAPACITY_SERVICE}{iri(_capacity_service_type(row))}"
            f"{_CAPACITY_PLACES}{places}{_CAPACITY_INTEGER}"
            + (f"{_CAPACITY_BASIS}{iri(basis)}" if basis is not None else "")
            + " .\n"
        )
        triples += 7 if basis is None else 8
    return text, triples


def _geometry(node: str, latitude: Decimal, longitude: Decimal) -> str:
    """The point's block: WKT, and latitude and longitude as ``decimal()`` writes them."""
    lat, lon = _plain_decimal(latitude), _plain_decimal(longitude)
    lat_point = "" if "." in lat else ".0"
    lon_point = "" if "." in lon else ".0"
    return (
        f"{node}{_GEOMETRY_HEAD}{lon} {lat}{_GEOMETRY_LAT}{lat}{lat_point}"
        f"{_GEOMETRY_LON}{lon}{lon_point}{_GEOMETRY_END}"
    )


def _plain_decimal(value: Decimal) -> str:
    """``format(value, "f")``: the plain notation, also for values such as 1E+1."""
    text = str(value)
    return text if "E" not in text and "e" not in text else format(value, "f")


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


def _capacity_service_type(row: UnitRow) -> str:
    if row.capacity_service_type:
        return row.capacity_service_type
    if row.service_types:
        return row.service_types[0]
    return f"{CODE}service-type/{SERVICE_OF_UNIT_TYPE[row.unit_type.rsplit('/', 1)[1]]}"
