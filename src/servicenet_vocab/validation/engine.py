"""SHACL Core compiled to SPARQL and run set-based on pyoxigraph (SHACL §4).

Each constraint becomes one query that returns every violating (focus node, value) row at once, with
the focus nodes held in a scratch named graph that the query joins with. Shape-based components
(sh:node, sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape) evaluate the inner shape over all
candidate value nodes in bulk and combine the failing sets in Python. The data graph plus the
context graphs (ontology, code lists) form the queries' default graph; targets come from the data
graph only, so the context is read but never validated.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from servicenet_vocab.errors import InputError, Location, ShapesError
from servicenet_vocab.namespaces import RDF, RDFS, SH
from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.validation.literals import LiteralIndex
from servicenet_vocab.validation.report import Term
from servicenet_vocab.validation.shapes import (
    Constraint,
    Path,
    Shape,
    ShapesGraph,
    path_sparql,
)

SCRATCH = "urn:x-servicenet:validation:"
SET, MEMBER = f"<{SCRATCH}set>", f"<{SCRATCH}member>"
TYPE_PATH = f"<{RDF}type>/<{RDFS}subClassOf>*"
MAX_DEPTH = 64


@dataclass
class RawResult:
    """A result before messages and locations are attached."""

    focus: Term
    shape: Shape
    component: str  # full IRI of the constraint component
    value: Term | None = None
    path: Path | ox.NamedNode | None = None
    constraint: Constraint | None = None
    count: int | None = None
    messages: list[ox.Literal] = field(default_factory=list)
    bindings: dict[str, Term | None] = field(default_factory=dict)
    detail: str | None = None  # the constraint's argument, for generated messages


@dataclass
class FocusSet:
    """Focus nodes in a scratch graph; ``nodes`` is None when they were selected in the store."""

    graph: str
    nodes: list[Term] | None
    empty: bool = False

    @property
    def pattern(self) -> str:
        return self.pattern_for("?this")

    def pattern_for(self, var: str) -> str:
        return f"GRAPH <{self.graph}> {{ {SET} {MEMBER} {var} }}"


class SparqlEngine:
    """Validates the data graph of ``store`` against ``shapes``; see the module docstring."""

    def __init__(
        self,
        store: OxigraphStore,
        shapes: ShapesGraph,
        *,
        data_graph: str,
        context_graphs: Iterable[str] = (),
        shapes_graph: str,
        handlers: Mapping[str, Handler],
        fallback: Handler,
        literals: LiteralIndex | None = None,
        from_store: bool = False,
    ) -> None:
        """``handlers`` evaluate the core components by name; ``fallback`` every other
        constraint (SPARQL-based ones), so the engine itself knows neither."""
        self.store = store
        self.shapes = shapes
        self.data_graph = data_graph
        self.default = [data_graph, *context_graphs]
        self.shapes_graph = shapes_graph
        self.literals = literals if literals is not None else LiteralIndex([])
        self.from_store = from_store
        self.handlers, self.fallback = handlers, fallback
        self._counter = itertools.count()
        self._active: set[str] = set()  # scratch graphs in use, visible to INSERT ... WHERE

    # --- driving ---------------------------------------------------------------------------

    def run(self) -> list[RawResult]:
        results: list[RawResult] = []
        for shape in self.shapes.targeted:
            with self.targets(shape) as focus:
                results += self.validate(shape, focus, 0)
        return results

    def targets(self, shape: Shape) -> _Scratch:
        """The shape's focus nodes, selected into a scratch graph without leaving the store."""
        nodes: list[Term] = []
        patterns = []
        data = f"<{self.data_graph}>"
        for kind, arg in shape.targets:
            if kind == "targetNode":
                nodes.append(arg)
                continue
            patterns.append(
                {
                    "targetClass": f"GRAPH {data} {{ ?this a ?t }} ?t <{RDFS}subClassOf>* {arg}",
                    "targetSubjectsOf": f"GRAPH {data} {{ ?this {arg} ?o }}",
                    "targetObjectsOf": f"GRAPH {data} {{ ?s {arg} ?this }}",
                }[kind]
            )
        return self.focus(nodes, where=patterns)

    def focus(
        self, nodes: Iterable[Term] = (), *, where: Iterable[str] = (), var: str = "?this"
    ) -> _Scratch:
        """A scratch focus set of ``nodes`` plus the bindings of ``var`` in ``where`` patterns."""
        graph = f"{SCRATCH}focus/{next(self._counter)}"
        return _Scratch(self, FocusSet(graph, list(dict.fromkeys(nodes))), list(where), var)

    def scratch_graphs(self) -> list[str]:
        return sorted(self._active)

    def members(self, focus: FocusSet) -> list[Term]:
        if focus.nodes is not None:
            return focus.nodes
        rows = self.select(f"SELECT ?this {{ {focus.pattern} }}")
        return [row["this"] for row in rows if row["this"] is not None]

    def select(self, query: str) -> list[dict[str, Term | None]]:
        try:
            return list(self.store.query(query, default_graph_uris=self.default).terms())
        except InputError as error:  # the compiler wrote a query the engine refused: our bug
            raise ShapesError(f"{error.message}\n{query}") from None

    def validate(self, shape: Shape, focus: FocusSet, depth: int) -> list[RawResult]:
        if shape.deactivated or focus.empty:
            return []
        if depth > MAX_DEPTH:
            raise ShapesError(
                "shapes refer to each other without end (recursive shapes are not supported)",
                location=Location(focus_node=str(shape.node)),
            )
        results: list[RawResult] = []
        for constraint in shape.constraints:
            results += self.constraint(shape, constraint, focus, depth)
        if shape.properties:
            if shape.is_property:
                # A value reached from n focus nodes is validated n times (W3C property-001).
                reached = Counter(r["value"] for r in self.select(self._rows(shape, focus)))
                with self.focus(v for v in reached if v is not None) as inner:
                    for prop in shape.properties:
                        for result in self.validate(prop, inner, depth + 1):
                            results += [replace(result) for _ in range(reached[result.focus])]
            else:
                for prop in shape.properties:
                    results += self.validate(prop, focus, depth + 1)
        return results

    def failing(self, shape: Shape, nodes: Iterable[Term], depth: int) -> set[Term]:
        """The nodes that do not conform to ``shape`` (any result counts)."""
        with self.focus(nodes) as focus:
            return {r.focus for r in self.validate(shape, focus, depth + 1)}

    # --- query pieces ----------------------------------------------------------------------

    @staticmethod
    def values_of(shape: Shape) -> str:
        """A pattern binding ?value to each value node of ?this."""
        if shape.path is None:
            return "BIND(?this AS ?value)"
        return f"?this {path_sparql(shape.path)} ?value ."

    @staticmethod
    def is_value(shape: Shape, var: str = "?value") -> str:
        """A boolean expression: ``var`` is a value node of ?this."""
        if shape.path is None:
            return f"sameTerm({var}, ?this)"
        return f"EXISTS {{ ?this {path_sparql(shape.path)} {var} }}"

    def _rows(self, shape: Shape, focus: FocusSet, condition: str | None = None) -> str:
        where = f"FILTER ({condition})" if condition else ""
        return f"SELECT DISTINCT ?this ?value {{ {focus.pattern} {self.values_of(shape)} {where} }}"

    def value_results(
        self, shape: Shape, constraint: Constraint, focus: FocusSet, condition: str, detail: str
    ) -> list[RawResult]:
        rows = self.select(self._rows(shape, focus, condition))
        return [self.result(shape, constraint, r["this"], r["value"], detail) for r in rows]

    def result(
        self,
        shape: Shape,
        constraint: Constraint,
        focus: Term | None,
        value: Term | None,
        detail: str,
        **extra: object,
    ) -> RawResult:
        assert focus is not None
        return RawResult(
            focus=focus,
            shape=shape,
            component=component_iri(constraint),
            value=value,
            path=shape.path,
            constraint=constraint,
            messages=shape.messages,
            detail=detail,
            **extra,  # type: ignore[arg-type]
        )

    # --- components -------------------------------------------------------------------------

    def constraint(
        self, shape: Shape, c: Constraint, focus: FocusSet, depth: int
    ) -> list[RawResult]:
        handler = self.handlers.get(c.component, self.fallback)
        return handler(self, shape, c, focus, depth)


