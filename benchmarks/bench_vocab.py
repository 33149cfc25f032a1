"""Vocabulary label search and the facade's vocabulary/query routes.

Label search over the project's vocabulary graphs (fi/sv/en, every language), three ways:
  servicenet   ``Vocabulary.search`` (in-memory index, case- and accent-folded, ranked)
  pyoxigraph   a Skosmos-style SPARQL search: FILTER(CONTAINS(LCASE(?label), ...)) on the store
               (case-folded only: "paivakoti" does not find "päiväkoti")
  rdflib       the same SPARQL on an rdflib graph (what rdflib-endpoint would evaluate)
Then requests per second on a live uvicorn (one client, sequential) for /vocab/search, a term page,
the term as Turtle, the home page and one named query as SPARQL JSON and as its HTML page.

    .venv/bin/python benchmarks/bench_vocab.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import rdflib

from servicenet_vocab import namespaces as ns
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.vocabulary import files as vocabulary
from servicenet_vocab.vocabulary.index import TERM_GRAPHS, Vocabulary

WORDS = ["päiväkoti", "skola", "unit", "esiopetus", "helsin", "care", "kunta", "lokal"]
SPARQL = """
SELECT DISTINCT ?term ?label WHERE {{
  VALUES ?p {{ skos:prefLabel skos:altLabel rdfs:label }}
  ?term ?p ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "{word}"))
}}"""
PREFIXES = f"PREFIX skos: <{ns.SKOS}>\nPREFIX rdfs: <{ns.RDFS}>\n"


def per_second(action: Callable[[], object], seconds: float = 2.0) -> float:
    action()  # warm up
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        action()
        count += 1
    return count / (time.perf_counter() - start)


def search_benchmark() -> None:
    store = open_store("memory")
    vocabulary.load_all(store, examples=False)
    start = time.perf_counter()
    index = Vocabulary.from_store(store)
    built = time.perf_counter() - start
    graph = rdflib.Graph()
    for graph_iri in TERM_GRAPHS:
        graph.parse(data=store.dump(RdfFormat.NTRIPLES, graph=graph_iri).decode(), format="nt")
    print(f"index built in {built * 1000:.0f} ms from {len(graph):,} triples")
    print(
        f"{'word':<12}{'servicenet/s':>14}{'hits':>6}{'pyoxigraph/s':>14}{'hits':>6}"
        f"{'rdflib/s':>10}{'hits':>6}"
    )
    for word in WORDS:
        query = PREFIXES + SPARQL.format(word=word)
        ours = per_second(lambda w=word: index.search(w, limit=500), 1.0)  # type: ignore[misc]
        our_hits = len(index.search(word, limit=500))
        ox_rate = per_second(lambda q=query: list(store.query(q).rows()), 1.0)  # type: ignore[misc]
        ox_hits = len({row["term"] for row in store.query(query).rows()})
        rdf_rate = per_second(lambda q=query: list(graph.query(q)), 1.0)  # type: ignore[misc]
        rdf_hits = len({row[0] for row in graph.query(query)})  # type: ignore[index]
        print(
            f"{word:<12}{ours:>14,.0f}{our_hits:>6}{ox_rate:>14,.0f}{ox_hits:>6}"
            f"{rdf_rate:>10,.1f}{rdf_hits:>6}"
        )


def http_benchmark() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import run_live_server  # the tests' real uvicorn on 127.0.0.1

    html = {"Accept": "text/html"}
    with run_live_server(load_examples=True, workers=2) as server:
        client = server.client
        cases: list[tuple[str, str, dict[str, str]]] = [
            ("GET /vocab/search?q=koulu (JSON)", "/vocab/search?q=koulu", {}),
            ("GET /vocab/term/ServiceUnit (Turtle)", "/vocab/term/ServiceUnit", {}),
            (
                "GET /vocab/term/ServiceUnit (JSON-LD)",
                "/vocab/term/ServiceUnit",
                {"Accept": "application/ld+json"},
            ),
            ("GET /vocab/term/ServiceUnit (HTML)", "/vocab/term/ServiceUnit", html),
            ("GET / (HTML)", "/", html),
            ("GET /queries/utilisation (SPARQL JSON)", "/queries/utilisation", {}),
            ("GET /queries/utilisation (HTML)", "/queries/utilisation", html),
        ]
        for name, path, headers in cases:
            rate = per_second(lambda p=path, h=headers: client.get(p, headers=h))  # type: ignore[misc]
            print(f"{name:<42}{rate:>8,.0f} requests/s   {1000 / rate:>6.1f} ms each")


if __name__ == "__main__":
    search_benchmark()
    http_benchmark()
