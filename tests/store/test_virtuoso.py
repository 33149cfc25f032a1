"""What the Virtuoso profile of ``RemoteStore`` relies on, measured on the session's Virtuoso 7
(``conftest.shared_virtuoso``): how it takes writes, how it stops a query, how it writes results.
The facade suite runs on it too (``-m virtuoso``); this is the engine itself."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from conftest import VIRTUOSO, EngineProcess, oxigraph_server, remote_store, shared_virtuoso

from servicenet_vocab.errors import QueryTimeoutError
from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sparql.preflight import QueryLimits
from servicenet_vocab.sparql.remote import RemoteQueries
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store import updates
from servicenet_vocab.store.errors import EngineError
from servicenet_vocab.store.remote import RemoteStore

pytestmark = pytest.mark.virtuoso
G = "urn:x-test:virtuoso"


@pytest.fixture(scope="module")
def virtuoso() -> EngineProcess:
    return shared_virtuoso()


@pytest.fixture
def store(virtuoso: EngineProcess) -> Iterator[RemoteStore]:
    with remote_store(virtuoso) as opened:
        opened.update(f"DROP SILENT GRAPH <{G}>")
        yield opened


def test_large_writes_with_blank_nodes_go_by_the_graph_store(store: RemoteStore) -> None:
    """Its SPARQL compiler refuses both in an update; the Graph Store takes them."""
    data = "\n".join(
        f'<urn:u{i}> <urn:p> "v{i}" . _:b{i} <urn:q> <urn:u{i}> .' for i in range(6000)
    )
    with pytest.raises(EngineError, match=r"memory exhausted|Blank node"):
        store.update(updates.graph_update(G, data, replace=True))
    store.write_graph(
        G, data, replace=True, then=f"INSERT DATA {{ GRAPH <{G}> {{ <urn:r> <urn:s> 1 }} }}"
    )
    assert store.triple_count(G) == 12_001
    blank = store.query(f"SELECT ?b WHERE {{ GRAPH <{G}> {{ ?b <urn:q> <urn:u7> }} }}")
    [row] = list(blank.terms())
    assert isinstance(row["b"], ox.BlankNode)  # its nodeID://b... made a label again


def test_a_put_that_fails_to_parse_leaves_the_old_graph(
    store: RemoteStore, virtuoso: EngineProcess
) -> None:
    store.write_graph(G, '<urn:old> <urn:p> "old" .', replace=True)
    settings = virtuoso.settings
    response = httpx.put(
        settings["remote_graph_store_url"],
        params={"graph": G},
        content=b'<urn:new> <urn:p> "new" .\n<urn:new> <urn:p> "unterminated .\n',
        headers={"Content-Type": "application/n-triples"},
        auth=httpx.DigestAuth("dba", "dba"),
        timeout=30,
    )
    assert response.status_code >= 400
    assert {str(q.subject) for q in store.quads(G)} == {"<urn:old>"}


@pytest.mark.parametrize("engine", ["oxigraph", VIRTUOSO])
def test_one_update_request_is_one_transaction(
    engine: str, virtuoso: EngineProcess, request: pytest.FixtureRequest
) -> None:
    """An operation failing after the DROP and the INSERT: the Oxigraph server undoes both;
    Virtuoso has committed them (why its writes are not one request, docs/deploying.md)."""
    if engine == VIRTUOSO:
        reason = "Virtuoso 7.2 commits each operation of an update request on its own"
        request.node.add_marker(pytest.mark.xfail(reason=reason, strict=True))
    new = [ox.Quad(ox.NamedNode("urn:new"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"))]
    failing = updates.graph_update(G, new, replace=True, then="DROP GRAPH <urn:x-test:none>")
    with oxigraph_server() as oxigraph:
        running = virtuoso if engine == VIRTUOSO else oxigraph
        with remote_store(running) as store:
            store.write_graph(G, "<urn:old> <urn:p> <urn:o> .", replace=True)
            with pytest.raises(EngineError):
                store.update(failing)
            assert {str(q.subject) for q in store.quads(G)} == {"<urn:old>"}


def test_its_own_time_limit_cuts_results_which_are_refused(store: RemoteStore) -> None:
    """Virtuoso's `timeout` answers 200 with what it had (X-SQL-State: S1TAT)."""
    slow = (
        "SELECT (COUNT(*) AS ?n) WHERE { "
        + " ".join(f"VALUES ?v{k} {{ {' '.join(str(i) for i in range(60))} }}" for k in range(5))
        + " }"
    )
    service = QueryService(RemoteQueries(store, grace=30), store, QueryLimits(), timeout=1)
    request = service.request(slow, service.scan(slow), results_format=ResultFormat.JSON)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="partial results are never sent"):
        service.run(request, io.BytesIO())
    assert time.monotonic() - started < 15  # its limit, not the facade's 31 s deadline


def test_results_are_repaired_in_the_bytes(store: RemoteStore) -> None:
    store.write_graph(
        G, '_:a <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .', replace=True
    )
    service = QueryService(RemoteQueries(store), store, QueryLimits(), timeout=10)
    text = f"SELECT ?s ?o WHERE {{ GRAPH <{G}> {{ ?s <urn:p> ?o }} }}"
    for fmt in (ResultFormat.JSON, ResultFormat.XML):
        sink = io.BytesIO()
        outcome = service.run(service.request(text, service.scan(text), results_format=fmt), sink)
        body = sink.getvalue()
        assert outcome.rows == 1 and b"nodeID://" not in body and b"typed-literal" not in body
        [row] = list(ox.parse_query_results(body, fmt.engine))  # type: ignore[arg-type]
        assert isinstance(row["s"], ox.BlankNode)
    assert store.dump(RdfFormat.NTRIPLES, graph=G).count(b" .") == 1
