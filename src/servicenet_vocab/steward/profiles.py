"""The OWL 2 EL profile check, and the core vocabulary that stays within it.

The Interoperability Platform's data-model tool takes a core vocabulary that is OWL 2 EL
(https://www.w3.org/TR/owl2-profiles/#OWL_2_EL). ``el_violations`` names every axiom of an
ontology outside that profile, read from its RDF mapping (OWL 2 Mapping to RDF Graphs):

* property characteristics EL lacks: functional *object* properties (functional data properties
  are in EL), inverse-functional, symmetric, asymmetric and irreflexive properties;
* ``owl:inverseOf``, disjoint properties (``owl:propertyDisjointWith``, ``owl:AllDisjointProperties``),
  negative property assertions;
* class expressions: universal quantification (``owl:allValuesFrom``), cardinality restrictions,
  disjunction (``owl:unionOf``, ``owl:disjointUnionOf``), negation (``owl:complementOf``),
  ``owl:oneOf`` with more than one member;
* data ranges: datatype restrictions and complements, and datatypes outside the EL datatype map
  (``xsd:date``, ``xsd:boolean``, ``xsd:double``, ...).

``split_core`` takes those axioms out: the rest is the core vocabulary (classes, properties,
subclass and subproperty axioms, the domains and ranges EL allows, labels and definitions), and
``profile_shapes`` restates in SHACL what SHACL can say of the removed axioms (a functional object
property becomes ``sh:maxCount 1``, an ``xsd:date`` range ``sh:datatype xsd:date``, an
``owl:allValuesFrom`` restriction ``sh:class``, cardinalities ``sh:minCount``/``sh:maxCount``);
each removed axiom is listed with its reason either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD

from servicenet_vocab import namespaces as ns
from servicenet_vocab.quality.vocab import short

__all__ = [
    "EL_DATATYPES",
    "PROFILE",
    "Split",
    "Violation",
    "el_violations",
    "profile_shapes",
    "split_core",
]

PROFILE = ns.BASE + "profile#"
_P = rdflib.Namespace(PROFILE)

EL_DATATYPES = frozenset(
    {
        RDF.PlainLiteral,
        RDF.XMLLiteral,
        RDFS.Literal,
        OWL.real,
        OWL.rational,
        *(
            XSD[name]
            for name in (
                "decimal",
                "integer",
                "nonNegativeInteger",
                "string",
                "normalizedString",
                "token",
                "Name",
                "NCName",
                "NMTOKEN",
                "hexBinary",
                "base64Binary",
                "anyURI",
                "dateTime",
                "dateTimeStamp",
            )
        ),
    }
)
_BUILTIN_DATATYPE_SPACES = (str(XSD), str(RDF), str(RDFS.Literal), str(OWL.real), str(OWL.rational))

_CHARACTERISTICS = {
    OWL.InverseFunctionalProperty: "InverseFunctionalObjectProperty",
    OWL.SymmetricProperty: "SymmetricObjectProperty",
    OWL.AsymmetricProperty: "AsymmetricObjectProperty",
    OWL.IrreflexiveProperty: "IrreflexiveObjectProperty",
}
_PROPERTY_AXIOMS = {
    OWL.inverseOf: "InverseObjectProperties",
    OWL.propertyDisjointWith: "DisjointObjectProperties / DisjointDataProperties",
    OWL.disjointUnionOf: "DisjointUnion",
}
_EXPRESSIONS = {
    OWL.allValuesFrom: ("ObjectAllValuesFrom / DataAllValuesFrom", "universal quantification"),
    OWL.cardinality: ("ExactCardinality", "cardinality restriction"),
    OWL.minCardinality: ("MinCardinality", "cardinality restriction"),
    OWL.maxCardinality: ("MaxCardinality", "cardinality restriction"),
    OWL.qualifiedCardinality: ("ExactCardinality (qualified)", "cardinality restriction"),
    OWL.minQualifiedCardinality: ("MinCardinality (qualified)", "cardinality restriction"),
    OWL.maxQualifiedCardinality: ("MaxCardinality (qualified)", "cardinality restriction"),
    OWL.unionOf: ("ObjectUnionOf / DataUnionOf", "disjunction"),
    OWL.complementOf: ("ObjectComplementOf", "negation"),
    OWL.datatypeComplementOf: ("DataComplementOf", "negation"),
    OWL.withRestrictions: ("DatatypeRestriction", "datatype restriction"),
}

Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]
_ShapeTriple = tuple[rdflib.term.Node | None, rdflib.term.Node, rdflib.term.Node]


@dataclass(frozen=True)
class Violation:
    """One axiom outside OWL 2 EL: its subject, the OWL construct, why, and its triples."""

    subject: rdflib.term.Node
    construct: str
    reason: str
    triples: frozenset[Triple] = field(compare=False)

    def __str__(self) -> str:
        return f"{_name(self.subject)}: {self.construct}: {self.reason}"


def _name(node: rdflib.term.Node) -> str:
    return short(str(node)) if isinstance(node, URIRef) else f"_:{node}"


def _closure(graph: rdflib.Graph, node: rdflib.term.Node) -> set[Triple]:
    """The triples of a blank-node structure (a restriction, a list), recursively."""
    found: set[Triple] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if not isinstance(current, BNode):
            continue
        for p, o in graph.predicate_objects(current):
            triple = (current, p, o)
            if triple not in found:
                found.add(triple)
                todo.append(o)
    return found


def _axiom_of(graph: rdflib.Graph, node: BNode) -> tuple[rdflib.term.Node, set[Triple]]:
    """The axiom a blank node is part of: walk up to the triple whose subject is named (or to a
    blank node no triple points to, such as an owl:AllDisjointClasses axiom); returns that subject
    and the axiom's triples."""
    top: rdflib.term.Node = node
    seen = {node}
    while True:
        parents = [(s, p) for s, p in graph.subject_predicates(top)]
        if not parents:
            return top, _closure(graph, top)
        subject, predicate = sorted(parents)[0]
        if not isinstance(subject, BNode):
            return subject, {(subject, predicate, top), *_closure(graph, top)}
        if subject in seen:
            return top, _closure(graph, top)
        seen.add(subject)
        top = subject


