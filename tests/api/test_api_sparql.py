"""``/sparql`` on a real uvicorn: protocol, media types, Service Description, errors and limits,
on both backends (the embedded store's workers, and a real Oxigraph server behind the facade)."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import psutil
import pyoxigraph as ox
import pytest
from conftest import VIRTUOSO, LiveServer, differs_on, run_live_server
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from servicenet_vocab.store.embedded import GraphInfo

G1 = "https://w3id.org/servicenet/graph/municipality/091"
G2 = "https://w3id.org/servicenet/graph/municipality/049"
EX = "https://data.example.fi/"
INT = "http://www.w3.org/2001/XMLSchema#integer"
DATA1 = b"".join(
    f'<{EX}unit/{i}> <{EX}name> "Unit {i}" .\n<{EX}unit/{i}> <{EX}places> "{i}"^^<{INT}> .\n'.encode()
    for i in range(10)
)
DATA2 = f'<{EX}unit/espoo> <{EX}name> "Espoo unit"@fi .\n'.encode()
SELECT = f"SELECT ?u ?n WHERE {{ ?u <{EX}name> ?n }} ORDER BY ?u"
CONSTRUCT = f"CONSTRUCT {{ ?u <{EX}label> ?n }} WHERE {{ ?u <{EX}name> ?n }}"
# 60^5 = 778 million rows to count: minutes of CPU, far past any limit in these tests.
LONG = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{k} {{ {' '.join(str(i) for i in range(60))} }}" for k in range(5))
    + " }"
)
# An engine cannot be told to stop a query (the Oxigraph server does not interrupt an aggregate):
# 78 million rows, about 10 s of its CPU, outlive the 3 s limit without burning a minute.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(
        f"VALUES ?v{k} {{ {' '.join(str(i) for i in range(n))} }}"
        for k, n in enumerate((60, 60, 60, 60, 6))
    )
    + " }"
)
# What a loaded 2-core CI may add to a step that should be prompt (a kill, a reply, a respawn).
SLACK = 10.0


@pytest.fixture(scope="module")
def server(backend: str) -> Iterator[LiveServer]:
    with run_live_server(backend, query_timeout=3, result_limit=15, workers=2) as live:
        live.load(DATA1, graph=G1)
        live.load(DATA2, graph=G2)
        yield live


@pytest.fixture(scope="module")
def patient_server() -> Iterator[LiveServer]:
    """A time limit far beyond ``SLACK``: a query ended within the slack was not ended by the limit."""
    with run_live_server(query_timeout=60, workers=2) as live:
        live.load(DATA1, graph=G1)
        yield live


def select(server: LiveServer, query: str, **headers: str) -> httpx.Response:
    return server.client.get("/sparql", params={"query": query}, headers=headers)


# --- protocol ----------------------------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_rows(server: LiveServer) -> None:
    by_get = server.client.get("/sparql", params={"query": SELECT})
    by_form = server.client.post("/sparql", data={"query": SELECT})
    by_direct = server.client.post(
        "/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query"}
    )
    for response in (by_get, by_form, by_direct):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        rows = response.json()["results"]["bindings"]
        assert len(rows) == 11
        assert response.headers["x-result-rows"] == "11"
    assert by_get.json() == by_form.json() == by_direct.json()


def test_dataset_parameters_select_the_graphs(server: LiveServer) -> None:
    query = f"SELECT ?u WHERE {{ ?u <{EX}name> ?n }}"
    only_g2 = server.client.get("/sparql", params={"query": query, "default-graph-uri": G2})
    assert [r["u"]["value"] for r in only_g2.json()["results"]["bindings"]] == [f"{EX}unit/espoo"]
    named = server.client.post(
        "/sparql",
        data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": G1},
    )
    assert [r["g"]["value"] for r in named.json()["results"]["bindings"]] == [G1]


def test_a_query_own_from_clause_is_honoured(server: LiveServer) -> None:
    query = f"SELECT ?u FROM <{G2}> WHERE {{ ?u <{EX}name> ?n }}"
    rows = select(server, query).json()["results"]["bindings"]
    assert [r["u"]["value"] for r in rows] == [f"{EX}unit/espoo"]


@pytest.mark.parametrize(
    ("accept", "media_type", "marker"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", b'"bindings"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
        ("text/csv", "text/csv", b"u,n\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", b"?u\t?n\n"),
        ("application/json", "application/sparql-results+json", b'"bindings"'),
    ],
)
def test_select_in_every_results_format(
    server: LiveServer, accept: str, media_type: str, marker: bytes
) -> None:
    response = select(server, SELECT, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert marker in response.content
    assert b"Unit 3" in response.content


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_in_every_results_format(server: LiveServer, fmt: str) -> None:
    response = server.client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": fmt})
    assert response.status_code == 200
    assert b"true" in response.content


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/trig", ox.RdfFormat.TRIG),
    ],
)
def test_construct_in_every_graph_format(
    server: LiveServer, accept: str, fmt: ox.RdfFormat
) -> None:
    response = select(server, CONSTRUCT, accept=accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    triples = list(ox.parse(response.content, fmt))
    assert len(triples) == 11
    assert response.headers["x-result-rows"] == "11"


def test_describe_returns_a_graph(server: LiveServer, request: pytest.FixtureRequest) -> None:
    reason = "DESCRIBE is the engine's to define; Virtuoso 7.2 describes a subject of a named graph as nothing"
    differs_on(request, server.backend, reason, VIRTUOSO)
    response = select(server, f"DESCRIBE <{EX}unit/1>", accept="application/n-triples")
    assert response.status_code == 200
    assert len(list(ox.parse(response.content, ox.RdfFormat.N_TRIPLES))) == 2


def test_q_values_and_the_format_parameter_decide(server: LiveServer) -> None:
    accept = "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    assert (
        select(server, SELECT, accept=accept)
        .headers["content-type"]
        .startswith("application/sparql-results+xml")
    )
    assert select(server, SELECT, accept="text/*").headers["content-type"].startswith("text/csv")
    not_json = "application/sparql-results+json;q=0, */*"
    assert (
        not select(server, SELECT, accept=not_json)
        .headers["content-type"]
        .startswith("application/sparql-results+json")
    )
    by_param = server.client.get(
        "/sparql", params={"query": SELECT, "format": "tsv"}, headers={"accept": "text/csv"}
    )
    assert by_param.headers["content-type"].startswith("text/tab-separated-values")


def test_nothing_acceptable_is_406_listing_the_supported_types(server: LiveServer) -> None:
    response = select(server, SELECT, accept="image/png")
    assert response.status_code == 406
    body = response.json()
    assert body["error"] == "NOT_ACCEPTABLE"
    for media_type in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        assert media_type in body["message"]
    graph = select(server, CONSTRUCT, accept="text/csv")
    assert graph.status_code == 406
    assert "text/turtle" in graph.json()["message"]
    bad_param = server.client.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert bad_param.status_code == 406


def test_large_results_stream_in_chunks(live_server_factory: Callable[..., Any]) -> None:
    data = b"".join(f'<{EX}s/{i}> <{EX}p> "{"x" * 400} {i}" .\n'.encode() for i in range(3000))
    with live_server_factory(workers=1) as live:
        live.load(data, graph=G1)
        with live.client.stream(
            "GET",
            "/sparql",
            params={"query": f"SELECT * {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}", "format": "tsv"},
        ) as response:
            assert response.status_code == 200
            assert "content-length" not in response.headers  # streamed, not one body
            body = b"".join(response.iter_bytes())
    assert body.count(b"\n") == 3001


# --- service description -----------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def _description(server: LiveServer, accept: str, fmt: ox.RdfFormat) -> ox.Store:
    response = server.client.get("/sparql", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    store = ox.Store()
    store.load(response.content, fmt)
    return store


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_bare_get_is_the_service_description(
    server: LiveServer, accept: str, fmt: ox.RdfFormat
) -> None:
    store = _description(server, accept, fmt)
    endpoint = f"{server.url}/sparql"
    ask = f"""PREFIX sd: <{SD}> PREFIX void: <{VOID}>
        ASK {{ <{endpoint}> a sd:Service ; sd:endpoint <{endpoint}> ;
                 sd:supportedLanguage sd:SPARQL11Query ;
                 sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_CSV> ;
                 sd:feature sd:UnionDefaultGraph ;
                 sd:defaultDataset ?ds .
               ?ds sd:namedGraph [ sd:name <{G2}> ; sd:graph [ void:triples 1 ] ] ;
                   sd:defaultGraph [ void:triples ?total ] }}"""
    assert store.query(ask)


def test_service_description_counts_match_the_store(server: LiveServer) -> None:
    store = _description(server, "text/turtle", ox.RdfFormat.TURTLE)
    rows = store.query(
        f"PREFIX sd: <{SD}> PREFIX void: <{VOID}> "
        "SELECT ?g ?n WHERE { ?x sd:name ?g ; sd:graph [ void:triples ?n ] }"
    )
    assert isinstance(rows, ox.QuerySolutions)
    described = {row["g"].value: int(row["n"].value) for row in rows}
    assert [GraphInfo(g, n) for g, n in sorted(described.items())] == server.store.graphs()


# --- errors -------------------------------------------------------------------------------------


def test_malformed_query_is_400_with_line_and_column(
    server: LiveServer, request: pytest.FixtureRequest
) -> None:
    reason = "Virtuoso 7.2 locates a syntax error by its line only, without a column"
    differs_on(request, server.backend, reason, VIRTUOSO)
    response = select(server, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o ==) }")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "QUERY_SYNTAX_ERROR"
    assert body["location"]["source"] == "query"
    assert body["location"]["line"] == 3
    assert 1 <= body["location"]["column"] <= len("  FILTER(?o ==) }") + 1
    assert body["message"]


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"update": f"CLEAR GRAPH <{G1}>"}}),
        ("POST", {"data": {"update": f"CLEAR GRAPH <{G1}>"}}),
        (
            "POST",
            {
                "content": f"CLEAR GRAPH <{G1}>",
                "headers": {"Content-Type": "application/sparql-update"},
            },
        ),
        ("GET", {"params": {"query": f"CLEAR GRAPH <{G1}>"}}),
        ("POST", {"data": {"query": f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:b> 1 }} }}"}}),
        ("GET", {"params": {"query": f"DELETE WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"}}),
    ],
    ids=["get-update", "form-update", "direct-update", "clear-as-query", "insert", "delete"],
)
def test_updates_are_refused_and_change_nothing(
    server: LiveServer, method: str, kwargs: dict[str, object]
) -> None:
    before = server.store.triple_count(G1)
    response = server.client.request(method, "/sparql", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert response.json()["error"] == "UPDATE_NOT_ALLOWED"
    assert server.store.triple_count(G1) == before
    assert select(server, f"ASK {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}").json()["boolean"] is True


@pytest.mark.parametrize(
    ("headers", "content", "status", "code"),
    [
        ({"Content-Type": "text/plain"}, "ASK {}", 415, "UNSUPPORTED_FORMAT"),
        ({}, "ASK {}", 415, "UNSUPPORTED_FORMAT"),
        ({"Content-Type": "application/sparql-query; charset=UTF-16"}, "ASK {}", 415, None),
        ({"Content-Type": "application/sparql-query"}, b"ASK { \xff }", 400, "INVALID_INPUT"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "query=%FF", 400, None),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "nothing=1", 400, None),
    ],
    ids=["wrong-type", "no-type", "utf16", "not-utf8", "form-not-utf8", "form-no-query"],
)
def test_bad_posts_are_refused(
    server: LiveServer, headers: dict[str, str], content: str | bytes, status: int, code: str | None
) -> None:
    response = server.client.post("/sparql", content=content, headers=headers)
    assert response.status_code == status
    if code:
        assert response.json()["error"] == code


def test_two_queries_and_a_wrong_method_are_4xx(server: LiveServer) -> None:
    two = server.client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert two.status_code == 400
    put = server.client.put("/sparql", content="ASK {}")
    assert put.status_code == 405
    assert put.json()["error"] == "METHOD_NOT_ALLOWED"


def test_too_long_query_is_413(live_server_factory: Callable[..., Any]) -> None:
    with live_server_factory(max_query_length=200, workers=1) as live:
        response = live.client.get("/sparql", params={"query": "ASK {}" + " " * 300})
        assert response.status_code == 413
        assert response.json()["error"] == "PAYLOAD_TOO_LARGE"
        body = live.client.post(
            "/sparql", content="#" * 5000, headers={"Content-Type": "application/sparql-query"}
        )
        assert body.status_code == 413


# --- limits and containment -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_result_limit_is_signalled_never_truncated(server: LiveServer, fmt: str) -> None:
    too_many = server.client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": fmt}
    )  # 21 rows, limit 15
    assert too_many.status_code == 413
    body = too_many.json()
    assert body["error"] == "RESULT_LIMIT_EXCEEDED"
    assert "15" in body["message"]
    at_limit = server.client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 15", "format": fmt}
    )
    assert at_limit.status_code == 200
    assert at_limit.headers["x-result-rows"] == "15"


def test_result_limit_applies_to_graphs(server: LiveServer) -> None:
    response = select(server, "CONSTRUCT WHERE { ?s ?p ?o }", accept="text/turtle")
    assert response.status_code == 413
    assert response.json()["error"] == "RESULT_LIMIT_EXCEEDED"


def test_timeout_stops_the_query_and_its_cpu_while_others_are_served(server: LiveServer) -> None:
    """Embedded: the worker is killed at the limit. Remote: the facade answers at the limit
    (plus the grace for the engine's own timeout answer) and closes the engine connection."""
    outcome: dict[str, object] = {}

    def long_query() -> None:
        started = time.monotonic()
        outcome["response"] = select(server, SLOW if server.remote else LONG)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=long_query)
    thread.start()
    busy = None if server.remote else _wait_for_busy_worker(server, within=3)
    quick = select(server, "ASK { ?s ?p ?o }")  # another worker, or the engine, answers meanwhile
    assert quick.status_code == 200
    thread.join(timeout=3 + 2 * SLACK)
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert response.json()["error"] == "QUERY_TIMEOUT"
    # An engine with its own time limit (Virtuoso) answers at it; others at the facade's deadline.
    grace = server.settings.remote_grace if server.remote else 0
    assert 3 <= float(outcome["seconds"]) < 3 + grace + SLACK  # type: ignore[arg-type]
    if busy is not None:
        assert not psutil.pid_exists(busy.pid) or busy.status() == psutil.STATUS_ZOMBIE
        assert busy.pid not in server.pool.pids  # replaced
    assert select(server, "ASK { ?s ?p ?o }").status_code == 200


