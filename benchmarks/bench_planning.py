"""Every named query on the national dataset (benchmarks/national.py: all 308 municipalities,
~5M triples), on the embedded engine as the facade's query workers hold it (pyoxigraph in memory):
a ``.rq`` query bound with its defaults, a Python answer (``servicenet_vocab.queries.answers``)
with its SELECTs and arithmetic, as ``planning.run.run_answer_job`` runs it in a worker.

    .venv/bin/python benchmarks/bench_planning.py [--triples 5000000] [--repeat 3] [--disk]

Prints, per query, the first run and the median of the next ones in ms (cold: each answer reads its
facts itself, as a fresh worker does), then warm: as a worker answers after any other named query
on the same data generation (the facts read once, ``facts.memoized``), and the rows returned; the
2 s target of issue #16 is marked.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import national

from servicenet_vocab.formats import RdfFormat
from servicenet_vocab.planning.run import run_answer
from servicenet_vocab.queries import bind, list_queries
from servicenet_vocab.store.embedded import open_store

TARGET_MS = 2000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--disk", action="store_true", help="the on-disk store instead of memory")
    parser.add_argument("--only", default="", help="comma-separated query names")
    args = parser.parse_args()
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
        for query in queries:  # fill the worker's facts once, as any first answer does
            if query.kind == "python":
                run_answer(store, query.name, memo_token=token)
        for query in queries:
            cold, rows = [], 0
            for _ in range(args.repeat + 1):
                began = time.perf_counter()
                if query.kind == "python":
                    rows = len(run_answer(store, query.name).rows)
                else:
                    rows = sum(1 for _ in store.query(bind(query)).rows())
                cold.append((time.perf_counter() - began) * 1000)
            warm = []
            for _ in range(args.repeat if query.kind == "python" else 0):
                began = time.perf_counter()
                run_answer(store, query.name, memo_token=token)
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


if __name__ == "__main__":
    main()
