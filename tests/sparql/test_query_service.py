"""The query job and its limits, run in this process (the API tests run it in workers)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import IO

import pyoxigraph as ox
import pytest

from servicenet_vocab.errors import QuerySyntaxError, ResultLimitError
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sparql.job import run_query_job
from servicenet_vocab.sparql.preflight import QueryLimits
from servicenet_vocab.sparql.request import QueryDataset, QueryRequest, ResultLimits
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.embedded import OxigraphStore, QueryKind, ResultFormat, open_store
from servicenet_vocab.workers import WorkerPool

G = "urn:graph:g"
H = "urn:graph:h"


@dataclass
class FakeContext:
    store: OxigraphStore
    output: IO[bytes] = field(default_factory=io.BytesIO)


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    store = open_store("memory")
    rows = "".join(f'<urn:s{i}> <urn:p> "v{i}, {{}} \\"quoted\\"\\nline" .\n' for i in range(10))
    store.load(rows.encode(), RdfFormat.NTRIPLES, graph=G)
    store.load(b"<urn:h> <urn:p> <urn:o> .", RdfFormat.NTRIPLES, graph=H)
    return store


def run(
    store: OxigraphStore,
    text: str,
    max_rows: int = 100_000,
    max_bytes: int = 256 * 1024 * 1024,
    **options: object,
) -> tuple[bytes, object]:
    context = FakeContext(store)
    request = QueryRequest(text, limits=ResultLimits(max_rows, max_bytes), **options)  # type: ignore[arg-type]
    outcome = run_query_job(context, request)
    assert isinstance(context.output, io.BytesIO)
    return context.output.getvalue(), outcome


SELECT_G = f"SELECT ?s ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("fmt", list(ResultFormat))
def test_rows_are_counted_exactly_in_every_format(store: OxigraphStore, fmt: ResultFormat) -> None:
    body, outcome = run(store, SELECT_G, results_format=fmt, max_rows=10)
    assert outcome.rows == 10  # type: ignore[attr-defined]
    assert outcome.bytes == len(body)  # type: ignore[attr-defined]
    assert outcome.media_type == fmt.media_type  # type: ignore[attr-defined]
    with pytest.raises(ResultLimitError, match="more than 9 rows"):
        run(store, SELECT_G, results_format=fmt, max_rows=9)


def test_rows_with_nothing_bound_are_counted(store: OxigraphStore) -> None:
    query = f"SELECT ?x WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} OPTIONAL {{ ?s <urn:none> ?x }} }}"
    body, outcome = run(store, query, max_rows=10)
    assert json.loads(body)["results"]["bindings"] == [{}] * 10
    assert outcome.rows == 10  # type: ignore[attr-defined]
    with pytest.raises(ResultLimitError):
        run(store, query, max_rows=9)


def test_byte_limit(store: OxigraphStore) -> None:
    with pytest.raises(ResultLimitError, match="100 bytes"):
        run(store, SELECT_G, max_bytes=100)


def test_graph_results_count_triples(store: OxigraphStore) -> None:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"
    body, outcome = run(store, query, graph_format=RdfFormat.NTRIPLES, max_rows=10)
    assert outcome.kind is QueryKind.GRAPH  # type: ignore[attr-defined]
    assert len(list(ox.parse(body, ox.RdfFormat.N_TRIPLES))) == 10
    with pytest.raises(ResultLimitError):
        run(store, query, graph_format=RdfFormat.TURTLE, max_rows=3)


def test_ask_and_the_dataset_options(store: OxigraphStore) -> None:
    body, outcome = run(store, "ASK { <urn:h> ?p ?o }", results_format=ResultFormat.JSON)
    assert json.loads(body)["boolean"] is True
    assert outcome.kind is QueryKind.BOOLEAN  # type: ignore[attr-defined]
    own_from = f"ASK FROM <{G}> {{ <urn:h> ?p ?o }}"
    assert json.loads(run(store, own_from, union_default_graph=False)[0])["boolean"] is False
    assert json.loads(run(store, own_from)[0])["boolean"] is True  # what the union would do
    only_h = run(store, "SELECT * { ?s ?p ?o }", dataset=QueryDataset(default_graphs=(H,)))[1]
    assert only_h.rows == 1  # type: ignore[attr-defined]


def test_syntax_errors_are_located(store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run(store, "SELECT * WHERE {\n ?s ?p }")
    assert caught.value.location is not None
    assert caught.value.location.line == 2


def test_long_expected_lists_are_cut_to_a_readable_message(store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run(store, "ASK {")
    message = caught.value.message
    assert message.startswith('expected one of "$"')
    assert "more" in message and "u{" not in message and len(message) < 200
    assert caught.value.location is not None and caught.value.location.column == 6


def test_service_runs_scanned_queries_in_a_worker(store: OxigraphStore) -> None:
    with WorkerPool(1) as pool:
        pool.publish(store)  # no snapshot source: workers start from an empty store
        service = QueryService(pool, store, QueryLimits(), timeout=10)
        scanned = service.scan(f"SELECT * FROM <{G}> WHERE {{ ?s ?p ?o }}")
        assert scanned.declares_dataset
        sink = io.BytesIO()
        outcome = service.run(service.request("ASK {}", scanned), sink)
        assert outcome.kind is QueryKind.BOOLEAN
        assert json.loads(sink.getvalue())["boolean"] is True
