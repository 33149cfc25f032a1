"""The store: atomic loads, persistence, named graphs and the union default graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from servicenet_vocab.errors import (
    InputError,
    NotFoundError,
    QuerySyntaxError,
    RdfSyntaxError,
    RefusedInputError,
    StoreError,
)
from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import (
    OxigraphStore,
    QueryKind,
    ResultFormat,
    Store,
    open_store,
)

HELSINKI = municipality_graph("091")
ESPOO = municipality_graph("049")
SN = "https://w3id.org/servicenet/ontology#"


def units(n: int, city: str = "hel") -> bytes:
    return "".join(
        f'<https://example.{city}.fi/unit/{i}> <{SN}places> "{i % 120}" .\n' for i in range(n)
    ).encode()


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OxigraphStore]:
    opened = open_store("memory" if request.param == "memory" else tmp_path / "store")
    yield opened
    opened.close()


def test_store_implements_the_interface(store: OxigraphStore) -> None:
    assert isinstance(store, Store)


def test_load_returns_count_and_lists_graphs(store: OxigraphStore) -> None:
    assert store.load(units(10), RdfFormat.NTRIPLES, graph=HELSINKI) == 10
    assert store.load(units(3, "esp"), RdfFormat.NTRIPLES, graph=ESPOO) == 3
    assert [(g.iri, g.triples) for g in store.graphs()] == [(ESPOO, 3), (HELSINKI, 10)]
    assert store.triple_count(HELSINKI) == 10
    assert len(store) == 13


def test_a_file_failing_at_line_9000_leaves_the_store_unchanged(
    store: OxigraphStore, tmp_path: Path
) -> None:
    store.load(units(5), RdfFormat.NTRIPLES, graph=HELSINKI)
    before = store.dump(RdfFormat.NQUADS)
    broken = tmp_path / "espoo.nt"
    broken.write_bytes(units(8999, "esp") + b"<urn:a> <urn:b> <urn:c\n" + units(100, "esp"))
    with pytest.raises(RdfSyntaxError) as caught:
        store.load(broken, graph=ESPOO)
    assert caught.value.location is not None
    assert (caught.value.location.source, caught.value.location.line) == (str(broken), 9000)
    assert store.dump(RdfFormat.NQUADS) == before
    assert not store.has_graph(ESPOO)


def test_failed_replace_keeps_the_old_graph(store: OxigraphStore) -> None:
    store.load(units(20), RdfFormat.NTRIPLES, graph=HELSINKI)
    before = store.dump(RdfFormat.NQUADS)
    with pytest.raises(RdfSyntaxError):
        store.load(units(50) + b"not rdf\n", RdfFormat.NTRIPLES, graph=HELSINKI, replace=True)
    assert store.dump(RdfFormat.NQUADS) == before


def test_replace_swaps_the_whole_graph_only(store: OxigraphStore) -> None:
    store.load(units(20), RdfFormat.NTRIPLES, graph=HELSINKI)
    store.load(units(4, "esp"), RdfFormat.NTRIPLES, graph=ESPOO)
    store.load(units(7, "new"), RdfFormat.NTRIPLES, graph=HELSINKI, replace=True)
    assert store.triple_count(HELSINKI) == 7
    assert store.triple_count(ESPOO) == 4
    assert (
        store.query(
            f"ASK {{ GRAPH <{HELSINKI}> {{ <https://example.hel.fi/unit/1> ?p ?o }} }}"
        ).boolean
        is False
    )


def test_replace_keeps_blank_node_structure(store: OxigraphStore) -> None:
    data = b'<urn:u> <urn:address> [ <urn:street> "Kannelmaentie 1" ; <urn:zip> "00420" ] .'
    store.load(data, RdfFormat.TURTLE, graph=HELSINKI, replace=True)
    rows = list(
        store.query(
            "SELECT ?s ?z WHERE { <urn:u> <urn:address> ?a . ?a <urn:street> ?s ; <urn:zip> ?z }"
        ).rows()
    )
    assert rows == [{"s": "Kannelmaentie 1", "z": "00420"}]


def test_replace_writes_triple_terms_and_awkward_literals(store: OxigraphStore) -> None:
    data = (
        b'<urn:a> <urn:said> <<( <urn:a> <urn:p> "x" )>> .\n'
        b'<urn:a> <urn:note> "quote \\" slash \\\\ line \\n brace } dot ." .\n'
    )
    store.load(data, RdfFormat.NTRIPLES, graph=HELSINKI, replace=True)
    assert store.triple_count(HELSINKI) == 2
    again = store.dump(RdfFormat.NTRIPLES, graph=HELSINKI)
    store.load(again, RdfFormat.NTRIPLES, graph=HELSINKI, replace=True)
    assert store.dump(RdfFormat.NTRIPLES, graph=HELSINKI) == again


def test_dataset_replace_swaps_each_named_graph_in_one_update(store: OxigraphStore) -> None:
    store.load(units(5), RdfFormat.NTRIPLES, graph=HELSINKI)
    store.load(units(5, "esp"), RdfFormat.NTRIPLES, graph=ESPOO)
    trig = f"<{HELSINKI}> {{ <urn:a> <urn:p> _:shared }}\n<{ESPOO}> {{ _:shared <urn:p> 1 }}"
    assert store.load(trig.encode(), RdfFormat.TRIG, graph=None, replace=True) == 2
    assert (store.triple_count(HELSINKI), store.triple_count(ESPOO)) == (1, 1)
    # One INSERT DATA: the label names one node across both graphs.
    ask = f"ASK {{ GRAPH <{HELSINKI}> {{ ?a <urn:p> ?b }} GRAPH <{ESPOO}> {{ ?b <urn:p> 1 }} }}"
    assert store.query(ask).boolean
    with pytest.raises(InputError):
        store.load(b"_:g { <urn:a> <urn:p> 2 }", RdfFormat.TRIG, graph=None, replace=True)
    assert (store.triple_count(HELSINKI), store.triple_count(ESPOO)) == (1, 1)


def test_data_persists_across_reopening(tmp_path: Path) -> None:
    path = tmp_path / "store"
    first = open_store(path)
    first.load(units(42), RdfFormat.NTRIPLES, graph=HELSINKI)
    first.close()
    again = open_store(path)
    assert again.triple_count(HELSINKI) == 42
    again.close()
    reader = open_store(path, read_only=True)
    assert reader.triple_count(HELSINKI) == 42
    with pytest.raises(StoreError, match="read-only"):
        reader.load(units(1), RdfFormat.NTRIPLES, graph=ESPOO)
    reader.close()


def test_a_second_writer_on_the_same_directory_is_refused(tmp_path: Path) -> None:
    first = open_store(tmp_path / "store")
    with pytest.raises(StoreError) as caught:
        open_store(tmp_path / "store")
    assert caught.value.location is not None
    first.close()


def test_queries_see_the_union_of_named_graphs(store: OxigraphStore) -> None:
    store.load(units(3), RdfFormat.NTRIPLES, graph=HELSINKI)
    store.load(units(2, "esp"), RdfFormat.NTRIPLES, graph=ESPOO)
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows()
    assert row == {"n": "5"}
    only = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph_uris=[ESPOO])
    assert list(only.rows()) == [{"n": "2"}]
    named = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        named_graph_uris=[HELSINKI],
    )
    assert list(named.rows()) == [{"g": HELSINKI, "n": "3"}]


def test_query_kinds_and_serialisations(store: OxigraphStore) -> None:
    store.load(units(2), RdfFormat.NTRIPLES, graph=HELSINKI)
    select = store.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    assert select.kind is QueryKind.SOLUTIONS and select.variables == ["s"]
    assert select.serialize(ResultFormat.CSV).splitlines()[0] == b"s"
    ask = store.query("ASK { ?s ?p ?o }")
    assert ask.kind is QueryKind.BOOLEAN and ask.boolean
    assert b"true" in store.query("ASK { ?s ?p ?o }").serialize(ResultFormat.JSON)
    construct = store.query("CONSTRUCT { ?s a <urn:Unit> } WHERE { ?s ?p ?o }")
    assert construct.kind is QueryKind.GRAPH
    assert len(list(construct.triples())) == 2
    describe = store.query("DESCRIBE <https://example.hel.fi/unit/1>")
    assert b"unit/1" in describe.serialize(RdfFormat.NTRIPLES)
    with pytest.raises(InputError):
        store.query("ASK { ?s ?p ?o }").serialize(RdfFormat.TURTLE)
    with pytest.raises(TypeError):
        list(store.query("ASK { ?s ?p ?o }").rows())


def test_query_syntax_error_has_line_and_column(store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT *\nWHERE { ?s ?p }")
    assert caught.value.location is not None
    # pyoxigraph reports the farthest point its parser reached: just past the "}" on line 2.
    assert (caught.value.location.line, caught.value.location.column) == (2, 16)


def test_dataset_formats_keep_their_graphs(store: OxigraphStore) -> None:
    trig = f"<{HELSINKI}> {{ <urn:a> <urn:b> 1 }} <{ESPOO}> {{ <urn:c> <urn:d> 2 }}".encode()
    assert store.load(trig, RdfFormat.TRIG, graph=None) == 2
    assert {g.iri for g in store.graphs()} == {HELSINKI, ESPOO}
    with pytest.raises(InputError, match="outside any named graph"):
        store.load(b"<urn:x> <urn:y> <urn:z> .", RdfFormat.NQUADS, graph=None)


def test_upload_naming_another_graph_is_refused(store: OxigraphStore) -> None:
    trig = f"<{HELSINKI}> {{ <urn:a> <urn:b> 1 }}".encode()
    with pytest.raises(RefusedInputError, match="may only write"):
        store.load(trig, RdfFormat.TRIG, graph=ESPOO)
    assert len(store) == 0


def test_clear_graph(store: OxigraphStore) -> None:
    store.load(units(6), RdfFormat.NTRIPLES, graph=HELSINKI)
    assert store.clear_graph(HELSINKI) == 6
    assert not store.has_graph(HELSINKI)
    with pytest.raises(NotFoundError):
        store.clear_graph(HELSINKI)


def test_dump_one_graph_or_the_dataset(store: OxigraphStore) -> None:
    store.load(units(2), RdfFormat.NTRIPLES, graph=HELSINKI)
    assert store.dump(RdfFormat.TURTLE, graph=HELSINKI).count(b"places") == 2
    assert HELSINKI.encode() in store.dump(RdfFormat.TRIG)
    with pytest.raises(InputError):
        store.dump(RdfFormat.TURTLE)
    with pytest.raises(NotFoundError):
        store.dump(RdfFormat.TURTLE, graph=ESPOO)
    assert len(list(store.quads(HELSINKI))) == 2


def test_update_and_invalid_graph_iri(store: OxigraphStore) -> None:
    store.update(f"INSERT DATA {{ GRAPH <{HELSINKI}> {{ <urn:a> <urn:b> <urn:c> }} }}")
    assert store.triple_count(HELSINKI) == 1
    with pytest.raises(QuerySyntaxError):
        store.update("INSERT DATA { oops }")
    with pytest.raises(InputError, match="not a valid graph IRI"):
        store.load(units(1), RdfFormat.NTRIPLES, graph="not an iri")


def test_progress_load_of_a_file(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "units.nt"
    path.write_bytes(units(500))
    assert store.load(path, graph=HELSINKI, progress=True) == 500


def test_project_prefixes_are_predeclared_and_overridable(store: OxigraphStore) -> None:
    store.load(units(2), RdfFormat.NTRIPLES, graph=HELSINKI)
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?u sn:places ?p }").rows()
    assert list(rows) == [{"n": "2"}]
    own = store.query("PREFIX sn: <urn:other#> ASK { ?u sn:places ?p }")
    assert own.boolean is False


def test_undeclared_prefix_gets_a_short_message(store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT * WHERE { ?s nope:p ?o }")
    assert caught.value.message.startswith("undeclared prefix")
    assert caught.value.location is not None and caught.value.location.line == 1


def test_graph_counts_follow_every_kind_of_write(store: OxigraphStore) -> None:
    assert store.graphs() == []
    store.load(units(3), RdfFormat.NTRIPLES, graph=HELSINKI)
    assert [g.triples for g in store.graphs()] == [3]
    store.load(units(5), RdfFormat.NTRIPLES, graph=HELSINKI, replace=True)
    assert [g.triples for g in store.graphs()] == [5]
    store.update(f"INSERT DATA {{ GRAPH <{ESPOO}> {{ <urn:a> <urn:b> <urn:c> }} }}")
    assert [(g.iri, g.triples) for g in store.graphs()] == [(ESPOO, 1), (HELSINKI, 5)]
    store.clear_graph(ESPOO)
    assert [g.iri for g in store.graphs()] == [HELSINKI]
