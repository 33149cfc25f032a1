"""``RemoteStore`` against engines on 127.0.0.1 only: a tiny SPARQL 1.1 Query/Update/GSP server
over pyoxigraph written here, and the project's own facade (``/sparql`` + ``/graph-store``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest
from conftest import run_live_server

from servicenet_vocab.config import Settings
from servicenet_vocab.errors import (
    InputError,
    NotFoundError,
    QuerySyntaxError,
    RdfSyntaxError,
    StoreError,
)
from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore, QueryKind, Store, open_store
from servicenet_vocab.store.remote import RemoteStore, open_configured_store

G1, G2 = "urn:x-test:g1", "urn:x-test:g2"
SN = "https://w3id.org/servicenet/ontology#"


class TinyEngine(BaseHTTPRequestHandler):
    """Query at /query, update at /update, Graph Store Protocol at /gsp; union default graph."""

    engine: ox.Store
    seen_auth: list[str]

    def log_message(self, *args: object) -> None:
        return

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, status: int, body: bytes = b"", media: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _graph(self) -> ox.NamedNode:
        return ox.NamedNode(parse_qs(urlparse(self.path).query)["graph"][0])

    def do_GET(self) -> None:
        if self.path.startswith("/gsp"):
            graph = self._graph()
            if not self.engine.contains_named_graph(graph):
                return self._send(404)
            body = self.engine.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=graph)
            return self._send(200, body or b"", "application/n-triples")
        self._send(404)

    def do_POST(self) -> None:
        self.seen_auth.append(self.headers.get("Authorization", ""))
        path = urlparse(self.path).path
        if path == "/gsp":
            return self._gsp_write(replace=False)
        if path not in ("/query", "/update"):
            return self._send(404)
        body = self._body().decode()
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            form = parse_qs(body)
            body = (form.get("query") or form.get("update") or [""])[0]
        try:
            if path == "/update":
                self.engine.update(body)
                return self._send(204)
            result = self.engine.query(body, use_default_graph_as_union=True)
        except SyntaxError as error:
            return self._send(400, str(error).encode())
        if isinstance(result, ox.QueryTriples):
            data = result.serialize(None, ox.RdfFormat.N_TRIPLES)
            return self._send(200, data or b"", "application/n-triples")
        data = result.serialize(None, ox.QueryResultsFormat.JSON)
        self._send(200, data or b"", "application/sparql-results+json")

    def do_PUT(self) -> None:
        self.seen_auth.append(self.headers.get("Authorization", ""))
        self._gsp_write(replace=True)

    def do_DELETE(self) -> None:
        graph = self._graph()
        if not self.engine.contains_named_graph(graph):
            return self._send(404)
        self.engine.remove_graph(graph)
        self._send(204)

    def _gsp_write(self, *, replace: bool) -> None:
        graph = self._graph()
        if replace and self.engine.contains_named_graph(graph):
            self.engine.remove_graph(graph)
        self.engine.load(self._body(), ox.RdfFormat.N_TRIPLES, to_graph=graph)
        self._send(204)


@pytest.fixture
def engine() -> Iterator[tuple[str, ox.Store, list[str]]]:
    store = ox.Store()
    seen: list[str] = []
    handler = type("Handler", (TinyEngine,), {"engine": store, "seen_auth": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", store, seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["update", "gsp"])
def remote(request: pytest.FixtureRequest, engine: tuple[str, ox.Store, list[str]]) -> RemoteStore:
    url = engine[0]
    if request.param == "update":
        return RemoteStore(f"{url}/query", update_url=f"{url}/update", token="secret")
    return RemoteStore(f"{url}/query", graph_store_url=f"{url}/gsp", token="secret")


def test_implements_the_store_interface(remote: RemoteStore) -> None:
    assert isinstance(remote, Store)


def test_writes_reads_and_counts_like_the_embedded_store(
    remote: RemoteStore, engine: tuple[str, ox.Store, list[str]]
) -> None:
    embedded = open_store("memory")
    data = b'<urn:a> <urn:p> "x\\ny"@fi .\n<urn:a> <urn:q> _:b .\n_:b <urn:r> 5 .\n'
    for store in (remote, embedded):
        assert store.load(data, RdfFormat.TURTLE, graph=G1) == 3
        assert store.load(b"<urn:c> <urn:p> <urn:d> .", RdfFormat.NTRIPLES, graph=G2) == 1
        assert store.load(b"<urn:e> <urn:p> <urn:f> .", RdfFormat.NTRIPLES, graph=G2, replace=True)
    assert remote.graphs() == embedded.graphs()
    assert remote.has_graph(G1) and not remote.has_graph("urn:x-test:none")
    assert remote.triple_count(G1) == 3 and remote.triple_count() == 4
    assert {q.triple for q in remote.quads(G2)} == {q.triple for q in embedded.quads(G2)}
    ask = remote.query("ASK { <urn:a> <urn:p> ?o }")
    assert ask.kind is QueryKind.BOOLEAN and ask.boolean
    rows = list(remote.query("SELECT ?o WHERE { <urn:a> <urn:p> ?o }").terms())
    assert rows == [{"o": ox.Literal("x\ny", language="fi")}]
    based = remote.query("ASK { <a> <p> ?o }", base_iri="urn:")
    assert based.boolean
    graph = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    assert graph.kind is QueryKind.GRAPH and len(list(graph.triples())) == 1
    assert b"<urn:e>" in remote.dump(RdfFormat.NTRIPLES, graph=G2)
    assert len(remote.dump(RdfFormat.NQUADS).splitlines()) == 4
    assert b"<urn:e>" in remote.dump(RdfFormat.TRIG, graph=G2)
    assert set(engine[2]) == {"Bearer secret"}  # the token went with every write
    assert remote.clear_graph(G2) == 1 and not remote.has_graph(G2)
    remote.close()


def test_update_writes_are_the_shared_replace_graph_update(
    engine: tuple[str, ox.Store, list[str]],
) -> None:
    url, store, seen = engine
    remote = RemoteStore(f"{url}/query", update_url=f"{url}/update")
    data = b'<urn:a> <urn:said> <<( <urn:a> <urn:p> "} ; ." )>> .\n<urn:a> <urn:q> _:b .\n'
    assert remote.load(data, RdfFormat.NTRIPLES, graph=G1, replace=True) == 2
    assert len(store) == 2 and store.contains_named_graph(ox.NamedNode(G1))
    sent = len(seen)
    assert remote.add_quads([], graph=G1) == 0
    assert len(seen) == sent  # an add of nothing sends no request
    assert remote.add_quads([], graph=G1, replace=True) == 0  # a replace with nothing drops
    assert not store.contains_named_graph(ox.NamedNode(G1))


def test_errors_are_translated(
    remote: RemoteStore, engine: tuple[str, ox.Store, list[str]]
) -> None:
    with pytest.raises(QuerySyntaxError):
        remote.query("SELECT WHERE {")
    with pytest.raises(RdfSyntaxError):
        remote.load(b"<urn:a> <urn:b> .", RdfFormat.NTRIPLES, graph=G1)
    with pytest.raises(InputError):
        remote.load(b"<urn:a> <urn:b> <urn:c> <urn:other> .", RdfFormat.NQUADS, graph=G1)
    with pytest.raises(InputError):
        remote.load(b"<urn:a> <urn:b> <urn:c> .", RdfFormat.NTRIPLES, graph=None)
    with pytest.raises(InputError):
        remote.add_quads(
            [ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c"))], graph=G1
        )
    with pytest.raises(NotFoundError):
        remote.clear_graph("urn:x-test:none")
    with pytest.raises(NotFoundError):
        remote.dump(RdfFormat.NTRIPLES, graph="urn:x-test:none")
    with pytest.raises(InputError):
        remote.dump(RdfFormat.TURTLE)
    with pytest.raises(InputError):
        remote.has_graph("not an iri")
    assert len(engine[1]) == 0  # nothing reached the engine


def test_missing_endpoints_and_unreachable_engines_are_store_errors(
    engine: tuple[str, ox.Store, list[str]],
) -> None:
    query_only = RemoteStore(f"{engine[0]}/query")
    with pytest.raises(StoreError, match="Update URL"):
        query_only.update("CLEAR ALL")
    with pytest.raises(StoreError, match="Graph Store"):
        query_only.add_quads([], graph=G1)
    nowhere = RemoteStore("http://127.0.0.1:9/query", graph_store_url="http://127.0.0.1:9/gsp")
    with pytest.raises(StoreError, match="cannot reach"):
        nowhere.has_graph(G1)
    with pytest.raises(StoreError, match="cannot reach"):
        nowhere.dump(RdfFormat.NTRIPLES, graph=G1)
    refusing = RemoteStore(f"{engine[0]}/nothing-here", graph_store_url=f"{engine[0]}/gsp")
    with pytest.raises(StoreError):
        refusing.graphs()


def test_settings_choose_the_backend(tmp_path: Path) -> None:
    remote = open_configured_store(
        Settings(backend="remote", remote_query_url="http://127.0.0.1:9/q"), token="t"
    )
    assert isinstance(remote, RemoteStore) and remote.token == "t"
    with pytest.raises(InputError, match="REMOTE_QUERY_URL"):
        open_configured_store(Settings(backend="remote"))
    local = open_configured_store(Settings(store="memory"))
    assert isinstance(local, OxigraphStore)


def test_against_the_project_facade(tmp_path: Path) -> None:
    """The facade as a remote engine: reads over /sparql, validated writes over /graph-store."""
    tokens = TokenFile(tmp_path / "tokens.json")
    token = tokens.create("remote-client", ["091"])
    shapes = Path(__file__).parents[1] / "fixtures" / "publishing" / "shapes.ttl"
    graph = municipality_graph("091")
    with run_live_server(
        tokens_file=str(tokens.path), publish_shapes=[shapes], publish_context=[]
    ) as live:
        remote = RemoteStore(
            f"{live.url}/sparql", graph_store_url=f"{live.url}/graph-store", token=token
        )
        body = f'<https://hel.example/u/1> <{SN}places> 3 ; <{SN}name> "A" .'.encode()
        assert remote.load(body, RdfFormat.TURTLE, graph=graph, replace=True) == 2
        assert remote.has_graph(graph) and remote.triple_count(graph) == 2
        assert graph in {info.iri for info in remote.graphs()}
        assert b"hel.example/u/1" in remote.dump(RdfFormat.TURTLE, graph=graph)
        with pytest.raises(StoreError, match="422"):  # the facade validates remote writes too
            remote.load(
                f'<https://hel.example/u/2> <{SN}places> "x" .'.encode(),
                RdfFormat.TURTLE,
                graph=graph,
            )
        with pytest.raises(StoreError, match="403"):
            remote.load(body, RdfFormat.TURTLE, graph=municipality_graph("049"))
        assert remote.clear_graph(graph) == 2 and not remote.has_graph(graph)
