"""What the reference pages show, read from the vocabulary: classes with their properties, the
shapes that constrain them and example instances; code lists with their concepts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SH

from servicenet_vocab import namespaces as ns
from servicenet_vocab.quality.sources import Role, Sources
from servicenet_vocab.quality.vocab import short

LANGUAGES = ("fi", "sv", "en")
Texts = dict[str, str]  # language -> text
_SKIPPED = {SH.path, SH.message, SH.name, SH.description, SH.order, SH.group, RDF.type}
MAX_EXAMPLES = 3
MAX_EXAMPLE_LINES = 14


@dataclass
class PropertyRow:
    iri: str
    labels: Texts
    kind: str
    range: str
    source: str  # "domain", "inherited: <class>", "shape"
    cardinality: str = ""


@dataclass
class ConstraintRow:
    path: str
    constraints: list[str]
    messages: Texts


@dataclass
class ShapeInfo:
    iri: str
    names: Texts
    severity: str
    rows: list[ConstraintRow]


@dataclass
class ExampleInfo:
    iri: str
    source: str
    lines: list[str]


@dataclass
class ClassInfo:
    iri: str
    name: str
    labels: Texts
    definitions: Texts
    superclasses: list[str]
    subclasses: list[str] = field(default_factory=list)
    properties: list[PropertyRow] = field(default_factory=list)
    shapes: list[ShapeInfo] = field(default_factory=list)
    examples: list[ExampleInfo] = field(default_factory=list)


@dataclass
class ConceptRow:
    iri: str
    notation: str
    labels: Texts
    depth: int
    broader: list[str]


@dataclass
class CodeListInfo:
    iri: str
    name: str
    titles: Texts
    definitions: Texts
    concepts: list[ConceptRow]


@dataclass
class SiteModel:
    title: Texts
    classes: list[ClassInfo]
    codelists: list[CodeListInfo]
    labels: dict[str, Texts]  # every labelled IRI -> its labels, for links
    object_properties: list[tuple[str, str, str]]  # (property, domain class, range class)


def texts(graph: rdflib.Graph, subject: rdflib.term.Node, *predicates: URIRef) -> Texts:
    found: Texts = {}
    for predicate in predicates:
        for value in graph.objects(subject, predicate):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
    return found


def build_model(sources: Sources) -> SiteModel:
    vocab = sources.vocabulary()
    shapes = sources.graph(Role.SHAPES)
    examples = [(f.path.name, f.graph) for f in sources.files if f.role is Role.EXAMPLE]
    names = {
        str(s): texts(vocab, s, RDFS.label, SKOS.prefLabel, DCTERMS.title)
        for s in set(vocab.subjects())
    }
    classes = _classes(vocab)
    by_iri = {c.iri: c for c in classes}
    for info in classes:
        for parent in info.superclasses:
            if parent in by_iri:
                by_iri[parent].subclasses.append(info.iri)
    for info in classes:
        ancestors = _ancestors(vocab, URIRef(info.iri))
        info.shapes = _shapes_for(shapes, ancestors)
        info.properties = _properties(vocab, info, ancestors, info.shapes, shapes)
        info.examples = _examples(examples, info.iri)
    title = texts(vocab, URIRef(ns.ONTOLOGY_IRI), DCTERMS.title)
    return SiteModel(title, classes, _codelists(vocab), names, _object_properties(vocab, by_iri))


def _classes(vocab: rdflib.Graph) -> list[ClassInfo]:
    found = []
    for iri in sorted(
        {s for s in vocab.subjects(RDF.type, OWL.Class) if str(s).startswith(ns.SN)}, key=str
    ):
        found.append(
            ClassInfo(
                iri=str(iri),
                name=str(iri)[len(ns.SN) :],
                labels=texts(vocab, iri, RDFS.label),
                definitions=texts(vocab, iri, SKOS.definition),
                superclasses=sorted(
                    str(p) for p in vocab.objects(iri, RDFS.subClassOf) if isinstance(p, URIRef)
                ),
            )
        )
    return found


def _ancestors(vocab: rdflib.Graph, iri: URIRef) -> list[URIRef]:
    """The class first, then its superclasses nearest first."""
    order: list[URIRef] = []
    todo = [iri]
    while todo:
        node = todo.pop(0)
        if node not in order:
            order.append(node)
            todo += [p for p in vocab.objects(node, RDFS.subClassOf) if isinstance(p, URIRef)]
    return order


def _kind(vocab: rdflib.Graph, prop: URIRef) -> str:
    for kind, owl_type in (
        ("object", OWL.ObjectProperty),
        ("data", OWL.DatatypeProperty),
        ("annotation", OWL.AnnotationProperty),
    ):
        if (prop, RDF.type, owl_type) in vocab:
            return kind
    return ""


def _properties(
    vocab: rdflib.Graph,
    info: ClassInfo,
    ancestors: list[URIRef],
    shape_infos: list[ShapeInfo],
    shapes: rdflib.Graph,
) -> list[PropertyRow]:
    rows: dict[str, PropertyRow] = {}
    for owner in ancestors:
        for prop in sorted(vocab.subjects(RDFS.domain, owner), key=str):
            if str(prop) in rows or not isinstance(prop, URIRef):
                continue
            source = "domain" if str(owner) == info.iri else f"inherited:{owner}"
            rows[str(prop)] = _row(vocab, prop, source)
    for shape in shape_infos:
        for node in shapes.objects(URIRef(shape.iri), SH.property):
            path = shapes.value(node, SH.path)
            if not isinstance(path, URIRef):
                continue
            row = rows.get(str(path)) or _row(vocab, path, "shape")
            if not row.range:
                row.range = short(
                    str(shapes.value(node, SH.datatype) or shapes.value(node, SH["class"]) or "")
                )
            low, high = shapes.value(node, SH.minCount), shapes.value(node, SH.maxCount)
            if low is not None or high is not None:
                row.cardinality = f"{low or 0}..{high if high is not None else '*'}"
            rows[str(path)] = row
    return sorted(rows.values(), key=lambda r: (r.source != "domain", r.iri))


def _row(vocab: rdflib.Graph, prop: URIRef, source: str) -> PropertyRow:
    ranges = sorted(short(str(r)) for r in vocab.objects(prop, RDFS.range))
    return PropertyRow(
        str(prop), texts(vocab, prop, RDFS.label), _kind(vocab, prop), ", ".join(ranges), source
    )


def _shapes_for(shapes: rdflib.Graph, ancestors: list[URIRef]) -> list[ShapeInfo]:
    found = []
    for target in ancestors:
        for shape in sorted(shapes.subjects(SH.targetClass, target), key=str):
            rows = [_constraint_row(shapes, shape, "")]
            rows += [
                _constraint_row(shapes, node, _path(shapes, shapes.value(node, SH.path)))
                for node in sorted(
                    shapes.objects(shape, SH.property),
                    key=lambda n: _path(shapes, shapes.value(n, SH.path)),
                )
            ]
            severity = shapes.value(shape, SH.severity)
            found.append(
                ShapeInfo(
                    str(shape),
                    texts(shapes, shape, SH.name),
                    short(str(severity)) if severity else "sh:Violation",
                    [r for r in rows if r.constraints or r.messages],
                )
            )
    return found


def _constraint_row(shapes: rdflib.Graph, node: rdflib.term.Node, path: str) -> ConstraintRow:
    constraints = []
    for predicate, value in sorted(shapes.predicate_objects(node)):
        if predicate in _SKIPPED or predicate in (SH.property, SH.targetClass, SH.severity):
            continue
        constraints.append(f"{short(str(predicate))} {_value(shapes, value)}")
    return ConstraintRow(path, constraints, texts(shapes, node, SH.message))


def _value(graph: rdflib.Graph, value: rdflib.term.Node) -> str:
    if isinstance(value, BNode):
        if graph.value(value, RDF.first) is not None:
            return "( " + " ".join(_value(graph, v) for v in Collection(graph, value)) + " )"
        return (
            "[ "
            + " ; ".join(
                f"{short(str(p))} {_value(graph, o)}"
                for p, o in sorted(graph.predicate_objects(value))
            )
            + " ]"
        )
    if isinstance(value, Literal):
        return f'"{value}"' if value.datatype is None and value.language is None else str(value)
    return short(str(value))


def _path(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str:
    return _value(graph, path) if path is not None else ""


def _examples(examples: list[tuple[str, rdflib.Graph]], iri: str) -> list[ExampleInfo]:
    found: list[ExampleInfo] = []
    for name, graph in examples:
        for subject in sorted(graph.subjects(RDF.type, URIRef(iri)), key=str):
            if len(found) >= MAX_EXAMPLES:
                return found
            lines = [
                f"{short(str(p))} {_value(graph, o)}"
                for p, o in sorted(graph.predicate_objects(subject))
            ]
            if len(lines) > MAX_EXAMPLE_LINES:
                lines = [*lines[:MAX_EXAMPLE_LINES], "…"]
            found.append(ExampleInfo(str(subject), name, lines))
    return found


def _codelists(vocab: rdflib.Graph) -> list[CodeListInfo]:
    found = []
    for scheme in sorted(
        s for s in vocab.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)
    ):
        members = sorted(c for c in vocab.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef))
        found.append(
            CodeListInfo(
                str(scheme),
                str(scheme).rsplit("/", 1)[-1],
                texts(vocab, scheme, DCTERMS.title, SKOS.prefLabel),
                texts(vocab, scheme, SKOS.definition),
                _hierarchy(vocab, members),
            )
        )
    return found


def _hierarchy(vocab: rdflib.Graph, members: list[URIRef]) -> list[ConceptRow]:
    """Concepts in tree order (a concept under each of its broader concepts, first one wins)."""
    inside = set(members)
    children: dict[URIRef | None, list[URIRef]] = defaultdict(list)
    broader_of: dict[URIRef, list[str]] = {}
    for concept in members:
        parents = sorted((p for p in vocab.objects(concept, SKOS.broader) if p in inside), key=str)
        broader_of[concept] = [str(p) for p in parents]
        children[parents[0] if parents else None].append(concept)  # type: ignore[index]
    rows: list[ConceptRow] = []
    seen: set[URIRef] = set()
    stack = [(c, 0) for c in reversed(_by_notation(vocab, children[None]))]
    while stack:
        concept, depth = stack.pop()
        if concept in seen:
            continue
        seen.add(concept)
        notation = vocab.value(concept, SKOS.notation)
        rows.append(
            ConceptRow(
                str(concept),
                str(notation or ""),
                texts(vocab, concept, SKOS.prefLabel),
                depth,
                broader_of[concept],
            )
        )
        stack += [(c, depth + 1) for c in reversed(_by_notation(vocab, children[concept]))]
    rows += [  # concepts caught in a cycle have no root; list them flat rather than lose them
        ConceptRow(
            str(c),
            str(vocab.value(c, SKOS.notation) or ""),
            texts(vocab, c, SKOS.prefLabel),
            0,
            broader_of[c],
        )
        for c in members
        if c not in seen
    ]
    return rows


def _by_notation(vocab: rdflib.Graph, concepts: list[URIRef]) -> list[URIRef]:
    return sorted(concepts, key=lambda c: str(vocab.value(c, SKOS.notation) or c))


def _object_properties(
    vocab: rdflib.Graph, classes: dict[str, ClassInfo]
) -> list[tuple[str, str, str]]:
    edges = []
    for prop in sorted(vocab.subjects(RDF.type, OWL.ObjectProperty), key=str):
        for domain in vocab.objects(prop, RDFS.domain):
            for target in vocab.objects(prop, RDFS.range):
                if str(domain) in classes and str(target) in classes:
                    edges.append((str(prop), str(domain), str(target)))
    return sorted(edges)
