"""SPARQL endpoint benchmark: this facade vs rdflib-endpoint vs calling pyoxigraph directly.

The same ~100k-triple generated city (benchmarks/generate_city.py plus areas with a SKOS hierarchy
and population forecasts), the same five queries (the lookup twice: one IRI repeated, and a
different unit per request), concurrent clients on loopback. Each server runs in its own process;
the engine is called in this process. Prints throughput and p50/p99 latency.

Load comes from ``wrk`` (C, one thread: it leaves the CPU to the servers) when it is installed
(``make bench`` installs the Debian package), else from Python threads with httpx, which on two
cores spend as much CPU as the servers. Two floors are measured the same way: a FastAPI route that
returns a constant (the most any FastAPI server answers on this machine) and pyoxigraph called
inside a FastAPI route (no worker process, no limits: what the containment costs).

    .venv/bin/pip install -e '.[bench]'      # rdflib-endpoint, the peer
    .venv/bin/python benchmarks/bench_sparql.py [--triples 100000] [--clients 4] [--seconds 6]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

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


LOOKUP = QUERIES["IRI lookup"]
LOOKUPS: list[str] = []  # the lookup for each of 1,000 units, for "a different unit per request"
VARIED = "IRI lookup, varied"


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
    LOOKUPS[:] = [LOOKUP.replace("UNIT", unit.decode()) for unit in units[:1000]]
    return city + ("\n".join(lines) + "\n").encode()


# --- targets ------------------------------------------------------------------------------------


def start_facade(data_file: Path, workdir: Path, port: int) -> subprocess.Popen[bytes]:
    store = workdir / "store"
    subprocess.run(
        [sys.executable, "-m", "servicenet_vocab.cli", "load", "--store", str(store),
         "--graph", GRAPH, str(data_file)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    env = {
        **os.environ,
        "SERVICENET_WORKERS": "2",
        "SERVICENET_LOAD_EXAMPLES": "false",
        "SERVICENET_ACCESS_LOG": "false",  # as every other server here (log_level="warning")
    }
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


# The floors: the same uvicorn (uvloop, httptools) and FastAPI as the facade.
CONSTANT = """
import sys, uvicorn
from fastapi import FastAPI, Response
app = FastAPI()
body = open(sys.argv[1], "rb").read()
@app.get("/sparql")
async def constant() -> Response:
    return Response(body, media_type="application/sparql-results+json")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""
IN_PROCESS = """
import sys, uvicorn, pyoxigraph as ox
from fastapi import FastAPI, Response
app = FastAPI()
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(sys.argv[3]))
@app.get("/sparql")
async def query(query: str) -> Response:
    result = store.query(query, use_default_graph_as_union=True)
    body = result.serialize(None, ox.QueryResultsFormat.JSON)
    return Response(body, media_type="application/sparql-results+json")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def start_script(script: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
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


def http_call(url: str, queries: Sequence[str]) -> Callable[[], None]:
    local = threading.local()
    turn = iter(range(10**12))

    def call() -> None:
        client = getattr(local, "client", None) or httpx.Client(timeout=120)
        local.client = client
        query = queries[next(turn) % len(queries)]
        response = client.get(
            url, params={"query": query}, headers={"accept": "application/sparql-results+json"}
        )
        response.raise_for_status()
        _ = response.content

    return call


WRK_SCRIPT = """
local paths = {%s}
local turn = 0
request = function()
  turn = turn %% #paths + 1
  return wrk.format("GET", paths[turn], {["Accept"] = "application/sparql-results+json"})
end
"""
WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def http_load(
    url: str, queries: Sequence[str], clients: int, seconds: float
) -> tuple[float, float, float, int]:
    """(per second, p50 ms, p99 ms, n) from wrk if installed, else from httpx threads."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return measure(http_call(url, queries), clients, seconds)
    path = url.split("/", 3)[3]
    paths = ", ".join(f'"/{path}?{urlencode({"query": q})}"' for q in queries)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % paths)
        script.flush()
        done = subprocess.run(
            [wrk, "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "300s",
             "-s", script.name, url.rsplit("/", 1)[0]],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    out = done.stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"{url} answered with errors under load:\n{out}")
    latency = {p: float(v) * UNIT_MS[u] for p, v, u in WRK_LATENCY.findall(out)}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return rate, latency["50"], latency["99"], total


