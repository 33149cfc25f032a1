"""The one SPARQL update that writes a graph, built the same way for every writer.

The embedded store, the remote store and the publisher all replace (or add to) a graph with a single
update request: ``DROP SILENT GRAPH`` for a replace, one ``INSERT DATA`` holding the triples, then any
operations the writer records the write with (the publisher's provenance). One request is one engine
transaction (pyoxigraph; Fuseki/TDB2 and GraphDB too), so readers and a ``kill -9`` see the graph
either old or new, with or without its record, never in between.

Terms are written as pyoxigraph writes them (escaped literals, ``_:`` blank nodes), except triple
terms: their ``str`` is the bare triple, and SPARQL needs ``<<( s p o )>>``. Blank node labels are
scoped to the request (SPARQL 1.1 Update, 3.1.1): keeping all the data in one ``INSERT DATA`` keeps a
label shared by two triples, or two graphs, one node, and fresh in the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from servicenet_vocab.errors import InputError

__all__ = [
    "Data",
    "drop_graph_update",
    "graph_update",
    "graphs_update",
    "iri_text",
    "statements",
    "term_text",
]

# Triples to write: pyoxigraph triples or quads (their graph name is ignored), or statements
# already made by ``statements`` (a worker process hands them over as a picklable string).
Data = str | Iterable[ox.Quad | ox.Triple]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_PROLOGUE = re.compile(r"(?:\s*(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>))+\s*", re.IGNORECASE)


def iri_text(iri: str) -> str:
    """``<iri>``, refusing anything that is not an IRI (it would otherwise break the request)."""
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        raise InputError(f"not a valid graph IRI: {iri!r}") from None


def term_text(term: Term) -> str:
    """One term in SPARQL syntax."""
    if isinstance(term, ox.Triple):
        return f"<<( {term_text(term.subject)} {term_text(term.predicate)} {term_text(term.object)} )>>"
    return str(term)


def statements(triples: Iterable[ox.Quad | ox.Triple]) -> str:
    """The triples as ``s p o .`` lines, ready for ``INSERT DATA``."""
    return "\n".join(
        f"{term_text(t.subject)} {term_text(t.predicate)} {term_text(t.object)} ." for t in triples
    )


def graph_update(graph: str, data: Data, *, replace: bool, then: str = "") -> str:
    """Replace ``graph`` with ``data`` (or add ``data`` to it), then run ``then`` (operations
    without a trailing ``;``), all in one request. A replace with no data leaves no graph; an add
    with no data and no ``then`` is the empty string, which callers need not send."""
    return graphs_update({graph: data}, replace=replace, then=then)


def graphs_update(graphs: Mapping[str, Data], *, replace: bool, then: str = "") -> str:
    """``graph_update`` for several graphs at once (a dataset load): one request, one transaction."""
    operations = [f"DROP SILENT GRAPH {iri_text(g)}" for g in graphs] if replace else []
    blocks = []
    for graph, data in graphs.items():
        body = data if isinstance(data, str) else statements(data)
        if body.strip():
            blocks.append(f"GRAPH {iri_text(graph)} {{\n{body}\n}}")
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return _request(operations, then)


def drop_graph_update(graph: str, *, silent: bool = False, then: str = "") -> str:
    """Drop ``graph`` and then run ``then``, in one request. Without ``silent`` the engine fails
    the whole request when the graph does not exist."""
    return _request([f"DROP {'SILENT ' if silent else ''}GRAPH {iri_text(graph)}"], then)


def _request(operations: list[str], then: str) -> str:
    """The operations and then ``then`` as one request. SPARQL allows a prologue before any
    operation, pyoxigraph 0.5 only at the start: the prologue of ``then`` moves to the front (the
    operations here are all full IRIs, so it changes nothing in them)."""
    prologue = ""
    if then:
        found = _PROLOGUE.match(then)
        if found:
            prologue, then = found.group().strip() + "\n", then[found.end() :]
        operations = [*operations, then]
    return prologue + " ;\n".join(operations)
