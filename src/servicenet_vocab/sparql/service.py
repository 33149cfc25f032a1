"""Untrusted SPARQL queries, safely: pre-flight scan here, evaluation in a worker, limits enforced.

The facade (``QueryService.arun``, on the event loop) and blocking callers (``run``) share this:
the pre-flight scan runs in the caller (microseconds, against the writer's store for ``FROM``
checks), then ``run_query_job`` runs in a worker process (``servicenet_vocab.workers``) under the
wall-clock and memory limits. The job writes the serialised result through a counting writer into
the caller's sink; past the row or byte limit it stops with ``ResultLimitError``, so a result is
either complete or refused, never truncated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import pyoxigraph as ox

from servicenet_vocab.errors import QuerySyntaxError, ResultLimitError
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sparql.preflight import QueryLimits, ScannedQuery, scan_query
from servicenet_vocab.store.embedded import OxigraphStore, QueryKind, ResultFormat
from servicenet_vocab.workers import WorkerContext, WorkerPool

__all__ = ["QueryOutcome", "QueryRequest", "QueryService", "run_query_job"]


@dataclass(frozen=True)
class QueryRequest:
    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    results_format: ResultFormat = ResultFormat.JSON  # for SELECT and ASK
    graph_format: RdfFormat = RdfFormat.TURTLE  # for CONSTRUCT and DESCRIBE
    union_default_graph: bool = True
    base_iri: str | None = None  # the endpoint's URL, for relative IRIs in the query
    max_rows: int = 100_000
    max_bytes: int = 256 * 1024 * 1024


@dataclass(frozen=True)
class QueryOutcome:
    kind: QueryKind
    media_type: str
    rows: int
    bytes: int


@dataclass
class QueryService:
    """Pre-flight, then a worker; ``store`` is the writer's (for stored-graph checks only)."""

    pool: WorkerPool
    store: OxigraphStore
    limits: QueryLimits = field(default_factory=QueryLimits)
    timeout: float = 30.0
    max_rows: int = 100_000
    max_bytes: int = 256 * 1024 * 1024

    def scan(self, text: str) -> ScannedQuery:
        return scan_query(text, self.limits, is_stored_graph=self.store.has_graph)

    def run(
        self, scanned: ScannedQuery, text: str, sink: IO[bytes], **options: Any
    ) -> QueryOutcome:
        """Evaluate in a worker, blocking; ``options`` are ``QueryRequest`` fields."""
        outcome: QueryOutcome = self.pool.call(
            run_query_job, self.request(scanned, text, **options), timeout=self.timeout, sink=sink
        )
        return outcome

    async def arun(
        self, scanned: ScannedQuery, text: str, sink: IO[bytes], **options: Any
    ) -> QueryOutcome:
        """``run`` for the event loop (no thread); cancelling it kills the worker at once."""
        outcome: QueryOutcome = await self.pool.acall(
            run_query_job, self.request(scanned, text, **options), timeout=self.timeout, sink=sink
        )
        return outcome

    def request(self, scanned: ScannedQuery, text: str, **options: Any) -> QueryRequest:
        # A query's own FROM/FROM NAMED must win over the union default graph.
        return QueryRequest(
            text,
            union_default_graph=not scanned.declares_dataset,
            max_rows=self.max_rows,
            max_bytes=self.max_bytes,
            **options,
        )


# --- in the worker ------------------------------------------------------------------------------


