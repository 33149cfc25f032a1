"""The facts the answers read, each with one narrow SPARQL SELECT, typed on the way in: areas,
units, service-need options, age groups here; dated observations in ``planning.observations``.

Each ``fetch_*`` takes a ``Fetch`` (``store.query(text).rows()`` of the embedded store in a worker,
or of the remote engine) and returns plain records; the answers combine them in Python. The
patterns start from the most selective triple (a type, a year, a date window) so that the engine
does not walk the whole store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any, ClassVar, TypeVar

__all__ = [
    "CODE",
    "PREFIXES",
    "Area",
    "Fetch",
    "Offering",
    "Option",
    "Unit",
    "code",
    "date_term",
    "fetch_age_groups",
    "fetch_areas",
    "fetch_options",
    "fetch_units",
    "held",
    "memoized",
    "parse_date",
    "parse_decimal",
    "parse_int",
]

Row = dict[str, str | None]
Fetch = Callable[[str], Iterable[Row]]
F = TypeVar("F", bound=Callable[..., Any])


class _Memo:
    """Facts already read, in this process, for one version of the data: a ``Fetch`` with a
    ``memo_token`` (a worker's data generation) shares them across answers; a new token forgets
    them. The facts are never changed after they are built, so sharing them is safe."""

    token: object = None
    items: ClassVar[dict[tuple[Any, ...], Any]] = {}


def held() -> tuple[object, list[str]]:
    """The data generation the facts held in this process belong to, and which facts they are."""
    return _Memo.token, sorted({key[0] for key in _Memo.items})


def memoized(function: F) -> F:
    @wraps(function)
    def wrapper(fetch: Fetch, *args: Any, **kwargs: Any) -> Any:
        token = getattr(fetch, "memo_token", None)
        if token is None:
            return function(fetch, *args, **kwargs)
        if _Memo.token != token:
            _Memo.token, _Memo.items = token, {}
        key = (function.__name__, args, tuple(sorted(kwargs.items())))
        if key not in _Memo.items:
            _Memo.items[key] = function(fetch, *args, **kwargs)
        return _Memo.items[key]

    return wrapper  # type: ignore[return-value]


CODE = "https://w3id.org/servicenet/code/"
PREFIXES = """PREFIX sn: <https://w3id.org/servicenet/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
LEVEL_CLASSES = {
    "Municipality": "municipality",
    "MajorDistrict": "major-district",
    "District": "district",
    "SubDistrict": "sub-district",
    "PostalCodeArea": "postal-code-area",
    "StatisticalGridCell": "grid-cell",
    "CatchmentArea": "catchment-area",
    "ServiceArea": "service-area",
}


def code(iri: str | None) -> str | None:
    """The notation of a project code IRI (``…/code/language/sv`` -> ``sv``), else the IRI."""
    if iri and iri.startswith(CODE):
        return iri.rsplit("/", 1)[-1]
    return iri


def parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def parse_decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


def parse_int(text: str | None) -> int | None:
    return int(Decimal(text)) if text not in (None, "") else None


def date_term(day: date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


@dataclass
class Area:
    iri: str
    level: str | None = None
    parents: list[str] = field(default_factory=list)
    label: str | None = None
    lat: Decimal | None = None
    lon: Decimal | None = None
    wkt: str | None = None
    catchment_kind: str | None = None
    served_by: list[str] = field(default_factory=list)
    language: str | None = None
    school_year: str | None = None


@memoized
def fetch_areas(fetch: Fetch, *, geometry: bool = False) -> dict[str, Area]:
    """Every area with a parent (the hierarchy up to the municipality concept), its level (the
    code, else its class), its Finnish name and, if asked, its point and polygon."""
    areas: dict[str, Area] = {}
    for row in fetch(PREFIXES + "SELECT ?area ?parent WHERE { ?area sn:partOfArea ?parent }"):
        area = areas.setdefault(str(row["area"]), Area(str(row["area"])))
        area.parents.append(str(row["parent"]))
    text = (
        PREFIXES
        + """SELECT ?area ?level ?class ?label WHERE {
      { ?area sn:areaLevel ?level } UNION {
        VALUES ?class { sn:MajorDistrict sn:District sn:SubDistrict sn:PostalCodeArea
                        sn:StatisticalGridCell sn:CatchmentArea sn:ServiceArea }
        ?area a ?class }
      OPTIONAL { ?area rdfs:label ?label FILTER(LANG(?label) = "fi") } }"""
    )
    for row in fetch(text):
        area = areas.setdefault(str(row["area"]), Area(str(row["area"])))
        if row["level"]:
            area.level = code(row["level"])
        elif row["class"] and area.level is None:
            area.level = LEVEL_CLASSES.get(str(row["class"]).rsplit("#", 1)[-1])
        area.label = area.label or row["label"]
    names = (
        PREFIXES
        + """SELECT ?m ?name WHERE {
      ?m a sn:Municipality ; skos:prefLabel ?name FILTER(LANG(?name) = "fi") }"""
    )
    for row in fetch(names):
        areas.setdefault(str(row["m"]), Area(str(row["m"]), "municipality", label=row["name"]))
    catchment = (
        PREFIXES
        + """SELECT ?area ?kind ?unit ?language ?year WHERE {
      ?area sn:catchmentKind ?kind .
      OPTIONAL { ?area sn:servedBy ?unit } OPTIONAL { ?area sn:serviceLanguage ?language }
      OPTIONAL { ?area sn:schoolYear ?year } }"""
    )
    for row in fetch(catchment):
        area = areas.setdefault(str(row["area"]), Area(str(row["area"]), "catchment-area"))
        area.catchment_kind = code(row["kind"])
        area.language = code(row["language"]) or area.language
        area.school_year = row["year"] or area.school_year
        if row["unit"] and row["unit"] not in area.served_by:
            area.served_by.append(str(row["unit"]))
    if geometry:
        text = (
            PREFIXES
            + """SELECT ?area ?lat ?lon ?wkt WHERE {
          ?area sn:partOfArea ?parent ; geo:hasGeometry ?g .
          OPTIONAL { ?g sn:latitude ?lat ; sn:longitude ?lon } OPTIONAL { ?g geo:asWKT ?wkt } }"""
        )
        for row in fetch(text):
            area = areas[str(row["area"])]
            area.lat, area.lon = (
                parse_decimal(row["lat"]) or area.lat,
                parse_decimal(row["lon"]) or area.lon,
            )
            area.wkt = row["wkt"] or area.wkt
    return areas


@dataclass
class Offering:
    service_type: str
    language: str | None
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass
class Unit:
    iri: str
    municipality: str | None = None
    area: str | None = None
    label: str | None = None
    status: str | None = None
    classes: set[str] = field(default_factory=set)
    lat: Decimal | None = None
    lon: Decimal | None = None
    offerings: list[Offering] = field(default_factory=list)

    @property
    def family(self) -> bool:
        """Family or group family daycare, whose placements eVaka weighs by its own rule."""
        return bool(self.classes & {"FamilyDaycare", "GroupFamilyDaycare"})

    def languages(self, service_type: str, day: date) -> set[str]:
        return {
            o.language
            for o in self.offerings
            if o.service_type == service_type and o.language and o.valid_on(day)
        }

    def offers(self, service_type: str, day: date) -> bool:
        return any(o.service_type == service_type and o.valid_on(day) for o in self.offerings)


UNIT_CLASSES = "sn:DaycareCentre sn:FamilyDaycare sn:GroupFamilyDaycare sn:PreSchoolUnit sn:ComprehensiveSchool sn:Club sn:OpenEarlyEducation sn:ServiceUnit"  # fmt: skip


@memoized
def fetch_units(fetch: Fetch, *, offerings: bool = True, location: bool = False) -> dict[str, Unit]:
    """Every service unit (an instance of a unit class) with its municipality, area, name, status
    and, if asked, offerings and WGS84 point."""
    units: dict[str, Unit] = {}
    text = (
        PREFIXES
        + f"""SELECT ?unit ?class ?municipality ?area ?label ?status WHERE {{
      VALUES ?class {{ {UNIT_CLASSES} }}
      ?unit a ?class .
      OPTIONAL {{ ?unit sn:municipality ?municipality }} OPTIONAL {{ ?unit sn:area ?area }}
      OPTIONAL {{ ?unit rdfs:label ?label FILTER(LANG(?label) = "fi") }}
      OPTIONAL {{ ?unit sn:unitStatus ?status }} }}"""
    )
    for row in fetch(text):
        unit = units.setdefault(str(row["unit"]), Unit(str(row["unit"])))
        unit.classes.add(str(row["class"]).rsplit("#", 1)[-1])
        unit.municipality = unit.municipality or row["municipality"]
        unit.area = unit.area or row["area"]
        unit.label = unit.label or row["label"]
        unit.status = unit.status or code(row["status"])
    if offerings:
        text = (
            PREFIXES
            + """SELECT ?unit ?type ?language ?from ?to WHERE {
          ?unit sn:offers ?offering . ?offering sn:serviceType ?type .
          OPTIONAL { ?offering sn:serviceLanguage ?language }
          OPTIONAL { ?offering sn:validFrom ?from } OPTIONAL { ?offering sn:validTo ?to } }"""
        )
        for row in fetch(text):
            if (found := units.get(str(row["unit"]))) is not None:
                unit = found
                unit.offerings.append(
                    Offering(
                        str(code(row["type"])),
                        code(row["language"]),
                        parse_date(row["from"]),
                        parse_date(row["to"]),
                    )
                )
    if location:
        text = (
            PREFIXES
            + """SELECT ?unit ?lat ?lon WHERE {
          ?unit geo:hasGeometry ?g . ?g sn:latitude ?lat ; sn:longitude ?lon }"""
        )
        for row in fetch(text):
            if (found := units.get(str(row["unit"]))) is not None:
                unit = found
                unit.lat, unit.lon = parse_decimal(row["lat"]), parse_decimal(row["lon"])
    return units


@dataclass
class Option:
    iri: str
    coefficient: Decimal | None = None
    under3: Decimal | None = None
    service_type: str | None = None
    part_day: bool | None = None
    national: str | None = None


@memoized
def fetch_options(fetch: Fetch) -> dict[str, Option]:
    """Service-need options (national and the cities' own, which refine a national one)."""
    text = (
        PREFIXES
        + """SELECT ?o ?coefficient ?under3 ?type ?partDay ?national WHERE {
      ?o a sn:ServiceNeedOption .
      OPTIONAL { ?o sn:occupancyCoefficient ?coefficient }
      OPTIONAL { ?o sn:occupancyCoefficientUnder3 ?under3 } OPTIONAL { ?o sn:serviceType ?type }
      OPTIONAL { ?o sn:partDay ?partDay } OPTIONAL { ?o sn:nationalOption ?national } }"""
    )
    options = {}
    for row in fetch(text):
        options[str(row["o"])] = Option(
            str(row["o"]),
            parse_decimal(row["coefficient"]),
            parse_decimal(row["under3"]),
            code(row["type"]),
            None if row["partDay"] is None else row["partDay"] in ("true", "1"),
            row["national"],
        )
    for option in options.values():  # a city's option inherits what it does not say
        national = options.get(option.national or "")
        if national is not None:
            option.coefficient = option.coefficient if option.coefficient is not None else national.coefficient  # fmt: skip
            option.under3 = option.under3 if option.under3 is not None else national.under3
            option.service_type = option.service_type or national.service_type
            option.part_day = option.part_day if option.part_day is not None else national.part_day  # fmt: skip
    return options


@memoized
def fetch_age_groups(fetch: Fetch) -> dict[str, tuple[int, int | None]]:
    """Each age-group concept's interval, by notation (``"3-5"`` -> (3, 5); open bands (65-) None)."""
    text = (
        PREFIXES
        + """SELECT ?g ?low ?high WHERE {
      ?g sn:lowestAge ?low . OPTIONAL { ?g sn:highestAge ?high } }"""
    )
    return {
        str(code(row["g"])): (int(str(row["low"])), parse_int(row["high"])) for row in fetch(text)
    }