def _is_datatype(graph: rdflib.Graph, node: rdflib.term.Node) -> bool:
    if not isinstance(node, URIRef):
        return False
    if (node, RDF.type, RDFS.Datatype) in graph:
        return True
    return str(node).startswith(_BUILTIN_DATATYPE_SPACES) and node not in (
        RDFS.Resource,
        RDFS.Class,
    )


def _datatype_properties(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    return set(graph.subjects(RDF.type, OWL.DatatypeProperty))


def el_violations(graph: rdflib.Graph) -> list[Violation]:
    """Every axiom of ``graph`` outside the OWL 2 EL profile, sorted by subject."""
    found: dict[frozenset[Triple], Violation] = {}

    def add(subject: rdflib.term.Node, construct: str, reason: str, triples: set[Triple]) -> None:
        key = frozenset(triples)
        if key not in found:
            found[key] = Violation(subject, construct, reason, key)

    data_properties = _datatype_properties(graph)
    for prop in graph.subjects(RDF.type, OWL.FunctionalProperty):
        if prop not in data_properties:
            add(
                prop,
                "FunctionalObjectProperty",
                "OWL 2 EL has no functional object properties (functional data properties are in EL)",
                {(prop, RDF.type, OWL.FunctionalProperty)},
            )
    for kind, construct in _CHARACTERISTICS.items():
        for prop in graph.subjects(RDF.type, kind):
            add(prop, construct, f"OWL 2 EL has no {construct}", {(prop, RDF.type, kind)})
    for predicate, construct in _PROPERTY_AXIOMS.items():
        for subject, value in graph.subject_objects(predicate):
            if isinstance(subject, BNode):
                continue  # inside a larger structure: reported with it
            triples = {(subject, predicate, value), *_closure(graph, value)}
            add(subject, construct, f"OWL 2 EL has no {construct}", triples)
    for kind, construct in (
        (OWL.AllDisjointProperties, "DisjointObjectProperties / DisjointDataProperties"),
        (OWL.NegativePropertyAssertion, "NegativePropertyAssertion"),
    ):
        for node in graph.subjects(RDF.type, kind):
            subject, triples = _axiom_of(graph, node) if isinstance(node, BNode) else (node, set())
            add(subject, construct, f"OWL 2 EL has no {construct}", triples | _closure(graph, node))
    for predicate, (construct, what) in _EXPRESSIONS.items():
        for node, _ in graph.subject_objects(predicate):
            if isinstance(node, BNode):
                subject, triples = _axiom_of(graph, node)
            else:
                subject, triples = (
                    node,
                    {(node, predicate, o) for o in graph.objects(node, predicate)},
                )
                triples |= {t for o in graph.objects(node, predicate) for t in _closure(graph, o)}
            add(subject, construct, f"{what} is outside OWL 2 EL", triples)
    for node, members in graph.subject_objects(OWL.oneOf):
        items = list(Collection(graph, members)) if isinstance(members, BNode) else [members]
        if len(items) > 1:
            subject, triples = (
                _axiom_of(graph, node)
                if isinstance(node, BNode)
                else (node, _closure(graph, members))
            )
            add(
                subject,
                "ObjectOneOf / DataOneOf",
                f"an enumeration of {len(items)} members is outside OWL 2 EL (one member only)",
                triples | {(node, OWL.oneOf, members)} | _closure(graph, members),
            )
    for predicate in (RDFS.range, OWL.someValuesFrom, OWL.allValuesFrom, OWL.onDataRange):
        for subject, datatype in graph.subject_objects(predicate):
            if (
                _is_datatype(graph, datatype)
                and datatype not in EL_DATATYPES
                and (
                    datatype,
                    RDF.type,
                    RDFS.Datatype,
                )
                not in graph
            ):
                if isinstance(subject, BNode):
                    owner, triples = _axiom_of(graph, subject)
                else:
                    owner, triples = subject, {(subject, predicate, datatype)}
                add(
                    owner,
                    "datatype " + short(str(datatype)),
                    f"{short(str(datatype))} is not in the OWL 2 EL datatype map",
                    triples,
                )
    return sorted(found.values(), key=lambda v: (str(v.subject), v.construct))


# --- the core and its application profile -------------------------------------------------------


@dataclass
class Split:
    core: rdflib.Graph
    outside: rdflib.Graph
    violations: list[Violation]
    shapes: rdflib.Graph
    restated: dict[Violation, URIRef]  # the SHACL shape restating each violation, where one does


def _bound(graph: rdflib.Graph) -> rdflib.Graph:
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("sn-profile", PROFILE)
    return graph


def split_core(ontology: rdflib.Graph) -> Split:
    """The EL core (the ontology without the violating axioms), those axioms, and the profile."""
    violations = el_violations(ontology)
    removed = {t for v in violations for t in v.triples}
    core, outside = _bound(rdflib.Graph()), _bound(rdflib.Graph())
    for triple in ontology:
        (outside if triple in removed else core).add(triple)
    shapes, restated = profile_shapes(ontology, violations)
    return Split(core, outside, violations, shapes, restated)


def _local(node: rdflib.term.Node) -> str:
    text = str(node)
    for separator in ("#", "/"):
        if separator in text:
            text = text.rsplit(separator, 1)[1]
    return text or "axiom"


def _targets(graph: rdflib.Graph, shape: URIRef, prop: rdflib.term.Node) -> Iterator[Triple]:
    domains = [d for d in graph.objects(prop, RDFS.domain) if isinstance(d, URIRef)]
    if domains:
        for domain in domains:
            yield (shape, SH.targetClass, domain)
    else:
        yield (shape, SH.targetSubjectsOf, prop)


def profile_shapes(
    ontology: rdflib.Graph, violations: list[Violation]
) -> tuple[rdflib.Graph, dict[Violation, URIRef]]:
    """SHACL restating the violations SHACL can state; the others are listed, not shaped."""
    shapes = _bound(rdflib.Graph())
    restated: dict[Violation, URIRef] = {}
    for violation in violations:
        body = list(_shape_body(ontology, violation))
        if not body:
            continue
        name = re.sub(
            r"[^a-z0-9]+", "-", f"{_local(violation.subject)}-{violation.construct}".lower()
        )
        shape = _P[name.strip("-")]
        while shape in restated.values():
            shape = URIRef(shape + "-x")
        shapes.add((shape, RDF.type, SH.NodeShape))
        shapes.add((shape, RDFS.comment, Literal(f"{violation}", lang="en")))
        for triple in body:
            s, p, o = triple
            shapes.add((shape if s is None else s, p, o))
        restated[violation] = shape
    return shapes, restated


def _shape_body(ontology: rdflib.Graph, violation: Violation) -> Iterator[_ShapeTriple]:
    """Triples of the shape (subject None = the node shape itself)."""
    triples = violation.triples
    subject = violation.subject
    prop_shape = BNode()
    if violation.construct == "FunctionalObjectProperty":
        yield from ((None, p, o) for _, p, o in _targets(ontology, URIRef("x"), subject))
        yield (None, SH.property, prop_shape)
        yield (prop_shape, SH.path, subject)
        yield (prop_shape, SH.maxCount, Literal(1))
        return
    if violation.construct == "InverseFunctionalObjectProperty":
        inverse = BNode()
        yield (None, SH.targetObjectsOf, subject)
        yield (None, SH.property, prop_shape)
        yield (prop_shape, SH.path, inverse)
        yield (inverse, SH.inversePath, subject)
        yield (prop_shape, SH.maxCount, Literal(1))
        return
    if violation.construct.startswith("datatype ") and len(triples) == 1:
        (_, predicate, datatype) = next(iter(triples))
        if predicate == RDFS.range:
            yield from ((None, p, o) for _, p, o in _targets(ontology, URIRef("x"), subject))
            yield (None, SH.property, prop_shape)
            yield (prop_shape, SH.path, subject)
            yield (prop_shape, SH.datatype, datatype)
        return
    restriction = _restriction(ontology, violation)
    if restriction is None or not isinstance(subject, URIRef):
        return
    prop = ontology.value(restriction, OWL.onProperty)
    if not isinstance(prop, URIRef):
        return
    constraints: list[_ShapeTriple] = []
    filler = ontology.value(restriction, OWL.allValuesFrom)
    if isinstance(filler, URIRef):
        kind = SH.datatype if _is_datatype(ontology, filler) else SH["class"]
        constraints.append((prop_shape, kind, filler))
    qualified = ontology.value(restriction, OWL.onClass)
    for predicate, minimum, maximum in (
        (OWL.cardinality, SH.minCount, SH.maxCount),
        (OWL.minCardinality, SH.minCount, None),
        (OWL.maxCardinality, None, SH.maxCount),
        (OWL.qualifiedCardinality, SH.qualifiedMinCount, SH.qualifiedMaxCount),
        (OWL.minQualifiedCardinality, SH.qualifiedMinCount, None),
        (OWL.maxQualifiedCardinality, None, SH.qualifiedMaxCount),
    ):
        value = ontology.value(restriction, predicate)
        if value is None:
            continue
        count = Literal(int(str(value)))
        if predicate in (
            OWL.qualifiedCardinality,
            OWL.minQualifiedCardinality,
            OWL.maxQualifiedCardinality,
        ):
            if not isinstance(qualified, URIRef):
                return
            inner = BNode()
            constraints += [
                (prop_shape, SH.qualifiedValueShape, inner),
                (inner, SH["class"], qualified),
            ]
        constraints += [(prop_shape, c, count) for c in (minimum, maximum) if c is not None]
    if not constraints:
        return
    yield (None, SH.targetClass, subject)
    yield (None, SH.property, prop_shape)
    yield (prop_shape, SH.path, prop)
    yield from constraints


def _restriction(ontology: rdflib.Graph, violation: Violation) -> rdflib.term.Node | None:
    """The owl:Restriction of a ``C rdfs:subClassOf [ a owl:Restriction ... ]`` violation."""
    for s, p, o in violation.triples:
        restriction = (o, RDF.type, OWL.Restriction) in ontology or (
            o,
            OWL.onProperty,
            None,
        ) in ontology
        if s == violation.subject and p == RDFS.subClassOf and isinstance(o, BNode) and restriction:
            return o
    return None
