"""``servicenet query --timeout``: the query runs in a worker that is killed at the limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from servicenet_vocab.cli import main

G = "urn:graph:cli"
LONG = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{k} {{ {' '.join(str(i) for i in range(60))} }}" for k in range(5))
    + " }"
)


@pytest.fixture
def store(tmp_path: Path) -> str:
    data = tmp_path / "data.nt"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> <urn:d> .\n", "utf-8")
    location = str(tmp_path / "store")
    assert main(["load", "--store", location, "--graph", G, str(data)]) == 0
    return location


def test_a_query_within_the_limit_prints_its_result(
    store: str, capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    code = main(["query", "--store", store, "--timeout", "20", "SELECT ?o WHERE { ?s ?p ?o }"])
    assert code == 0
    out = capfd.readouterr().out
    assert "urn:c" in out and "(2 rows)" in out
    own_from = f"SELECT ?o FROM <{G}> WHERE {{ ?s ?p ?o }}"
    assert main(["query", "--store", store, "--timeout", "20", "--format", "csv", own_from]) == 0
    assert capfd.readouterr().out.count("urn:") == 2


def test_a_long_query_is_stopped_at_the_limit(
    store: str, capfd: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    assert main(["query", "--store", store, "--timeout", "1", LONG]) == 2
    assert time.monotonic() - started < 4
    assert "limit of 1 s" in capfd.readouterr().err


def test_refused_queries_never_reach_a_worker(
    store: str, capfd: pytest.CaptureFixture[str]
) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert main(["query", "--store", store, "--timeout", "5", query]) == 2
    assert "SERVICE" in capfd.readouterr().err