def engine_call(store: ox.Store, queries: Sequence[str]) -> Callable[[], None]:
    turn = iter(range(10**12))

    def call() -> None:
        query = queries[next(turn) % len(queries)]
        result = store.query(query, use_default_graph_as_union=True)
        result.serialize(None, ox.QueryResultsFormat.JSON)  # type: ignore[arg-type]

    return call


def freshness(data: bytes, workdir: Path) -> None:
    """How workers see a write: per-graph snapshot + in-memory reload vs a read-only disk handle."""
    from servicenet_vocab.rdfio import RdfFormat
    from servicenet_vocab.sparql.job import run_query_job
    from servicenet_vocab.sparql.request import QueryRequest
    from servicenet_vocab.store.embedded import open_store
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
        constant = workdir / "lookup.json"
        lookup = engine.query(QUERIES["IRI lookup"], use_default_graph_as_union=True)
        assert isinstance(lookup, ox.QuerySolutions)
        constant.write_bytes(lookup.serialize(None, ox.QueryResultsFormat.JSON) or b"")
        ports = {name: _free_port() for name in (FACADE, PEER_NAME, IN_PROCESS_NAME, FLOOR)}
        servers = {FACADE: start_facade(data_file, workdir, ports[FACADE])}
        if with_peer:
            servers[PEER_NAME] = start_script(PEER, str(data_file), str(ports[PEER_NAME]))
        servers[IN_PROCESS_NAME] = start_script(
            IN_PROCESS, str(data_file), str(ports[IN_PROCESS_NAME]), GRAPH
        )
        servers[FLOOR] = start_script(CONSTANT, str(constant), str(ports[FLOOR]))
        urls = {name: f"http://127.0.0.1:{port}/sparql" for name, port in ports.items()}
        try:
            for name, process in servers.items():
                wait_ready(urls[name], process, QUERIES["IRI lookup"])
            print(f"load from {'wrk' if shutil.which('wrk') else 'httpx threads (wrk not found)'}")
            _report(engine, urls, args, with_peer)
        finally:
            for process in servers.values():
                process.terminate()
                process.wait(timeout=30)
        freshness(data, workdir)


FACADE, PEER_NAME = "facade", "rdflib-endpoint"
IN_PROCESS_NAME, FLOOR = "FastAPI+pyoxigraph in-process", "FastAPI constant (floor)"


def _report(
    engine: ox.Store, urls: dict[str, str], args: argparse.Namespace, with_peer: bool
) -> None:
    header = f"{'query':<24} {'target':<38} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'n':>7}"
    print(header)
    print("-" * len(header))
    n, seconds = args.clients, args.seconds

    def line(label: str, target: str, row: tuple[float, float, float, int]) -> None:
        rate, p50, p99, count = row
        print(f"{label:<24} {target:<38} {rate:>9.1f} {p50:>9.2f} {p99:>9.2f} {count:>7}")

    for clients in (n, 1):  # the floor: FastAPI answering the lookup's bytes, no work at all
        floor = http_load(urls[FLOOR], [QUERIES["IRI lookup"]], clients, seconds)
        line("(the lookup's bytes)", f"{FLOOR}, {clients} client(s)", floor)
    workloads = {**{label: [q] for label, q in QUERIES.items()}, VARIED: LOOKUPS}
    for label, queries in workloads.items():
        engine_row = measure(engine_call(engine, queries), 1, seconds)
        line(label, "pyoxigraph direct (1 thread)", engine_row)
        rows = {}
        for target in (FACADE, PEER_NAME, IN_PROCESS_NAME):
            if target == PEER_NAME and not with_peer:
                continue
            rows[target] = http_load(urls[target], queries, n, seconds)
            line(label, f"{target}, {n} clients", rows[target])
        # Latency without queueing: one client, as the engine row has one thread.
        for target in (FACADE, IN_PROCESS_NAME):
            rows[f"{target} 1"] = http_load(urls[target], queries, 1, seconds)
            line(label, f"{target}, 1 client", rows[f"{target} 1"])
        if with_peer:
            ratio = rows[FACADE][0] / rows[PEER_NAME][0]
            print(f"{'':<24} facade / rdflib-endpoint throughput: {ratio:.1f}x")
        for target in (FACADE, IN_PROCESS_NAME):
            ratio = rows[f"{target} 1"][1] / engine_row[1]
            print(f"{'':<24} {target} p50 (1 client) / engine p50: {ratio:.1f}x")


if __name__ == "__main__":
    main()
