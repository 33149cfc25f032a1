"""``RemoteStore`` and ``sparql.remote.RemoteQueries`` against real engines on 127.0.0.1: the
Oxigraph server (``oxigraph serve``, behind ``conftest.FaultProxy`` where a test needs to see or
break the traffic) and the project's own facade."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest
from conftest import EngineProcess, Fault, FaultProxy, oxigraph_server, run_live_server

from servicenet_vocab.config import Settings
from servicenet_vocab.errors import (
    InputError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    RdfSyntaxError,
    RefusedInputError,
    ResultLimitError,
    StoreError,
)
from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sparql.preflight import QueryLimits
from servicenet_vocab.sparql.remote import RemoteQueries
from servicenet_vocab.sparql.request import ResultLimits
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.embedded import OxigraphStore, QueryKind, Store, open_store
from servicenet_vocab.store.errors import EngineError, EngineTimeoutError, EngineUnavailableError
from servicenet_vocab.store.remote import RemoteStore, open_configured_store

G1, G2 = "urn:x-test:g1", "urn:x-test:g2"
SN = "https://w3id.org/servicenet/ontology#"


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineProcess]:
    with oxigraph_server() as running:
        yield running


@pytest.fixture(scope="module")
def proxy(engine: EngineProcess) -> Iterator[FaultProxy]:
    relay = FaultProxy(int(engine.url.rsplit(":", 1)[1]))
    yield relay
    relay.close()


@pytest.fixture
def clean(engine: EngineProcess) -> Iterator[RemoteStore]:
    """The engine itself, emptied before the test."""
    store = RemoteStore(f"{engine.url}/query", update_url=f"{engine.url}/update", engine="oxigraph")
    store.update("CLEAR ALL")
    yield store
    store.close()


@pytest.fixture(params=["update", "gsp"])
def remote(
    request: pytest.FixtureRequest, proxy: FaultProxy, clean: RemoteStore
) -> Iterator[RemoteStore]:
    """Writes by SPARQL Update, or by the Graph Store Protocol alone; through the relay."""
    proxy.fault = None
    proxy.heads.clear()
    url = proxy.url
    if request.param == "update":
        store = RemoteStore(
            f"{url}/query", update_url=f"{url}/update", token="secret", engine="oxigraph"
        )
    else:
        store = RemoteStore(
            f"{url}/query", graph_store_url=f"{url}/store", token="secret", engine="oxigraph"
        )
    yield store
    store.close()
    proxy.fault = None


def test_implements_the_store_interface(remote: RemoteStore) -> None:
    assert isinstance(remote, Store)


def test_writes_reads_and_counts_like_the_embedded_store(
    remote: RemoteStore, proxy: FaultProxy
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
    assert remote.query("ASK { <a> <p> ?o }", base_iri="urn:").boolean
    assert remote.query("ASK { ?s rdfs:label|<urn:p> ?o }").boolean  # predeclared prefixes
    graph = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    assert graph.kind is QueryKind.GRAPH and len(list(graph.triples())) == 1
    assert b"<urn:e>" in remote.dump(RdfFormat.NTRIPLES, graph=G2)
    assert b"urn:e" in remote.dump(RdfFormat.TURTLE, graph=G2)
    assert len(remote.dump(RdfFormat.NQUADS).splitlines()) == 4
    assert b"<urn:e>" in remote.dump(RdfFormat.TRIG, graph=G2)
    assert proxy.heads and all(b"authorization: bearer secret" in h.lower() for h in proxy.heads)
    assert remote.clear_graph(G2) == 1 and not remote.has_graph(G2)


def test_update_writes_are_the_shared_replace_graph_update(
    proxy: FaultProxy, clean: RemoteStore
) -> None:
    remote = RemoteStore(f"{proxy.url}/query", update_url=f"{proxy.url}/update")
    data = b'<urn:a> <urn:said> <<( <urn:a> <urn:p> "} ; ." )>> .\n<urn:a> <urn:q> _:b .\n'
    assert remote.load(data, RdfFormat.NTRIPLES, graph=G1, replace=True) == 2
    assert clean.triple_count(G1) == 2
    sent = len(proxy.heads)
    assert remote.add_quads([], graph=G1) == 0
    assert len(proxy.heads) == sent  # an add of nothing sends no request
    assert remote.add_quads([], graph=G1, replace=True) == 0  # a replace with nothing drops
    assert not clean.has_graph(G1)


def test_errors_are_translated(remote: RemoteStore, clean: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError) as syntax:
        remote.query("SELECT *\nWHERE {")
    assert syntax.value.location is not None and syntax.value.location.line == 2  # not shifted
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
    assert clean.triple_count() == 0  # nothing reached the engine


def test_missing_endpoints_and_unreachable_engines_are_store_errors(engine: EngineProcess) -> None:
    query_only = RemoteStore(f"{engine.url}/query")
    with pytest.raises(StoreError, match="Update URL"):
        query_only.update("CLEAR ALL")
    with pytest.raises(StoreError, match="Graph Store"):
        query_only.add_quads([], graph=G1)
    nowhere = RemoteStore("http://127.0.0.1:9/query", graph_store_url="http://127.0.0.1:9/gsp")
    with pytest.raises(EngineUnavailableError, match="cannot reach"):
        nowhere.has_graph(G1)
    with pytest.raises(EngineUnavailableError, match="cannot reach"):
        nowhere.dump(RdfFormat.NTRIPLES, graph=G1)
    refusing = RemoteStore(f"{engine.url}/nothing-here")
    with pytest.raises(EngineError, match="HTTP 404"):
        refusing.graphs()
    started = time.monotonic()
    with pytest.raises(EngineUnavailableError):
        nowhere.wait_until_ready(0.5)
    assert time.monotonic() - started < 5


def test_a_stalled_engine_is_a_timeout_within_the_deadline(proxy: FaultProxy) -> None:
    store = RemoteStore(f"{proxy.url}/query", update_url=f"{proxy.url}/update", timeout=1)
    proxy.fault = Fault("stall")
    try:
        for call in (store.graphs, lambda: store.update("CLEAR ALL")):
            started = time.monotonic()
            with pytest.raises(EngineTimeoutError, match="within 1 s"):
                call()
            assert 1 <= time.monotonic() - started < 10
    finally:
        proxy.fault = None


def test_credentials_are_sent_as_configured(proxy: FaultProxy, clean: RemoteStore) -> None:
    proxy.heads.clear()
    basic = RemoteStore(f"{proxy.url}/query", user="alice", password="s3cret")
    assert basic.query("ASK {}").boolean is True
    expected = base64.b64encode(b"alice:s3cret")
    assert b"authorization: basic " + expected.lower() in proxy.heads[-1].lower()
    assert "s3cret" not in repr(basic)
    settings = Settings(
        backend="remote",
        remote_query_url=f"{proxy.url}/query",
        remote_user="bob",
        remote_password="pw",
        remote_auth="digest",
    )
    digest = open_configured_store(settings)
    assert isinstance(digest, RemoteStore)
    proxy.heads.clear()
    digest.query("ASK {}")  # the engine asks for no challenge: digest sends nothing in clear
    assert all(b"pw" not in head for head in proxy.heads)


def test_settings_choose_the_backend(tmp_path: Path) -> None:
    remote = open_configured_store(
        Settings(backend="remote", remote_query_url="http://127.0.0.1:9/q"), token="t"
    )
    assert isinstance(remote, RemoteStore) and remote.token == "t"
    from_env = open_configured_store(
        Settings(
            backend="remote",
            remote_query_url="http://127.0.0.1:9/q",
            remote_token="from-settings",
            remote_engine="virtuoso",
        )
    )
    assert isinstance(from_env, RemoteStore) and from_env.token == "from-settings"
    assert from_env.profile.timeout_parameter == "timeout"
    with pytest.raises(InputError, match="REMOTE_QUERY_URL"):
        open_configured_store(Settings(backend="remote"))
    local = open_configured_store(Settings(store="memory"))
    assert isinstance(local, OxigraphStore)


# --- user queries: forwarded, checked, counted -----------------------------------------------------


def run(service: QueryService, text: str, **formats: object) -> tuple[bytes, object]:
    request = service.request(text, service.scan(text), **formats)  # type: ignore[arg-type]
    sink = io.BytesIO()
    outcome = service.run(request, sink)
    return sink.getvalue(), outcome


@pytest.fixture
def service(proxy: FaultProxy, clean: RemoteStore) -> Iterator[QueryService]:
    proxy.fault = None
    proxy.heads.clear()
    clean.load(
        b"".join(f"<urn:s{i}> <urn:p> {i} .\n".encode() for i in range(10)),
        RdfFormat.TURTLE,
        graph=G1,
    )
    store = RemoteStore(f"{proxy.url}/query", update_url=f"{proxy.url}/update", engine="oxigraph")
    yield QueryService(
        RemoteQueries(store, grace=0.5),
        store,
        QueryLimits(),
        timeout=2,
        result_limits=ResultLimits(max_rows=10, max_bytes=5000),
    )
    proxy.fault = None


def test_results_pass_through_when_the_format_allows(
    service: QueryService, proxy: FaultProxy
) -> None:
    select = "SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?o"
    body, outcome = run(service, select, results_format=ResultFormat.TSV)
    assert body.startswith(b"?s\t?o\n<urn:s0>\t0\n")  # the engine's own TSV
    assert outcome.rows == 10  # type: ignore[attr-defined]
    assert b"accept: text/tab-separated-values" in proxy.heads[-1].lower()
    body, outcome = run(service, select, results_format=ResultFormat.CSV)
    assert body.startswith(b"s,o\r\nurn:s0,0\r\n")  # asked as JSON, written here as CSV
    assert b"accept: application/sparql-results+json" in proxy.heads[-1].lower()
    assert outcome.rows == 10  # type: ignore[attr-defined]
    body, outcome = run(service, "ASK { ?s sn:nothing ?o }")  # predeclared prefix, sent
    assert body == b'{"head":{},"boolean":false}'
    form = parse_qs(proxy.bodies[-1].decode(), keep_blank_values=True)
    assert form["query"][0].startswith(f"PREFIX sn: <{SN}>\nASK")  # only what it uses
    assert "union-default-graph" in form  # the Oxigraph server's own switch
    run(service, f"SELECT * FROM <{G1}> WHERE {{ ?s ?p ?o }}")
    assert "union-default-graph" not in parse_qs(proxy.bodies[-1].decode(), keep_blank_values=True)


def test_limits_refuse_whole_results(service: QueryService) -> None:
    with pytest.raises(ResultLimitError, match="10 rows"):
        run(service, "SELECT ?s WHERE { ?s ?p ?o VALUES ?x { 1 2 } }")
    wide = "x" * 600  # 10 rows of it are past the 5,000 bytes
    with pytest.raises(ResultLimitError, match="5,000 bytes"):
        run(service, f'SELECT * WHERE {{ ?s ?p ?o BIND("{wide}" AS ?x) }}')
    with pytest.raises(ResultLimitError, match="10 rows or triples"):
        run(service, "CONSTRUCT { ?s ?p ?o . ?s <urn:q> ?o } WHERE { ?s ?p ?o }")
    body, outcome = run(service, "CONSTRUCT WHERE { ?s ?p ?o }")  # Turtle: passed through
    assert outcome.rows == 10 and len(list(ox.parse(body, ox.RdfFormat.TURTLE))) == 10  # type: ignore[attr-defined]


def test_an_engine_cut_off_answer_is_refused(service: QueryService, proxy: FaultProxy) -> None:
    proxy.fault = Fault("stall", "/query")
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="time limit"):
        run(service, "SELECT * WHERE { ?s ?p ?o }")
    assert 2.5 <= time.monotonic() - started < 10  # the limit plus the grace
    proxy.fault = Fault(
        "answer", "/query", media="application/sparql-results+json", body=b'{"head":{"vars":'
    )
    with pytest.raises(EngineError, match="malformed"):
        run(service, "SELECT * WHERE { ?s ?p ?o }")


def test_a_remote_from_check_asks_the_engine(service: QueryService) -> None:
    with pytest.raises(RefusedInputError, match="not a stored graph"):
        service.scan("SELECT * FROM <urn:x-test:none> WHERE { ?s ?p ?o }")
    assert service.scan(f"SELECT * FROM <{G1}> WHERE {{ ?s ?p ?o }}").from_graphs == (G1,)


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
