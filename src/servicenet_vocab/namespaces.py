"""IRIs of the project's vocabularies, named graphs and the standards it aligns with.

One place for every base IRI, so the CLI, the facade and the tests agree (see docs/architecture.md).
"""

from __future__ import annotations

import re

BASE = "https://w3id.org/servicenet/"
ONTOLOGY_IRI = BASE + "ontology"
SN = ONTOLOGY_IRI + "#"
CODE = BASE + "code/"
SHAPES = BASE + "shapes#"
GRAPH = BASE + "graph/"

ONTOLOGY_GRAPH = GRAPH + "ontology"
CODELISTS_GRAPH = GRAPH + "codelists"
SHAPES_GRAPH = GRAPH + "shapes"
ALIGNMENTS_GRAPH = GRAPH + "alignments"
CATALOG_GRAPH = GRAPH + "catalog"
SYSTEM_GRAPH = GRAPH + "system"
MUNICIPALITY_GRAPH_PREFIX = GRAPH + "municipality/"

VOCABULARY_GRAPHS = (
    ONTOLOGY_GRAPH,
    CODELISTS_GRAPH,
    SHAPES_GRAPH,
    ALIGNMENTS_GRAPH,
    CATALOG_GRAPH,
)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
QB = "http://purl.org/linked-data/cube#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
CPSV = "http://purl.org/vocab/cpsv#"
CV = "http://data.europa.eu/m8g/"
GEO = "http://www.opengis.net/ont/geosparql#"
LOCN = "http://www.w3.org/ns/locn#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
UNIT = "http://qudt.org/vocab/unit/"

PREFIXES: dict[str, str] = {
    "sn": SN,
    "sn-shapes": SHAPES,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "sh": SH,
    "dct": DCT,
    "dcat": DCAT,
    "prov": PROV,
    "qb": QB,
    "org": ORG,
    "schema": SCHEMA,
    "cpsv": CPSV,
    "cv": CV,
    "geo": GEO,
    "locn": LOCN,
    "void": VOID,
    "unit": UNIT,
}

_MUNICIPALITY_CODE = re.compile(r"^[0-9]{3}$")


def municipality_graph(code: str) -> str:
    """The named graph of one municipality's dataset, by its 3-digit Statistics Finland code."""
    if not _MUNICIPALITY_CODE.match(code):
        raise ValueError(f"municipality code must be three digits, e.g. '091', not {code!r}")
    return MUNICIPALITY_GRAPH_PREFIX + code


def municipality_of_graph(graph: str) -> str | None:
    """The municipality code a graph IRI belongs to, or None for any other graph.

    >>> municipality_of_graph(municipality_graph("091"))
    '091'
    >>> municipality_of_graph("https://w3id.org/servicenet/ontology") is None
    True
    """
    if not graph.startswith(MUNICIPALITY_GRAPH_PREFIX):
        return None
    code = graph[len(MUNICIPALITY_GRAPH_PREFIX) :]
    return code if _MUNICIPALITY_CODE.match(code) else None


def prefix_table(*names: str) -> dict[str, str]:
    """The named prefixes (``code`` included), in the order given: what a writer declares."""
    known = {**PREFIXES, "code": CODE}
    return {name: known[name] for name in names}


def sparql_prefixes(*names: str) -> str:
    """PREFIX lines for the named prefixes (all of them when none are named)."""
    chosen = names or tuple(PREFIXES)
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in chosen)
