"""The facade on a remote engine when the engine misbehaves, and several facades on one engine.

A real Oxigraph server holds the data; between it and the facade sits ``conftest.FaultProxy``, a
TCP relay on 127.0.0.1 that passes requests through or, for the requests a fault names, stalls,
answers an error or garbage itself, cuts the request half-way, or lets the engine apply it and
drops the answer. Every failure must come back as 502/503/504 with a message, within its deadline, never a
hang or a 500; a write that fails leaves the old graph, read back from the engine itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import (
    OXIGRAPH,
    EngineProcess,
    Fault,
    FaultProxy,
    LiveServer,
    free_port,
    oxigraph_server,
    run_live_server,
    start_oxigraph,
    wait_until_ready,
)
from servicenet_api.deps import services_of

from servicenet_vocab.namespaces import ONTOLOGY_GRAPH, SN, SYSTEM_GRAPH, municipality_graph
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store import updates
from servicenet_vocab.store.errors import EngineError
from servicenet_vocab.store.remote import RemoteStore

HELSINKI = municipality_graph("091")
SHAPES = Path(__file__).parents[1] / "fixtures" / "publishing" / "shapes.ttl"
OLD = f'<https://hel.example/u/1> <{SN}places> 3 ; <{SN}name> "Old"@fi .'.encode()
NEW = f'<https://hel.example/u/2> <{SN}places> 5 ; <{SN}name> "New"@fi .'.encode()
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
TIMEOUT = 3.0  # query_timeout and remote_timeout of the facade under test
GRACE = 1.0
SLACK = 10.0  # what a loaded 2-core CI may add to a prompt answer


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    with oxigraph_server(tmp_path_factory.mktemp("engine")) as running:
        yield running


@pytest.fixture(scope="module")
def proxy(engine: EngineProcess) -> Iterator[FaultProxy]:
    relay = FaultProxy(int(engine.url.rsplit(":", 1)[1]))
    yield relay
    relay.close()


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    file = TokenFile(tmp_path_factory.mktemp("tokens") / "tokens.json")
    return str(file.path), file.create("helsinki", ["091"])


@pytest.fixture(scope="module")
def server(proxy: FaultProxy, tokens: tuple[str, str]) -> Iterator[LiveServer]:
    """The facade whose engine is behind the proxy."""
    settings = {
        "backend": "remote",
        "remote_engine": "oxigraph",
        "remote_query_url": f"{proxy.url}/query",
        "remote_update_url": f"{proxy.url}/update",
        "remote_graph_store_url": f"{proxy.url}/store",
        "query_timeout": TIMEOUT,
        "remote_timeout": TIMEOUT,
        "remote_grace": GRACE,
        "tokens_file": tokens[0],
        "publish_shapes": [SHAPES],
        "publish_context": [],
    }
    with run_live_server(OXIGRAPH, **settings) as live:
        yield live


@pytest.fixture
def fault(proxy: FaultProxy) -> Iterator[FaultProxy]:
    """The proxy, reset to pass everything when the test ends."""
    proxy.fault = None
    proxy.faulted = 0
    yield proxy
    proxy.fault = None


def direct(engine: EngineProcess) -> RemoteStore:
    """The engine itself, not through the proxy: what is really stored."""
    return RemoteStore(
        engine.settings["remote_query_url"],
        update_url=engine.settings["remote_update_url"],
        engine=engine.settings["remote_engine"],
    )


def put(server: LiveServer, token: str, body: bytes) -> httpx.Response:
    return server.client.put(
        "/graph-store",
        params={"graph": HELSINKI},
        content=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
    )


def timed(call: object) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    assert callable(call)
    response = call()
    return response, time.monotonic() - started


def failure(response: httpx.Response, status: int, code: str) -> str:
    assert (response.status_code, response.json()["error"]) == (status, code), response.text
    message: str = response.json()["message"]
    assert message
    return message


# --- the engine's failures, contained ------------------------------------------------------------


def test_the_facade_keeps_no_data_of_its_own(server: LiveServer, engine: EngineProcess) -> None:
    services = services_of(server.app)
    assert isinstance(services.store, RemoteStore)
    assert services.pool.source.kind == "none"  # workers only parse and validate uploads
    assert services.publisher.on_commit is None
    counted = {info.iri: info.triples for info in direct(engine).graphs()}
    health = server.client.get("/health").json()
    assert {g["graph"]: g["triples"] for g in health["graphs"]} == counted
    assert health["triples"] == sum(counted.values())


def test_5xx_answers_are_502_and_503(server: LiveServer, fault: FaultProxy) -> None:
    fault.fault = Fault("status", "/query", status=500, body=b"disk on fire")
    message = failure(server.client.get("/sparql", params={"query": SELECT}), 502, "ENGINE_ERROR")
    assert "HTTP 500" in message and "disk on fire" in message
    failure(server.client.get("/health"), 502, "ENGINE_ERROR")
    failure(
        server.client.get("/graph-store", params={"graph": ONTOLOGY_GRAPH}), 502, "ENGINE_ERROR"
    )
    fault.fault = Fault("status", "/query", status=503, body=b"overloaded")
    message = failure(
        server.client.get("/sparql", params={"query": SELECT}), 503, "ENGINE_UNAVAILABLE"
    )
    assert "overloaded" in message
    fault.fault = None
    assert server.client.get("/sparql", params={"query": SELECT}).status_code == 200


@pytest.mark.parametrize(
    ("query", "accept", "media", "body"),
    [
        (SELECT, "application/sparql-results+json", "application/sparql-results+json",
         b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","val'),
        (SELECT, "text/csv", "application/sparql-results+json", b"<html>not results</html>"),
        (SELECT, "application/sparql-results+xml", "application/sparql-results+xml",
         b"<?xml version='1.0'?><sparql><results><result><binding"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle", "text/turtle", b"<urn:a> <urn:b> ."),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/ld+json", "application/n-triples",
         b'<urn:a> <urn:b> "unterminated .\n'),
        ("ASK {}", "application/sparql-results+json", "image/png", b"\x89PNG"),
    ],
    ids=["json-cut", "json-garbage", "xml-cut", "turtle", "ntriples", "wrong-media-type"],
)  # fmt: skip
def test_malformed_results_are_502_never_passed_on(
    server: LiveServer, fault: FaultProxy, query: str, accept: str, media: str, body: bytes
) -> None:
    fault.fault = Fault("answer", "/query", media=media, body=body)
    response = server.client.get("/sparql", params={"query": query}, headers={"accept": accept})
    message = failure(response, 502, "ENGINE_ERROR")
    assert fault.faulted == 1
    assert "malformed" in message or "media type" in message


def test_a_stalled_engine_is_a_timeout_not_a_hang(server: LiveServer, fault: FaultProxy) -> None:
    fault.fault = Fault("stall", "/query")
    response, seconds = timed(lambda: server.client.get("/sparql", params={"query": SELECT}))
    failure(response, 503, "QUERY_TIMEOUT")  # the query's own limit, as on the embedded store
    assert TIMEOUT + GRACE <= seconds < TIMEOUT + GRACE + SLACK
    response, seconds = timed(lambda: server.client.get("/health"))
    message = failure(response, 504, "ENGINE_TIMEOUT")
    assert f"{TIMEOUT:g} s" in message
    assert TIMEOUT <= seconds < 2 * TIMEOUT + SLACK  # the deadline is checked per read
    response, _ = timed(lambda: server.client.get("/graph-store", params={"graph": ONTOLOGY_GRAPH}))
    failure(response, 504, "ENGINE_TIMEOUT")
    fault.fault = None
    assert server.client.get("/health").status_code == 200


def test_a_write_cut_half_way_leaves_the_old_graph(
    server: LiveServer, fault: FaultProxy, engine: EngineProcess, tokens: tuple[str, str]
) -> None:
    assert put(server, tokens[1], OLD).status_code in (201, 204)
    before = {q.triple for q in direct(engine).quads(HELSINKI)}
    records = direct(engine).triple_count(SYSTEM_GRAPH)
    fault.fault = Fault("cut", "/update", at=400)  # the engine gets a request that stops short
    message = failure(put(server, tokens[1], NEW), 503, "ENGINE_UNAVAILABLE")
    assert "not applied" in message  # the facade read the record back before answering
    assert fault.faulted == 1
    assert {q.triple for q in direct(engine).quads(HELSINKI)} == before  # read back: old graph
    assert direct(engine).triple_count(SYSTEM_GRAPH) == records  # and no record of it


def test_a_write_whose_answer_is_lost_is_reported_as_applied(
    server: LiveServer, fault: FaultProxy, engine: EngineProcess, tokens: tuple[str, str]
) -> None:
    """The engine applied the write and the answer went missing: the record read back says so,
    and the client learns the truth instead of retrying blindly."""
    assert put(server, tokens[1], OLD).status_code in (201, 204)
    fault.fault = Fault("drop", "/update")
    response = put(server, tokens[1], NEW)
    assert response.status_code == 204, response.text
    assert fault.faulted == 1
    stored = {q.triple for q in direct(engine).quads(HELSINKI)}
    assert stored == {q.triple for q in ox.parse(NEW, ox.RdfFormat.TURTLE)}


def test_a_failing_engine_changes_nothing_and_says_why(
    server: LiveServer, fault: FaultProxy, engine: EngineProcess, tokens: tuple[str, str]
) -> None:
    assert put(server, tokens[1], OLD).status_code in (201, 204)
    before = {q.triple for q in direct(engine).quads(HELSINKI)}
    fault.fault = Fault("status", "/update", status=500, body=b"out of disk space")
    message = failure(put(server, tokens[1], NEW), 502, "ENGINE_ERROR")
    assert "out of disk space" in message
    assert {q.triple for q in direct(engine).quads(HELSINKI)} == before


def test_a_write_failing_inside_the_engine_is_rolled_back(engine: EngineProcess) -> None:
    """One update request is one transaction on the Oxigraph server: an operation failing after
    the DROP and the INSERT undoes them (the publisher's write is one such request)."""
    store = direct(engine)
    graph = "urn:x-test:atomic"
    store.load(b"<urn:old> <urn:p> <urn:o> .", RdfFormat.NTRIPLES, graph=graph, replace=True)
    new = [ox.Quad(ox.NamedNode("urn:new"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"))]
    failing = updates.graph_update(graph, new, replace=True, then="DROP GRAPH <urn:x-test:none>")
    with pytest.raises(EngineError, match="HTTP 500"):
        store.update(failing)
    assert {str(q.subject) for q in store.quads(graph)} == {"<urn:old>"}


def test_an_engine_that_is_down_is_503_and_recovers(tmp_path: Path) -> None:
    location = tmp_path / "engine"
    first = start_oxigraph(location)
    port = int(first.url.rsplit(":", 1)[1])
    try:
        with run_live_server(
            OXIGRAPH, engine=first, query_timeout=TIMEOUT, remote_timeout=TIMEOUT
        ) as live:
            assert live.client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
            first.kill()
            for path, params in (
                ("/sparql", {"query": SELECT}),
                ("/health", {}),
                ("/datasets", {}),
                ("/graph-store", {"graph": ONTOLOGY_GRAPH}),
                ("/queries/utilisation", {}),
            ):
                response, seconds = timed(lambda p=path, q=params: live.client.get(p, params=q))
                message = failure(response, 503, "ENGINE_UNAVAILABLE")
                assert "cannot reach" in message, path
                assert seconds < SLACK, path
            again = start_oxigraph(location, port=port)  # same data, same address
            try:
                ontology = {"query": f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"}
                answer = live.client.get("/sparql", params=ontology)
                assert answer.json()["boolean"] is True  # no restart of the facade needed
                assert live.client.get("/health").status_code == 200
            finally:
                again.stop()
    finally:
        first.stop()


def test_the_vocabulary_index_is_built_from_the_engine(tmp_path: Path) -> None:
    """A class that exists only on the engine (not in the files) is listed: the index is read
    from the engine at start, and an engine that has the vocabulary is not loaded again."""
    with oxigraph_server() as running:
        with run_live_server(OXIGRAPH, engine=running):
            pass  # loads the vocabulary into the empty engine
        extra = f"<{SN}EngineOnlyClass> a <http://www.w3.org/2002/07/owl#Class> ; "
        extra += '<http://www.w3.org/2000/01/rdf-schema#label> "Engine only"@en .'
        direct(running).update(f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {extra} }} }}")
        with run_live_server(OXIGRAPH, engine=running) as live:
            names = {c["name"] for c in live.client.get("/vocab/classes").json()["classes"]}
            assert "EngineOnlyClass" in names and "ServiceUnit" in names


# --- replicas ---------------------------------------------------------------------------------


@dataclass
class Replica:
    process: subprocess.Popen[bytes]
    url: str


def start_replica(engine: EngineProcess, tokens_file: str, log: Path) -> Replica:
    """``servicenet serve`` in its own process, over ``engine``."""
    port = free_port()
    environment = {
        **os.environ,
        **{f"SERVICENET_{key.upper()}": str(value) for key, value in engine.settings.items()},
        "SERVICENET_TOKENS_FILE": tokens_file,
        "SERVICENET_PUBLISH_SHAPES": str(SHAPES),
        "SERVICENET_PUBLISH_CONTEXT": "",
        "SERVICENET_LOAD_EXAMPLES": "false",
        "SERVICENET_WORKERS": "1",
        "SERVICENET_ACCESS_LOG": "false",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "servicenet_vocab.cli", "serve", "--port", str(port)],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_ready(url, lambda: process.poll() is None)
    return Replica(process, url)


def stop(replica: Replica) -> None:
    if replica.process.poll() is None:
        replica.process.send_signal(signal.SIGTERM)
        try:
            replica.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            replica.process.kill()
            replica.process.wait()


def test_two_replicas_over_one_engine_see_each_others_writes_at_once(
    tmp_path: Path, tokens: tuple[str, str]
) -> None:
    ask = f"ASK {{ GRAPH <{HELSINKI}> {{ <https://hel.example/u/2> ?p ?o }} }}"
    with oxigraph_server() as running:
        first = start_replica(running, tokens[0], tmp_path / "first.log")
        try:
            second = start_replica(running, tokens[0], tmp_path / "second.log")
            try:
                with httpx.Client(timeout=30) as client:
                    headers = {
                        "Authorization": f"Bearer {tokens[1]}",
                        "Content-Type": "text/turtle",
                    }
                    params = {"graph": HELSINKI}
                    old = client.put(
                        f"{first.url}/graph-store", params=params, content=OLD, headers=headers
                    )
                    assert old.status_code == 201, old.text
                    query = {"query": ask}
                    assert (
                        client.get(f"{second.url}/sparql", params=query).json()["boolean"] is False
                    )
                    new = client.put(
                        f"{second.url}/graph-store", params=params, content=NEW, headers=headers
                    )
                    assert new.status_code == 204, new.text
                    # No wait and no retry: the very next query, through the other replica.
                    assert client.get(f"{first.url}/sparql", params=query).json()["boolean"] is True
                    seen = [
                        client.get(f"{r.url}/datasets").json()["datasets"] for r in (first, second)
                    ]
                    assert seen[0] == seen[1] and seen[0][0]["last_method"] == "PUT"
                    gone = client.delete(f"{first.url}/graph-store", params=params, headers=headers)
                    assert gone.status_code == 204
                    answer = client.get(f"{second.url}/graph-store", params=params)
                    assert answer.status_code == 404
            finally:
                stop(second)
        finally:
            stop(first)
