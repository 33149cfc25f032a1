"""From sources to a report: parse, pick the engine, run it, attach messages and locations."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location, ShapesError
from servicenet_vocab.namespaces import SH
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.validation import messages
from servicenet_vocab.validation.components import HANDLERS
from servicenet_vocab.validation.engine import RawResult, SparqlEngine
from servicenet_vocab.validation.literals import LiteralIndex
from servicenet_vocab.validation.report import (
    ResultTerms,
    Severity,
    Term,
    ValidationReport,
    ValidationResult,
    term_text,
)
from servicenet_vocab.validation.shapes import Graph, Node, Shape, ShapesGraph, path_text
from servicenet_vocab.validation.sparql_constraints import sparql_results
from servicenet_vocab.vocabulary import files as vocabulary
from servicenet_vocab.vocabulary.positions import subject_lines

Source = Path | str | tuple[bytes, RdfFormat | str] | Sequence[ox.Quad]
EngineName = Literal["auto", "sparql", "pyshacl"]

GRAPH_BASE = "urn:x-servicenet:validation:"
DATA_GRAPH, CONTEXT_GRAPH, SHAPES_GRAPH = (GRAPH_BASE + n for n in ("data", "context", "shapes"))

# SHACL-AF and other constructs the SPARQL compiler does not evaluate: pyshacl takes over.
UNSUPPORTED = {
    SH + "target": "SPARQL-based targets (sh:target)",
    SH + "rule": "SHACL rules (sh:rule)",
    SH + "js": "SHACL-JS",
    SH + "jsFunctionName": "SHACL-JS",
    SH + "shapesGraph": "sh:shapesGraph links to other shapes graphs",
}


@dataclass
class Parsed:
    quads: list[ox.Quad] = field(default_factory=list)
    sources: list[tuple[str, bytes, RdfFormat]] = field(default_factory=list)

    def lines(self, wanted: set[str]) -> dict[str, tuple[str, int]]:
        """Where each wanted node is first described: (file, line); scanned only when needed."""
        found: dict[str, tuple[str, int]] = {}
        for name, raw, fmt in self.sources:
            for key, line in subject_lines(raw, fmt, wanted=wanted - set(found)).items():
                found.setdefault(key, (name, line))
        return found


def parse_sources(sources: Iterable[Source], graph: str, *, keep_raw: bool = False) -> Parsed:
    """Parse every source into ``graph``; blank nodes are kept apart per source when there are
    several. With ``keep_raw`` the source bytes are kept for locating focus nodes later."""
    parsed = Parsed()
    target = ox.NamedNode(graph)
    items = list(sources)
    for number, source in enumerate(items):
        quads, name, raw, fmt = _parse_one(source)
        rename = len(items) > 1
        parsed.quads += [_moved(q, target, number if rename else None) for q in quads]
        if keep_raw and raw is not None and fmt is not None:
            parsed.sources.append((name, raw, fmt))
    return parsed


def _parse_one(source: Source) -> tuple[Iterable[ox.Quad], str, bytes | None, RdfFormat | None]:
    if isinstance(source, str | Path):
        path = Path(source)
        fmt = rdfio.format_for_path(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise InputError(
                f"cannot read file: {error.strerror}", location=Location(source=str(path))
            ) from None
        base = path.resolve().as_uri()  # relative IRIs (<>, <#x>) resolve against the file
        quads = rdfio.iter_parse(raw, fmt, source_name=str(path), base_iri=base)
        return quads, str(path), raw, fmt
    if isinstance(source, tuple):
        raw, given = source
        fmt = given if isinstance(given, RdfFormat) else RdfFormat(given)
        return rdfio.iter_parse(raw, fmt, source_name="input"), "input", raw, fmt
    given_quads = list(source)
    if any(not isinstance(q, ox.Quad) for q in given_quads):
        raise InputError("data must be file paths, (bytes, format) pairs or lists of quads")
    return given_quads, "quads", None, None


def _moved(quad: ox.Quad, graph: ox.NamedNode, number: int | None) -> ox.Quad:
    """The quad in ``graph``; with ``number``, its blank nodes renamed apart for that source."""
    subject, obj = quad.subject, quad.object
    if number is not None:
        if isinstance(subject, ox.BlankNode):
            subject = ox.BlankNode(f"s{number}_{subject.value}")
        if isinstance(obj, ox.BlankNode):
            obj = ox.BlankNode(f"s{number}_{obj.value}")
    return ox.Quad(subject, quad.predicate, obj, graph)


def _as_sources(data: Source | Sequence[Source]) -> list[Source]:
    if isinstance(data, str | Path | tuple):
        return [data]
    items = list(data)
    if items and all(isinstance(item, ox.Quad) for item in items):
        return [items]  # type: ignore[list-item]
    return items  # type: ignore[return-value]


def unsupported_constructs(shape_quads: Sequence[ox.Quad]) -> list[str]:
    found = {
        UNSUPPORTED[q.predicate.value] for q in shape_quads if q.predicate.value in UNSUPPORTED
    }
    return sorted(found)


def run(
    data: Source | Sequence[Source],
    *,
    shapes: Sequence[Path | str] | Sequence[ox.Quad] | None = None,
    lang: str = "en",
    context: Sequence[Path | str] | None = None,
    engine: EngineName = "auto",
    from_store: bool = False,
) -> ValidationReport:
    started = time.perf_counter()
    data_parsed = parse_sources(_as_sources(data), DATA_GRAPH, keep_raw=True)
    shape_quads = _shape_quads(shapes)
    context_files = default_context() if context is None else list(context)
    context_quads = list(_parse_files(_stamps(context_files), CONTEXT_GRAPH))
    shapes_graph = _shapes_graph(shape_quads)

    reasons = unsupported_constructs(shape_quads)
    if engine == "sparql" and reasons:
        raise ShapesError("the SPARQL engine does not support: " + "; ".join(reasons))
    use_pyshacl = engine == "pyshacl" or (engine == "auto" and bool(reasons))
    if use_pyshacl:
        results = _run_pyshacl(data_parsed.quads, shape_quads, context_quads, shapes_graph, lang)
    else:
        raws = _run_sparql(
            data_parsed.quads, shape_quads, context_quads, shapes_graph, from_store=from_store
        )
        results = [_finish(raw, lang) for raw in raws]
    if results:
        lines = data_parsed.lines({r.focus_node for r in results})
        results = [_locate(r, lines) for r in results]
    results.sort(
        key=lambda r: (r.file or "", r.line or 0, r.focus_node, r.path or "", r.constraint)
    )
    return ValidationReport(
        conforms=not results,
        results=results,
        engine="pyshacl" if use_pyshacl else "sparql",
        fallback_reasons=reasons if use_pyshacl and engine == "auto" else [],
        seconds=round(time.perf_counter() - started, 3),
    )


def default_shapes() -> list[Path]:
    """The project's shapes/*.ttl (the root comes from ``vocabulary.project_root()``)."""
    return sorted((vocabulary.project_root() / "shapes").glob("*.ttl"))


