"""Changes between the SHACL shapes of two versions: a constraint tightened at severity Violation
breaks data that conformed; loosened, removed or at Warning/Info it does not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import rdflib
from rdflib import RDF, RDFS, BNode, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from servicenet_vocab.quality.vocab import short
from servicenet_vocab.steward.versions import Bump, Change, Version, widens

__all__ = ["shape_changes"]


# --- shapes ----------------------------------------------------------------------------------

_LOWER_BOUNDS = {SH.minCount, SH.minLength, SH.minInclusive, SH.minExclusive}
_UPPER_BOUNDS = {SH.maxCount, SH.maxLength, SH.maxInclusive, SH.maxExclusive}
_WIDENABLE = {SH.datatype, SH["class"]}
_DOCS = {SH.message, SH.name, SH.description, RDFS.comment, RDFS.label}
_IGNORED = {RDF.type, SH.property, SH.path, SH.order, SH.group, RDFS.isDefinedBy}
_SEVERITY_RANK = {SH.Info: 0, SH.Warning: 1, SH.Violation: 2}

ShapeKey = tuple[str, str]  # (named shape, path of a property shape or "")


def _shapes(graph: rdflib.Graph) -> dict[ShapeKey, rdflib.term.Node]:
    found: dict[ShapeKey, rdflib.term.Node] = {}
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(SH.targetClass, None)
    ):
        if isinstance(shape, URIRef):
            found[(str(shape), "")] = shape
            for prop in graph.objects(shape, SH.property):
                path = graph.value(prop, SH.path)
                found[(str(shape), _path_text(graph, path))] = prop
    for shape in graph.subjects(RDF.type, SH.PropertyShape):
        if isinstance(shape, URIRef) and not any(graph.subjects(SH.property, shape)):
            found[(str(shape), _path_text(graph, graph.value(shape, SH.path)))] = shape
    return found


def _path_text(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str:
    if isinstance(path, URIRef):
        return short(str(path))
    if isinstance(path, BNode):
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(graph, inverse)
        if graph.value(path, RDF.first) is not None:
            return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return str(path)


def _constraints(graph: rdflib.Graph, node: rdflib.term.Node) -> dict[URIRef, Any]:
    params: dict[URIRef, Any] = {}
    for predicate, value in graph.predicate_objects(node):
        if predicate in _IGNORED or not isinstance(predicate, URIRef):
            continue
        if predicate == SH["in"]:
            params[predicate] = frozenset(short(str(v)) for v in Collection(graph, value))
        elif predicate in _DOCS:
            params.setdefault(predicate, {})[getattr(value, "language", None) or ""] = str(value)
        elif isinstance(value, BNode):
            params[predicate] = _canonical(graph, value)
        else:
            params.setdefault(predicate, set()).add(value)
    return {p: (frozenset(v) if isinstance(v, set) else v) for p, v in params.items()}


def _canonical(graph: rdflib.Graph, node: rdflib.term.Node, depth: int = 0) -> str:
    """A blank-node structure (sh:or lists, nested shapes) as text that does not depend on blank
    node labels, so the same shapes parsed twice compare equal."""
    if not isinstance(node, BNode):
        return short(str(node)) if isinstance(node, URIRef) else repr(str(node))
    if depth > 12:
        return "[...]"
    if graph.value(node, RDF.first) is not None:
        return (
            "("
            + " ".join(_canonical(graph, item, depth + 1) for item in Collection(graph, node))
            + ")"
        )
    parts = sorted(
        f"{short(str(p))} {_canonical(graph, o, depth + 1)}"
        for p, o in graph.predicate_objects(node)
    )
    return "[" + "; ".join(parts) + "]"


def _is_warning(graph: rdflib.Graph, node: rdflib.term.Node, owner: rdflib.term.Node) -> bool:
    severity = graph.value(node, SH.severity) or graph.value(owner, SH.severity) or SH.Violation
    return severity != SH.Violation


def shape_changes(old: Version, new: Version) -> Iterator[Change]:
    before, after = _shapes(old.shapes), _shapes(new.shapes)
    for key in sorted(set(after) - set(before)):
        node = after[key]
        params = _constraints(new.shapes, node)
        binding = {p for p in params if p not in _DOCS and p != SH.severity}
        soft = _is_warning(new.shapes, node, URIRef(key[0]))
        required = _count(params.get(SH.minCount)) >= 1
        breaking = bool(binding) and not soft
        what = (
            "new required property"
            if required and key[1]
            else "new shape"
            if not key[1]
            else "new property shape"
        )
        detail = f"{what} {_shape_name(key)}" + (f" ({_params_text(params)})" if binding else "")
        yield Change(
            "shape-added", key[0], detail, breaking, Bump.MAJOR if breaking else Bump.MINOR
        )
    for key in sorted(set(before) - set(after)):
        yield Change(
            "shape-removed",
            key[0],
            f"shape {_shape_name(key)} removed (loosened)",
            False,
            Bump.MINOR,
        )
    for key in sorted(set(before) & set(after)):
        yield from _constraint_changes(old, new, key, before[key], after[key])


def _constraint_changes(
    old: Version,
    new: Version,
    key: ShapeKey,
    old_node: rdflib.term.Node,
    new_node: rdflib.term.Node,
) -> Iterator[Change]:
    was, now = _constraints(old.shapes, old_node), _constraints(new.shapes, new_node)
    soft = _is_warning(new.shapes, new_node, URIRef(key[0]))
    for param in sorted(set(was) | set(now)):
        a, b = was.get(param), now.get(param)
        if a == b:
            continue
        name = short(str(param))
        if param in _DOCS:
            detail = f"{name} of {_shape_name(key)} changed"
            yield Change(
                "shape-documentation", key[0], detail, False, Bump.PATCH, _text(a), _text(b)
            )
            continue
        direction = _direction(param, a, b, new.terms)
        breaking = direction in ("tightened", "changed") and not soft
        detail = f"{name} {direction} on {_shape_name(key)}"
        if soft and direction in ("tightened", "changed"):
            detail += " (at Warning/Info severity: data still conforms)"
        yield Change(
            f"constraint-{direction}",
            key[0],
            detail,
            breaking,
            Bump.MAJOR if breaking else Bump.MINOR,
            _text(a),
            _text(b),
        )


def _direction(param: URIRef, a: Any, b: Any, terms: rdflib.Graph) -> str:
    if param == SH.severity:
        rank_a = _SEVERITY_RANK.get(next(iter(a), SH.Violation), 2) if a else 2
        rank_b = _SEVERITY_RANK.get(next(iter(b), SH.Violation), 2) if b else 2
        return "tightened" if rank_b > rank_a else "loosened"
    if a is None:
        return "loosened" if param == SH.closed and not _true(b) else "tightened"
    if b is None:
        return "loosened"
    if param in _LOWER_BOUNDS or param in _UPPER_BOUNDS:
        x, y = _number(a), _number(b)
        up = y > x
        return "tightened" if up == (param in _LOWER_BOUNDS) else "loosened"
    if param == SH["in"]:
        return "tightened" if b < a else "loosened" if b > a else "changed"
    if param == SH.closed:
        return "tightened" if _true(b) else "loosened"
    if param in _WIDENABLE:
        olds = {URIRef(str(v)) for v in a}
        news = {URIRef(str(v)) for v in b}
        return (
            "loosened"
            if widens(terms, olds, news)
            else "tightened"
            if widens(terms, news, olds)
            else "changed"
        )
    return "changed"


def _count(values: Any) -> float:
    return _number(values) if values else 0


def _number(values: Any) -> float:
    try:
        return max(float(str(v)) for v in values)
    except ValueError:
        return 0.0


def _true(values: Any) -> bool:
    return any(str(v).lower() == "true" for v in values or ())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return "; ".join(f"{v}@{k}" if k else v for k, v in sorted(value.items()))
    if isinstance(value, frozenset):
        return ", ".join(sorted(short(str(v)) if isinstance(v, URIRef) else str(v) for v in value))
    return str(value)


def _params_text(params: dict[URIRef, Any]) -> str:
    return "; ".join(
        f"{short(str(p))} {_text(v)}" for p, v in sorted(params.items()) if p not in _DOCS
    )


def _shape_name(key: ShapeKey) -> str:
    return short(key[0]) + (f" path {key[1]}" if key[1] else "")
