"""The one replace-graph update every writer sends: its text, and what an engine makes of it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from servicenet_vocab.errors import InputError
from servicenet_vocab.store.updates import (
    drop_graph_update,
    graph_update,
    graphs_update,
    statements,
)

G, H = "urn:x-test:g", "urn:x-test:h"
A, P = ox.NamedNode("urn:a"), ox.NamedNode("urn:p")


def engine_with(*graphs: str) -> ox.Store:
    store = ox.Store()
    for graph in graphs:
        store.add(ox.Quad(ox.NamedNode("urn:old"), P, ox.Literal("old"), ox.NamedNode(graph)))
    return store


def triples_in(store: ox.Store, graph: str) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def test_literals_survive_escaping() -> None:
    awkward = [
        ox.Literal('quote " backslash \\ newline \n tab \t cr \r'),
        ox.Literal("'''triple''' \"\"\" } ; . #not a comment"),
        ox.Literal("ääkköset ja 🦊", language="fi"),
        ox.Literal("\u0001 control"),
        ox.Literal("05 > 4", datatype=ox.NamedNode("urn:x-test:datatype")),
    ]
    written = [ox.Triple(A, P, literal) for literal in awkward]
    store = engine_with(G)
    store.update(graph_update(G, written, replace=True))
    assert triples_in(store, G) == set(written)


def test_blank_nodes_keep_their_structure_and_are_fresh() -> None:
    b, c = ox.BlankNode("b"), ox.BlankNode("c")
    data = [ox.Triple(A, P, b), ox.Triple(b, P, c), ox.Triple(c, P, ox.Literal("leaf"))]
    store = ox.Store()
    store.update(graph_update(G, data, replace=False))
    store.update(graph_update(G, data, replace=False))  # same labels again: new nodes
    quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(G)))
    assert len(quads) == 6
    middle = {q.object for q in quads if q.subject == A}
    assert len(middle) == 2 and all(isinstance(n, ox.BlankNode) for n in middle)
    for node in middle:  # each chain is whole: a -> _ -> _ -> "leaf"
        [inner] = [q.object for q in quads if q.subject == node]
        [leaf] = [q.object for q in quads if q.subject == inner]
        assert leaf == ox.Literal("leaf")


def test_a_blank_node_shared_by_two_graphs_stays_one_node() -> None:
    shared = ox.BlankNode("s")
    store = ox.Store()
    store.update(
        graphs_update({G: [ox.Triple(A, P, shared)], H: [ox.Triple(shared, P, A)]}, replace=True)
    )
    [in_g] = triples_in(store, G)
    [in_h] = triples_in(store, H)
    assert in_g.object == in_h.subject


def test_triple_terms_are_written_in_sparql_syntax() -> None:
    inner = ox.Triple(A, P, ox.Literal("x"))
    assert statements([ox.Triple(A, P, inner)]) == '<urn:a> <urn:p> <<( <urn:a> <urn:p> "x" )>> .'
    store = ox.Store()
    store.update(graph_update(G, [ox.Triple(A, P, inner)], replace=True))
    assert triples_in(store, G) == {ox.Triple(A, P, inner)}


def test_replace_swaps_only_its_graph_and_add_keeps_what_was_there() -> None:
    new = [ox.Triple(A, P, ox.Literal("new"))]
    store = engine_with(G, H)
    old = triples_in(store, G)
    store.update(graph_update(G, new, replace=False))
    assert triples_in(store, G) == old | set(new)
    store.update(graph_update(G, new, replace=True))
    assert triples_in(store, G) == set(new)
    assert triples_in(store, H) == old  # the other graph is untouched


def test_an_empty_graph() -> None:
    assert graph_update(G, [], replace=False) == ""  # nothing to send
    assert graph_update(G, "", replace=True) == f"DROP SILENT GRAPH <{G}>"
    store = engine_with(G)
    store.update(graph_update(G, [], replace=True))
    assert not store.contains_named_graph(ox.NamedNode(G))
    store.update(graph_update(G, [], replace=True))  # replacing a missing graph is fine


def test_quads_and_prepared_statements_build_the_same_update() -> None:
    quads = [ox.Quad(A, P, ox.Literal("x"), ox.NamedNode("urn:elsewhere"))]
    assert graph_update(G, quads, replace=True) == graph_update(G, statements(quads), replace=True)
    assert "urn:elsewhere" not in graph_update(G, quads, replace=True)  # the target graph wins


def test_then_runs_in_the_same_request_and_fails_it_whole() -> None:
    record = f"PREFIX ex: <urn:ex:>\nINSERT DATA {{ GRAPH <{H}> {{ ex:write ex:of <{G}> }} }}"
    store = engine_with(G)
    store.update(graph_update(G, [ox.Triple(A, P, A)], replace=True, then=record))
    assert triples_in(store, G) == {ox.Triple(A, P, A)}
    assert len(triples_in(store, H)) == 1
    before = set(store)
    with pytest.raises(SyntaxError):
        store.update(graph_update(G, [], replace=True, then="INSERT DATA { oops }"))
    assert set(store) == before  # the DROP did not happen either
    assert graph_update(G, "", replace=False, then=record) == record


def test_drop_graph_update() -> None:
    assert drop_graph_update(G) == f"DROP GRAPH <{G}>"
    assert drop_graph_update(G, silent=True) == f"DROP SILENT GRAPH <{G}>"
    store = engine_with(G)
    then = f"INSERT DATA {{ GRAPH <{H}> {{ <urn:a> <urn:p> <urn:dropped> }} }}"
    store.update(drop_graph_update(G, then=then))
    assert not store.contains_named_graph(ox.NamedNode(G))
    assert len(triples_in(store, H)) == 1
    with pytest.raises(RuntimeError):  # a missing graph fails the request, the record with it
        store.update(drop_graph_update(G, then=then.replace("dropped", "again")))
    assert len(triples_in(store, H)) == 1


@pytest.mark.parametrize("bad", ["not an iri", "urn:a> <urn:b", ""])
def test_a_graph_that_is_no_iri_is_refused(bad: str) -> None:
    with pytest.raises(InputError):
        graph_update(bad, [], replace=True)
    with pytest.raises(InputError):
        drop_graph_update(bad)
