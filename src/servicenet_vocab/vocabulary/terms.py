"""The vocabulary's terms as the index holds them: a class, property, concept scheme or concept with
its labels by language and kind, its definitions and statements, read from the triples about it;
and how a term is written out (``document``) or named briefly (``shorten``)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pyoxigraph as ox

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.vocabulary.context import context_bytes

__all__ = [
    "LANGUAGES",
    "TERM_GRAPHS",
    "TYPE_ORDER",
    "Label",
    "LabelKind",
    "Statement",
    "Term",
    "TermType",
    "document",
    "fold",
    "iter_types",
    "language_order",
    "read_term",
    "shorten",
]


LANGUAGES = ("fi", "sv", "en")
TERM_GRAPHS = (ns.ONTOLOGY_GRAPH, ns.CODELISTS_GRAPH, ns.ALIGNMENTS_GRAPH, ns.CATALOG_GRAPH)


class TermType(StrEnum):
    ONTOLOGY = "ontology"
    CLASS = "class"
    PROPERTY = "property"
    SCHEME = "scheme"
    CONCEPT = "concept"


class LabelKind(StrEnum):
    """Which predicate a label comes from; an alternative label ranks after the others."""

    PREF = "prefLabel"
    LABEL = "label"
    TITLE = "title"
    ALT = "altLabel"


_LABEL_PREDICATES = {
    ns.SKOS + "prefLabel": LabelKind.PREF,
    ns.RDFS + "label": LabelKind.LABEL,
    ns.DCT + "title": LabelKind.TITLE,
    ns.SKOS + "altLabel": LabelKind.ALT,
}
_DEFINITIONS = (ns.SKOS + "definition", ns.RDFS + "comment", ns.DCT + "description")
_TYPES = {
    ns.OWL + "Ontology": TermType.ONTOLOGY,
    ns.OWL + "Class": TermType.CLASS,
    ns.RDFS + "Class": TermType.CLASS,
    ns.OWL + "ObjectProperty": TermType.PROPERTY,
    ns.OWL + "DatatypeProperty": TermType.PROPERTY,
    ns.OWL + "AnnotationProperty": TermType.PROPERTY,
    ns.RDF + "Property": TermType.PROPERTY,
    ns.SKOS + "ConceptScheme": TermType.SCHEME,
    ns.SKOS + "Concept": TermType.CONCEPT,
}
_PROPERTY_KINDS = {
    ns.OWL + "ObjectProperty": "object",
    ns.OWL + "DatatypeProperty": "datatype",
    ns.OWL + "AnnotationProperty": "annotation",
}
TYPE_ORDER = list(TermType)


def fold(text: str) -> str:
    """Case- and accent-folded text for matching: ``Päiväkoti`` -> ``paivakoti``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Label:
    text: str
    lang: str
    kind: LabelKind
    folded: str


@dataclass
class Term:
    """One project term and what a listing or a page shows about it."""

    iri: str
    type: TermType
    name: str  # path-ready id: ServiceUnit, service-type, service-type/ecec, ontology
    labels: dict[str, str] = field(default_factory=dict)  # language -> preferred label
    definitions: dict[str, str] = field(default_factory=dict)
    all_labels: list[Label] = field(default_factory=list)
    notation: str | None = None
    property_kind: str | None = None  # object, datatype or annotation
    schemes: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)  # skos:broader or rdfs:subClassOf
    narrower: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)

    @property
    def curie(self) -> str:
        if self.iri.startswith(ns.SN):
            return "sn:" + self.iri[len(ns.SN) :]
        if self.iri.startswith(ns.CODE):
            return "code:" + self.iri[len(ns.CODE) :]
        return self.iri

    def label(self, lang: str) -> str:
        """The label in ``lang``, else in the first language that has one, else the name."""
        for candidate in (lang, *LANGUAGES):
            if candidate in self.labels:
                return self.labels[candidate]
        return next(iter(self.labels.values()), self.name)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "iri": self.iri,
            "type": self.type.value,
            "name": self.name,
            "curie": self.curie,
            "labels": self.labels,
            "definitions": self.definitions,
        }
        optional: dict[str, Any] = {
            "notation": self.notation,
            "propertyKind": self.property_kind,
            "schemes": self.schemes,
            "broader": self.broader,
            "domain": self.domains,
            "range": self.ranges,
        }
        body.update({key: value for key, value in optional.items() if value})
        return body


