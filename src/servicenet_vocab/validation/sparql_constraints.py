"""SHACL-SPARQL (§5, §6): sh:sparql constraints and SPARQL-based constraint components.

Pre-binding (§5.2.2) is done set-based: every group of the query is joined with the scratch graph
that holds the focus nodes, so ``$this`` is bound inside nested groups, OPTIONALs and EXISTS as
pre-binding requires, and one query serves all focus nodes. The other pre-bound variables
(``$shapesGraph``, ``$currentShape``, component parameters) join as VALUES in every group.
The constructs pre-binding does not define (MINUS, nested SELECT, VALUES, SERVICE, re-binding a
pre-bound variable) are refused with a ``ShapesError``, as §5.2.2 requires.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from servicenet_vocab.errors import Location, ShapesError
from servicenet_vocab.namespaces import OWL, SH
from servicenet_vocab.validation.engine import FocusSet, RawResult, SparqlEngine, component_iri
from servicenet_vocab.validation.report import Term
from servicenet_vocab.validation.shapes import Constraint, Graph, Node, Shape, path_sparql, sh

# Strings, IRIs and comments: skipped when looking for group braces and keywords.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'|"
    r"<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
_UNSUPPORTED = [
    (re.compile(r"\bMINUS\b", re.IGNORECASE), "MINUS"),
    (re.compile(r"\bSERVICE\b", re.IGNORECASE), "SERVICE"),
    (re.compile(r"\bVALUES\b", re.IGNORECASE), "VALUES"),
    (
        re.compile(r"\bAS\s+[?$](this|shapesGraph|currentShape|value)\b", re.IGNORECASE),
        "re-binding a pre-bound variable with AS",
    ),
]
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)


def _blank_opaque(query: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length, same offsets)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), query)


def check_supported(query: str, where: Node) -> None:
    bare = _blank_opaque(query)
    for pattern, what in _UNSUPPORTED:
        if pattern.search(bare):
            raise ShapesError(
                f"{what} is not allowed in a SHACL-SPARQL query with pre-bound variables (§5.2.2)",
                location=Location(path=str(where)),
            )
    for nested in list(_SELECT.finditer(bare))[1:]:
        head = bare[nested.end() : bare.find("{", nested.end())]
        if not re.search(r"[?$]this\b", head):
            raise ShapesError(
                "a nested SELECT must project $this explicitly in a SHACL-SPARQL query (§5.2.2)",
                location=Location(path=str(where)),
            )


def inject(query: str, text: str) -> str:
    """Insert ``text`` after every group-opening brace of the query."""
    bare = _blank_opaque(query)
    pieces, last = [], 0
    for i, char in enumerate(bare):
        if char == "{" and not re.match(r"\s*SELECT\b", bare[i + 1 :], re.IGNORECASE):
            pieces.append(query[last : i + 1])
            pieces.append(f" {text} ")
            last = i + 1
    pieces.append(query[last:])
    return "".join(pieces)


def _project_this(query: str) -> str:
    """Make sure a SELECT projects ?this, so each row names its focus node."""
    bare = _blank_opaque(query)
    found = _SELECT.search(bare)
    if not found:
        return query
    brace = bare.find("{", found.end())
    head = bare[found.end() : brace]
    if "*" in head or re.search(r"[?$]this\b", head):
        return query
    modifier = re.match(r"\s*(DISTINCT|REDUCED)?", head, re.IGNORECASE)
    at = found.end() + (modifier.end() if modifier else 0)
    return query[:at] + " ?this" + query[at:]


def prefixes(g: Graph, node: Node) -> str:
    """PREFIX lines from the sh:declare of the sh:prefixes ontologies (§5.2.1)."""
    lines = []
    pending = list(g.objects(node, sh("prefixes")))
    seen: set[Node] = set()
    while pending:
        ontology = pending.pop(0)
        if ontology in seen:
            continue
        seen.add(ontology)
        pending += g.objects(ontology, ox.NamedNode(OWL + "imports"))
        for declaration in g.objects(ontology, sh("declare")):
            prefix = g.value(declaration, sh("prefix"))
            namespace = g.value(declaration, sh("namespace"))
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix.value}: <{namespace.value}>\n")
    return "".join(dict.fromkeys(lines))


def _values_block(query: str, bindings: dict[str, Term]) -> str:
    bare = _blank_opaque(query)
    used = {
        name: term
        for name, term in bindings.items()
        if not isinstance(term, ox.BlankNode) and re.search(rf"[?$]{name}\b", bare)
    }
    if not used:
        return ""
    names = " ".join(f"?{name}" for name in used)
    terms = " ".join(str(term) for term in used.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def sparql_results(
    e: SparqlEngine, shape: Shape, c: Constraint, focus: FocusSet, depth: int = 0
) -> list[RawResult]:
    """Results of a SPARQL-based constraint or constraint component (the engine's fallback for
    every component that is not SHACL Core; ``depth`` is unused: these never nest shapes)."""
    g = e.shapes.graph
    assert c.node is not None
    if c.component == "SPARQL":
        query_text = g.value(c.node, sh("select"))
        if query_text is None:
            raise ShapesError("sh:sparql without sh:select", location=Location(path=str(c.node)))
        messages = _literals(g, c.node) or shape.messages
        return _select(e, shape, c, focus, query_text.value, c.node, messages)
    validator, kind = _validator(g, c.node, shape)
    messages = _literals(g, validator) or _literals(g, c.node) or shape.messages
    if kind == "select":
        text = g.value(validator, sh("select"))
        assert text is not None
        return _select(e, shape, c, focus, text.value, validator, messages)
    text = g.value(validator, sh("ask"))
    assert text is not None
    return _ask(e, shape, c, focus, text.value, validator, messages)


def _literals(g: Graph, node: Node) -> list[ox.Literal]:
    return [m for m in g.objects(node, sh("message")) if isinstance(m, ox.Literal)]


def _validator(g: Graph, component: Node, shape: Shape) -> tuple[Node, str]:
    specific = "propertyValidator" if shape.is_property else "nodeValidator"
    for name in (specific, "validator"):
        for validator in g.objects(component, sh(name)):
            if g.value(validator, sh("select")) is not None and name != "validator":
                return validator, "select"
            if g.value(validator, sh("ask")) is not None:
                return validator, "ask"
    raise ShapesError(
        f"the constraint component {component} has no validator for a "
        f"{'property' if shape.is_property else 'node'} shape",
        location=Location(path=str(shape.node)),
    )


def _prepare(e: SparqlEngine, shape: Shape, c: Constraint, text: str, host: Node) -> str:
    check_supported(text, host)
    if shape.path is not None:
        text = re.sub(r"\$PATH\b", path_sparql(shape.path), text)
    return prefixes(e.shapes.graph, host) + text


def _bindings(e: SparqlEngine, shape: Shape, c: Constraint) -> dict[str, Term]:
    bindings: dict[str, Term] = {
        "shapesGraph": ox.NamedNode(e.shapes_graph),
        "currentShape": shape.node,
    }
    if c.component != "SPARQL":
        bindings.update(c.params)
    return bindings


def _select(
    e: SparqlEngine,
    shape: Shape,
    c: Constraint,
    focus: FocusSet,
    text: str,
    host: Node,
    messages: list[ox.Literal],
) -> list[RawResult]:
    query = _prepare(e, shape, c, text, host)
    bindings = _bindings(e, shape, c)
    query = _project_this(inject(query, f"{focus.pattern} {_values_block(query, bindings)}"))
    found = []
    for row in e.select(query):
        this = row.get("this")
        if this is None:
            continue
        value = row.get("value") or this
        path = row.get("path")
        message = row.get("message")
        result = RawResult(
            focus=this,
            shape=shape,
            component=SH + "SPARQLConstraintComponent"
            if c.component == "SPARQL"
            else component_iri(c),
            value=value,
            path=path if isinstance(path, ox.NamedNode) else shape.path,
            constraint=c,
            messages=[message] if isinstance(message, ox.Literal) else messages,
            bindings={**bindings, **row},
            detail=str(host),
        )
        found.append(result)
    return found


def _ask(
    e: SparqlEngine,
    shape: Shape,
    c: Constraint,
    focus: FocusSet,
    text: str,
    host: Node,
    messages: list[ox.Literal],
) -> list[RawResult]:
    query = _prepare(e, shape, c, text, host)
    bindings = _bindings(e, shape, c)
    rows = e.select(e._rows(shape, focus))
    found = []
    for row in rows:
        this, value = row["this"], row["value"]
        assert this is not None and value is not None
        pair = {**bindings, "this": this, "value": value}
        asked = inject(query, _values_block(query, pair))
        try:
            ok = e.store.query(asked, default_graph_uris=e.default).boolean
        except (TypeError, ValueError) as error:
            raise ShapesError(str(error), location=Location(path=str(host))) from None
        if not ok:
            found.append(
                RawResult(
                    focus=this,
                    shape=shape,
                    component=component_iri(c),
                    value=value,
                    path=shape.path,
                    constraint=c,
                    messages=messages,
                    bindings=dict(pair),
                    detail=str(host),
                )
            )
    return found
