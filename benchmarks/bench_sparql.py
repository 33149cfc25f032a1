"""SPARQL endpoint benchmark: this facade vs rdflib-endpoint vs calling pyoxigraph directly.

The same ~100k-triple generated city (benchmarks/generate_city.py plus areas with a SKOS hierarchy
and population forecasts), the same five queries, concurrent clients on loopback. Each server runs
in its own process; the engine is called in this process. Prints throughput and p50/p99 latency.

    .venv/bin/pip install -e '.[bench]'      # rdflib-endpoint, the peer
    .venv/bin/python benchmarks/bench_sparql.py [--triples 100000] [--clients 4] [--seconds 6]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_city import generate

SN = "https://w3id.org/servicenet/ontology#"
CODE = "https://w3id.org/servicenet/code/"
BASE = "https://data.example.fi/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GRAPH = "https://w3id.org/servicenet/graph/municipality/091"
PREFIXES = f"PREFIX sn: <{SN}> PREFIX skos: <{SKOS}> "
AREAS, DISTRICTS = 100, 20
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

QUERIES = {
    "IRI lookup": "SELECT ?p ?o WHERE { <UNIT> ?p ?o }",  # UNIT: a generated unit's IRI
    "filter by municipality": PREFIXES + 'SELECT ?u ?name WHERE { ?u sn:municipalityCode "049" ; '
    'skos:prefLabel ?name FILTER(LANG(?name) = "fi") }',
    "aggregate per area": PREFIXES + "SELECT ?area (SUM(?places) AS ?total) (COUNT(?u) AS ?units) "
    "WHERE { ?u sn:area ?area . ?c sn:unit ?u ; sn:places ?places } GROUP BY ?area",
    "capacity vs forecast": PREFIXES + "SELECT ?area ?places ?children WHERE { "
    "{ SELECT ?area (SUM(?p) AS ?places) WHERE { ?u sn:area ?area . "
    "?c a sn:CapacityObservation ; sn:unit ?u ; sn:places ?p } GROUP BY ?area } "
    "?f sn:area ?area ; sn:year 2030 ; sn:children ?children } ORDER BY ?area",
    "SKOS broader* path": PREFIXES + "SELECT (COUNT(?u) AS ?units) WHERE { "
    f"?area skos:broader* <{CODE}municipality/091> . ?u sn:area ?area }}",
}


def dataset(triples: int) -> bytes:
    """The generated city plus areas (postal area -> district -> municipality) and forecasts."""
    city = generate(triples - AREAS * 10)
    daycare = f"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SN}DaycareCentre> .".encode()
    units = re.findall(rb"^<([^>]+)" + re.escape(daycare), city, flags=re.MULTILINE)
    rng = random.Random(7)
    lines = [
        f"<{BASE}district/{d}> <{SKOS}broader> <{CODE}municipality/091> ." for d in range(DISTRICTS)
    ]
    for a in range(AREAS):
        area = f"<{BASE}area/{a}>"
        lines.append(f"{area} <{SKOS}broader> <{BASE}district/{a % DISTRICTS}> .")
        for year in (2025, 2030):
            forecast = f"<{BASE}forecast/{a}/{year}>"
            lines += [
                f"{forecast} <{SN}area> {area} .",
                f'{forecast} <{SN}year> "{year}"^^<{XSD_INTEGER}> .',
                f'{forecast} <{SN}children> "{rng.randint(50, 900)}"^^<{XSD_INTEGER}> .',
            ]
    for index, unit in enumerate(units):
        lines.append(f"<{unit.decode()}> <{SN}area> <{BASE}area/{index % AREAS}> .")
    QUERIES["IRI lookup"] = QUERIES["IRI lookup"].replace("UNIT", units[17].decode())
    return city + ("\n".join(lines) + "\n").encode()


# --- targets ------------------------------------------------------------------------------------


def start_facade(data_file: Path, workdir: Path, port: int) -> subprocess.Popen[bytes]:
    store = workdir / "store"
    subprocess.run(
        [sys.executable, "-m", "servicenet_vocab.cli", "load", "--store", str(store),
         "--graph", GRAPH, str(data_file)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    env = {**os.environ, "SERVICENET_WORKERS": "2", "SERVICENET_LOAD_EXAMPLES": "false"}
    return subprocess.Popen(
        [sys.executable, "-m", "servicenet_vocab.cli", "serve", "--store", str(store),
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


PEER = """
import sys, uvicorn, rdflib
from rdflib_endpoint import SparqlEndpoint
graph = rdflib.Graph()
graph.parse(sys.argv[1], format="nt")
app = SparqlEndpoint(graph=graph, path="/sparql", public_url=f"http://127.0.0.1:{sys.argv[2]}/sparql")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def start_peer(data_file: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", PEER, str(data_file), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], query: str) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited with {process.returncode}")
        try:
            if httpx.get(url, params={"query": query}, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # polling interval
    raise SystemExit(f"{url} never became ready")


# --- measuring ----------------------------------------------------------------------------------


def measure(
    call: Callable[[], None], clients: int, seconds: float
) -> tuple[float, float, float, int]:
    """Run ``call`` from ``clients`` threads for ``seconds``: (per second, p50 ms, p99 ms, n)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            call()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000, len(latencies)


def http_call(url: str, query: str) -> Callable[[], None]:
    local = threading.local()

    def call() -> None:
        client = getattr(local, "client", None) or httpx.Client(timeout=120)
        local.client = client
        response = client.get(
            url, params={"query": query}, headers={"accept": "application/sparql-results+json"}
        )
        response.raise_for_status()
        _ = response.content

    return call


def engine_call(store: ox.Store, query: str) -> Callable[[], None]:
    def call() -> None:
        result = store.query(query, use_default_graph_as_union=True)
        result.serialize(None, ox.QueryResultsFormat.JSON)  # type: ignore[arg-type]

    return call


def freshness(data: bytes, workdir: Path) -> None:
    """How workers see a write: per-graph snapshot + in-memory reload vs a read-only disk handle."""
    from servicenet_vocab.query_service import QueryRequest, run_query_job
    from servicenet_vocab.rdfio import RdfFormat
    from servicenet_vocab.store import open_store
    from servicenet_vocab.workers import StoreSource, WorkerPool

    store = open_store(workdir / "fresh-store")
    store.load(data, RdfFormat.NTRIPLES, graph=GRAPH)
    aggregate = QueryRequest(QUERIES["aggregate per area"])
    print(
        f"\nfreshness: one write of the whole {len(store):,}-triple graph, then the aggregate query"
    )
    for label, source in (
        ("in-memory copy (snapshot)", StoreSource.snapshot(workdir / "snapshots")),
        ("read-only disk handle", StoreSource.read_only(workdir / "fresh-store")),
    ):
        with WorkerPool(1, source=source) as pool:
            started = time.perf_counter()
            pool.publish(store, [GRAPH])
            published = time.perf_counter() - started
            started = time.perf_counter()
            pool.call(run_query_job, aggregate, timeout=120)
            first = time.perf_counter() - started
            rate, p50, _, _ = measure(
                lambda: pool.call(run_query_job, aggregate, timeout=120), 1, 4
            )
        print(
            f"  {label:<28} publish {published * 1000:7.0f} ms   first query (reload) "
            f"{first * 1000:7.0f} ms   then {rate:5.1f} queries/s (p50 {p50:.0f} ms)"
        )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    try:
        import rdflib_endpoint  # noqa: F401

        with_peer = True
    except ImportError:
        print("rdflib-endpoint is not installed: the peer is skipped (pip install -e '.[bench]')")
        with_peer = False

    data = dataset(args.triples)
    engine = ox.Store()
    engine.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
    print(f"dataset: {len(engine):,} triples; {args.clients} concurrent clients, "
          f"{args.seconds:g} s per query and target; 2-core machine")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        data_file = workdir / "city.nt"
        data_file.write_bytes(data)
        facade_port, peer_port = _free_port(), _free_port()
        servers = {"facade": start_facade(data_file, workdir, facade_port)}
        if with_peer:
            servers["rdflib-endpoint"] = start_peer(data_file, peer_port)
        urls = {"facade": f"http://127.0.0.1:{facade_port}/sparql"}
        urls["rdflib-endpoint"] = f"http://127.0.0.1:{peer_port}/sparql"
        try:
            for name, process in servers.items():
                wait_ready(urls[name], process, QUERIES["IRI lookup"])
            _report(engine, urls, list(servers), args)
        finally:
            for process in servers.values():
                process.terminate()
                process.wait(timeout=30)
        freshness(data, workdir)


def _report(
    engine: ox.Store, urls: dict[str, str], targets: list[str], args: argparse.Namespace
) -> None:
    header = f"{'query':<24} {'target':<22} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'n':>7}"
    print(header)
    print("-" * len(header))
    for label, query in QUERIES.items():
        rows = {
            "pyoxigraph direct (1 thread)": measure(engine_call(engine, query), 1, args.seconds)
        }
        for target in targets:
            rows[target] = measure(http_call(urls[target], query), args.clients, args.seconds)
        # Latency without queueing: one client, as the engine row has one thread.
        rows["facade (1 client)"] = measure(http_call(urls["facade"], query), 1, args.seconds)
        for target, (rate, p50, p99, n) in rows.items():
            print(f"{label:<24} {target:<22} {rate:>9.1f} {p50:>9.2f} {p99:>9.2f} {n:>7}")
        if "rdflib-endpoint" in rows:
            ratio = rows["facade"][0] / rows["rdflib-endpoint"][0]
            print(f"{'':<24} facade / rdflib-endpoint throughput: {ratio:.1f}x")
        p50_ratio = rows["facade (1 client)"][1] / rows["pyoxigraph direct (1 thread)"][1]
        print(f"{'':<24} facade p50 (1 client) / engine p50: {p50_ratio:.1f}x")


if __name__ == "__main__":
    main()
