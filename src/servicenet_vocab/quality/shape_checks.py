"""Checks of the SHACL shapes: targets and sh:class values that name no existing class, shapes that
are not valid SHACL (per the W3C SHACL-for-SHACL shapes that pyshacl ships), and messages that are
not given in fi, sv and en."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.namespace import SH

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.quality.model import Issue, check
from servicenet_vocab.quality.sources import Role, Sources
from servicenet_vocab.quality.vocab import CLASS_TYPES, REQUIRED_LANGUAGES, short

# Classes of these standards exist without being declared here (they are not loaded offline).
EXTERNAL_NAMESPACES = (
    *(iri for prefix, iri in ns.PREFIXES.items() if prefix not in ("sn", "sn-shapes")),
    "http://xmlns.com/foaf/0.1/",
)


def _classes(sources: Sources) -> set[str]:
    graph = sources.vocabulary()
    return {str(s) for t in CLASS_TYPES for s in graph.subjects(RDF.type, t)}


def _exists(iri: str, classes: set[str]) -> bool:
    if iri in classes:
        return True
    return not iri.startswith(ns.SN) and iri.startswith(EXTERNAL_NAMESPACES)


def _class_refs(sources: Sources, predicate: URIRef, what: str) -> Iterator[Issue]:
    classes = _classes(sources)
    for item in sources.files:
        if item.role is not Role.SHAPES:
            continue
        for shape, target in sorted(item.graph.subject_objects(predicate)):
            if isinstance(target, URIRef) and not _exists(str(target), classes):
                owner = named_owner(item.graph, shape)
                where = sources.index.first_use(str(target), [item.path])
                yield Issue(
                    owner,
                    f"{what} {short(str(target))} is not a class of the ontology",
                    item.path,
                    where.line if where else None,
                )


@check("shape-target-undefined")
def shape_target_undefined(sources: Sources) -> Iterator[Issue]:
    """A shape whose sh:targetClass is not a declared class."""
    yield from _class_refs(sources, SH.targetClass, "sh:targetClass")


@check("shape-class-undefined")
def shape_class_undefined(sources: Sources) -> Iterator[Issue]:
    """A constraint sh:class naming a class that is not declared."""
    yield from _class_refs(sources, SH["class"], "sh:class")


@check("shacl-shacl")
def shacl_for_shacl(sources: Sources) -> Iterator[Issue]:
    """Shapes that are not well-formed SHACL according to the SHACL-for-SHACL shapes graph."""
    from servicenet_vocab.validation import validate

    paths = sources.paths(Role.SHAPES)
    if not paths:
        return
    quads = [q for path in paths for q in rdfio.parse(path, rdfio.RdfFormat.TURTLE)]
    report = validate([quads], shapes=[shacl_shacl_path()], context=[])
    owners: dict[str, str] = {
        q.object.value: _plain(q.subject) for q in quads if isinstance(q.object, ox.BlankNode)
    }
    rows = set()
    for result in report.results:
        term = _named_quad_owner(result.focus_node, owners)
        where = f" at {short(result.path)}" if result.path else ""
        rows.add((term, f"not valid SHACL{where}: {result.message}"))
    for term, message in sorted(rows):
        yield Issue(term, message)


def shacl_shacl_path() -> Path:
    """The W3C SHACL-for-SHACL shapes graph, as pyshacl ships it."""
    return Path(str(resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"))


def _plain(term: object) -> str:
    """An IRI as itself, a blank node as ``_:id`` (how validation results name them)."""
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _named_quad_owner(focus: str, owners: dict[str, str]) -> str:
    """The nearest named shape that holds a blank focus node."""
    seen: set[str] = set()
    while focus.startswith("_:") and focus not in seen:
        seen.add(focus)
        owner = owners.get(focus[2:])
        if owner is None:
            break
        focus = owner
    return focus


@check("shape-message-language")
def shape_message_language(sources: Sources) -> Iterator[Issue]:
    """A shape with sh:message but not in each of fi, sv and en."""
    shapes = sources.graph(Role.SHAPES)
    for shape in sorted(set(shapes.subjects(SH.message, None)), key=str):
        present = {
            (m.language or "").lower()
            for m in shapes.objects(shape, SH.message)
            if isinstance(m, Literal)
        }
        missing = [lang for lang in REQUIRED_LANGUAGES if lang not in present]
        if missing:
            owner = named_owner(shapes, shape)
            yield Issue(owner, f"sh:message missing in {', '.join(missing)}{_path(shapes, shape)}")


def _path(graph: rdflib.Graph, shape: rdflib.term.Node) -> str:
    path = graph.value(shape, SH.path)
    return f" (property shape for {short(str(path))})" if isinstance(path, URIRef) else ""


def named_owner(graph: rdflib.Graph, node: object) -> str:
    """The IRI of a node, or of the nearest named node that holds it (a blank property shape)."""
    seen: set[object] = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        owner = next(iter(graph.subjects(None, node)), None)
        if owner is None:
            break
        node = owner
    return str(node)
