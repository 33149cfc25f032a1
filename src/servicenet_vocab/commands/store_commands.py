"""``load``, ``query`` and ``graphs``: put RDF into the store and read it back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO

from servicenet_vocab.commands.common import settings_from, store_from, store_parent
from servicenet_vocab.formats import FormatKind, RdfFormat, ResultFormat, names, rdf_format_argument
from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.store.protocol import QueryKind, QueryResult
from servicenet_vocab.store.remote import RemoteStore
from servicenet_vocab.workers import WorkerContext

QUERY_FORMATS = ["table", *names(FormatKind.RESULTS)]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parent = store_parent()
    load = subparsers.add_parser(
        "load",
        parents=[parent],
        help="load RDF files into the store (all or nothing per file)",
        description="Load RDF files. Each file is parsed completely before the store is touched: "
        "a syntax error anywhere leaves the store unchanged and names the file, line and column.",
    )
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument(
        "--graph",
        metavar="IRI",
        help="target named graph (required for "
        "triple formats; TriG/N-Quads keep their own graphs without it)",
    )
    load.add_argument(
        "--format",
        type=rdf_format_argument,
        choices=names(FormatKind.RDF),
        help="RDF format (default: from the file extension)",
    )
    load.add_argument("--replace", action="store_true", help="replace the graph instead of adding")
    load.set_defaults(handler=run_load)

    query = subparsers.add_parser(
        "query", parents=[parent], help="run a SPARQL query over the union of all graphs"
    )
    query.add_argument("sparql", help="the query text, or @FILE to read it from a file")
    query.add_argument("--format", choices=QUERY_FORMATS, default="table")
    query.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="scan the query, then run it in a worker process killed after SECONDS",
    )
    query.set_defaults(handler=run_query)

    graphs = subparsers.add_parser("graphs", parents=[parent], help="list graphs and triple counts")
    graphs.set_defaults(handler=run_graphs)


def run_load(args: argparse.Namespace) -> int:
    store = store_from(args)
    fmt = RdfFormat(args.format) if args.format else None
    try:
        for path in args.files:
            if isinstance(store, OxigraphStore):
                count = store.load(
                    path, fmt, graph=args.graph, replace=args.replace, progress=sys.stderr.isatty()
                )
            else:  # parsed here, then one request to the engine
                count = store.load(path, fmt, graph=args.graph, replace=args.replace)
            where = f"<{args.graph}>" if args.graph else "its named graphs"
            print(f"loaded {count} triples from {path} into {where}")
    finally:
        store.close()
    return 0


def run_query(args: argparse.Namespace) -> int:
    text = Path(args.sparql[1:]).read_text("utf-8") if args.sparql.startswith("@") else args.sparql
    store = store_from(args)
    if isinstance(store, RemoteStore):
        # The engine evaluates: --timeout is the HTTP deadline of the request.
        store.timeout = args.timeout if args.timeout is not None else store.timeout
    elif args.timeout is not None:
        store.close()
        return _query_in_worker(args, text)
    try:
        result = store.query(text)
        write_result(result, args.format)
    finally:
        store.close()
    return 0


def write_result(result: QueryResult, fmt: str, out: IO[bytes] | None = None) -> None:
    out = out or sys.stdout.buffer
    if result.kind is QueryKind.GRAPH:
        rdf = RdfFormat.NTRIPLES if fmt in ("table", "csv", "tsv") else RdfFormat.JSONLD
        out.write(result.serialize(RdfFormat.TURTLE if fmt == "table" else rdf))
    elif fmt == "table":
        out.write(_table(result).encode("utf-8"))
    else:
        out.write(result.serialize(ResultFormat(fmt)))
        if fmt == "json":
            out.write(b"\n")
    out.flush()


def _table(result: QueryResult) -> str:
    if result.kind is QueryKind.BOOLEAN:
        return f"{str(result.boolean).lower()}\n"
    names = result.variables
    rows = [[row[name] or "" for name in names] for row in result.rows()]
    widths = [max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(names)]
    lines = [" | ".join(name.ljust(w) for name, w in zip(names, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def run_graphs(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        infos = store.graphs()
    finally:
        store.close()
    width = max([len(i.iri) for i in infos] + [5])
    for info in infos:
        print(f"{info.iri.ljust(width)}  {info.triples:>10}")
    print(f"{'total'.ljust(width)}  {sum(i.triples for i in infos):>10}")
    return 0


def _query_in_worker(args: argparse.Namespace, text: str) -> int:
    """``--timeout``: the pre-flight scan here, the query in a worker killed at the limit.

    The worker opens an on-disk store read-only, so this works beside a running server."""
    from servicenet_vocab.sparql.preflight import QueryLimits, scan_query
    from servicenet_vocab.workers import StoreSource, WorkerPool

    settings = settings_from(args)
    limits = QueryLimits(
        settings.max_query_length,
        settings.max_nesting_depth,
        frozenset(settings.service_allowlist),
    )
    scanned = scan_query(text, limits)
    source = StoreSource() if settings.in_memory else StoreSource.read_only(settings.store)
    with WorkerPool(1, memory_mb=settings.worker_memory_mb, source=source) as pool:
        job_args = (text, args.format, not scanned.declares_dataset)
        pool.call(query_job, *job_args, timeout=args.timeout, sink=sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


def query_job(context: WorkerContext, text: str, fmt: str, union: bool) -> None:
    """Runs in the worker: evaluate and write the result to the caller's stdout."""
    write_result(context.store.query(text, union_default_graph=union), fmt, context.output)