def run_query_job(context: WorkerContext, request: QueryRequest) -> QueryOutcome:
    """Evaluate and serialise one query into ``context.output`` (runs in a worker process)."""
    try:
        result = context.store.query(
            request.text,
            default_graph_uris=request.default_graphs,
            named_graph_uris=request.named_graphs,
            union_default_graph=request.union_default_graph,
            base_iri=request.base_iri,
        )
    except QuerySyntaxError as error:
        raise readable(error) from None
    if result.kind is QueryKind.GRAPH:
        fmt = request.graph_format
        counted = _CountingOutput(context.output, None, request.max_rows, request.max_bytes)
        triples = _limited(result.triples(), request.max_rows, counted)
        ox.serialize(triples, counted, fmt.engine)  # type: ignore[arg-type]
        media_type = fmt.media_type
    else:
        marker = (
            _ROW_MARKERS[request.results_format] if result.kind is QueryKind.SOLUTIONS else None
        )
        counted = _CountingOutput(context.output, marker, request.max_rows, request.max_bytes)
        result.serialize(request.results_format, counted)  # type: ignore[arg-type]
        media_type = request.results_format.media_type
    return QueryOutcome(result.kind, media_type, counted.finished_rows(), counted.bytes)


_EXPECTED = re.compile(r"expected one of (.*)", re.DOTALL)
_ALTERNATIVE = re.compile(r'"(?:[^"\\]|\\.)*"|\b[A-Za-z_]{2,}\b')


def readable(error: QuerySyntaxError, keep: int = 12) -> QuerySyntaxError:
    """The engine lists every token it could accept, Unicode ranges included; keep a few."""
    found = _EXPECTED.match(error.message)
    if not found or len(error.message) <= 200:
        return error
    options = _ALTERNATIVE.findall(found.group(1))
    more = f" and {len(options) - keep} more" if len(options) > keep else ""
    message = f"expected one of {', '.join(options[:keep])}{more}"
    return QuerySyntaxError(message, location=error.location)


# How to count rows in a serialised SELECT result as it streams (bytes.count: C speed).
# JSON: every row object starts with [{" or ,{" ({} when no variable is bound); a string value
# cannot contain {" because its quotes are escaped. XML: <result> (< is escaped in values).
# TSV: one line per row (newlines in values are escaped). CSV: CRLF per row; a value holding CRLF
# is quoted and over-counts, which can only refuse early, never let too much through.
@dataclass(frozen=True)
class _RowMarker:
    patterns: tuple[bytes, ...]
    header_lines: int = 0


_ROW_MARKERS = {
    ResultFormat.JSON: _RowMarker((b'[{"', b',{"', b"[{}", b",{}")),
    ResultFormat.XML: _RowMarker((b"<result>",)),
    ResultFormat.TSV: _RowMarker((b"\n",), header_lines=1),
    ResultFormat.CSV: _RowMarker((b"\r\n",), header_lines=1),
}


class _CountingOutput:
    """Counts bytes (and rows, by format marker) on the way to the worker's output."""

    def __init__(self, out: IO[bytes], marker: _RowMarker | None, max_rows: int, max_bytes: int):
        self._out = out
        self._marker = marker
        self._keep = max((len(p) for p in marker.patterns), default=1) - 1 if marker else 0
        self._tail = b""
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.bytes = 0
        self.rows = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        if self.bytes > self.max_bytes:
            raise ResultLimitError(
                f"the result is larger than the limit of {self.max_bytes:,} bytes; "
                "narrow the query or page through it with LIMIT and OFFSET"
            )
        if self._marker is not None:
            window = self._tail + data
            self.rows += sum(window.count(p) for p in self._marker.patterns)
            self._tail = window[-self._keep :] if self._keep else b""
            if self.finished_rows() > self.max_rows:
                raise too_many_rows(self.max_rows)
        self._out.write(data)
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def finished_rows(self) -> int:
        if self._marker is None:
            return self.rows
        return max(0, self.rows - self._marker.header_lines)


def too_many_rows(limit: int) -> ResultLimitError:
    return ResultLimitError(
        f"the result has more than {limit:,} rows or triples, the limit; nothing was sent. "
        "Narrow the query or page through it with LIMIT and OFFSET"
    )


def _limited(
    triples: Iterator[ox.Triple], limit: int, counter: _CountingOutput
) -> Iterator[ox.Triple]:
    for triple in triples:
        counter.rows += 1
        if counter.rows > limit:
            raise too_many_rows(limit)
        yield triple
