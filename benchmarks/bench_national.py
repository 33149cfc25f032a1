"""National scale: all 308 municipalities (benchmarks/national.py, ~5M triples) on each backend, the
facade beside its bare engine.

For the embedded store (pyoxigraph on disk), the Oxigraph server (``oxigraph serve``) and Virtuoso 7:
load time and memory; the five endpoint queries of bench_sparql.py (on the examples' vocabulary:
an IRI lookup, once one unit and once a different unit per request, a municipality filter, an
aggregate per area, capacity against the forecast, a ``sn:partOfArea*`` path) and the named planning
queries, each run through the facade (``servicenet serve``) and straight on the engine; and one
city's upload (``PUT /graph-store``: validate + replace, ~50k triples) on the national store and on
a store holding only the vocabulary, to show what the rest of the store costs a write.

Queries run one at a time (the latency of one query, not throughput: bench_sparql.py measures
that); each is run ``--repeat`` times, the first run reported apart (cold caches).

    .venv/bin/python benchmarks/bench_national.py [--triples 5000000] [--upload 50000]
        [--engines embedded,oxigraph,virtuoso] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import municipalities, national

from servicenet_vocab.namespaces import municipality_graph, sparql_prefixes
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.queries import bind, list_queries

SN = "https://w3id.org/servicenet/ontology#"
CODE = "https://w3id.org/servicenet/code/"
PREFIXES = f"PREFIX sn: <{SN}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
UPLOAD_CODE = "837"  # Tampere: its graph is replaced by the upload
DAYCARE = re.compile(rb"^<([^>]+)> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" + SN.encode() + rb"DaycareCentre> ", re.M)  # fmt: skip

# bench_sparql.py's five queries, on the shapes of the example cities.
QUERIES = {
    "IRI lookup": "SELECT ?p ?o WHERE { <UNIT> ?p ?o }",
    "filter by municipality": PREFIXES + "SELECT ?u ?name WHERE { ?u a sn:DaycareCentre ; "
    f'sn:municipality <{CODE}municipality/049> ; rdfs:label ?name FILTER(LANG(?name) = "fi") }}',
    "aggregate per area": PREFIXES + "SELECT ?area (SUM(?places) AS ?total) (COUNT(?u) AS ?units) "
    "WHERE { ?u sn:area ?area . ?c sn:unit ?u ; sn:places ?places } GROUP BY ?area",
    "capacity vs forecast": PREFIXES + "SELECT ?area ?places ?children WHERE { "
    "{ SELECT ?area (SUM(?p) AS ?places) WHERE { ?u sn:area ?area . "
    "?c a sn:CapacityObservation ; sn:unit ?u ; sn:places ?p } GROUP BY ?area } "
    "{ SELECT ?area (SUM(?n) AS ?children) WHERE { ?f a sn:PopulationForecastObservation ; "
    "sn:area ?area ; sn:referenceYear 2030 ; sn:population ?n } GROUP BY ?area } } ORDER BY ?area",
    "partOfArea* path": PREFIXES + "SELECT (COUNT(?u) AS ?units) WHERE { "
    f"?area sn:partOfArea* <{CODE}municipality/091> . ?u sn:area ?area }}",
}
VARIED = "IRI lookup, varied"
JSON_RESULTS = "application/sparql-results+json"
VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
; Virtuoso's advice for 2 GB of RAM for the database.
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 600
"""


@dataclass
class Engine:
    """A running engine: its process and what a facade (and this script) needs to reach it."""

    name: str
    process: subprocess.Popen[bytes] | None
    settings: dict[str, str] = field(default_factory=dict)
    query_url: str = ""
    query_params: dict[str, str] = field(default_factory=dict)
    auth: httpx.Auth | None = None
    load_seconds: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its children, MB."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for process in processes:
        with suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total / 1e6


def wait_for(
    url: str, process: subprocess.Popen[bytes], params: dict[str, str], seconds: float
) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited with {process.returncode}")
        try:
            if httpx.get(url, params=params, timeout=10).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # polling interval
    raise SystemExit(f"{url} was not ready in {seconds:g} s")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the engines, bare ----------------------------------------------------------------------------


