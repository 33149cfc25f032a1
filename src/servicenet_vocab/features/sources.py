"""The SPARQL that reads the features from the municipality graphs, and how its SELECT results
(SPARQL 1.1 JSON) become ``Feature``s: service units (points, with their latest places), planning
areas and catchment areas (their WKT; an area without a geometry of its own takes the union of
its parts').

The queries are the project's own (no user text in them): the graphs are given as a ``VALUES``
row of IRIs built from checked municipality codes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from servicenet_vocab import namespaces as ns
from servicenet_vocab.features.model import Feature, point, wkt_geometry

__all__ = [
    "KINDS",
    "Binding",
    "features_of",
    "graphs_clause",
    "kind_queries",
    "plain",
]

Binding = Mapping[str, Mapping[str, str]]  # one row of SPARQL JSON results
KINDS = ("units", "areas", "catchment-areas")

_PREFIXES = ns.sparql_prefixes("sn", "rdfs", "geo")
# A point (sn:latitude/longitude) or a WKT shape, whichever the thing has: every query reads both.
_GEOMETRY = """OPTIONAL { ?s geo:hasGeometry ?geom .
      OPTIONAL { ?geom sn:latitude ?lat ; sn:longitude ?lon }
      OPTIONAL { ?geom geo:asWKT ?wkt } }"""

UNITS = """SELECT ?g ?s ?lat ?lon ?wkt ?label ?type ?status ?opening ?closing ?local ?area ?form
WHERE {
  %(graphs)s
  GRAPH ?g {
    ?s a ?class .
    %(geometry)s
    OPTIONAL { ?s rdfs:label ?label }
    OPTIONAL { ?s sn:unitType ?type }
    OPTIONAL { ?s sn:unitStatus ?status }
    OPTIONAL { ?s sn:openingDate ?opening }
    OPTIONAL { ?s sn:closingDate ?closing }
    OPTIONAL { ?s sn:localIdentifier ?local }
    OPTIONAL { ?s sn:area ?area }
    OPTIONAL { ?s sn:organisationForm ?form }
  }
  ?class rdfs:subClassOf* sn:ServiceUnit .
}"""

# Places on each unit's latest reference date, all age groups and service types together.
PLACES = """SELECT ?s ?latest (SUM(?p) AS ?places) WHERE {
  { SELECT ?s (MAX(?d) AS ?latest) WHERE {
      %(graphs)s
      GRAPH ?g { ?o a sn:CapacityObservation ; sn:unit ?s ; sn:referenceDate ?d } }
    GROUP BY ?s }
  %(graphs)s
  GRAPH ?g { ?o2 a sn:CapacityObservation ; sn:unit ?s ; sn:referenceDate ?latest ; sn:places ?p }
} GROUP BY ?s ?latest"""

AREAS = """SELECT ?g ?s ?lat ?lon ?wkt ?label ?code ?level ?parent ?from ?to ?catchment
WHERE {
  %(graphs)s
  GRAPH ?g {
    ?s a ?class .
    %(geometry)s
    OPTIONAL { ?s rdfs:label ?label }
    OPTIONAL { ?s sn:areaCode ?code }
    OPTIONAL { ?s sn:areaLevel ?level }
    OPTIONAL { ?s sn:partOfArea ?parent }
    OPTIONAL { ?s sn:validFrom ?from }
    OPTIONAL { ?s sn:validTo ?to }
    BIND(EXISTS { ?s a sn:CatchmentArea } AS ?catchment)
  }
  ?class rdfs:subClassOf* sn:Area .
}"""

CATCHMENTS = """SELECT ?g ?s ?wkt ?lat ?lon ?label ?kind ?servedBy ?language ?schoolYear WHERE {
  %(graphs)s
  GRAPH ?g {
    ?s a sn:CatchmentArea .
    %(geometry)s
    OPTIONAL { ?s rdfs:label ?label }
    OPTIONAL { ?s sn:catchmentKind ?kind }
    OPTIONAL { ?s sn:servedBy ?servedBy }
    OPTIONAL { ?s sn:serviceLanguage ?language }
    OPTIONAL { ?s sn:schoolYear ?schoolYear }
  }
}"""


def graphs_clause(codes: Sequence[str]) -> str:
    """``VALUES ?g { ... }`` of the municipality graphs (codes are checked by ``municipality_graph``)."""
    return "VALUES ?g { " + " ".join(f"<{ns.municipality_graph(c)}>" for c in codes) + " }"


def kind_queries(kind: str, codes: Sequence[str]) -> list[str]:
    """The queries one kind is read with, for the municipalities ``codes``."""
    graphs = {"graphs": graphs_clause(codes), "geometry": _GEOMETRY}
    texts = {"units": [UNITS, PLACES], "areas": [AREAS], "catchment-areas": [CATCHMENTS]}[kind]
    return [_PREFIXES + text % graphs for text in texts]


# --- reading the rows -----------------------------------------------------------------------

_NUMBERS = {"integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"}
_DECIMALS = {"decimal", "double", "float"}


def plain(term: Mapping[str, str] | None) -> Any:
    """A SPARQL JSON term as a JSON value: numbers and booleans typed, everything else its text."""
    if term is None:
        return None
    value = term["value"]
    datatype = term.get("datatype", "")
    local = datatype.rpartition("#")[2] if datatype.startswith(ns.XSD) else ""
    try:
        if local in _NUMBERS:
            return int(value)
        if local in _DECIMALS:
            number = float(value)
            return int(number) if number.is_integer() and local == "decimal" else number
    except ValueError:
        return value
    if local == "boolean":
        return value in ("true", "1")
    return value


def _notation(iri: str | None) -> str | None:
    """A code list concept by its notation (``.../service-unit-type/daycare-centre``)."""
    if iri is None:
        return None
    return iri.rpartition("/")[2] if iri.startswith(ns.CODE) else iri


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _school_year(text: str | None) -> tuple[date | None, date | None]:
    """ "2025-2026": 1 August 2025 to 31 July 2026."""
    if text and len(text) == 9 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        return date(int(text[:4]), 8, 1), date(int(text[5:]), 7, 31)
    return None, None


class _Rows:
    """The rows of one subject, merged: the first value of each variable, and labels by language."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.many: dict[str, list[str]] = defaultdict(list)
        self.labels: dict[str, str] = {}

    def add(self, row: Binding) -> None:
        for name, term in row.items():
            if name == "label":
                self.labels.setdefault(term.get("xml:lang", ""), term["value"])
                continue
            self.values.setdefault(name, term["value"])
            if term["value"] not in self.many[name]:
                self.many[name].append(term["value"])

    def geometry(self) -> BaseGeometry | None:
        lat, lon = self.values.get("lat"), self.values.get("lon")
        if lat is not None and lon is not None:
            try:
                return point(float(lon), float(lat))
            except ValueError:
                pass
        wkt = self.values.get("wkt")
        return wkt_geometry(wkt) if wkt else None

    def names(self) -> dict[str, str | None]:
        name = next((self.labels[k] for k in ("fi", "sv", "en", "") if k in self.labels), None)
        return {
            "name": name,
            **{f"name_{lang}": self.labels.get(lang) for lang in ("fi", "sv", "en")},
        }


