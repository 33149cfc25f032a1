"""City datasets as CPSV-AP 3.2.0: offerings as public services, units as their channels.

The alignment (``ontology/alignments/cpsv-ap.ttl``) only closeMatches the two models, which entails
nothing; this export writes the CPSV-AP terms themselves, so the official CPSV-AP shapes see the
services. Structure comes from SPARQL CONSTRUCT queries over the city files, the code lists and the
alignments; the composed texts (titles, descriptions) and the opening hours are built in Python.

    sn:ServiceOffering of a unit (sn:offers)  cpsv:PublicService (same IRI); dct:identifier its IRI
      dct:title       "<unit name>: <service type>" per language (fi, sv, en; a language without
                      a unit name uses the Finnish name: proper names are not translated)
      dct:description the service type's skos:definition, the language of service and grades
      sn:organiser    cv:hasCompetentAuthority, when the alignment makes it a cv:PublicOrganisation
                      (sn:providerType municipality, joint municipal authority or state); an
                      offering whose organiser is private (private ECEC) is no public service and
                      is left out (``Export.skipped``)
      sn:serviceType  cv:isClassifiedBy; its PTV service class (skos:exactMatch of the type or of
                      a broader type: P3.4, P6.1, P6.2) cv:thematicArea
      sn:serviceLanguage  dct:language, the ISO 639 IRI it exactMatches (a dct:LinguisticSystem)
      the unit's sn:municipality  dct:spatial (a dct:Location); sn:unitStatus  adms:status
      sn:openingHours cv:contactPoint <offering#contact-point> (a cv:ContactPoint) cv:openingHours
      the unit's sn:hasAddress  the contact point's locn:address <unit#address> (a locn:Address)
    sn:ServiceUnit    cv:Channel (same IRI), cv:hasChannel from each of its services
      sn:localIdentifier dct:identifier; rdfs:label kept; dct:type channel/service-location
      sn:provider     cv:ownedBy; the openings of all its services cv:openingHours
    organiser, provider  org:Organization with dct:identifier (sn:businessId), dct:title and
                      skos:prefLabel (rdfs:label); a public one also cv:PublicOrganisation with
                      dct:spatial (its sn:municipality)
    opening hours     "Mo-Fr 06:30-17:30" (schema.org syntax): a time:TemporalEntity per day and
                      time range, <unit#opening-hours-mo-0630-1730>, weekly (cv:frequency), with
                      its beginning and end as time:DateTimeDescription (day, hour, minute) and a
                      fi/sv/en dct:description

Every concept the export names (service types, PTV classes, channel type, unit status, frequency,
municipalities) is described in it (``skos:Concept``, labels, notation, scheme), so the export
conforms on its own. A missing source value is not filled in: the official shapes then report it on
the exported node (a unit without a name gives services without ``dct:title``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import RDF, SKOS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.vocabulary.files import project_root, vocabulary_files

__all__ = ["Export", "OpeningHours", "export", "parse_opening_hours"]

CPSV = Namespace(ns.CPSV)
CV = Namespace(ns.CV)
LOCN = Namespace(ns.LOCN)
TIME = Namespace("http://www.w3.org/2006/time#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
ORG = Namespace(ns.ORG)
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency"
WEEKLY = URIRef(FREQUENCY + "/WEEKLY")
SERVICE_LOCATION = URIRef(ns.CODE + "channel/service-location")
PTV_CLASSES = "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/"
LANGUAGES = ("fi", "sv", "en")

_PREFIXES = f"""
PREFIX sn: <{ns.SN}>
PREFIX rdf: <{ns.RDF}>
PREFIX rdfs: <{ns.RDFS}>
PREFIX owl: <{ns.OWL}>
PREFIX skos: <{ns.SKOS}>
PREFIX dct: <{ns.DCT}>
PREFIX org: <{ns.ORG}>
PREFIX cpsv: <{ns.CPSV}>
PREFIX cv: <{ns.CV}>
PREFIX locn: <{ns.LOCN}>
PREFIX adms: <{ADMS}>
"""

# The provider types the alignment's owl:Restriction makes cv:PublicOrganisations.
_PUBLIC_TYPES = f"""{_PREFIXES}
SELECT DISTINCT ?type WHERE {{
    ?restriction owl:onProperty sn:providerType ;
        owl:someValuesFrom/owl:oneOf/rdf:rest*/rdf:first ?type ;
        rdfs:subClassOf cv:PublicOrganisation .
}}
"""

# An offering is exported when a unit offers it and the unit's organiser is not known to be private
# (the public types are put in place of $PUBLIC).
_PAIRS = f"""{_PREFIXES}
SELECT DISTINCT ?offering ?unit WHERE {{
    ?unit sn:offers ?offering .
    ?offering a sn:ServiceOffering .
    FILTER(isIRI(?offering) && isIRI(?unit))
    FILTER NOT EXISTS {{
        ?unit sn:organiser ?other .
        FILTER NOT EXISTS {{ ?other sn:providerType ?type . VALUES ?type {{ $PUBLIC }} }}
    }}
}}
"""

# The exported (offering, unit) pairs, put in place of $EXPORTED in the queries below.
_EXPORTED = "VALUES (?offering ?unit) { $PAIRS }"

_SERVICES = f"""{_PREFIXES}
CONSTRUCT {{
    ?offering a cpsv:PublicService ;
        dct:identifier ?identifier ;
        cv:hasChannel ?unit ;
        cv:contactPoint ?contact ;
        cv:hasCompetentAuthority ?organiser ;
        cv:isClassifiedBy ?type ;
        dct:spatial ?municipality ;
        adms:status ?status .
    ?contact a cv:ContactPoint .
}} WHERE {{
    $EXPORTED
    BIND(STR(?offering) AS ?identifier)
    BIND(IRI(CONCAT(STR(?offering), "#contact-point")) AS ?contact)
    OPTIONAL {{ ?unit sn:organiser ?organiser }}
    OPTIONAL {{ ?offering sn:serviceType ?type }}
    OPTIONAL {{ ?unit sn:municipality ?municipality }}
    OPTIONAL {{ ?unit sn:unitStatus ?status }}
}}
"""

_THEMES = f"""{_PREFIXES}
CONSTRUCT {{
    ?offering cv:thematicArea ?ptv .
    ?ptv a skos:Concept ; skos:exactMatch ?top .
}} WHERE {{
    $EXPORTED
    ?offering sn:serviceType/skos:broader* ?top .
    ?top skos:exactMatch ?ptv .
    FILTER(STRSTARTS(STR(?ptv), "{PTV_CLASSES}"))
}}
"""

_LANGUAGES = f"""{_PREFIXES}
CONSTRUCT {{
    ?offering dct:language ?iso .
    ?iso a dct:LinguisticSystem .
}} WHERE {{
    $EXPORTED
    ?offering sn:serviceLanguage/skos:exactMatch ?iso .
    FILTER(STRSTARTS(STR(?iso), "http://id.loc.gov/vocabulary/iso639-"))
}}
"""

_CHANNELS = f"""{_PREFIXES}
CONSTRUCT {{
    ?unit a cv:Channel ;
        dct:identifier ?local ;
        dct:type <{SERVICE_LOCATION}> ;
        rdfs:label ?name ;
        cv:ownedBy ?provider .
}} WHERE {{
    $EXPORTED
    OPTIONAL {{ ?unit sn:localIdentifier ?local }}
    OPTIONAL {{ ?unit rdfs:label ?name }}
    OPTIONAL {{ ?unit sn:provider ?provider }}
}}
"""

_ADDRESSES = f"""{_PREFIXES}
CONSTRUCT {{
    ?contact locn:address ?address .
    ?address a locn:Address ;
        locn:thoroughfare ?street ;
        locn:postCode ?code ;
        locn:postName ?office .
}} WHERE {{
    $EXPORTED
    ?unit sn:hasAddress ?source .
    BIND(IRI(CONCAT(STR(?offering), "#contact-point")) AS ?contact)
    BIND(IRI(CONCAT(STR(?unit), "#address")) AS ?address)
    OPTIONAL {{ ?source sn:streetAddress ?street }}
    OPTIONAL {{ ?source sn:postalCode ?code }}
    OPTIONAL {{ ?source sn:postOffice ?office }}
}}
"""

_ORGANISATIONS = f"""{_PREFIXES}
CONSTRUCT {{
    ?organisation a org:Organization ;
        dct:identifier ?businessId ;
        dct:title ?name ;
        skos:prefLabel ?name .
}} WHERE {{
    $EXPORTED
    {{ ?unit sn:organiser ?organisation }} UNION {{ ?unit sn:provider ?organisation }}
    OPTIONAL {{ ?organisation sn:businessId ?businessId }}
    OPTIONAL {{ ?organisation rdfs:label ?name }}
}}
"""

_PUBLIC_ORGANISATIONS = f"""{_PREFIXES}
CONSTRUCT {{
    ?organisation a cv:PublicOrganisation ; dct:spatial ?municipality .
}} WHERE {{
    $EXPORTED
    {{ ?unit sn:organiser ?organisation }} UNION {{ ?unit sn:provider ?organisation }}
    ?organisation sn:providerType ?publicType .
    VALUES ?publicType {{ $PUBLIC }}
    OPTIONAL {{ ?organisation sn:municipality ?municipality }}
}}
"""

_SKIPPED = f"""{_PREFIXES}
SELECT DISTINCT ?offering ?reason WHERE {{
    ?offering a sn:ServiceOffering .
    FILTER NOT EXISTS {{ $EXPORTED }}
    BIND(IF(!isIRI(?offering), "it has no IRI",
        IF(!EXISTS {{ ?unit sn:offers ?offering }}, "no unit offers it",
        IF(EXISTS {{ ?unit sn:offers ?offering FILTER(!isIRI(?unit)) }}, "its unit has no IRI",
        "its organiser is not a public organisation"))) AS ?reason)
}}
"""

_TEXTS = f"""{_PREFIXES}
SELECT ?offering ?unit ?role ?value WHERE {{
    $EXPORTED
    {{ ?unit rdfs:label ?value BIND("name" AS ?role) }}
    UNION {{ ?offering sn:serviceType/skos:prefLabel ?value BIND("type" AS ?role) }}
    UNION {{ ?offering sn:serviceType/skos:definition ?value BIND("definition" AS ?role) }}
    UNION {{ ?offering sn:serviceLanguage/skos:prefLabel ?value BIND("language" AS ?role) }}
    UNION {{ ?offering sn:gradeRange/skos:prefLabel ?value BIND("grades" AS ?role) }}
    UNION {{ ?offering sn:openingHours ?value BIND("hours" AS ?role) }}
}}
"""

_CONCEPTS = f"""{_PREFIXES}
CONSTRUCT {{
    ?concept a skos:Concept ; skos:prefLabel ?label ; skos:notation ?notation ;
        skos:inScheme ?scheme .
    ?municipality a dct:Location .
}} WHERE {{
    VALUES ?concept {{ %s }}
    ?concept a skos:Concept .
    OPTIONAL {{ ?concept skos:prefLabel ?label }}
    OPTIONAL {{ ?concept skos:notation ?notation }}
    OPTIONAL {{ ?concept skos:inScheme ?scheme }}
    OPTIONAL {{ ?concept a sn:Municipality BIND(?concept AS ?municipality) }}
}}
"""

# Sentences of a description, per language.
_LANGUAGE_OF_SERVICE = {
    "fi": "Palvelukieli: {}.",
    "sv": "Tjänstespråk: {}.",
    "en": "Language of service: {}.",
}
_DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
_DAY_IRIS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_NAMES = {
    "fi": ("maanantaisin", "tiistaisin", "keskiviikkoisin", "torstaisin", "perjantaisin",
           "lauantaisin", "sunnuntaisin"),
    "sv": ("måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar", "söndagar"),
    "en": ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"),
}  # fmt: skip
_DAY_RANGE = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_TIME_RANGE = r"\d{2}:\d{2}-\d{2}:\d{2}"
_RULE = re.compile(
    rf"^\s*(?P<days>{_DAY_RANGE}(?:,{_DAY_RANGE})*)\s+(?P<times>{_TIME_RANGE}(?:,{_TIME_RANGE})*)\s*$"
)


@dataclass(frozen=True)
class OpeningHours:
    """One weekly opening: a day (0 = Monday) from ``start`` to ``end`` (hour, minute)."""

    day: int
    start: tuple[int, int]
    end: tuple[int, int]

    @property
    def key(self) -> str:
        return f"{_DAYS[self.day]}-{self.start[0]:02}{self.start[1]:02}-{self.end[0]:02}{self.end[1]:02}"


def parse_opening_hours(text: str) -> list[OpeningHours] | None:
    """A schema.org ``openingHours`` value ("Mo-Fr 06:30-17:30", "Tu,Th 09:00-12:00") as one
    opening per day and time range; None when the text is not in that syntax or a time is invalid.

    >>> [o.key for o in parse_opening_hours("Tu,Th 09:00-12:00")]
    ['tu-0900-1200', 'th-0900-1200']
    """
    match = _RULE.match(text)
    if match is None:
        return None
    days: list[int] = []
    for part in match["days"].split(","):
        first, _, last = part.partition("-")
        start, stop = _DAYS.index(first.lower()), _DAYS.index((last or first).lower())
        if stop < start:
            return None
        days += [d for d in range(start, stop + 1) if d not in days]
    ranges: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for part in match["times"].split(","):
        begin, end = (tuple(int(n) for n in t.split(":")) for t in part.split("-"))
        if not (_valid_time(begin) and _valid_time(end) and begin < end):
            return None
        ranges.append(((begin[0], begin[1]), (end[0], end[1])))
    return [OpeningHours(day, start, end) for day in days for start, end in ranges]


def _valid_time(time: tuple[int, ...]) -> bool:
    hour, minute = time
    return (0 <= hour < 24 and 0 <= minute < 60) or (hour, minute) == (24, 0)


@dataclass
class Export:
    graph: rdflib.Graph
    services: int = 0
    channels: int = 0
    organisations: int = 0
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> offering IRIs
    not_carried: Counter[str] = field(default_factory=Counter)  # source values left out


def export(data: Sequence[Path], vocabulary: Path | None = None) -> Export:
    """The CPSV-AP 3.2.0 rendering of one or more city dataset files (read together), with the
    code lists and alignments of the vocabulary tree ``vocabulary`` (default: the project)."""
    store = ox.Store()
    root = vocabulary or project_root()
    context = [
        f.path
        for f in vocabulary_files(root, shapes=False)
        if f.graph in (ns.CODELISTS_GRAPH, ns.ALIGNMENTS_GRAPH)
    ]
    for path in [*data, *context]:
        quads = rdfio.parse(path, rdfio.format_for_path(path), source_name=str(path))
        store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    graph = rdflib.Graph()
    for prefix, iri in {
        **ns.PREFIXES,
        "adms": str(ADMS),
        "time": str(TIME),
        "ptv": PTV_CLASSES,
    }.items():
        graph.bind(prefix, iri, override=True)
    public = " ".join(str(row["type"]) for row in _select(store, _PUBLIC_TYPES))
    pairs = " ".join(
        f"({row['offering']} {row['unit']})"
        for row in _select(store, _PAIRS.replace("$PUBLIC", public))
    )
    exported = _EXPORTED.replace("$PAIRS", pairs)

    def bound(query: str) -> str:
        return query.replace("$EXPORTED", exported).replace("$PUBLIC", public)

    for query in (
        _SERVICES,
        _THEMES,
        _LANGUAGES,
        _CHANNELS,
        _ADDRESSES,
        _ORGANISATIONS,
        _PUBLIC_ORGANISATIONS,
    ):
        _add(graph, store.query(bound(query)))  # type: ignore[arg-type]
    result = Export(graph)
    _texts(store, bound(_TEXTS), result)
    _describe_concepts(store, graph)
    result.services = len(set(graph.subjects(RDF.type, CPSV.PublicService)))
    result.channels = len(set(graph.subjects(RDF.type, CV.Channel)))
    result.organisations = len(set(graph.subjects(RDF.type, ORG.Organization)))
    for row in _select(store, bound(_SKIPPED)):
        result.skipped.setdefault(row["reason"].value, []).append(row["offering"].value)
    for values in result.skipped.values():
        values.sort()
    for offering in graph.subjects(RDF.type, CPSV.PublicService):
        if not any(graph.objects(offering, DCTERMS.language)):
            result.not_carried["service language without an ISO 639 match"] += 1
    return result


def _add(graph: rdflib.Graph, triples: Iterable[ox.Triple]) -> None:
    for triple in triples:
        value = triple.object
        graph.add(
            (
                rdfio.to_rdflib_term(triple.subject),
                rdfio.to_rdflib_term(triple.predicate),
                # a simple literal: written "02700", not "02700"^^xsd:string (the same in RDF 1.1)
                Literal(value.value)
                if isinstance(value, ox.Literal) and value.datatype.value == ns.XSD + "string"
                else rdfio.to_rdflib_term(value),
            )
        )


def _select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)


def _texts(store: ox.Store, query: str, result: Export) -> None:
    """Titles, descriptions and opening hours of each exported service (and its channel)."""
    values: dict[tuple[str, str], dict[str, list[ox.Literal]]] = {}
    for row in _select(store, query):
        key = (row["offering"].value, row["unit"].value)
        values.setdefault(key, {}).setdefault(row["role"].value, []).append(row["value"])
    graph = result.graph
    for (offering, unit), roles in sorted(values.items()):
        service = URIRef(offering)
        names = _by_language(roles.get("name", []))
        types = _by_language(roles.get("type", []))
        definitions = _by_language(roles.get("definition", []))
        languages = _by_language(roles.get("language", []))
        grades = _by_language(roles.get("grades", []))
        fallback = names.get("fi") or next((names[k] for k in sorted(names)), None)
        for lang in LANGUAGES:
            name = names.get(lang, fallback)
            if name and lang in types:
                graph.add((service, DCTERMS.title, Literal(f"{name}: {types[lang]}", lang=lang)))
            if lang in definitions:
                sentences = [definitions[lang]]
                if lang in languages:
                    sentences.append(_LANGUAGE_OF_SERVICE[lang].format(languages[lang]))
                if lang in grades:
                    sentences.append(grades[lang][:1].upper() + grades[lang][1:] + ".")
                graph.add((service, DCTERMS.description, Literal(" ".join(sentences), lang=lang)))
        contact = URIRef(offering + "#contact-point")
        for literal in roles.get("hours", []):
            openings = parse_opening_hours(literal.value)
            if openings is None:
                result.not_carried["opening hours not in schema.org syntax"] += 1
                continue
            for opening in openings:
                node = _opening(graph, unit, opening)
                graph.add((contact, CV.openingHours, node))
                graph.add((URIRef(unit), CV.openingHours, node))


def _by_language(literals: list[ox.Literal]) -> dict[str, str]:
    """One value per language tag (the smallest, so the output does not depend on order)."""
    out: dict[str, str] = {}
    for literal in sorted(literals, key=lambda item: item.value):
        if literal.language:
            out.setdefault(literal.language, literal.value)
    return out


def _opening(graph: rdflib.Graph, unit: str, opening: OpeningHours) -> URIRef:
    node = URIRef(f"{unit}#opening-hours-{opening.key}")
    if (node, RDF.type, TIME.TemporalEntity) in graph:
        return node
    graph.add((node, RDF.type, TIME.TemporalEntity))
    graph.add((node, CV.frequency, WEEKLY))
    for predicate, (hour, minute) in (
        (TIME.hasBeginning, opening.start),
        (TIME.hasEnd, opening.end),
    ):
        instant, description = rdflib.BNode(), rdflib.BNode()
        graph.add((node, predicate, instant))
        graph.add((instant, RDF.type, TIME.Instant))
        graph.add((instant, TIME.inDateTime, description))
        graph.add((description, RDF.type, TIME.DateTimeDescription))
        graph.add((description, TIME.dayOfWeek, TIME[_DAY_IRIS[opening.day]]))
        graph.add((description, TIME.hour, Literal(hour, datatype=XSD.nonNegativeInteger)))
        graph.add((description, TIME.minute, Literal(minute, datatype=XSD.nonNegativeInteger)))
        graph.add((description, TIME.unitType, TIME.unitMinute))
    for lang in LANGUAGES:
        separator = ":" if lang == "en" else "."
        start = f"{opening.start[0]:02}{separator}{opening.start[1]:02}"
        end = f"{opening.end[0]:02}{separator}{opening.end[1]:02}"
        text = f"{_DAY_NAMES[lang][opening.day]} {start}–{end}"
        graph.add((node, DCTERMS.description, Literal(text[:1].upper() + text[1:], lang=lang)))
    return node


def _describe_concepts(store: ox.Store, graph: rdflib.Graph) -> None:
    """Describe every concept the export names, so it conforms without the code lists."""
    named = {
        o
        for p in (DCTERMS.type, CV.isClassifiedBy, ADMS.status, DCTERMS.spatial)
        for o in graph.objects(None, p)
        if isinstance(o, URIRef)
    }
    if named:
        values = " ".join(f"<{iri}>" for iri in sorted(named))
        _add(graph, store.query(_CONCEPTS % values))  # type: ignore[arg-type]
    for ptv in set(graph.objects(None, CV.thematicArea)):
        graph.add((ptv, SKOS.notation, Literal(str(ptv)[len(PTV_CLASSES) :])))
        graph.add((ptv, SKOS.inScheme, URIRef(PTV_CLASSES.removesuffix("/code/"))))
    if any(graph.objects(None, CV.frequency)):
        graph.add((WEEKLY, RDF.type, SKOS.Concept))
        graph.add((WEEKLY, SKOS.notation, Literal("WEEKLY")))
        graph.add((WEEKLY, SKOS.inScheme, URIRef(FREQUENCY)))
