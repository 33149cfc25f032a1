"""``/queries``: the named planning queries on a live uvicorn with the example cities loaded.

Every query's HTTP result is compared with the same bound query run by the library on its own
store; parameters are typed and validated (400 naming the parameter), results negotiated, limits
the same as ``/sparql``'s, and each query is its own documented OpenAPI operation."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import VIRTUOSO, LiveServer, differs_on, run_live_server

from servicenet_vocab.planning.facts import held
from servicenet_vocab.queries import NamedQuery, answer, bind, get_query, list_queries
from servicenet_vocab.store.embedded import OxigraphStore, open_store
from servicenet_vocab.vocabulary import files as vocabulary
from servicenet_vocab.workers import WorkerContext

QUERIES = list_queries()
SPARQL_JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server(backend: str) -> Iterator[LiveServer]:
    with run_live_server(backend, load_examples=True, workers=2) as live:
        yield live


@pytest.fixture(scope="module")
def local_store() -> Iterator[OxigraphStore]:
    store = open_store("memory")
    vocabulary.load_all(store, examples=True)
    yield store
    store.close()


def _rows_from_json(body: dict[str, object]) -> list[tuple[str | None, ...]]:
    head = body["head"]
    results = body["results"]
    assert isinstance(head, dict) and isinstance(results, dict)
    names = head["vars"]
    return sorted(
        (
            tuple(binding[n]["value"] if n in binding else None for n in names)
            for binding in results["bindings"]
        ),
        key=_unbound_first,
    )


def _unbound_first(row: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is not None, value or "") for value in row)


def test_list_has_every_query_with_typed_parameters(server: LiveServer) -> None:
    listed = server.client.get("/queries").json()["queries"]
    assert [q["name"] for q in listed] == [q.name for q in QUERIES]
    utilisation = next(q for q in listed if q["name"] == "utilisation")
    assert utilisation["url"] == "/queries/utilisation"
    assert utilisation["title"].startswith("Confirmed occupancy (täyttöaste)")
    assert utilisation["parameters"] == [
        {
            "name": "date",
            "type": "xsd:date",
            "default": "2025-10-01",
            "description": "Reference date of capacity and enrolment (as of)",
        },
        {
            "name": "low",
            "type": "xsd:decimal",
            "default": 0.85,
            "description": 'Utilisation below this is flagged "under"',
        },
        {
            "name": "high",
            "type": "xsd:decimal",
            "default": 1.05,
            "description": 'Utilisation above this is flagged "over"',
        },
        {
            "name": "window",
            "type": "xsd:integer",
            "default": 365,
            "description": "Days before the date within which the latest observation counts "
            "(as of the date)",
        },
    ]


# Measured on Virtuoso 7.2: it divides integers as integers (SPARQL: an xsd:decimal quotient), so
# every share and rate of a .rq query differs. A Python answer does its arithmetic in Python on
# the facts its SELECTs read, so it answers on Virtuoso as anywhere.
VIRTUOSO_ANSWERS_DIFFER = {
    "electronic-application-share",
}


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_query_answers_what_the_library_answers(
    server: LiveServer,
    local_store: OxigraphStore,
    query: NamedQuery,
    request: pytest.FixtureRequest,
) -> None:
    if query.name in VIRTUOSO_ANSWERS_DIFFER:
        reason = "Virtuoso 7.2 divides integers as integers (SPARQL: xsd:decimal) or fails (SQ074)"
        differs_on(request, server.backend, reason, VIRTUOSO)
    response = server.client.get(f"/queries/{query.name}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == SPARQL_JSON
    body = response.json()
    if query.kind == "python":  # the same answer computed by the library on its own store
        table = answer(lambda text: local_store.query(text).rows(), query.name)
        assert body["head"]["vars"] == table.variables
        assert _rows_from_json(body) == sorted(
            (tuple(row[name] for name in table.variables) for row in table.records()),
            key=_unbound_first,
        )
        return
    expected = local_store.query(bind(query))
    assert body["head"]["vars"] == expected.variables
    assert _rows_from_json(body) == sorted(
        (tuple(row[name] for name in expected.variables) for row in expected.rows()),
        key=_unbound_first,
    )


def test_parameters_change_the_answer(server: LiveServer, request: pytest.FixtureRequest) -> None:
    strict = server.client.get("/queries/utilisation", params={"low": "0", "high": "0"}).json()
    flags = {b["flag"]["value"] for b in strict["results"]["bindings"]}
    assert flags == {"over"}
    lenient = server.client.get("/queries/utilisation", params={"low": "0", "high": "99"}).json()
    assert {b["flag"]["value"] for b in lenient["results"]["bindings"]} == {"ok"}
    empty = server.client.get("/queries/utilisation", params={"date": "1999-01-01"}).json()
    assert empty["results"]["bindings"] == []


def test_post_json_with_typed_values(server: LiveServer, request: pytest.FixtureRequest) -> None:
    response = server.client.post("/queries/utilisation", json={"low": 0, "high": 0.0})
    assert response.status_code == 200
    flags = {b["flag"]["value"] for b in response.json()["results"]["bindings"]}
    assert flags == {"over"}
    defaults = server.client.post("/queries/utilisation")  # no body: the defaults
    assert defaults.status_code == 200 and defaults.json()["results"]["bindings"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date": "2025-13-01"}, "date", "must be xsd:date"),
        ({"low": "abc"}, "low", "must be xsd:decimal"),
        ({"low": "NaN"}, "low", "must be xsd:decimal"),
    ],
)
def test_bad_values_are_400_naming_the_parameter(
    server: LiveServer, params: dict[str, str], field: str, message: str
) -> None:
    response = server.client.get("/queries/utilisation", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "INVALID_INPUT"
    assert body["location"] == {"field": field}
    assert message in body["message"]


def test_integer_parameter_refuses_a_boolean_in_json(server: LiveServer) -> None:
    response = server.client.post("/queries/places-vs-forecast", json={"year": True})
    assert response.status_code == 400
    assert response.json()["location"] == {"field": "year"}


def test_unknown_and_repeated_parameters_are_400(server: LiveServer) -> None:
    unknown = server.client.get("/queries/utilisation", params={"colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.json()["message"]
    twice = server.client.get("/queries/utilisation", params=[("low", "1"), ("low", "2")])
    assert twice.status_code == 400
    assert twice.json()["location"] == {"field": "low"}


@pytest.mark.parametrize(
    ("content", "content_type", "status", "location"),
    [
        (b'{"low": ', "application/json", 400, {"source": "body", "line": 1, "column": 9}),
        (b"[1, 2]", "application/json", 400, None),
        (b'{"low": [1]}', "application/json", 400, {"field": "low"}),
        (b"low=1", "application/x-www-form-urlencoded", 415, None),
        (b"x" * (64 * 1024 + 1), "application/json", 413, {"source": "body"}),
    ],
    ids=["broken-json", "not-an-object", "nested-value", "form-body", "too-large"],
)
def test_bad_post_bodies(
    server: LiveServer,
    content: bytes,
    content_type: str,
    status: int,
    location: dict[str, object] | None,
) -> None:
    response = server.client.post(
        "/queries/utilisation", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == status
    body = response.json()
    assert body["message"]
    assert body.get("location") == location


def test_unknown_query_is_404(server: LiveServer) -> None:
    for response in (
        server.client.get("/queries/no-such-query"),
        server.client.post("/queries/no-such-query", json={}),
        server.client.get("/queries/Bad_Name"),
    ):
        assert response.status_code == 404
        assert response.json()["error"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("accept", "fmt", "media_type"),
    [
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        (None, "tsv", "text/tab-separated-values"),
        ("application/json", None, SPARQL_JSON),
    ],
)
def test_result_formats(
    server: LiveServer, accept: str | None, fmt: str | None, media_type: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    params = {"format": fmt} if fmt else {}
    response = server.client.get("/queries/need-mix", headers=headers, params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    json_rows = server.client.get("/queries/need-mix").json()["results"]["bindings"]
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert len(rows) == len(json_rows) + 1  # header + one line per row
    elif media_type.endswith("+xml"):
        parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.XML)
        assert isinstance(parsed, ox.QuerySolutions)
        assert len(list(parsed)) == len(json_rows)


def test_not_acceptable(server: LiveServer) -> None:
    response = server.client.get("/queries/need-mix", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["error"] == "NOT_ACCEPTABLE"
    assert "text/csv" in response.json()["message"]


def test_html_page_runs_the_query_with_a_form(
    server: LiveServer, request: pytest.FixtureRequest
) -> None:
    page = server.client.get(
        "/queries/utilisation",
        params={"low": "0", "high": "0", "ui": "fi"},
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 200
    assert '<html lang="fi">' in page.text
    assert 'name="low" value="0"' in page.text
    rows = page.text.count("<tr><td>")
    assert rows == page.text.count("<td>over</td>") and rows > 0
    assert "format=csv" in page.text  # the same result in the other formats
    # project IRIs link to their pages, named by their label in the page's language
    assert (
        '<a href="/code/municipality/049" title="https://w3id.org/servicenet/code/municipality/049">Espoo</a>'
        in page.text
    )


def test_html_page_shows_a_bad_value_next_to_the_form(server: LiveServer) -> None:
    page = server.client.get(
        "/queries/utilisation", params={"date": "tomorrow"}, headers={"Accept": "text/html"}
    )
    assert page.status_code == 400
    assert 'role="alert"' in page.text and "(date)" in page.text
    assert 'value="tomorrow"' in page.text


def test_each_query_is_an_openapi_operation_with_its_parameters(server: LiveServer) -> None:
    paths = server.client.get("/openapi.json").json()["paths"]
    for query in QUERIES:
        operation = paths[f"/queries/{query.name}"]
        get = operation["get"]
        assert get["summary"] == query.title
        documented = {p["name"]: p for p in get["parameters"]}
        for param in query.params:
            assert documented[param.name]["schema"]["default"] is not None
            assert documented[param.name]["description"] == param.description
        body = operation["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert set(body["properties"]) == {p.name for p in query.params}
    date = {p["name"]: p for p in paths["/queries/utilisation"]["get"]["parameters"]}["date"]
    assert date["schema"] == {"type": "string", "format": "date", "default": "2025-10-01"}


def test_the_same_limits_as_sparql(
    live_server_factory: Callable[..., Any], backend: str, request: pytest.FixtureRequest
) -> None:
    with live_server_factory(load_examples=True, workers=1, result_limit=2) as live:
        response = live.client.get("/queries/utilisation")
        assert response.status_code == 413
        assert response.json()["error"] == "RESULT_LIMIT_EXCEEDED"
        assert get_query("utilisation").params  # the query itself stays valid


# --- Python answers (servicenet_vocab.queries.answers): the same route, formats and limits ------


def test_python_answer_in_csv_and_html(server: LiveServer) -> None:
    listed = {q["name"]: q for q in server.client.get("/queries").json()["queries"]}
    assert {"closure-impact", "distance-to-free-place", "preschool-places-vs-six-year-olds", "school-capacity-vs-forecast"} <= set(listed)  # fmt: skip
    response = server.client.get("/queries/places-vs-forecast", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    viro = next(r for r in rows if r["areaName"] == "Vironniemi")
    assert (viro["places"], viro["children"], viro["ratio"]) == ("219", "246", "1.116")
    page = server.client.get(
        "/queries/distance-to-free-place",
        params={"maxKm": "1", "ui": "en"},
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 200
    assert 'name="maxKm" value="1"' in page.text and "<td>true</td>" in page.text


def test_python_answer_refuses_a_bad_word_naming_the_parameter(server: LiveServer) -> None:
    response = server.client.get("/queries/places-vs-forecast", params={"scenario": "optimistic"})
    assert response.status_code == 400
    assert response.json()["location"] == {"field": "scenario"}
    typed = server.client.post("/queries/closure-impact", json={"maxKm": "far"})
    assert typed.status_code == 400 and typed.json()["location"] == {"field": "maxKm"}


def test_python_answer_has_the_same_limits(
    live_server_factory: Callable[..., Any], backend: str, request: pytest.FixtureRequest
) -> None:
    with live_server_factory(load_examples=True, workers=1, result_limit=2) as live:
        response = live.client.get("/queries/places-vs-forecast")
        assert response.status_code == 413
        assert response.json()["error"] == "RESULT_LIMIT_EXCEEDED"


def facts_held(context: WorkerContext) -> tuple[object, list[str]]:
    return held()


def test_a_python_answer_runs_in_a_query_worker_not_in_the_facade() -> None:
    """Under the worker's limits and with its facts: without the warm-up, the facts the one
    worker holds after a request can only come from answering it (0.x computed it in the
    facade's own thread, with no limit and no facts kept)."""
    with run_live_server(load_examples=True, workers=1, warm_answers=False) as live:
        assert live.pool.call(facts_held, timeout=30) == (None, [])
        response = live.client.get(
            "/queries/utilisation", headers={"Accept": "application/sparql-results+json"}
        )
        assert response.status_code == 200 and response.json()["results"]["bindings"]
        token, names = live.pool.call(facts_held, timeout=30)
        assert token == ("generation", live.pool.generation) and "places_on" in names
