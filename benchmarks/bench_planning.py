"""Every named query on the national dataset (benchmarks/national.py: all 308 municipalities,
~5M triples), on the embedded engine as the facade's query workers hold it (pyoxigraph in memory):
a ``.rq`` query bound with its defaults, a Python answer (``servicenet_vocab.queries.answers``)
with its SELECTs and arithmetic, as ``planning.run.run_answer_job`` runs it in a worker.

    .venv/bin/python benchmarks/bench_planning.py [--triples 5000000] [--repeat 3] [--disk]
    .venv/bin/python benchmarks/bench_planning.py --facade [--triples 5000000] [--repeat 3]

Library mode prints, per query, the first run and the median of the next ones in ms (cold: each answer reads its
facts itself, as a fresh worker does), then warm: as a worker answers after any other named query
on the same data generation (the facts read once, ``facts.memoized``), and the rows returned; the
2 s target of issue #16 is marked.

``--facade`` measures what a planner sees: ``servicenet serve`` over an on-disk store holding the
national data, every named query asked with ``GET /queries/{name}`` once the facade is ready, in
two runs: with the workers' warm-up (they read the facts right after start and after each write,
the default; how long that takes is printed) and with ``SERVICENET_WARM_ANSWERS=false`` (the first
answer of each worker reads them itself). Then one city's graph is replaced (``PUT /graph-store``,
~50k triples, as in bench_national.py) and the queries are asked again.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import httpx
from national import national

from servicenet_vocab.formats import RdfFormat
from servicenet_vocab.planning.run import run_answer
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.queries import bind, list_queries
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.store.protocol import Store

TARGET_MS = 2000
JSON_RESULTS = "application/sparql-results+json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--disk", action="store_true", help="the on-disk store instead of memory")
    parser.add_argument("--only", default="", help="comma-separated query names")
    parser.add_argument("--facade", action="store_true", help="through servicenet serve (HTTP)")
    args = parser.parse_args()
    if args.facade:
        through_facade(args.triples, args.repeat, set(filter(None, args.only.split(","))))
        return
    started = time.perf_counter()
    data = national(args.triples)
    print(
        f"generated {len(data) / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s", flush=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "store") if args.disk else "memory")
        started = time.perf_counter()
        triples = store.load(data, RdfFormat.NQUADS, graph=None)
        print(f"loaded {triples:,} triples in {time.perf_counter() - started:.1f} s", flush=True)
        del data
        wanted = set(filter(None, args.only.split(",")))
        print(
            "| query | kind | cold first ms | cold median ms | warm median ms | rows | within 2 s |"
        )
        print("|---|---|---:|---:|---:|---:|---|")
        queries = [q for q in list_queries() if not wanted or q.name in wanted]
        token = ("bench", time.time())
        params = {query.name: given(query.name, store) for query in queries}  # before any timing
        for query in queries:  # fill the worker's facts once, as any first answer does
            if query.kind == "python":
                run_answer(store, query.name, params[query.name], memo_token=token)
        for query in queries:
            cold, rows = [], 0
            for _ in range(args.repeat + 1):
                began = time.perf_counter()
                if query.kind == "python":
                    rows = len(run_answer(store, query.name, params[query.name]).rows)
                else:
                    rows = sum(1 for _ in store.query(bind(query)).rows())
                cold.append((time.perf_counter() - began) * 1000)
            warm = []
            for _ in range(args.repeat if query.kind == "python" else 0):
                began = time.perf_counter()
                run_answer(store, query.name, params[query.name], memo_token=token)
                warm.append((time.perf_counter() - began) * 1000)
            median = statistics.median(cold[1:]) if len(cold) > 1 else cold[0]
            best = statistics.median(warm) if warm else median
            mark = "yes" if best <= TARGET_MS else "**no**"
            warm_text = f"{best:,.0f}" if warm else "–"
            print(
                f"| {query.name} | {query.kind} | {cold[0]:,.0f} | {median:,.0f} | {warm_text} "
                f"| {rows:,} | {mark} |",
                flush=True,
            )
        store.close()


def through_facade(triples: int, repeat: int, wanted: set[str]) -> None:
    # the same servicenet serve and city upload as the national figures
    from bench_national import UPLOAD_CODE, facade, upload
    from national import city_upload

    names = [q.name for q in list_queries() if not wanted or q.name in wanted]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        store = open_store(str(workdir / "store"))
        loaded = store.load(national(triples), RdfFormat.NQUADS, graph=None)
        params = {name: given(name, store) for name in names}
        store.close()
        print(f"loaded {loaded:,} triples on disk", flush=True)
        tokens = TokenFile(workdir / "tokens.json")
        token = tokens.create("bench", [UPLOAD_CODE])
        body = city_upload(UPLOAD_CODE, 50_000)
        for warm in ("true", "false"):
            settings = {"STORE": str(workdir / "store"), "WARM_ANSWERS": warm}
            with facade(settings, tokens.path, workdir) as (url, _, ready):
                warmed = settle(url)
                print(
                    f"\n== warm answers {warm}: ready in {ready:.1f} s, warm {warmed:.1f} s later"
                )
                print("| query | first ms | median ms | within 2 s |\n|---|---:|---:|---|")
                report(url, params, repeat)
                began = time.perf_counter()
                seconds, status = upload(url, token, body)
                if status >= 300:
                    raise SystemExit(f"the upload answered {status}")
                settle(url)
                print(
                    f"\nafter replacing {UPLOAD_CODE}'s graph ({seconds:.1f} s; "
                    f"{time.perf_counter() - began:.1f} s until the workers were current):"
                )
                print("| query | first ms | median ms | within 2 s |\n|---|---:|---:|---|")
                report(url, params, repeat)


def settle(url: str) -> float:
    """Seconds until no worker is warming (``/health`` ``warming``)."""
    began = time.perf_counter()
    while httpx.get(f"{url}/health", timeout=600).json().get("warming", 0):
        time.sleep(0.2)  # polling interval
    return time.perf_counter() - began


def given(name: str, store: Store) -> dict[str, str]:
    """The parameters a query is asked with: its defaults, but ``closure-impact`` closes a unit
    of the national data (its default is an example unit), the first with enrolment figures."""
    if name != "closure-impact":
        return {}
    text = (
        "SELECT ?unit WHERE { ?e a <https://w3id.org/servicenet/ontology#EnrolmentObservation> ; "
        "<https://w3id.org/servicenet/ontology#unit> ?unit } ORDER BY ?unit LIMIT 1"
    )
    (row,) = store.query(text).rows()
    return {"unit": str(row["unit"])}


def report(url: str, params: dict[str, dict[str, str]], repeat: int) -> None:
    with httpx.Client(base_url=url, timeout=3600, headers={"Accept": JSON_RESULTS}) as client:
        for name, values in params.items():
            runs = []
            for _ in range(repeat + 1):
                began = time.perf_counter()
                response = client.get(f"/queries/{name}", params=values)
                runs.append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: {response.status_code} {response.text[:300]}")
            median = statistics.median(runs[1:])
            mark = "yes" if max(runs) <= TARGET_MS else "**no**"
            print(f"| {name} | {runs[0]:,.0f} | {median:,.0f} | {mark} |", flush=True)


if __name__ == "__main__":
    main()