def _grouped(rows: Iterable[Binding]) -> dict[str, _Rows]:
    subjects: dict[str, _Rows] = {}
    for row in rows:
        if "s" in row:
            subjects.setdefault(row["s"]["value"], _Rows()).add(row)
    return subjects


def features_of(kind: str, results: Sequence[Sequence[Binding]]) -> list[Feature]:
    """The features of ``kind`` from the bindings of ``kind_queries(kind, ...)``, in that order."""
    subjects = _grouped(results[0])
    if kind == "units":
        places = {row["s"]["value"]: row for row in results[1] if "s" in row}
        return _ids([_unit(iri, rows, places.get(iri)) for iri, rows in subjects.items()])
    if kind == "areas":
        areas = {
            iri: rows for iri, rows in subjects.items() if rows.values.get("catchment") != "true"
        }
        return _ids(_with_parts([_area(iri, rows) for iri, rows in areas.items()], areas))
    return _ids([_catchment(iri, rows) for iri, rows in subjects.items()])


def _municipality(rows: _Rows) -> str | None:
    return ns.municipality_of_graph(rows.values.get("g", ""))


def _unit(iri: str, rows: _Rows, places: Binding | None) -> Feature:
    v = rows.values
    properties = {
        **rows.names(),
        "municipality": _municipality(rows),
        "unitType": _notation(v.get("type")),
        "unitStatus": _notation(v.get("status")),
        "organisationForm": _notation(v.get("form")),
        "localIdentifier": v.get("local"),
        "area": v.get("area"),
        "openingDate": v.get("opening"),
        "closingDate": v.get("closing"),
        "places": plain(places.get("places")) if places else None,
        "placesDate": places["latest"]["value"] if places and "latest" in places else None,
    }
    return Feature(
        id="",
        iri=iri,
        geometry=rows.geometry(),
        properties=properties,
        start=_date(v.get("opening")),
        end=_date(v.get("closing")),
        municipality=_municipality(rows),
    )


