"""The shapes graph read into Python structures (SHACL §2 shapes, §2.1.3 targets, §2.3 paths).

Only reading happens here: which nodes are shapes, their targets, paths, parameters, severity and
messages. Evaluating them is the engines' job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from servicenet_vocab.errors import Location, ShapesError
from servicenet_vocab.namespaces import RDF, RDFS, SH
from servicenet_vocab.validation.report import Term

Node = ox.NamedNode | ox.BlankNode | ox.Literal

# A SHACL path: ("iri", NamedNode) | ("inv", P) | ("seq", (P, ...)) | ("alt", (P, ...))
# | ("zeroOrMore", P) | ("oneOrMore", P) | ("zeroOrOne", P)
Path = tuple

TYPE = ox.NamedNode(RDF + "type")
FIRST, REST, NIL = (ox.NamedNode(RDF + n) for n in ("first", "rest", "nil"))


def sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


class Graph:
    """A read-only index of triples by subject and predicate, enough to read shapes."""

    def __init__(self, triples: Iterable[ox.Quad | ox.Triple]) -> None:
        self.sp: dict[tuple[Node, ox.NamedNode], list[Node]] = defaultdict(list)
        self.po: dict[tuple[ox.NamedNode, Node], list[Node]] = defaultdict(list)
        self.subjects: set[Node] = set()
        self.by_predicate: dict[ox.NamedNode, list[tuple[Node, Node]]] = defaultdict(list)
        self.triples: list[ox.Triple] = []
        for t in triples:
            triple = t.triple if isinstance(t, ox.Quad) else t
            if isinstance(triple.subject, ox.Triple) or isinstance(triple.object, ox.Triple):
                continue  # RDF 1.2 triple terms play no part in SHACL 1.0
            self.sp[(triple.subject, triple.predicate)].append(triple.object)
            self.po[(triple.predicate, triple.object)].append(triple.subject)
            self.subjects.add(triple.subject)
            self.by_predicate[triple.predicate].append((triple.subject, triple.object))
            self.triples.append(triple)

    def objects(self, subject: Node, predicate: ox.NamedNode) -> list[Node]:
        return self.sp.get((subject, predicate), [])

    def value(self, subject: Node, predicate: ox.NamedNode) -> Node | None:
        found = self.sp.get((subject, predicate))
        return found[0] if found else None

    def subjects_of(self, predicate: ox.NamedNode, obj: Node) -> list[Node]:
        return self.po.get((predicate, obj), [])

    def with_predicate(self, predicate: ox.NamedNode) -> Iterator[tuple[Node, Node]]:
        yield from self.by_predicate.get(predicate, [])

    def items(self, head: Node) -> list[Node]:
        """The members of an RDF list."""
        members: list[Node] = []
        seen: set[Node] = set()
        node: Node | None = head
        while node is not None and node != NIL:
            if node in seen:
                raise ShapesError(f"cyclic RDF list at {node}")
            seen.add(node)
            first = self.value(node, FIRST)
            if first is None:
                raise ShapesError(f"malformed RDF list at {node}: no rdf:first")
            members.append(first)
            node = self.value(node, REST)
        return members

    def is_instance(self, node: Node, cls: ox.NamedNode) -> bool:
        """``node`` is a SHACL instance of ``cls`` (rdf:type/rdfs:subClassOf*)."""
        pending = list(self.objects(node, TYPE))
        seen: set[Node] = set()
        while pending:
            current = pending.pop()
            if current == cls:
                return True
            if current not in seen:
                seen.add(current)
                pending.extend(self.objects(current, ox.NamedNode(RDFS + "subClassOf")))
        return False


@dataclass
class Constraint:
    """One constraint component applied by a shape, with its parameter values."""

    component: str  # local name in sh:, e.g. "MinCount"; or a custom component's IRI
    params: dict[str, Node]
    node: Node | None = None  # the sh:sparql constraint node, or a custom component


@dataclass(eq=False)
class Shape:
    node: Node
    path: Path | None = None
    targets: list[tuple[str, Node]] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    severity: str = SH + "Violation"
    messages: list[ox.Literal] = field(default_factory=list)
    deactivated: bool = False
    parents: list[Shape] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def __repr__(self) -> str:
        return f"Shape({self.node})"


# Parameters with a single value each; the list-valued ones are handled apart.
_SCALAR = {
    "class": "Class",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "minCount": "MinCount",
    "maxCount": "MaxCount",
    "minExclusive": "MinExclusive",
    "minInclusive": "MinInclusive",
    "maxExclusive": "MaxExclusive",
    "maxInclusive": "MaxInclusive",
    "minLength": "MinLength",
    "maxLength": "MaxLength",
    "equals": "Equals",
    "disjoint": "Disjoint",
    "lessThan": "LessThan",
    "lessThanOrEquals": "LessThanOrEquals",
    "hasValue": "HasValue",
    "node": "Node",
    "not": "Not",
}
_LISTS = {"in": "In", "languageIn": "LanguageIn", "and": "And", "or": "Or", "xone": "Xone"}
_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
_SHAPE_REFS = ("node", "not", "qualifiedValueShape", "property")
_SHAPE_LISTS = ("and", "or", "xone")


class ShapesGraph:
    """Every shape of a shapes graph, keyed by node; ``targeted`` are the ones validation starts at."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, Shape] = {}
        for node in self._shape_nodes():
            self.shape(node)
        self.targeted = [s for s in self.shapes.values() if s.targets and not s.deactivated]

    def _shape_nodes(self) -> list[Node]:
        g = self.graph
        found: list[Node] = []
        for cls in ("NodeShape", "PropertyShape"):
            found += g.subjects_of(TYPE, sh(cls))
        for name in _TARGETS:
            found += [s for s, _ in g.with_predicate(sh(name))]
        for name in _SHAPE_REFS:
            found += [o for _, o in g.with_predicate(sh(name))]
        for name in _SHAPE_LISTS:
            for _, head in g.with_predicate(sh(name)):
                found += g.items(head)
        # A class that is also a shape targets its own instances (implicit class target).
        return list(dict.fromkeys(found))

    def shape(self, node: Node) -> Shape:
        existing = self.shapes.get(node)
        if existing is not None:
            return existing
        g = self.graph
        shape = Shape(node)
        self.shapes[node] = shape  # registered first: shapes may refer to themselves
        path_node = g.value(node, sh("path"))
        if path_node is not None:
            shape.path = read_path(g, path_node)
        shape.targets = [(name, t) for name in _TARGETS for t in g.objects(node, sh(name))]
        if isinstance(node, ox.NamedNode) and (
            g.is_instance(node, ox.NamedNode(RDFS + "Class"))
            and (g.is_instance(node, sh("NodeShape")) or g.is_instance(node, sh("PropertyShape")))
        ):
            shape.targets.append(("targetClass", node))
        severity = g.value(node, sh("severity"))
        if severity is not None:
            shape.severity = severity.value
        shape.messages = [m for m in g.objects(node, sh("message")) if isinstance(m, ox.Literal)]
        deactivated = g.value(node, sh("deactivated"))
        shape.deactivated = deactivated is not None and deactivated.value == "true"
        shape.constraints = self._constraints(node, shape)
        for prop in g.objects(node, sh("property")):
            child = self.shape(prop)
            child.parents.append(shape)
            shape.properties.append(child)
        return shape

    def _constraints(self, node: Node, shape: Shape) -> list[Constraint]:
        g = self.graph
        found: list[Constraint] = []
        for name, component in _SCALAR.items():
            for value in g.objects(node, sh(name)):
                found.append(Constraint(component, {name: value}))
        for name, component in _LISTS.items():
            for head in g.objects(node, sh(name)):
                found.append(Constraint(component, {name: head}))
        unique = g.value(node, sh("uniqueLang"))
        if unique is not None and unique.value == "true":
            found.append(Constraint("UniqueLang", {"uniqueLang": unique}))
        for name in ("pattern",):
            for value in g.objects(node, sh(name)):
                flags = g.value(node, sh("flags"))
                params: dict[str, Node] = {"pattern": value}
                if flags is not None:
                    params["flags"] = flags
                found.append(Constraint("Pattern", params))
        closed = g.value(node, sh("closed"))
        if closed is not None and closed.value == "true":
            params = {"closed": closed}
            ignored = g.value(node, sh("ignoredProperties"))
            if ignored is not None:
                params["ignoredProperties"] = ignored
            found.append(Constraint("Closed", params))
        for qshape in g.objects(node, sh("qualifiedValueShape")):
            params = {"qualifiedValueShape": qshape}
            for key in ("qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint"):
                given = g.value(node, sh(key))
                if given is not None:
                    params[key] = given
            if "qualifiedMinCount" in params:
                found.append(Constraint("QualifiedMinCount", params))
            if "qualifiedMaxCount" in params:
                found.append(Constraint("QualifiedMaxCount", params))
        for sparql in g.objects(node, sh("sparql")):
            off = g.value(sparql, sh("deactivated"))
            if off is None or off.value != "true":
                found.append(Constraint("SPARQL", {}, node=sparql))
        found += custom_constraints(g, node, self._components)
        return found

    @property
    def _components(self) -> list[Node]:
        if not hasattr(self, "_component_list"):
            found = {s for s, _ in self.graph.with_predicate(sh("parameter"))}
            self._component_list = sorted(found, key=str)
        return self._component_list