@dataclass(frozen=True)
class Statement:
    predicate: str
    value: str
    lang: str | None
    is_iri: bool


def read_term(iri: str, triples: list[ox.Triple]) -> Term | None:
    kinds = [
        t.object.value
        for t in triples
        if t.predicate.value == ns.RDF + "type" and isinstance(t.object, ox.NamedNode)
    ]
    found = [_TYPES[k] for k in kinds if k in _TYPES]
    if not found:
        return None
    term = Term(iri, min(found, key=TYPE_ORDER.index), _name(iri))
    for triple in triples:
        _read(term, triple)
    term.property_kind = next((_PROPERTY_KINDS[k] for k in kinds if k in _PROPERTY_KINDS), None)
    _pick_labels(term)
    return term


def _read(term: Term, triple: ox.Triple) -> None:
    predicate, value = triple.predicate.value, triple.object
    if isinstance(value, ox.Literal):
        kind = _LABEL_PREDICATES.get(predicate)
        lang = value.language or ""
        if kind is not None:
            term.all_labels.append(Label(value.value, lang, kind, fold(value.value)))
        elif predicate in _DEFINITIONS and lang and lang not in term.definitions:
            term.definitions[lang] = value.value
        elif predicate == ns.SKOS + "notation":
            term.notation = value.value
        return
    if not isinstance(value, ox.NamedNode):
        return
    target = {
        ns.SKOS + "inScheme": term.schemes,
        ns.SKOS + "broader": term.broader,
        ns.RDFS + "subClassOf": term.broader,
        ns.RDFS + "subPropertyOf": term.broader,
        ns.RDFS + "domain": term.domains,
        ns.RDFS + "range": term.ranges,
    }.get(predicate)
    if target is not None and value.value not in target:
        target.append(value.value)


def _pick_labels(term: Term) -> None:
    ranked = sorted(term.all_labels, key=lambda label: list(LabelKind).index(label.kind))
    for label in ranked:
        if label.lang and label.kind is not LabelKind.ALT:
            term.labels.setdefault(label.lang, label.text)
    term.labels = {lang: term.labels[lang] for lang in sorted(term.labels, key=language_order)}


def language_order(lang: str) -> tuple[int, str]:
    return (LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES), lang)


def _name(iri: str) -> str:
    if iri.startswith(ns.SN):
        return iri[len(ns.SN) :]
    if iri.startswith(ns.CODE):
        return iri[len(ns.CODE) :]
    if iri == ns.ONTOLOGY_IRI:
        return "ontology"
    return iri[len(ns.BASE) :]


def iter_types(values: Iterable[str]) -> Iterator[TermType]:
    """``TermType`` values from request text (``class``, ``concept``...); names the bad one."""
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                yield TermType(part.strip())
            except ValueError:
                allowed = ", ".join(t.value for t in TermType)
                raise InputError(
                    f"unknown term type {part.strip()!r}; use one of {allowed}",
                    location=Location(field="type"),
                ) from None


# --- documents --------------------------------------------------------------------------------

_EXTRA_PREFIXES = {"owl": ns.OWL, "sh": ns.SH, "foaf": "http://xmlns.com/foaf/0.1/"}


def document(triples: Iterable[ox.Triple], fmt: RdfFormat) -> bytes:
    """A term's (or the ontology's) triples in ``fmt``; JSON-LD is compacted with the project's
    context (``servicenet_vocab.vocabulary.context``), inlined so no processor needs to fetch it."""
    if fmt is not RdfFormat.JSONLD:
        return rdfio.serialize(triples, fmt)
    context: dict[str, Any] = json.loads(context_bytes())["@context"]
    for prefix, namespace in _EXTRA_PREFIXES.items():
        context.setdefault(prefix, namespace)
    graph = rdfio.to_rdflib(triples)
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    return text.encode("utf-8")


_SHORT_PREFIXES = sorted(
    {**ns.PREFIXES, "code": ns.CODE, "foaf": "http://xmlns.com/foaf/0.1/"}.items(),
    key=lambda item: -len(item[1]),
)


def shorten(iri: str) -> str:
    """``sn:ServiceUnit`` for a project IRI, ``skos:prefLabel`` for a known namespace."""
    for prefix, namespace in _SHORT_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
