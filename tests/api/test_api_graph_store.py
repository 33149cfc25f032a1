"""``/graph-store`` against a real uvicorn on 127.0.0.1: every status code, access by municipality,
validate-before-write, hostile uploads, and a store that is unchanged after every refused write."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import LiveServer, run_live_server
from servicenet_api.deps import services_of

from servicenet_vocab.namespaces import (
    ONTOLOGY_GRAPH,
    SHAPES_GRAPH,
    SYSTEM_GRAPH,
    municipality_graph,
)
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.rdfio import RdfFormat

SN = "https://w3id.org/servicenet/ontology#"
HELSINKI, ESPOO, VANTAA = (municipality_graph(c) for c in ("091", "049", "092"))
SHAPES = Path(__file__).parents[1] / "fixtures" / "publishing" / "shapes.ttl"
LIMIT = 200_000
TURTLE = {"Content-Type": "text/turtle"}


def units(start: int, count: int, *, city: str = "hel", named: bool = True) -> bytes:
    lines = []
    for i in range(start, start + count):
        unit = f"<https://{city}.example/unit/{i}>"
        lines.append(f"{unit} <{SN}places> {i % 90} .")
        if named:
            lines.append(f'{unit} <{SN}name> "Unit {i}"@fi .')
    return ("\n".join(lines) + "\n").encode()


INVALID = f'<https://hel.example/unit/bad> <{SN}places> "many" ; <{SN}name> "B"@fi .'.encode()


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    file = TokenFile(tmp_path_factory.mktemp("tokens") / "tokens.json")
    made = {
        "helsinki": file.create("helsinki-ci", ["091"]),
        "espoo": file.create("espoo-ci", ["049"]),
        "revoked": file.create("old", ["091"]),
    }
    file.revoke("old")
    made["path"] = str(file.path)
    return made


@pytest.fixture(scope="module")
def server(tokens: dict[str, str], backend: str) -> Iterator[LiveServer]:
    with run_live_server(
        backend,
        tokens_file=tokens["path"],
        max_upload_bytes=LIMIT,
        publish_shapes=[SHAPES],
        publish_context=[],
    ) as live:
        yield live


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def dump(server: LiveServer) -> set[bytes]:
    return set(server.store.dump(RdfFormat.NQUADS).splitlines())


@pytest.fixture
def unchanged(server: LiveServer) -> Iterator[Callable[[], None]]:
    """Call it after a refused write: the whole store must be as it was before the test."""
    before = dump(server)
    checked = []

    def check() -> None:
        checked.append(True)
        assert dump(server) == before

    yield check
    assert checked, "the test never compared the store"


def put(server: LiveServer, graph: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return server.client.put("/graph-store", params={"graph": graph}, content=body, headers=headers)


def post(server: LiveServer, graph: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return server.client.post(
        "/graph-store", params={"graph": graph}, content=body, headers=headers
    )


def triples_of(data: bytes) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(data, ox.RdfFormat.TURTLE)}


def graph_triples(server: LiveServer, graph: str) -> set[ox.Triple]:
    return {q.triple for q in server.store.quads(graph)}


# --- reads -----------------------------------------------------------------------------------


def test_get_a_vocabulary_graph_in_every_rdf_format(server: LiveServer) -> None:
    expected = server.store.triple_count(ONTOLOGY_GRAPH)
    for media, fmt in [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.NTRIPLES),
        ("application/ld+json", RdfFormat.JSONLD),
        ("application/rdf+xml", RdfFormat.RDFXML),
        ("application/n-quads", RdfFormat.NQUADS),
        ("application/trig", RdfFormat.TRIG),
    ]:
        response = server.client.get(
            "/graph-store", params={"graph": ONTOLOGY_GRAPH}, headers={"Accept": media}
        )
        assert response.status_code == 200, media
        assert response.headers["content-type"].startswith(media)
        parsed = list(ox.parse(response.content, fmt.engine))
        assert len({q.triple if isinstance(q, ox.Quad) else q for q in parsed}) == expected


def test_head_has_the_headers_and_no_body(server: LiveServer) -> None:
    got = server.client.get("/graph-store", params={"graph": SHAPES_GRAPH})
    head = server.client.head("/graph-store", params={"graph": SHAPES_GRAPH})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(got.content))
    assert server.client.head("/graph-store", params={"graph": VANTAA}).status_code == 404


def test_default_graph_is_the_union(server: LiveServer) -> None:
    response = server.client.get(
        "/graph-store", params={"default": ""}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200
    triples = set(ox.parse(response.content, ox.RdfFormat.N_TRIPLES))
    assert len(triples) >= server.store.triple_count(ONTOLOGY_GRAPH)


@pytest.mark.parametrize(
    ("params", "headers", "status"),
    [
        ({"graph": VANTAA}, {}, 404),
        ({"graph": ONTOLOGY_GRAPH}, {"Accept": "image/png"}, 406),
        ({}, {}, 400),
        ({"graph": "not an iri"}, {}, 400),
        ({"graph": ONTOLOGY_GRAPH, "default": ""}, {}, 400),
    ],
    ids=["missing-graph", "not-acceptable", "no-graph", "bad-iri", "both"],
)
def test_read_errors(
    server: LiveServer, params: dict[str, str], headers: dict[str, str], status: int
) -> None:
    response = server.client.get("/graph-store", params=params, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]


# --- access ----------------------------------------------------------------------------------


def test_write_without_token_is_401_with_a_challenge(
    server: LiveServer, unchanged: Callable[[], None]
) -> None:
    response = put(server, HELSINKI, units(0, 3), TURTLE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"] == "AUTHENTICATION_REQUIRED"
    unchanged()


@pytest.mark.parametrize("token", ["snt_0.nope", "revoked", "helsinki-in-basic"])
def test_write_with_an_invalid_token_is_401(
    server: LiveServer, tokens: dict[str, str], unchanged: Callable[[], None], token: str
) -> None:
    if token == "helsinki-in-basic":
        headers = {"Authorization": f"Basic {tokens['helsinki']}", **TURTLE}
    else:
        headers = {**bearer(tokens.get(token, token)), **TURTLE}
    response = post(server, HELSINKI, units(0, 3), headers)
    assert response.status_code == 401
    assert "Bearer" in response.headers["www-authenticate"]
    unchanged()


def test_espoo_token_cannot_write_helsinki(
    server: LiveServer, tokens: dict[str, str], unchanged: Callable[[], None]
) -> None:
    headers = {**bearer(tokens["espoo"]), **TURTLE}
    for method in ("PUT", "POST", "DELETE"):
        response = server.client.request(
            method, "/graph-store", params={"graph": HELSINKI}, content=units(0, 2), headers=headers
        )
        assert response.status_code == 403, method
        assert response.json()["error"] == "ACCESS_DENIED"
    assert put(server, "https://example.org/other", units(0, 2), headers).status_code == 403
    unchanged()


@pytest.mark.parametrize("graph", [ONTOLOGY_GRAPH, SHAPES_GRAPH, SYSTEM_GRAPH, None])
def test_vocabulary_system_and_default_graphs_are_read_only(
    server: LiveServer, tokens: dict[str, str], unchanged: Callable[[], None], graph: str | None
) -> None:
    params = {"graph": graph} if graph else {"default": ""}
    for method in ("PUT", "POST", "DELETE"):
        response = server.client.request(
            method,
            "/graph-store",
            params=params,
            content=units(0, 1),
            headers={**bearer(tokens["helsinki"]), **TURTLE},
        )
        assert response.status_code == 405, method
        assert response.headers["allow"] == "GET, HEAD"
    unchanged()


# --- the write path --------------------------------------------------------------------------


def test_put_creates_201_then_replaces_204_and_post_adds(
    server: LiveServer, tokens: dict[str, str]
) -> None:
    headers = {**bearer(tokens["espoo"]), **TURTLE}
    created = put(server, ESPOO, units(0, 5, city="esp"), headers)
    assert created.status_code == 201
    assert created.json()["triples"] == 10 and created.json()["accepted"] is True
    assert created.headers["location"].endswith(
        f"graph={ESPOO.replace(':', '%3A').replace('/', '%2F')}"
    )
    replaced = put(server, ESPOO, units(100, 3, city="esp"), headers)
    assert replaced.status_code == 204 and replaced.content == b""
    assert graph_triples(server, ESPOO) == triples_of(units(100, 3, city="esp"))
    added = post(server, ESPOO, units(200, 2, city="esp"), headers)
    assert added.status_code == 204
    assert server.store.triple_count(ESPOO) == 10
    # queries (answered by worker processes) see the write at once
    ask = f"ASK {{ GRAPH <{ESPOO}> {{ <https://esp.example/unit/201> ?p ?o }} }}"
    answer = server.client.get(
        "/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.json()["boolean"] is True


def test_post_to_a_new_graph_is_201(server: LiveServer, tokens: dict[str, str]) -> None:
    graph = municipality_graph("049")
    server.client.delete("/graph-store", params={"graph": graph}, headers=bearer(tokens["espoo"]))
    response = post(server, graph, units(0, 1, city="esp"), {**bearer(tokens["espoo"]), **TURTLE})
    assert response.status_code == 201


def test_warnings_are_accepted_with_the_report(server: LiveServer, tokens: dict[str, str]) -> None:
    headers = {**bearer(tokens["helsinki"]), **TURTLE}
    server.client.delete("/graph-store", params={"graph": HELSINKI}, headers=headers)
    created = put(server, HELSINKI, units(0, 2, named=False), headers)
    assert created.status_code == 201
    body = created.json()
    assert body["accepted"] is True
    assert {r["severity"] for r in body["report"]["results"]} == {"Warning"}
    assert len(body["report"]["results"]) == 2
    replaced = put(server, HELSINKI, units(0, 1, named=False), headers)
    assert replaced.status_code == 200
    assert replaced.json()["report"]["results"][0]["focus_node"] == "https://hel.example/unit/0"
    in_turtle = put(
        server, HELSINKI, units(0, 1, named=False), {**headers, "Accept": "text/turtle"}
    )
    assert in_turtle.status_code == 200
    assert b"sh:ValidationReport" in in_turtle.content or b"ValidationReport" in in_turtle.content


def test_violations_are_422_with_the_report_and_change_nothing(
    server: LiveServer, tokens: dict[str, str], unchanged: Callable[[], None]
) -> None:
    headers = {**bearer(tokens["helsinki"]), **TURTLE}
    for method in (put, post):
        response = method(server, HELSINKI, units(0, 3) + INVALID, headers)
        assert response.status_code == 422
        report = response.json()["report"]
        assert report["conforms"] is False
        [violation] = [r for r in report["results"] if r["severity"] == "Violation"]
        assert violation["focus_node"] == "https://hel.example/unit/bad"
        assert violation["value"] == "many"
    odd_accept = put(server, HELSINKI, INVALID, {**headers, "Accept": "application/n-triples"})
    assert odd_accept.status_code == 422 and odd_accept.json()["accepted"] is False
    as_turtle = put(server, HELSINKI, INVALID, {**headers, "Accept": "text/turtle"})
    assert as_turtle.status_code == 422
    assert as_turtle.headers["content-type"].startswith("text/turtle")
    report_graph = list(ox.parse(as_turtle.content, ox.RdfFormat.TURTLE))
    assert any(
        q.object
        == ox.Literal("false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
        for q in report_graph
    )
    unchanged()


def test_a_post_is_validated_with_what_the_graph_already_holds(
    server: LiveServer, tokens: dict[str, str]
) -> None:
    headers = {**bearer(tokens["helsinki"]), **TURTLE}
    assert put(server, HELSINKI, units(0, 2), headers).status_code in (201, 204)
    before = dump(server)
    # a second sn:places for unit 0 breaks maxCount 1 only together with the stored data
    second = f"<https://hel.example/unit/0> <{SN}places> 7 .".encode()
    response = post(server, HELSINKI, second, headers)
    assert response.status_code == 422
    assert response.json()["report"]["results"][0]["constraint"].endswith(
        "MaxCountConstraintComponent"
    )
    assert dump(server) == before


@pytest.mark.parametrize(
    ("content_type", "body", "status", "error"),
    [
        ("application/pdf", b"%PDF-1.4", 415, "UNSUPPORTED_FORMAT"),
        (None, b"<urn:a> <urn:b> <urn:c> .", 415, "UNSUPPORTED_FORMAT"),
        ("text/turtle", b"<urn:a> <urn:b> .\n", 400, "RDF_SYNTAX_ERROR"),
        ("text/turtle", b"[" * 500 + b"]" * 500, 400, "INPUT_REFUSED"),
        (
            "application/ld+json",
            b'{"@id": "urn:a", "urn:p": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            400,
            "INPUT_REFUSED",
        ),
        (
            "application/rdf+xml",
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
            400,
            "INPUT_REFUSED",
        ),
        (
            "application/trig",
            f"<{VANTAA}> {{ <urn:a> <urn:b> <urn:c> }}".encode(),
            400,
            "INPUT_REFUSED",
        ),
        (
            "application/n-quads",
            f"<urn:a> <urn:b> <urn:c> <{ESPOO}> .".encode(),
            400,
            "INPUT_REFUSED",
        ),
        (  # RDF 1.2 triple terms nested deep (20k levels make pyoxigraph's parser overflow)
            "application/n-triples",
            b"<urn:a> <urn:p> "
            + b"<<( <urn:a> <urn:p> " * 8000
            + b"<urn:o>"
            + b" )>>" * 8000
            + b" .",
            400,
            "INPUT_REFUSED",
        ),
        (
            "application/n-triples",
            b"<urn:a> <urn:p> <<( <urn:a> <urn:p> <urn:o> )>> .",
            400,
            "INPUT_REFUSED",
        ),
    ],
    ids=[
        "pdf",
        "no-content-type",
        "syntax",
        "deep-turtle",
        "deep-jsonld",
        "entity",
        "trig-other-graph",
        "nquads-other-graph",
        "deep-triple-terms",
        "triple-term",
    ],
)
def test_refused_uploads_change_nothing(
    server: LiveServer,
    tokens: dict[str, str],
    unchanged: Callable[[], None],
    content_type: str | None,
    body: bytes,
    status: int,
    error: str,
) -> None:
    headers = bearer(tokens["helsinki"])
    if content_type:
        headers["Content-Type"] = content_type
    for method in (put, post):
        response = method(server, HELSINKI, body, headers)
        assert response.status_code == status, response.text
        assert response.json()["error"] == error
    assert server.client.get("/health").json()["ready"] is True  # still serving
    unchanged()


def test_a_syntax_error_names_line_and_column(server: LiveServer, tokens: dict[str, str]) -> None:
    body = units(0, 3) + b'<https://hel.example/x> <urn:p> "open .\n'
    response = put(server, HELSINKI, body, {**bearer(tokens["helsinki"]), **TURTLE})
    assert response.status_code == 400
    location = response.json()["location"]
    assert location["line"] == 7 and location["column"] >= 1


def test_trig_naming_only_the_target_graph_is_accepted(
    server: LiveServer, tokens: dict[str, str]
) -> None:
    body = f'<{HELSINKI}> {{ <https://hel.example/unit/t> <{SN}places> 3 ; <{SN}name> "T" }}'
    response = put(
        server,
        HELSINKI,
        body.encode(),
        {**bearer(tokens["helsinki"]), "Content-Type": "application/trig"},
    )
    assert response.status_code in (201, 204)
    assert server.store.triple_count(HELSINKI) == 2


def test_oversize_upload_is_413_and_changes_nothing(
    server: LiveServer, tokens: dict[str, str], unchanged: Callable[[], None]
) -> None:
    big = units(0, 4000)
    assert len(big) > LIMIT
    headers = {**bearer(tokens["helsinki"]), **TURTLE}
    assert put(server, HELSINKI, big, headers).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        for start in range(0, len(big), 16_384):
            yield big[start : start + 16_384]

    streamed = server.client.put(
        "/graph-store", params={"graph": HELSINKI}, content=chunks(), headers=headers
    )
    assert streamed.status_code == 413
    assert streamed.json()["error"] == "PAYLOAD_TOO_LARGE"
    unchanged()


def test_remote_jsonld_context_is_400_and_never_fetched(
    server: LiveServer, tokens: dict[str, str], unchanged: Callable[[], None]
) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    connections: list[object] = []
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connections.append(connection)

    counter = threading.Thread(target=count)
    counter.start()
    url = f"http://127.0.0.1:{port}/context.jsonld"
    bodies = [
        f'{{"@context": "{url}", "@id": "https://hel.example/u", "places": 3}}',
        f'{{"@context": [{{"x": "urn:x"}}, "{url}"], "@id": "https://hel.example/u"}}',
        f'{{"@context": {{"@import": "{url}"}}, "@id": "https://hel.example/u"}}',
        f'{{"\\u0040context": "{url}", "@id": "https://hel.example/u"}}',
    ]
    try:
        headers = {**bearer(tokens["helsinki"]), "Content-Type": "application/ld+json"}
        for body in bodies:
            response = put(server, HELSINKI, body.encode(), headers)
            assert response.status_code == 400, body
            validated = server.client.post(
                "/validate", content=body.encode(), headers={"Content-Type": "application/ld+json"}
            )
            assert validated.status_code == 400
    finally:
        stop.set()
        counter.join()
        listener.close()
    assert connections == []
    unchanged()


def test_delete_204_then_404_and_needs_the_right_token(
    server: LiveServer, tokens: dict[str, str]
) -> None:
    graph = municipality_graph("049")
    headers = {**bearer(tokens["espoo"]), **TURTLE}
    put(server, graph, units(0, 2, city="esp"), headers)
    before = dump(server)
    assert server.client.delete("/graph-store", params={"graph": graph}).status_code == 401
    denied = server.client.delete(
        "/graph-store", params={"graph": graph}, headers=bearer(tokens["helsinki"])
    )
    assert denied.status_code == 403
    assert dump(server) == before
    gone = server.client.delete("/graph-store", params={"graph": graph}, headers=headers)
    assert gone.status_code == 204
    assert not server.store.has_graph(graph)
    again = server.client.delete("/graph-store", params={"graph": graph}, headers=headers)
    assert again.status_code == 404


def test_every_accepted_write_is_recorded_and_queryable_over_sparql(
    server: LiveServer, tokens: dict[str, str]
) -> None:
    headers = {**bearer(tokens["helsinki"]), **TURTLE}
    put(server, HELSINKI, units(0, 4), headers)
    query = f"""PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX snp: <https://w3id.org/servicenet/publishing#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?agent ?n ?method WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{
        ?a a prov:Activity ; snp:graph <{HELSINKI}> ; snp:triplesAfter ?n ; snp:method ?method ;
           prov:wasAssociatedWith/rdfs:label ?agent ; prov:endedAtTime ?end }} }}
    ORDER BY DESC(?end) LIMIT 1"""
    response = server.client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    [row] = response.json()["results"]["bindings"]
    assert row["agent"]["value"] == "helsinki-ci"
    assert row["n"]["value"] == "8" and row["method"]["value"] == "PUT"


# --- concurrent writers ----------------------------------------------------------------------


def run_concurrently(
    server: LiveServer, requests: list[tuple[str, bytes]], graph: str, token: str
) -> list[int]:
    """Send each (method, body) from its own client and thread, all released together."""
    statuses: list[int] = [0] * len(requests)
    start = threading.Barrier(len(requests))

    def send(index: int, method: str, body: bytes) -> None:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            start.wait()
            response = client.request(
                method,
                "/graph-store",
                params={"graph": graph},
                content=body,
                headers={**bearer(token), **TURTLE},
            )
            statuses[index] = response.status_code

    threads = [
        threading.Thread(target=send, args=(i, method, body))
        for i, (method, body) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_posts_to_one_graph_lose_nothing(
    server: LiveServer, tokens: dict[str, str]
) -> None:
    headers = {**bearer(tokens["helsinki"]), **TURTLE}
    put(server, HELSINKI, units(0, 1), headers)
    batches = [units(1000 + n * 50, 50) for n in range(8)]
    statuses = run_concurrently(
        server, [("POST", b) for b in batches], HELSINKI, tokens["helsinki"]
    )
    assert statuses == [204] * 8
    expected = triples_of(units(0, 1)).union(*(triples_of(b) for b in batches))
    assert graph_triples(server, HELSINKI) == expected
    [info] = [
        d for d in server.client.get("/datasets").json()["datasets"] if d["graph"] == HELSINKI
    ]
    assert info["triples"] == len(expected) == 802


def test_concurrent_puts_last_one_wins_whole(server: LiveServer, tokens: dict[str, str]) -> None:
    bodies = [units(n * 100, 30 + n) for n in range(6)]
    statuses = run_concurrently(server, [("PUT", b) for b in bodies], HELSINKI, tokens["helsinki"])
    assert set(statuses) <= {201, 204}
    final = graph_triples(server, HELSINKI)
    assert [final == triples_of(b) for b in bodies].count(True) == 1
    # the provenance names the PUT that won
    [info] = [
        d for d in server.client.get("/datasets").json()["datasets"] if d["graph"] == HELSINKI
    ]
    assert info["triples"] == len(final) and info["last_method"] == "PUT"


def test_uploads_are_parsed_and_validated_in_the_worker_pool(server: LiveServer) -> None:
    from servicenet_vocab.publishing.writer import run_inline

    publisher = services_of(server.app).publisher
    assert publisher.runner is not run_inline
    # The embedded store republishes each commit to its workers; an engine needs nothing.
    assert (publisher.on_commit is None) is server.remote