def custom_constraints(g: Graph, node: Node, components: list[Node]) -> list[Constraint]:
    """SPARQL-based constraint components (§6) whose mandatory parameters the shape has."""
    found = []
    for component in components:
        params: dict[str, Node] = {}
        complete = True
        for param in g.objects(component, sh("parameter")):
            path = g.value(param, sh("path"))
            if not isinstance(path, ox.NamedNode):
                continue
            value = g.value(node, path)
            optional = g.value(param, sh("optional"))
            if value is not None:
                params[_local(path.value)] = value
            elif optional is None or optional.value != "true":
                complete = False
        if complete and params:
            found.append(Constraint(component.value, params, node=component))
    return found


def _local(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def read_path(g: Graph, node: Node) -> Path:
    """A SHACL path node as a path structure (§2.3.1)."""
    if isinstance(node, ox.NamedNode):
        return ("iri", node)
    if isinstance(node, ox.Literal):
        raise ShapesError(f"a literal {node} is not a SHACL path")
    if g.value(node, FIRST) is not None:
        return ("seq", tuple(read_path(g, m) for m in g.items(node)))
    for key in ("inversePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
        inner = g.value(node, sh(key))
        if inner is not None:
            kind = "inv" if key == "inversePath" else key.removesuffix("Path")
            return (kind, read_path(g, inner))
    alternatives = g.value(node, sh("alternativePath"))
    if alternatives is not None:
        return ("alt", tuple(read_path(g, m) for m in g.items(alternatives)))
    raise ShapesError("a blank node is not a SHACL path", location=Location(path=str(node)))


def path_sparql(path: Path) -> str:
    """The path in SPARQL property path syntax."""
    kind, arg = path
    if kind == "iri":
        return str(arg)
    if kind == "inv":
        return f"^({path_sparql(arg)})" if arg[0] != "iri" else f"^{arg[1]}"
    if kind in ("seq", "alt"):
        glue = "/" if kind == "seq" else "|"
        return "(" + glue.join(path_sparql(p) for p in arg) + ")"
    suffix = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}[kind]
    return f"({path_sparql(arg)}){suffix}"


def path_text(path: Path | None) -> str | None:
    """The path as people read it: a predicate IRI bare, anything else in SPARQL syntax."""
    if path is None:
        return None
    if path[0] == "iri":
        return str(path[1].value)
    return path_sparql(path)


def path_triples(path: Path) -> tuple[Term, list[ox.Triple]]:
    """The path as RDF (for sh:resultPath): its node and the triples describing it."""
    kind, arg = path
    if kind == "iri":
        return arg, []
    node = ox.BlankNode()
    triples: list[ox.Triple] = []
    if kind in ("seq", "alt"):
        heads = []
        for member in arg:
            head, more = path_triples(member)
            heads.append(head)
            triples += more
        list_node, list_triples = rdf_list(heads)
        triples += list_triples
        if kind == "seq":
            return list_node, triples
        triples.append(ox.Triple(node, sh("alternativePath"), list_node))
        return node, triples
    inner, more = path_triples(arg)
    predicate = "inversePath" if kind == "inv" else kind + "Path"
    return node, [*more, ox.Triple(node, sh(predicate), inner)]


def rdf_list(members: list[Term]) -> tuple[Term, list[ox.Triple]]:
    if not members:
        return NIL, []
    nodes = [ox.BlankNode() for _ in members]
    triples = []
    for i, (node, member) in enumerate(zip(nodes, members, strict=True)):
        triples.append(ox.Triple(node, FIRST, member))
        triples.append(ox.Triple(node, REST, nodes[i + 1] if i + 1 < len(nodes) else NIL))
    return nodes[0], triples
