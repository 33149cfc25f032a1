"""Service units (daycare centres, family daycare, pre-school units, schools, clubs...).

One row is one unit: names in fi/sv/en, type, organisation forms, services and languages,
pedagogical systems, visiting and postal (mailing) addresses, WGS84 coordinates, dates,
identifiers, the planning area (or the organiser's service area), its own municipality, and
optionally its number of places (then a ``sn:CapacityObservation`` on ``capacity_date`` is written
too). Unit IRIs come from the ``unit`` pattern, so a city keeps its own IRIs (e.g.
``https://www.hel.fi/palvelukartta/unit/{id}``).

The unit's municipality is its ``municipality`` column, else (with ``municipality_by_postcode``)
the municipality of its postal code, else the dataset's. A municipal unit of another municipality
than the publisher's is provided by that municipality (``<base>organisation/<code>``, described
once), and its area lies in its own municipality.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Self

from pydantic import model_validator

from servicenet_vocab.convert.areas import AREA_CLASSES, DEFAULT_LEVEL, AreaFields
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
from servicenet_vocab.convert.iris import IriTemplate
from servicenet_vocab.convert.postcodes import KEY_NAME, municipality_of_postcode
from servicenet_vocab.convert.problems import RowProblem
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
from servicenet_vocab.namespaces import CODE, GEO, QB, RDFS, SN

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
    municipality: Code("municipality") | None = None  # type: ignore[valid-type]
    unit_type: Code("service-unit-type")  # type: ignore[valid-type]
    organisation_form: Codes("organisation-form") | None = None  # type: ignore[valid-type]
    service_types: Codes("service-type") | None = None  # type: ignore[valid-type]
    languages: Codes("language") | None = None  # type: ignore[valid-type]
    pedagogical_systems: Codes("pedagogical-system") | None = None  # type: ignore[valid-type]
    status: Code("unit-status") | None = None  # type: ignore[valid-type]
    street_address_fi: Text | None = None
    street_address_sv: Text | None = None
    postal_code: Text | None = None
    post_office_fi: Text | None = None
    post_office_sv: Text | None = None
    mailing_street_address_fi: Text | None = None  # the postal address (a PO box, too)
    mailing_street_address_sv: Text | None = None
    mailing_postal_code: Text | None = None
    mailing_post_office_fi: Text | None = None
    mailing_post_office_sv: Text | None = None
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
        for name in ("postal_code", "mailing_postal_code"):
            code = getattr(self, name)
            if code and not _POSTAL_CODE.match(code):
                raise rule(name, "'{value}' is not a five-digit postal code", value=code)
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
_POSTAL_ADDRESS, _PEDAGOGY, _SERVICE_AREA = (
    sn("postalAddress"),
    sn("pedagogicalSystem"),
    sn("serviceArea"),
)
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
_MAILING_LITERALS = (
    ("mailing_street_address_fi", f'{_STREET} "', '"@fi'),
    ("mailing_street_address_sv", f'{_STREET} "', '"@sv'),
    ("mailing_postal_code", f'{_POSTAL} "', '"'),
    ("mailing_post_office_fi", f'{_OFFICE} "', '"@fi'),
    ("mailing_post_office_sv", f'{_OFFICE} "', '"@sv'),
)
_ADDRESS_HEAD = f"{TYPE} {sn('Address')}"
SERVICE_AREA_LEVEL = CODE + "area-level/service-area"
MUNICIPALITY_PROVIDER = CODE + "provider-type/municipality"
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
    organisation_forms: tuple[str, ...],
    status: str | None,
    municipality: str,
    provider: str,
) -> tuple[str, int]:
    """The unit's classes, type, municipality, organisation forms (and its municipality as the
    provider of a municipal unit) and status: a few combinations on every row, rendered once each."""
    pairs = [
        f"{TYPE} {_CLASSES[unit_type.rsplit('/', 1)[1]]}",
        f"{TYPE} {sn('ServiceUnit')}",
        f"{sn('unitType')} {iri(unit_type)}",
        f"{sn('municipality')} {iri(municipality)}",
    ]
    pairs += [f"{_ORG_FORM} {iri(form)}" for form in organisation_forms]
    if MUNICIPAL in organisation_forms:
        pairs.append(f"{_PROVIDER} {provider}")
    if status:
        pairs.append(f"{_STATUS} {iri(status)}")
    return SEPARATOR.join(pairs), len(pairs)


def _uses_municipality(templates: dict[str, IriTemplate]) -> bool:
    return any(_names_municipality(template) for template in templates.values())


@lru_cache(maxsize=64)
def _names_municipality(template: IriTemplate) -> bool:
    return "municipality" in template.fields()


def unit_municipality(row: UnitRow, context: ConversionContext) -> str:
    """The concept of the unit's own municipality: its column, its postcode, or the dataset's."""
    if row.municipality:
        return row.municipality
    if context.mapping.municipality_by_postcode and row.postal_code:
        code = municipality_of_postcode(row.postal_code)
        if code is None:
            raise RowProblem(
                "postal_code",
                f"is not a postcode area of {KEY_NAME}, so the unit's municipality is not known: "
                "correct the postal code or map a municipality column",
            )
        return f"{CODE}municipality/{code}"
    return context.municipality_concept


def _provider(municipality: str, context: ConversionContext) -> tuple[str, tuple[str, int]]:
    """The provider of a municipal unit in ``municipality`` and, the first time, its Turtle."""
    if municipality == context.municipality_concept:
        return context.publisher, ("", 0)
    code = municipality.rsplit("/", 1)[1]
    node = iri(f"{context.mapping.base_iri}organisation/{code}")
    if not context.first_time(node):
        return node, ("", 0)
    codes = context.codes["municipality"]
    triples: list[Triple] = [(node, TYPE, sn("Provider"))]
    for lang, text in sorted(codes.pref_labels.get(municipality, {}).items()):
        if lang:
            triples.append((node, LABEL, tagged(text, lang)))
    business_id = codes.data.get(municipality, {}).get(SN + "businessId")
    if business_id:
        triples.append((node, sn("businessId"), plain(business_id)))
    triples += [
        (node, sn("providerType"), iri(MUNICIPALITY_PROVIDER)),
        (node, sn("municipality"), iri(municipality)),
    ]
    return node, turtle(triples)


def _area(
    row: UnitRow, municipality: str, context: ConversionContext
) -> tuple[str, tuple[str, int], bool]:
    """The unit's area node, its Turtle the first time (else ""), and whether it is the
    organiser's service area (eVaka's care area) rather than a statistical area."""
    key = (row.area_code, row.area_name_fi, row.area_name_sv, municipality)
    node = context.area_nodes.get(key)
    if node is None:  # areas recur on many rows: expand each once
        node = context.area_nodes[key] = context.templates["area"].expand(row)
    level = row.area_level or DEFAULT_LEVEL
    service_area = level == SERVICE_AREA_LEVEL
    if not context.first_time(node):
        return node, ("", 0), service_area
    notation = level.rsplit("/", 1)[1]
    if notation == "municipality":
        raise RowProblem("area_level", "names the municipality; areas here are planning areas")
    kind = "ServiceArea" if service_area else AREA_CLASSES[notation]
    triples: list[Triple] = [
        (node, TYPE, sn(kind)),
        (node, TYPE, sn("PlanningArea")),
        (node, sn("areaLevel"), iri(level)),
    ]
    if not service_area:  # a service area is the organiser's own division, across municipalities
        triples.append((node, sn("partOfArea"), iri(municipality)))
    if row.area_code:
        triples.append((node, sn("areaCode"), plain(row.area_code)))
    for language, name in (("fi", row.area_name_fi), ("sv", row.area_name_sv)):
        if name:
            triples.append((node, LABEL, tagged(name, language)))
    return node, turtle(triples), service_area


def render_unit(row: UnitRow, context: ConversionContext) -> tuple[str, int]:
    """The unit's Turtle (its own statements, addresses, point, offerings, new area and provider,
    capacity observation) rendered from templates, and the number of triples: this runs once per
    row of big exports, so it writes text directly instead of building triples."""
    municipality = unit_municipality(row, context)
    if municipality != row.municipality and _uses_municipality(context.templates):
        row = row.model_copy(update={"municipality": municipality})  # for {municipality}
    template = context.templates["unit"]
    unit = template.expand(row)
    context.claim(unit, template.parts[0][1] if template.parts else "id")
    values = row.__dict__  # the fields' values, read without attribute lookups
    forms = tuple(values["organisation_form"] or ())
    provider, described = (
        _provider(municipality, context) if MUNICIPAL in forms else (context.publisher, ("", 0))
    )
    coded, triples = _coded(values["unit_type"], forms, values["status"], municipality, provider)
    pairs = [coded]
    pairs += [f"{a}{escaped(v)}{b}" for name, a, b in _UNIT_LITERALS if (v := values[name])]
    pairs += [f"{_PEDAGOGY} {iri(system)}" for system in values["pedagogical_systems"] or ()]
    if opening := values["opening_date"]:
        pairs.append(f"{_OPENING} {xsd_date(opening)}")
    if closing := values["closing_date"]:
        pairs.append(f"{_CLOSING} {xsd_date(closing)}")
    area_text: tuple[str, int] = ("", 0)
    if row.has_area():
        area, area_text, service_area = _area(row, municipality, context)
        pairs.append(f"{_SERVICE_AREA if service_area else _AREA} {area}")
    blocks: list[str] = []
    for link, literals in ((_HAS_ADDRESS, _ADDRESS_LITERALS), (_POSTAL_ADDRESS, _MAILING_LITERALS)):
        address = [f"{a}{escaped(v)}{b}" for name, a, b in literals if (v := values[name])]
        if address:
            node = bnode()
            pairs.append(f"{link} {node}")
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
    for extra, count in (area_text, described):  # a new area or provider: described once
        text += extra
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