def _wait_for_busy_worker(server: LiveServer, within: float) -> psutil.Process:
    """The worker whose CPU time grows (a worker at rest uses none). Polled on the cumulative CPU
    time, not a sampled percentage: a loaded core slows its growth but cannot hide it."""
    deadline = time.monotonic() + within
    first: dict[int, float] = {}
    while time.monotonic() < deadline:
        for pid in server.pool.pids:
            try:
                process = psutil.Process(pid)
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            used = times.user + times.system
            if used - first.setdefault(pid, used) > 0.1:
                return process
        time.sleep(0.02)  # polling interval
    pytest.fail(f"no worker got busy with the long query in {within:g} s")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_client_that_goes_away_stops_its_query_at_once(
    patient_server: LiveServer, method: str
) -> None:
    """An abandoned query must not burn CPU until the time limit (60 s here)."""
    server = patient_server
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as client:
        if method == "GET":
            target = "/sparql?" + urlencode({"query": LONG})
            client.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        else:
            body = urlencode({"query": LONG}).encode()
            client.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                b"application/x-www-form-urlencoded\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body
            )  # fmt: skip
        busy = _wait_for_busy_worker(server, within=SLACK)
    closed = time.monotonic()
    # The connection is closed: the worker is killed long before the 60 s limit.
    while psutil.pid_exists(busy.pid) and busy.status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() - closed < SLACK, "the abandoned query kept running"
        time.sleep(0.02)  # polling for the kill
    assert select(server, "ASK { ?s ?p ?o }").json() == {"head": {}, "boolean": True}
    deadline = time.monotonic() + SLACK
    while busy.pid in server.pool.pids or len(server.pool.pids) < 2:
        assert time.monotonic() < deadline, "the killed worker was not replaced"
        time.sleep(0.02)  # polling for the replacement


