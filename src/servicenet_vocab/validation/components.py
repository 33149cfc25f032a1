"""The SHACL Core constraint components (SHACL §4), each compiled to one set-based query or, for
the shape-based ones, to bulk evaluation of the inner shape; ``HANDLERS`` is what the engine is
given."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache

import pyoxigraph as ox

from servicenet_vocab.errors import Location, ShapesError
from servicenet_vocab.namespaces import SH, XSD
from servicenet_vocab.validation.engine import (
    TYPE_PATH,
    FocusSet,
    Handler,
    RawResult,
    SparqlEngine,
)
from servicenet_vocab.validation.messages import term_short
from servicenet_vocab.validation.report import Term
from servicenet_vocab.validation.shapes import Constraint, Node, Shape, path_sparql

HANDLERS: dict[str, Handler] = {}


def handles(*names: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = fn
        return fn

    return register


def _arg(c: Constraint) -> Node:
    return next(iter(c.params.values()))


@handles("Class")
def _class(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    cls = _arg(c)
    return e.value_results(s, c, f, f"NOT EXISTS {{ ?value {TYPE_PATH} {cls} }}", str(cls))


_NODE_KINDS = {
    "BlankNode": "isBlank(?value)",
    "IRI": "isIRI(?value)",
    "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "isBlank(?value) || isIRI(?value)",
    "BlankNodeOrLiteral": "isBlank(?value) || isLiteral(?value)",
    "IRIOrLiteral": "isIRI(?value) || isLiteral(?value)",
}


@handles("NodeKind")
def _node_kind(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    kind = _arg(c).value.removeprefix(SH)
    if kind not in _NODE_KINDS:
        raise ShapesError(f"unknown sh:nodeKind {kind}", location=Location(path=str(s.node)))
    return e.value_results(s, c, f, f"!({_NODE_KINDS[kind]})", kind)


@handles("Datatype")
def _datatype(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    dt = _arg(c)
    assert isinstance(dt, ox.NamedNode)
    assert isinstance(dt, ox.NamedNode)
    images = " ".join(str(v) for v in e.literals.originals)
    # Values the store rewrote (xsd:int kept as xsd:integer...) are decided on as written, below.
    cond = f"!isLiteral(?value) || datatype(?value) != {dt}"
    stored_range = INTEGER_RANGES.get(dt.value.removeprefix(XSD)) if e.from_store else None
    if stored_range is not None:
        # Read back from a store, "5"^^xsd:int is "5"^^xsd:integer: accept it when in range.
        low, high = stored_range
        in_range = " && ".join(
            [f"?value >= {low}" if low is not None else "true"]
            + ([f"?value <= {high}"] if high is not None else [])
        )
        cond = f"({cond}) && !(datatype(?value) = <{XSD}integer> && COALESCE({in_range}, false))"
    found = e.value_results(s, c, f, cond, str(dt)) if not images else []
    if images:
        query = (
            f"SELECT DISTINCT ?this ?value {{ {f.pattern} {e.values_of(s)} FILTER ({cond}) "
            f"FILTER NOT EXISTS {{ VALUES ?image {{ {images} }} FILTER (sameTerm(?value, ?image)) }} }}"
        )
        found = [e.result(s, c, r["this"], r["value"], str(dt)) for r in e.select(query)]
        predicate = s.path[1] if s.path is not None and s.path[0] == "iri" else None
        rows = e.select(
            f"SELECT DISTINCT ?this ?value {{ {f.pattern} {e.values_of(s)} VALUES ?value {{ {images} }} }}"
        )
        for row in rows:
            subject = row["this"] if predicate is not None else None
            for written in e.literals.written(row["value"], subject, predicate):
                if not well_typed(written, dt):
                    found.append(e.result(s, c, row["this"], written, str(dt)))  # type: ignore[arg-type]
    if not dt.value.startswith(XSD) or dt.value == XSD + "string":
        return found
    # Ill-typed literals ("abc"^^xsd:integer) violate too: check each distinct lexical form once.
    surely_fine = _WELL_FORMED.get(dt.value.removeprefix(XSD))
    prefilter = f" && !REGEX(STR(?value), {ox.Literal(surely_fine)})" if surely_fine else ""
    query = (
        f"SELECT DISTINCT ?value {{ {f.pattern} {e.values_of(s)} "
        f"FILTER (isLiteral(?value) && datatype(?value) = {dt}{prefilter}) }}"
    )
    bad = [
        r["value"] for r in e.select(query) if r["value"] and ill_typed(r["value"].value, dt.value)
    ]
    if bad:
        terms = " ".join(str(v) for v in bad)
        rows = e.select(
            f"SELECT DISTINCT ?this ?value {{ {f.pattern} {e.values_of(s)} VALUES ?value {{ {terms} }} }}"
        )
        found += [e.result(s, c, r["this"], r["value"], str(dt)) for r in rows]
    return found


INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}


def well_typed(term: object, dt: ox.NamedNode) -> bool:
    if not isinstance(term, ox.Literal) or term.datatype != dt:
        return False
    return not (dt.value.startswith(XSD) and ill_typed(term.value, dt.value))


# Lexical forms that are certainly well-formed (a subset of what rdflib accepts), so only the
# others need rdflib's verdict: the common numeric types are checked without leaving the store.
_WELL_FORMED = {
    "integer": r"^[+-]?[0-9]+$",
    "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    "double": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$",
    "float": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$",
    "boolean": r"^(true|false|1|0)$",
}


@lru_cache(maxsize=65536)
def ill_typed(lexical: str, datatype: str) -> bool:
    """rdflib's verdict, so this engine and pyshacl agree on what is well-formed."""
    import warnings

    import rdflib

    with warnings.catch_warnings():  # rdflib warns about the very literals we are checking
        warnings.simplefilter("ignore", UserWarning)
        return bool(rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype)).ill_typed)