def _area(iri: str, rows: _Rows) -> Feature:
    v = rows.values
    properties = {
        **rows.names(),
        "municipality": _municipality(rows),
        "areaCode": v.get("code"),
        "areaLevel": _notation(v.get("level")),
        "partOf": v.get("parent"),
        "validFrom": v.get("from"),
        "validTo": v.get("to"),
        "geometrySource": "own",
    }
    return Feature(
        id="",
        iri=iri,
        geometry=rows.geometry(),
        properties=properties,
        start=_date(v.get("from")),
        end=_date(v.get("to")),
        municipality=_municipality(rows),
    )


def _with_parts(features: list[Feature], rows: Mapping[str, _Rows]) -> list[Feature]:
    """An area without a geometry of its own gets the union of its parts' (a district: the
    points of its sub-districts), marked ``geometrySource: parts``; repeated up the hierarchy."""
    by_iri = {feature.iri: feature for feature in features}
    for _ in range(len(features)):  # at most one pass per level of the hierarchy
        changed = False
        parts: dict[str, list[BaseGeometry]] = defaultdict(list)
        for feature in features:
            parent = feature.properties.get("partOf")
            if feature.geometry is not None and parent in by_iri:
                parts[parent].append(feature.geometry)
        for iri, geometries in parts.items():
            target = by_iri[iri]
            if target.geometry is None:
                target.geometry = unary_union(geometries)
                target.properties["geometrySource"] = "parts"
                changed = True
        if not changed:
            break
    return features


def _catchment(iri: str, rows: _Rows) -> Feature:
    v = rows.values
    start, end = _school_year(v.get("schoolYear"))
    properties = {
        **rows.names(),
        "municipality": _municipality(rows),
        "catchmentKind": _notation(v.get("kind")),
        "servedBy": ",".join(sorted(rows.many.get("servedBy", []))) or None,
        "serviceLanguage": _notation(v.get("language")),
        "schoolYear": v.get("schoolYear"),
    }
    return Feature(
        id="",
        iri=iri,
        geometry=rows.geometry(),
        properties=properties,
        start=start,
        end=end,
        municipality=_municipality(rows),
    )


def _ids(features: list[Feature]) -> list[Feature]:
    """Each feature's id: the last segment of its IRI, or its path where two share one."""
    features.sort(key=lambda f: f.iri)
    tails = [f.iri.rstrip("/").rpartition("/")[2] or f.iri for f in features]
    counts = Counter(tails)
    for feature, tail in zip(features, tails, strict=True):
        unique = counts[tail] == 1
        feature.id = tail if unique else _path_id(feature.iri)
    return features


def _path_id(iri: str) -> str:
    path = iri.split("://", 1)[-1].partition("/")[2]
    return path.replace("/", "~") or iri