def test_a_worker_killed_mid_query_costs_only_that_request(patient_server: LiveServer) -> None:
    server = patient_server  # the kill, not the time limit, must end the query
    outcome: dict[str, httpx.Response] = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("r", select(server, LONG)))
    thread.start()
    busy = _wait_for_busy_worker(server, within=SLACK)
    busy.kill()  # what a segfault in the engine looks like from outside
    thread.join(timeout=2 * SLACK)
    assert outcome["r"].status_code == 400
    assert outcome["r"].json()["error"] == "WORKER_CRASHED"
    assert "SIGKILL" in outcome["r"].json()["message"]
    assert select(server, "ASK { ?s ?p ?o }").status_code == 200


def test_deep_nesting_that_would_crash_the_engine_is_400(server: LiveServer) -> None:
    deep = "SELECT * WHERE " + "{" * 3000 + "}" * 3000  # kills pyoxigraph's process unguarded
    response = server.client.post("/sparql", data={"query": deep})
    assert response.status_code == 400
    assert response.json()["error"] == "INPUT_REFUSED"
    assert response.json()["location"]["column"] == 16 + 64
    assert select(server, "ASK { ?s ?p ?o }").json()["boolean"] is True


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A loopback TCP listener that records every connection it accepts."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = sock.accept()
            except OSError:
                continue
            accepted.append(connection)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", accepted
    stop.set()
    thread.join()
    sock.close()


