"""The worker's side of a query: evaluate one ``QueryRequest`` and serialise its result into the
job's output through a counting writer that refuses a result past its row or byte limit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox

from servicenet_vocab.errors import QuerySyntaxError, ResultLimitError
from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.sparql.request import QueryOutcome, QueryRequest
from servicenet_vocab.store.protocol import QueryKind
from servicenet_vocab.workers import WorkerContext

__all__ = ["CountingOutput", "limited", "readable", "row_marker", "run_query_job", "too_many_rows"]


def run_query_job(context: WorkerContext, request: QueryRequest) -> QueryOutcome:
    """Evaluate and serialise one query into ``context.output`` (runs in a worker process)."""
    try:
        result = context.store.query(
            request.text,
            default_graph_uris=request.dataset.default_graphs,
            named_graph_uris=request.dataset.named_graphs,
            union_default_graph=request.union_default_graph,
            base_iri=request.base_iri,
        )
    except QuerySyntaxError as error:
        raise readable(error) from None
    if result.kind is QueryKind.GRAPH:
        fmt = request.graph_format
        counted = CountingOutput(
            context.output, None, request.limits.max_rows, request.limits.max_bytes
        )
        triples = limited(result.triples(), request.limits.max_rows, counted)
        ox.serialize(triples, counted, fmt.engine)  # type: ignore[arg-type]
        media_type = fmt.media_type
    else:
        marker = row_marker(request.results_format) if result.kind is QueryKind.SOLUTIONS else None
        counted = CountingOutput(
            context.output, marker, request.limits.max_rows, request.limits.max_bytes
        )
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


def row_marker(fmt: ResultFormat) -> _RowMarker:
    """How rows of ``fmt`` are counted as pyoxigraph writes them."""
    return _ROW_MARKERS[fmt]


class CountingOutput:
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


def limited(
    triples: Iterator[ox.Triple], limit: int, counter: CountingOutput
) -> Iterator[ox.Triple]:
    for triple in triples:
        counter.rows += 1
        if counter.rows > limit:
            raise too_many_rows(limit)
        yield triple