class _Scratch:
    """A focus set written to a scratch graph for the duration of a ``with`` block."""

    def __init__(self, engine: SparqlEngine, focus: FocusSet, where: list[str], var: str) -> None:
        self.engine, self.set, self.where, self.var = engine, focus, where, var

    def __enter__(self) -> FocusSet:
        store, graph = self.engine.store, self.set.graph
        if self.set.nodes:
            s, m = ox.NamedNode(SET[1:-1]), ox.NamedNode(MEMBER[1:-1])
            target = ox.NamedNode(graph)
            store.add_quads([ox.Quad(s, m, node, target) for node in self.set.nodes], graph=graph)
        if self.where:
            union = " UNION ".join(f"{{ {pattern} }}" for pattern in self.where)
            using = "".join(f"USING <{g}> " for g in self.engine.default)
            named = f"USING NAMED <{self.engine.data_graph}> "
            scratch = "".join(f"USING NAMED <{g}> " for g in self.engine.scratch_graphs())
            store.update(
                f"INSERT {{ GRAPH <{graph}> {{ {SET} {MEMBER} {self.var} }} }} "
                f"{using}{named}{scratch}WHERE {{ {union} }}"
            )
            self.set.nodes = None
        self.set.empty = not store.has_graph(graph)
        self.engine._active.add(graph)
        return self.set

    def __exit__(self, *exc: object) -> None:
        self.engine._active.discard(self.set.graph)
        if not self.set.empty:
            self.engine.store.clear_graph(self.set.graph)


def component_iri(c: Constraint) -> str:
    if c.component.startswith(("http:", "https:", "urn:")):
        return c.component
    return f"{SH}{c.component}ConstraintComponent"


Handler = Callable[[SparqlEngine, Shape, Constraint, FocusSet, int], list[RawResult]]