def default_context() -> list[Path]:
    """The ontology, code lists, alignments and catalogue: read as context, never validated."""
    return [f.path for f in vocabulary.vocabulary_files(shapes=False)]


def _shape_quads(shapes: Sequence[Path | str] | Sequence[ox.Quad] | None) -> list[ox.Quad]:
    if shapes is not None and shapes and all(isinstance(s, ox.Quad) for s in shapes):
        return _into(shapes, SHAPES_GRAPH)  # type: ignore[arg-type]
    files = default_shapes() if shapes is None else list(shapes)
    if not files:
        raise InputError(
            "no SHACL shapes to validate against: give --shapes, or add shapes/*.ttl",
            location=Location(source=str(vocabulary.project_root() / "shapes")),
        )
    return list(_parse_files(_stamps(files), SHAPES_GRAPH))  # type: ignore[arg-type]


Stamp = tuple[str, int, int]


def _stamps(files: Iterable[Path | str]) -> tuple[Stamp, ...]:
    """Each file with its mtime and size: the key under which its parse is remembered."""
    stamps = []
    for file in files:
        try:
            stat = Path(file).stat()
        except OSError:
            stamps.append((str(file), -1, -1))  # parsing reports the unreadable file
            continue
        stamps.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


@lru_cache(maxsize=8)
def _parse_files(stamps: tuple[Stamp, ...], graph: str) -> tuple[ox.Quad, ...]:
    """Shapes and context files are the same for every call: parse each version once."""
    return tuple(parse_sources([Path(name) for name, _, _ in stamps], graph).quads)


_SHAPES_CACHE: dict[tuple[ox.Quad, ...], ShapesGraph] = {}


def _shapes_graph(quads: list[ox.Quad]) -> ShapesGraph:
    key = tuple(quads)
    found = _SHAPES_CACHE.get(key)
    if found is None:
        if len(_SHAPES_CACHE) >= 4:
            _SHAPES_CACHE.pop(next(iter(_SHAPES_CACHE)))
        found = _SHAPES_CACHE[key] = ShapesGraph(Graph(quads))
    return found


def _into(quads: Iterable[ox.Quad], graph: str) -> list[ox.Quad]:
    target = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]