BARE_EMBEDDED = """
import json, resource, sys, time, pyoxigraph as ox
store_dir, data, queries = sys.argv[1], sys.argv[2], json.loads(open(sys.argv[3]).read())
started = time.monotonic()
store = ox.Store(store_dir)
store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
store.flush()
out = {"load": time.monotonic() - started, "triples": len(store)}
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
times = {}
for name, texts in queries.items():
    runs = []
    for text in texts:
        began = time.perf_counter()
        result = store.query(text, use_default_graph_as_union=True)
        result.serialize(None, ox.QueryResultsFormat.JSON)
        runs.append(time.perf_counter() - began)
    times[name] = runs
out["times"] = times
print(json.dumps(out))
"""


def bare_embedded(store: Path, data: Path, workloads: dict[str, list[str]]) -> dict[str, Any]:
    """pyoxigraph in its own process: bulk load to disk, then each query called directly."""
    spec = store.parent / "queries.json"
    spec.write_text(json.dumps(workloads))
    done = subprocess.run(
        [sys.executable, "-c", BARE_EMBEDDED, str(store), str(data), str(spec)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def start_oxigraph(location: Path | None, data: Path | None) -> Engine:
    command = str(Path(sys.executable).with_name("oxigraph"))
    load = 0.0
    if location is not None and data is not None:
        started = time.monotonic()
        subprocess.run(
            [command, "load", "--location", str(location), "--file", str(data)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        load = time.monotonic() - started
    port = free_port()
    serve = [command, "serve", "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        serve += ["--location", str(location)]
    process = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/query", process, {"query": "ASK {}"}, 600)
    settings = {
        "BACKEND": "remote",
        "REMOTE_ENGINE": "oxigraph",
        "REMOTE_QUERY_URL": f"{base}/query",
        "REMOTE_UPDATE_URL": f"{base}/update",
        "REMOTE_GRAPH_STORE_URL": f"{base}/store",
    }
    return Engine(
        "Oxigraph server",
        process,
        settings,
        f"{base}/query",
        {"union-default-graph": ""},
        load_seconds=load,
    )


def start_virtuoso(directory: Path, data: Path | None) -> Engine:
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port))
    command = shutil.which("virtuoso-t")
    if command is None:
        raise SystemExit("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    process = subprocess.Popen(
        [command, "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    wait_for(f"{base}/sparql", process, {"query": "ASK {}"}, 300)
    auth = httpx.DigestAuth("dba", "dba")
    load = 0.0
    if data is not None:  # its Graph Store, one PUT per graph (its bulk loader parses them)
        started = time.monotonic()
        with httpx.Client(auth=auth, timeout=3600) as client:
            for graph, body in graphs_of(data):
                response = client.put(
                    f"{base}/sparql-graph-crud-auth",
                    params={"graph": graph},
                    content=body,
                    headers={"Content-Type": "application/n-triples"},
                )
                response.raise_for_status()
        load = time.monotonic() - started
    settings = {
        "BACKEND": "remote",
        "REMOTE_ENGINE": "virtuoso",
        "REMOTE_QUERY_URL": f"{base}/sparql",
        "REMOTE_UPDATE_URL": f"{base}/sparql-auth",
        "REMOTE_GRAPH_STORE_URL": f"{base}/sparql-graph-crud-auth",
        "REMOTE_USER": "dba",
        "REMOTE_PASSWORD": "dba",
        "REMOTE_AUTH": "digest",
    }
    return Engine("Virtuoso 7.2", process, settings, f"{base}/sparql", {}, auth, load)


def graphs_of(data: Path) -> Iterator[tuple[str, bytes]]:
    """The N-Quads file as (graph, N-Triples) pairs, in order (it is written graph by graph)."""
    current, lines = None, []
    with data.open("rb") as source:
        for line in source:
            head, _, graph = line.rstrip(b" .\n").rpartition(b" <")
            name = graph[:-1].decode()
            if name != current and lines:
                yield current or "", b"".join(lines)
                lines = []
            current = name
            lines.append(head + b" .\n")
    if lines:
        yield current or "", b"".join(lines)


def bare_http(engine: Engine, workloads: dict[str, list[str]]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with httpx.Client(auth=engine.auth, timeout=3600) as client:
        for name, texts in workloads.items():
            runs = []
            for text in texts:
                began = time.perf_counter()
                response = client.post(
                    engine.query_url,
                    data={"query": text, **engine.query_params},
                    headers={"Accept": JSON_RESULTS},
                )
                _ = response.content
                runs.append(time.perf_counter() - began if response.status_code == 200 else -1.0)
            times[name] = runs
    return times


# --- the facade ---------------------------------------------------------------------------------


@contextmanager
def facade(
    settings: dict[str, str], tokens: Path, workdir: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes], float]]:
    port = free_port()
    env = {
        **os.environ,
        **{f"SERVICENET_{key}": value for key, value in settings.items()},
        "SERVICENET_TOKENS_FILE": str(tokens),
        "SERVICENET_LOAD_EXAMPLES": "false",
        "SERVICENET_ACCESS_LOG": "false",
        "SERVICENET_WORKERS": "2",
        "SERVICENET_WORKER_MEMORY_MB": "8192",
        "SERVICENET_QUERY_TIMEOUT": "600",
        "SERVICENET_REMOTE_TIMEOUT": "600",
        "SERVICENET_RESULT_LIMIT": "10000000",
        "SERVICENET_MAX_UPLOAD_BYTES": str(200 * 1024 * 1024),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "servicenet_vocab.cli", "serve", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the facade exited with {process.returncode}")
            try:
                if httpx.get(f"{url}/health", timeout=600).json().get("ready"):
                    break
            except (httpx.TransportError, ValueError):
                pass
            if time.monotonic() - started > 3600:
                raise SystemExit("the facade was not ready in an hour")
            time.sleep(0.5)  # polling interval
        yield url, process, time.monotonic() - started
    finally:
        stop(process)


def facade_queries(url: str, workloads: dict[str, list[str]]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with httpx.Client(timeout=3600) as client:
        for name, texts in workloads.items():
            runs = []
            for text in texts:
                began = time.perf_counter()
                if text.startswith("/queries/"):
                    response = client.get(f"{url}{text}", headers={"Accept": JSON_RESULTS})
                else:
                    response = client.post(
                        f"{url}/sparql", data={"query": text}, headers={"Accept": JSON_RESULTS}
                    )
                _ = response.content
                runs.append(time.perf_counter() - began if response.status_code == 200 else -1.0)
            times[name] = runs
    return times


def upload(url: str, token: str, body: bytes) -> tuple[float, int]:
    began = time.perf_counter()
    response = httpx.put(
        f"{url}/graph-store",
        params={"graph": municipality_graph(UPLOAD_CODE)},
        content=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/n-triples"},
        timeout=3600,
    )
    return time.perf_counter() - began, response.status_code


# --- one engine ------------------------------------------------------------------------------------


@dataclass
class Run:
    engine: str
    triples: int
    load: float
    engine_mb: float = 0.0
    facade_mb: float = 0.0
    facade_ready: float = 0.0
    bare: dict[str, list[float]] = field(default_factory=dict)
    through: dict[str, list[float]] = field(default_factory=dict)
    upload_national: tuple[float, int] = (0.0, 0)
    upload_small: tuple[float, int] = (0.0, 0)


def run_engine(
    kind: str,
    data: Path,
    triples: int,
    bare_load: dict[str, list[str]],
    named_bare: dict[str, list[str]],
    named_paths: dict[str, list[str]],
    body: bytes,
    workdir: Path,
    tokens: Path,
    token: str,
) -> Run:
    workloads = {**bare_load}
    if kind == "embedded":
        store = workdir / "embedded-store"
        bare = bare_embedded(store, data, {**workloads, **named_bare})
        run = Run("embedded (pyoxigraph)", bare["triples"], bare["load"], bare["rss_mb"])
        run.bare = bare["times"]
        settings = {"STORE": str(store)}
        engine: Engine | None = None
    elif kind == "oxigraph":
        engine = start_oxigraph(workdir / "oxigraph", data)
        run = Run(engine.name, triples, engine.load_seconds)
    else:
        engine = start_virtuoso(workdir / "virtuoso", data)
        run = Run(engine.name, triples, engine.load_seconds)
    try:
        if engine is not None:
            run.bare = bare_http(engine, {**workloads, **named_bare})
            settings = engine.settings
        with facade(settings, tokens, workdir) as (url, process, ready):
            run.facade_ready = ready
            run.through = facade_queries(url, {**workloads, **named_paths})
            run.facade_mb = rss_mb(process.pid)
            if engine is not None and engine.process is not None:
                run.engine_mb = rss_mb(engine.process.pid)
            run.upload_national = upload(url, token, body)
    finally:
        if engine is not None:
            stop(engine.process)
    # The same upload on a store that holds only the vocabulary.
    small_engine: Engine | None = None
    if kind == "embedded":
        settings = {"STORE": str(workdir / "small-store")}
    elif kind == "oxigraph":
        small_engine = start_oxigraph(None, None)
        settings = small_engine.settings
    else:
        small_engine = start_virtuoso(workdir / "virtuoso-small", None)
        settings = small_engine.settings
    try:
        with facade(settings, tokens, workdir) as (url, _, _):
            run.upload_small = upload(url, token, body)
    finally:
        if small_engine is not None:
            stop(small_engine.process)
    return run


# --- report -------------------------------------------------------------------------------------


def cell(runs: list[float]) -> str:
    """First run / median of the others, ms (``error`` for a refused one)."""
    if not runs:
        return "-"
    if any(r < 0 for r in runs):
        return "error"
    first = runs[0] * 1000
    rest = statistics.median(runs[1:]) * 1000 if len(runs) > 1 else first
    return f"{first:,.0f} / {rest:,.0f}"


def report(runs: list[Run], names: list[str]) -> None:
    print(
        "\n| backend | triples | load s | engine MB | facade MB (with workers) | facade ready s |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for run in runs:
        print(
            f"| {run.engine} | {run.triples:,} | {run.load:,.1f} | {run.engine_mb:,.0f} | "
            f"{run.facade_mb:,.0f} | {run.facade_ready:,.1f} |"
        )
    print("\nms per query, first run / median of the next ones: bare engine | through the facade")
    header = "| query | " + " | ".join(f"{r.engine} bare | {r.engine} facade" for r in runs) + " |"
    print(header)
    print("|---|" + "---:|" * (2 * len(runs)))
    for name in names:
        cells = []
        for run in runs:
            cells += [cell(run.bare.get(name, [])), cell(run.through.get(name, []))]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n| backend | upload s (national store) | upload s (vocabulary only) | statuses |")
    print("|---|---:|---:|---|")
    for run in runs:
        (big, big_status), (small, small_status) = run.upload_national, run.upload_small
        print(f"| {run.engine} | {big:,.1f} | {small:,.1f} | {big_status}, {small_status} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=5_000_000)
    parser.add_argument("--upload", type=int, default=50_000)
    parser.add_argument("--engines", default="embedded,oxigraph,virtuoso")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cities", type=int, help="only the first N municipalities (a trial run)")
    args = parser.parse_args()
    from national import city_upload

    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        workdir = Path(tmp)
        started = time.monotonic()
        data = national(args.triples, cities=args.cities)
        triples = data.count(b"\n")
        path = workdir / "national.nq"
        path.write_bytes(data)
        units = [unit.decode() for unit in DAYCARE.findall(data)[:1000]]
        del data
        print(
            f"dataset: {triples:,} triples in {len(municipalities())} municipality graphs and the "
            f"vocabulary, generated in {time.monotonic() - started:.0f} s; upload "
            f"{args.upload:,} triples to {UPLOAD_CODE}; {args.repeat} runs per query"
        )
        body = city_upload(UPLOAD_CODE, args.upload)
        tokens = TokenFile(workdir / "tokens.json")
        token = tokens.create("bench", [UPLOAD_CODE])
        repeat = args.repeat
        workloads = {
            name: [text.replace("UNIT", units[17])] * repeat for name, text in QUERIES.items()
        }
        workloads[VARIED] = [QUERIES["IRI lookup"].replace("UNIT", units[i]) for i in range(repeat)]
        # Straight on an engine, the queries declare the prefixes the facade predeclares.
        # (a Python answer has no single text to send: it is measured through the facade only;
        # benchmarks/bench_planning.py times it on the bare engine)
        named_bare = {
            f"/queries/{q.name}": [sparql_prefixes() + bind(q, {})] * repeat
            for q in list_queries()
            if q.kind == "sparql"
        }
        named_paths = {
            f"/queries/{q.name}": [f"/queries/{q.name}"] * repeat for q in list_queries()
        }
        runs = []
        for kind in args.engines.split(","):
            print(f"== {kind}", flush=True)
            runs.append(
                run_engine(
                    kind,
                    path,
                    triples,
                    workloads,
                    named_bare,
                    named_paths,
                    body,
                    workdir,
                    tokens.path,
                    token,
                )
            )
            report(runs, [*workloads, *named_paths])
        print("\n== all")
        report(runs, [*workloads, *named_paths])


if __name__ == "__main__":
    main()
