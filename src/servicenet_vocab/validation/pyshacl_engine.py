"""pySHACL, the reference engine: the fallback for constructs the SPARQL compiler does not cover.

pyshacl only ever receives rdflib graphs built from quads this project parsed itself (never a
string: pyshacl reads short strings as paths or URLs), with ``owl:imports`` stripped so it cannot
reach the network.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
import rdflib

from servicenet_vocab import rdfio
from servicenet_vocab.errors import ShapesError
from servicenet_vocab.namespaces import OWL, RDF, SH
from servicenet_vocab.validation.report import Term
from servicenet_vocab.validation.shapes import Graph, Path, read_path, sh

IMPORTS = ox.NamedNode(OWL + "imports")


def strip_imports(quads: Sequence[ox.Quad]) -> list[ox.Quad]:
    return [q for q in quads if q.predicate != IMPORTS]


def run_pyshacl(
    data: Sequence[ox.Quad], shapes: Sequence[ox.Quad], context: Sequence[ox.Quad] = ()
) -> list[dict[str, Term | Path | None]]:
    """Validate with pyshacl; each result as a dict of exact terms (focus, path, value, ...)."""
    import pyshacl

    data_graph = rdflib_graph(strip_imports([*data, *context]))
    shapes_graph = rdflib_graph(strip_imports(shapes))
    try:
        _conforms, report, _text = pyshacl.validate(
            data_graph,
            shacl_graph=shapes_graph,
            advanced=True,
            inference="none",
            allow_warnings=False,
        )
    except (pyshacl.errors.ReportableRuntimeError, pyshacl.errors.ShapeLoadError) as error:
        raise ShapesError(f"pyshacl: {error}") from None
    assert isinstance(report, rdflib.Graph)
    return _results(report)


def rdflib_graph(quads: Sequence[ox.Quad]) -> rdflib.Graph:
    """An rdflib graph of the quads' triples, blank nodes keeping their labels, so pyshacl's
    results name the same blank nodes as the data (rdflib never parses anything here)."""
    return rdfio.to_rdflib(quads)


def _results(report: rdflib.Graph) -> list[dict[str, Term | Path | None]]:
    graph = Graph(_to_ox(t) for t in report)
    found = []
    reports = graph.subjects_of(ox.NamedNode(RDF + "type"), sh("ValidationReport"))
    # Only the report's own results: nested ones under sh:detail explain an sh:node result.
    for node in (r for report_node in reports for r in graph.objects(report_node, sh("result"))):
        path_node = graph.value(node, sh("resultPath"))
        found.append(
            {
                "focus": graph.value(node, sh("focusNode")),
                "path": read_path(graph, path_node) if path_node is not None else None,
                "value": graph.value(node, sh("value")),
                "severity": graph.value(node, sh("resultSeverity")),
                "shape": graph.value(node, sh("sourceShape")),
                "component": graph.value(node, sh("sourceConstraintComponent")),
                "constraint": graph.value(node, sh("sourceConstraint")),
                "message": graph.value(node, sh("resultMessage")),
            }
        )
    return found


def _term(term: rdflib.term.Node) -> Term:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, rdflib.Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(
        str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None
    )


def _to_ox(triple: tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]) -> ox.Triple:
    s, p, o = (_term(t) for t in triple)
    assert isinstance(p, ox.NamedNode) and not isinstance(s, ox.Literal)
    return ox.Triple(s, p, o)


SHACL_NS = SH