def _run_sparql(
    data: list[ox.Quad],
    shape_quads: list[ox.Quad],
    context: list[ox.Quad],
    shapes: ShapesGraph,
    *,
    from_store: bool = False,
) -> list[RawResult]:
    store = open_store("memory")
    store.add_quads(data, graph=DATA_GRAPH)
    if context:
        store.add_quads(context, graph=CONTEXT_GRAPH)
    store.add_quads(shape_quads, graph=SHAPES_GRAPH)
    literals = LiteralIndex([*data, *shape_quads])
    engine = SparqlEngine(
        store,
        shapes,
        handlers=HANDLERS,
        fallback=sparql_results,
        literals=literals,
        from_store=from_store,
        data_graph=DATA_GRAPH,
        context_graphs=[CONTEXT_GRAPH] if context else [],
        shapes_graph=SHAPES_GRAPH,
    )
    return restore_literals(engine.run(), literals)


def restore_literals(raws: list[RawResult], literals: LiteralIndex) -> list[RawResult]:
    """Report literals as written: the store keeps "4.0"^^xsd:decimal as "4"."""
    if not literals:
        return raws
    for raw in raws:
        raw.focus = literals.written(raw.focus)[0]  # type: ignore[assignment]
        path = raw.path
        predicate = path[1] if isinstance(path, tuple) and path[0] == "iri" else None
        raw.value = literals.written(raw.value, raw.focus, predicate)[0]  # type: ignore[assignment]
    return raws


def _finish(raw: RawResult, lang: str) -> ValidationResult:
    path = raw.path
    path_string = path.value if isinstance(path, ox.NamedNode) else path_text(path)
    chosen = messages.pick(raw.messages, lang)
    if chosen is not None:
        text = messages.fill(chosen.value, raw.bindings)
    else:
        component = raw.component.removeprefix(SH).removesuffix("ConstraintComponent")
        text = messages.generated(
            component, path=path_string, value=raw.value, arg=raw.detail or "", count=raw.count
        )
    sparql = raw.constraint is not None and raw.component == SH + "SPARQLConstraintComponent"
    result = ValidationResult(
        focus_node=term_text(raw.focus) or "",
        path=path_string,
        value=term_text(raw.value),
        severity=Severity.from_iri(raw.shape.severity),
        message=text,
        source_shape=term_text(raw.shape.node) or "",
        constraint=raw.component,
    )
    return result.with_terms(
        ResultTerms(
            focus_node=raw.focus,
            path=path,
            value=raw.value,
            source_shape=raw.shape.node,
            constraint_node=raw.constraint.node if sparql and raw.constraint else None,
            severity=raw.shape.severity,
        )
    )


def _run_pyshacl(
    data: list[ox.Quad],
    shape_quads: list[ox.Quad],
    context: list[ox.Quad],
    shapes: ShapesGraph,
    lang: str,
) -> list[ValidationResult]:
    from servicenet_vocab.validation.pyshacl_engine import run_pyshacl

    mentioned = {q.subject for q in data} | {q.object for q in data}
    found = []
    for row in run_pyshacl(data, shape_quads, context):
        if context and row["focus"] not in mentioned:
            continue  # a context node (ontology, code list): read, never validated
        found.append(_finish_pyshacl(row, shapes, lang))
    return found


def _finish_pyshacl(row: Mapping[str, object], shapes: ShapesGraph, lang: str) -> ValidationResult:
    shape_node = row["shape"]
    shape = shapes.shapes.get(shape_node) if isinstance(shape_node, Node) else None
    severity = row["severity"]
    severity_iri = severity.value if isinstance(severity, ox.NamedNode) else Severity.VIOLATION.iri
    component = row["component"]
    if shape is None:
        shape = Shape(shape_node, severity=severity_iri)  # type: ignore[arg-type]
    raw = RawResult(
        focus=row["focus"],  # type: ignore[arg-type]
        shape=shape,
        component=component.value if isinstance(component, ox.NamedNode) else "",
        value=row["value"],  # type: ignore[arg-type]
        path=row["path"],  # type: ignore[arg-type]
        messages=shape.messages,
    )
    result = _finish(raw, lang)
    message = row["message"]
    if not raw.messages and isinstance(message, ox.Literal):
        terms = result.terms
        result = result.model_copy(update={"message": message.value})
        if terms is not None:
            result = result.with_terms(terms)
    return result


def _locate(result: ValidationResult, lines: dict[str, tuple[str, int]]) -> ValidationResult:
    where = lines.get(result.focus_node)
    if where is None:
        return result
    terms = result.terms
    located = result.model_copy(update={"file": where[0], "line": where[1]})
    return located.with_terms(terms) if terms is not None else located


__all__ = ["DATA_GRAPH", "Term", "run"]
