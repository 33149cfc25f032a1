"""The ontology's terms as a SKOS terminology, the form the platform's terminology tool imports.

Each class and property of the ``sn:`` namespace becomes a ``skos:Concept`` of one
``skos:ConceptScheme`` (``<https://w3id.org/servicenet/terminology>``); the concept's IRI is the
term's local name under ``.../terminology/``, so the terminology never puns the OWL terms, and
``rdfs:seeAlso`` points back to the term it describes.

    rdfs:label (per language)     skos:prefLabel
    skos:altLabel                 skos:altLabel
    skos:definition               skos:definition
    rdfs:subClassOf, rdfs:subPropertyOf a term of the scheme   skos:broader
    the local name                skos:notation
    owl:deprecated, dct:isReplacedBy   kept (the replacement as a concept of the scheme)
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS

from servicenet_vocab import namespaces as ns
from servicenet_vocab.quality.vocab import sn_terms

__all__ = ["SCHEME", "Terminology", "terminology"]

SCHEME = URIRef(ns.BASE + "terminology")
_TERMS = ns.BASE + "terminology/"


@dataclass
class Terminology:
    graph: rdflib.Graph
    concepts: int
    missing: dict[str, list[str]]  # language -> terms without a label or definition in it


def _concept(term: URIRef) -> URIRef:
    return URIRef(_TERMS + term[len(ns.SN) :])


def terminology(
    ontology: rdflib.Graph, languages: tuple[str, ...] = ("fi", "sv", "en")
) -> Terminology:
    graph = rdflib.Graph()
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("snt", _TERMS)
    terms = {t for t in sn_terms(ontology) if str(t).startswith(ns.SN) and len(t) > len(ns.SN)}
    graph.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    header = next(iter(ontology.subjects(RDF.type, OWL.Ontology)), None)
    if header is not None:
        for title in ontology.objects(header, DCTERMS.title):
            graph.add((SCHEME, SKOS.prefLabel, title))
        for description in ontology.objects(header, DCTERMS.description):
            graph.add((SCHEME, SKOS.definition, description))
        graph.add((SCHEME, DCTERMS.source, header))
        for licence in ontology.objects(header, DCTERMS.license):
            graph.add((SCHEME, DCTERMS.license, licence))
    missing: dict[str, list[str]] = {lang: [] for lang in languages}
    for term in sorted(terms):
        concept = _concept(term)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, SCHEME))
        graph.add((concept, SKOS.notation, Literal(term[len(ns.SN) :])))
        graph.add((concept, RDFS.seeAlso, term))
        for source, target in (
            (RDFS.label, SKOS.prefLabel),
            (SKOS.altLabel, SKOS.altLabel),
            (SKOS.definition, SKOS.definition),
        ):
            for value in ontology.objects(term, source):
                if isinstance(value, Literal):
                    graph.add((concept, target, value))
        for lang in languages:
            for predicate in (SKOS.prefLabel, SKOS.definition):
                if not any(
                    isinstance(v, Literal) and v.language == lang
                    for v in graph.objects(concept, predicate)
                ):
                    missing[lang].append(
                        f"{term[len(ns.SN) :]} ({'label' if predicate == SKOS.prefLabel else 'definition'})"
                    )
        parents = {
            p
            for predicate in (RDFS.subClassOf, RDFS.subPropertyOf)
            for p in ontology.objects(term, predicate)
            if p in terms and p != term
        }
        for parent in sorted(parents, key=str):
            graph.add((concept, SKOS.broader, _concept(URIRef(str(parent)))))
        if not parents:
            graph.add((concept, SKOS.topConceptOf, SCHEME))
            graph.add((SCHEME, SKOS.hasTopConcept, concept))
        for value in ontology.objects(term, OWL.deprecated):
            graph.add((concept, OWL.deprecated, value))
        for replacement in ontology.objects(term, DCTERMS.isReplacedBy):
            if replacement in terms:
                graph.add((concept, DCTERMS.isReplacedBy, _concept(URIRef(str(replacement)))))
    return Terminology(graph, len(terms), {k: v for k, v in missing.items() if v})
