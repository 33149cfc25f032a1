"""Small queries over rdflib graphs that several checks share: which terms exist, their labels."""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS

from servicenet_vocab import namespaces as ns

REQUIRED_LANGUAGES = ("fi", "sv", "en")
SN = ns.SN
CODE = ns.CODE

CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
)
LABEL_PROPERTIES = (
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.hiddenLabel,
    DCTERMS.title,
    URIRef(ns.SH + "name"),
)


def iris_of_type(graph: rdflib.Graph, *types: URIRef) -> set[URIRef]:
    return {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}


def sn_terms(graph: rdflib.Graph) -> set[URIRef]:
    """Classes and properties in the sn: namespace that the graph declares."""
    found = iris_of_type(graph, *CLASS_TYPES, *PROPERTY_TYPES)
    return {t for t in found if str(t).startswith(SN)}


def concepts(graph: rdflib.Graph) -> set[URIRef]:
    return iris_of_type(graph, SKOS.Concept)


def schemes(graph: rdflib.Graph) -> set[URIRef]:
    return iris_of_type(graph, SKOS.ConceptScheme)


def label_property(graph: rdflib.Graph, term: URIRef) -> URIRef:
    """The property a term is named with: prefLabel for concepts, title for schemes, else label."""
    if (term, RDF.type, SKOS.Concept) in graph:
        return SKOS.prefLabel
    if (term, RDF.type, SKOS.ConceptScheme) in graph:
        return DCTERMS.title
    return RDFS.label


def literals(graph: rdflib.Graph, term: URIRef, predicate: URIRef) -> Iterator[Literal]:
    for value in graph.objects(term, predicate):
        if isinstance(value, Literal):
            yield value


def languages(graph: rdflib.Graph, term: URIRef, predicate: URIRef) -> set[str]:
    return {(lit.language or "").lower() for lit in literals(graph, term, predicate)}


def named_terms(graph: rdflib.Graph) -> set[URIRef]:
    """Everything that must carry fi/sv/en labels: sn: classes and properties, schemes, concepts."""
    return sn_terms(graph) | concepts(graph) | schemes(graph)


def short(iri: str) -> str:
    """A prefixed name where a project prefix fits, else the IRI in angle brackets."""
    for prefix, namespace in (("sn", SN), ("code", CODE), *ns.PREFIXES.items()):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"