_COMPARE = {"MinExclusive": ">", "MinInclusive": ">=", "MaxExclusive": "<", "MaxInclusive": "<="}


@handles(*_COMPARE)
def _range(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    bound = _arg(c)
    op = _COMPARE[c.component]
    # Incomparable values (a string against a number, ill-typed literals) are violations.
    return e.value_results(s, c, f, f"!COALESCE(?value {op} {bound}, false)", bound.value)


@handles("MinLength", "MaxLength")
def _length(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    n = _arg(c)
    op = ">=" if c.component == "MinLength" else "<="
    cond = f"isBlank(?value) || !COALESCE(STRLEN(STR(?value)) {op} {n}, false)"
    return e.value_results(s, c, f, cond, n.value)


@handles("Pattern")
def _pattern(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    pattern = ox.Literal(c.params["pattern"].value)
    flags = c.params.get("flags")
    args = f"{pattern}, {ox.Literal(flags.value)}" if flags else str(pattern)
    cond = f"isBlank(?value) || !COALESCE(REGEX(STR(?value), {args}), false)"
    return e.value_results(s, c, f, cond, pattern.value)


@handles("LanguageIn")
def _language_in(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    tags = e.shapes.graph.items(c.params["languageIn"])
    matches = " || ".join(f"langMatches(lang(?value), {ox.Literal(t.value)})" for t in tags)
    cond = f"!isLiteral(?value) || !({matches or 'false'})"
    return e.value_results(s, c, f, cond, ", ".join(t.value for t in tags))


@handles("In")
def _in(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    members = e.shapes.graph.items(c.params["in"])
    same = " || ".join(f"sameTerm(?value, {m})" for m in members)
    detail = "(" + " ".join(term_short(m) for m in members) + ")"
    return e.value_results(s, c, f, f"!({same or 'false'})", detail)


@handles("HasValue")
def _has_value(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    v = _arg(c)
    query = f"SELECT ?this {{ {f.pattern} FILTER NOT EXISTS {{ {_bind_value(s)} FILTER(sameTerm(?value, {v})) }} }}"
    return [e.result(s, c, r["this"], None, term_short(v)) for r in e.select(query)]


def _bind_value(s: Shape) -> str:
    return SparqlEngine.values_of(s)


@handles("MinCount", "MaxCount")
def _count(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    n = int(_arg(c).value)
    path = path_sparql(s.path) if s.path else None
    if path is None:
        return []
    if c.component == "MinCount":
        if n <= 0:
            return []
        query = (
            f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) {{ {f.pattern} "
            f"OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
        )
    else:
        query = (
            f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) {{ {f.pattern} ?this {path} ?value }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
        )
    return [
        e.result(s, c, r["this"], None, str(n), count=int(r["n"].value) if r["n"] else 0)
        for r in e.select(query)
    ]


@handles("UniqueLang")
def _unique_lang(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    query = (
        f"SELECT ?this ?lang {{ {f.pattern} {e.values_of(s)} "
        "FILTER (isLiteral(?value) && lang(?value) != '') BIND (LCASE(lang(?value)) AS ?lang) } "
        "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)"
    )
    return [
        e.result(s, c, r["this"], None, r["lang"].value if r["lang"] else "")
        for r in e.select(query)
    ]


@handles("Equals", "Disjoint", "LessThan", "LessThanOrEquals")
def _pair(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    other = _arg(c)
    values = e.values_of(s)
    if c.component == "Equals":
        body = (
            f"{{ {f.pattern} {values} FILTER NOT EXISTS {{ ?this {other} ?value }} }} UNION "
            f"{{ {f.pattern} ?this {other} ?value FILTER (!({e.is_value(s)})) }}"
        )
    elif c.component == "Disjoint":
        body = f"{f.pattern} {values} ?this {other} ?value ."
    else:
        op = "<" if c.component == "LessThan" else "<="
        body = (
            f"{f.pattern} {values} ?this {other} ?other . "
            f"FILTER (!COALESCE(?value {op} ?other, false))"
        )
    # lessThan reports one result per (value, other value) pair (W3C lessThan-002).
    keep = " ?other" if c.component.startswith("LessThan") else ""
    rows = e.select(f"SELECT DISTINCT ?this ?value{keep} {{ {body} }}")
    return [e.result(s, c, r["this"], r["value"], term_short(other)) for r in rows]


@handles("Closed")
def _closed(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    g = e.shapes.graph
    allowed = [p.path[1] for p in s.properties if p.path and p.path[0] == "iri"]
    ignored = c.params.get("ignoredProperties")
    if ignored is not None:
        allowed += g.items(ignored)
    not_in = f"FILTER (?p NOT IN ({', '.join(str(p) for p in allowed)}))" if allowed else ""
    query = (
        f"SELECT DISTINCT ?this ?p ?o {{ {f.pattern} {e.values_of(s)} "
        f"GRAPH <{e.data_graph}> {{ ?value ?p ?o }} {not_in} }}"
    )
    found = []
    for r in e.select(query):
        result = e.result(s, c, r["this"], r["o"], "")
        assert isinstance(r["p"], ox.NamedNode)
        result.path = r["p"]
        found.append(result)
    return found


def _pairs(e: SparqlEngine, s: Shape, f: FocusSet) -> list[tuple[Term, Term]]:
    rows = e.select(e._rows(s, f))
    return [(r["this"], r["value"]) for r in rows if r["this"] and r["value"]]


@handles("Node", "Not")
def _node(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    inner = e.shapes.shape(_arg(c))
    # The value nodes go to a scratch graph in the store, and only the failing ones come back.
    with e.focus(where=[f"{f.pattern} {e.values_of(s)}"], var="?value") as values:
        failing = {r.focus for r in e.validate(inner, values, d + 1)}
    if c.component == "Node" and not failing:
        return []
    with e.focus(failing) as bad:
        test = "EXISTS" if c.component == "Node" else "NOT EXISTS"
        rows = e.select(
            f"SELECT DISTINCT ?this ?value {{ {f.pattern} {e.values_of(s)} "
            f"FILTER {test} {{ {bad.pattern_for('?value')} }} }}"
        )
    return [e.result(s, c, r["this"], r["value"], term_short(inner.node)) for r in rows]


@handles("And", "Or", "Xone")
def _logical(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    members = [e.shapes.shape(n) for n in e.shapes.graph.items(_arg(c))]
    pairs = _pairs(e, s, f)
    values = {v for _, v in pairs}
    failing = [e.failing(m, values, d) for m in members]
    conforming = Counter(v for v in values for fails in failing if v not in fails)

    def ok(value: Term) -> bool:
        n = conforming[value]
        return {"And": n == len(members), "Or": n >= 1, "Xone": n == 1}[c.component]

    detail = "(" + " ".join(term_short(m.node) for m in members) + ")"
    return [e.result(s, c, this, value, detail) for this, value in pairs if not ok(value)]


@handles("QualifiedMinCount", "QualifiedMaxCount")
def _qualified(e: SparqlEngine, s: Shape, c: Constraint, f: FocusSet, d: int) -> list[RawResult]:
    q = e.shapes.shape(c.params["qualifiedValueShape"])
    pairs = _pairs(e, s, f)
    values = {v for _, v in pairs}
    conforming = values - e.failing(q, values, d)
    disjoint = c.params.get("qualifiedValueShapesDisjoint")
    if disjoint is not None and disjoint.value == "true":
        for sibling in _siblings(e, s, q):
            conforming -= values - e.failing(sibling, values, d)
    per_focus: dict[Term, set[Term]] = defaultdict(set)
    for this, value in pairs:
        if value in conforming:
            per_focus[this].add(value)
    key = "qualifiedMinCount" if c.component == "QualifiedMinCount" else "qualifiedMaxCount"
    limit = int(c.params[key].value)
    found = []
    for this in e.members(f):
        n = len(per_focus.get(this, ()))
        if (n < limit) if key == "qualifiedMinCount" else (n > limit):
            found.append(e.result(s, c, this, None, str(limit), count=n))
    return found


def _siblings(e: SparqlEngine, s: Shape, q: Shape) -> list[Shape]:
    found = []
    g = e.shapes.graph
    for parent in s.parents:
        for prop in parent.properties:
            for node in g.objects(prop.node, ox.NamedNode(SH + "qualifiedValueShape")):
                if node != q.node:
                    found.append(e.shapes.shape(node))
    return found