def test_service_to_a_non_allowlisted_endpoint_opens_no_connection(
    server: LiveServer, listener: tuple[str, list[object]]
) -> None:
    url, accepted = listener
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url[:-6]}> SELECT * WHERE {{ SERVICE SILENT r:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { BIND(<" + url + "> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ]
    for query in queries:
        response = select(server, query)
        assert response.status_code == 400, query
        assert response.json()["error"] == "INPUT_REFUSED"
        assert "SERVICE" in response.json()["message"]
    load = server.client.post("/sparql", data={"query": f"LOAD <{url}>"})
    assert load.status_code == 403
    assert accepted == []


def test_from_file_and_unknown_graphs_are_refused(server: LiveServer) -> None:
    for target in ("file:///etc/passwd", "https://example.org/not-stored"):
        response = select(server, f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}")
        assert response.status_code == 400
        assert response.json()["error"] == "INPUT_REFUSED"
        assert target in response.json()["message"]
        assert response.json()["location"]["line"] == 1
    named = select(server, "SELECT * FROM NAMED <file:///etc/hostname> WHERE { ?s ?p ?o }")
    assert named.status_code == 400


# --- freshness ----------------------------------------------------------------------------------


def test_workers_see_published_writes_and_removals(server: LiveServer) -> None:
    graph = "https://w3id.org/servicenet/graph/municipality/235"
    ask = f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    server.load(f'<{EX}k> <{EX}name> "Kauniainen" .'.encode(), graph=graph)
    for _ in range(4):  # every worker, whichever serves
        assert select(server, ask).json()["boolean"] is True
    server.clear(graph)
    for _ in range(4):
        assert select(server, ask).json()["boolean"] is False


# --- clients and documentation -----------------------------------------------------------------


def test_sparqlwrapper_reads_every_kind_of_result(server: LiveServer) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]  # type: ignore[index,call-overload]
    assert len(rows) == 11
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) == 11  # type: ignore[union-attr]
    client.setReturnFormat(CSV)
    assert client.query().convert().count(b"\r\n") == 12  # type: ignore[union-attr,arg-type]
    client.setMethod(POST)
    client.setQuery("ASK { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True  # type: ignore[index,call-overload]
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = client.query().convert()
    assert len(list(ox.parse(io.BytesIO(graph), ox.RdfFormat.TURTLE))) == 11  # type: ignore[arg-type]
    client.setQuery("SELECT * WHERE {")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        client.query()


def test_openapi_lists_every_media_type(server: LiveServer) -> None:
    spec = server.client.get("/openapi.json").json()
    for method in ("get", "post"):
        operation = spec["paths"]["/sparql"][method]
        content = operation["responses"]["200"]["content"]
        for media_type in (
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
            "text/turtle",
            "application/n-triples",
            "application/ld+json",
            "application/rdf+xml",
            "application/n-quads",
        ):
            assert media_type in content
        assert {"400", "403", "406", "413", "503"} <= set(operation["responses"])
    body = spec["paths"]["/sparql"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/sparql-query", "application/x-www-form-urlencoded"}
    assert json.dumps(spec)  # serialisable as served
