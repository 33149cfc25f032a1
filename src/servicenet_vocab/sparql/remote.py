"""Untrusted queries on a remote engine: the same scan, limits and answers as in a worker.

``QueryService`` scans the query here first (``SERVICE`` refusal, nesting, updates, ``FROM``
against the engine's graphs), exactly as for the embedded store; ``RemoteQueries`` then sends it
to the engine with the engine's own time limit where it has one (``EngineProfile``) and an HTTP
deadline of ``timeout`` plus the grace always, and writes the answer into the caller's sink:

- the engine is asked for the negotiated serialisation when it writes that one to the standard;
  its bytes then **pass through untouched**, after pyoxigraph has read them once to check them and
  count the rows (a malformed answer is ``EngineError``, 502);
- otherwise (CSV, a graph in JSON-LD, Virtuoso's TSV...) it is asked for SPARQL JSON or N-Triples
  and the result is re-serialised here through the same counting writer the workers use;
- past the row or byte limit the result is refused whole (``ResultLimitError``), never cut off,
  and so is an answer the engine itself cut short at its time limit (``QueryTimeoutError``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import IO

import anyio
import pyoxigraph as ox

from servicenet_vocab.errors import QuerySyntaxError, ServicenetError
from servicenet_vocab.formats import FormatKind, ResultFormat, for_media_type
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sparql.job import (
    CountingOutput,
    limited,
    readable,
    row_marker,
    too_many_rows,
)
from servicenet_vocab.sparql.request import QueryOutcome, QueryRequest
from servicenet_vocab.store.errors import EngineError
from servicenet_vocab.store.protocol import QueryKind
from servicenet_vocab.store.remote import (
    EngineAnswer,
    EngineProfile,
    RemoteStore,
    prologue,
)
from servicenet_vocab.store.updates import iri_text

__all__ = ["RemoteQueries"]

_SPOOL = 1024 * 1024


@dataclass(frozen=True)
class _Plan:
    fields: list[tuple[str, str]]
    accept: str
    shift: int  # lines the prologue added before the query's first line


@dataclass
class RemoteQueries:
    """Evaluates ``QueryRequest`` s on ``store``'s engine (the ``Evaluator`` of ``QueryService``)."""

    store: RemoteStore
    grace: float = 2.0  # past the query's time limit, for the engine's own timeout answer

    def _plan(self, request: QueryRequest, timeout: float) -> _Plan:
        head = prologue(request.prefixes, request.base_iri)
        fields = self.store.query_form(
            head + request.text,
            default_graph_uris=request.dataset.default_graphs,
            named_graph_uris=request.dataset.named_graphs,
            union_default_graph=request.union_default_graph,
            timeout=timeout,
        )
        profile = self.store.profile
        results = request.results_format
        graph = request.graph_format
        ask_results = results if results in profile.passthrough else ResultFormat.JSON
        ask_graph = graph if graph in profile.graph_passthrough else RdfFormat.NTRIPLES
        if request.returns_graph is True:
            accept = ask_graph.media_type
        elif request.returns_graph is False:
            accept = ask_results.media_type
        else:  # the scan found no form: the engine will say what is wrong
            accept = f"{ask_results.media_type}, {ask_graph.media_type};q=0.9"
        return _Plan(fields, accept, head.count("\n"))

    def run(self, request: QueryRequest, sink: IO[bytes], timeout: float) -> QueryOutcome:
        plan = self._plan(request, timeout)
        try:
            answer = self.store.stream_query(
                plan.fields,
                plan.accept,
                sink,
                deadline=timeout + self.grace,
                max_bytes=request.limits.max_bytes,
                shift=plan.shift,
            )
        except QuerySyntaxError as error:
            raise readable(error) from None
        return finish(request, answer, sink, self.store.query_url, self.store.profile)

    async def arun(self, request: QueryRequest, sink: IO[bytes], timeout: float) -> QueryOutcome:
        """``run`` on the event loop; cancelling it closes the engine connection at once."""
        plan = self._plan(request, timeout)
        try:
            answer = await self.store.astream_query(
                plan.fields,
                plan.accept,
                sink,
                deadline=timeout + self.grace,
                max_bytes=request.limits.max_bytes,
                shift=plan.shift,
            )
        except QuerySyntaxError as error:
            raise readable(error) from None
        # Checking and re-serialising is CPU work on up to max_bytes: not on the event loop.
        url, profile = self.store.query_url, self.store.profile
        outcome: QueryOutcome = await anyio.to_thread.run_sync(
            finish, request, answer, sink, url, profile, abandon_on_cancel=False
        )
        return outcome

    def stored(self, graphs: Collection[str]) -> set[str]:
        """Which of ``graphs`` hold data on the engine (the scan's ``FROM`` check)."""
        return self.store.stored_graphs() & set(graphs)

    async def astored(self, graphs: Collection[str]) -> set[str]:
        values = " ".join(iri_text(graph) for graph in sorted(set(graphs)))
        result = await self.store.aquery(
            f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        return {row["g"] or "" for row in result.rows()}


def finish(
    request: QueryRequest,
    answer: EngineAnswer,
    sink: IO[bytes],
    url: str,
    profile: EngineProfile | None = None,
) -> QueryOutcome:
    """Check the engine's answer in ``sink`` and count it; leave it there when it is already
    what the client asked for, else re-serialise it in place."""
    try:
        return _finish(request, answer, sink, url, profile or EngineProfile())
    except ServicenetError as error:
        # pyoxigraph's parsers belong to the thread that made them: drop the frames holding them
        # here, not wherever the error ends up being handled.
        error.__context__ = error.__cause__ = None
        raise error.with_traceback(None) from None


def _finish(
    request: QueryRequest, answer: EngineAnswer, sink: IO[bytes], url: str, profile: EngineProfile
) -> QueryOutcome:
    kind = _kind_of(answer.media_type, url)
    sink.flush()
    sink.seek(0)
    if isinstance(kind, ResultFormat) and profile.repairs:
        raw = sink.read()
        repaired = profile.repair(raw, kind)
        if repaired != raw:  # the engine's own blank node labels, made standard
            sink.seek(0)
            sink.truncate()
            sink.write(repaired)
            answer.bytes = len(repaired)
        sink.seek(0)
    if isinstance(kind, ResultFormat):
        outcome = _results(request, kind, sink, answer, url)
    else:
        outcome = _graph(request, kind, sink, answer, url)
    sink.seek(0, 2)
    return outcome


def _kind_of(media: str, url: str) -> ResultFormat | RdfFormat:
    for kind in (FormatKind.RESULTS, FormatKind.RDF):
        try:
            fmt = for_media_type(media or "none", kind).fmt
        except ServicenetError:
            continue
        if fmt is not ResultFormat.CSV:  # lossy: pyoxigraph cannot read it back
            return fmt
    raise EngineError(
        f"the engine at {url} answered media type {media or '(none)'}, which this facade cannot "
        "check (it asked for SPARQL results or RDF)"
    )


def _results(
    request: QueryRequest, got: ResultFormat, sink: IO[bytes], answer: EngineAnswer, url: str
) -> QueryOutcome:
    wanted = request.results_format
    if got is not wanted:
        return _reserialize_solutions(sink, request, got, url)
    limit = request.limits.max_rows
    rows = 0
    try:
        parsed = ox.parse_query_results(sink, got.engine)
        if isinstance(parsed, ox.QueryBoolean):
            return QueryOutcome(QueryKind.BOOLEAN, wanted.media_type, 0, answer.bytes)
        for _ in parsed:
            rows += 1
            if rows > limit:
                raise too_many_rows(limit)
    except SyntaxError as error:
        raise _malformed(url, got.media_type, error) from None
    return QueryOutcome(QueryKind.SOLUTIONS, wanted.media_type, rows, answer.bytes)


def _reserialize_solutions(
    sink: IO[bytes], request: QueryRequest, got: ResultFormat, url: str
) -> QueryOutcome:
    wanted = request.results_format
    with _copy(sink) as raw:
        try:
            parsed = ox.parse_query_results(raw, got.engine)
            counted = CountingOutput(
                sink, row_marker(wanted), request.limits.max_rows, request.limits.max_bytes
            )
            parsed.serialize(counted, wanted.engine)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise _malformed(url, got.media_type, error) from None
    kind = QueryKind.SOLUTIONS if isinstance(parsed, ox.QuerySolutions) else QueryKind.BOOLEAN
    rows = counted.finished_rows() if kind is QueryKind.SOLUTIONS else 0
    return QueryOutcome(kind, wanted.media_type, rows, counted.bytes)


def _graph(
    request: QueryRequest, got: RdfFormat, sink: IO[bytes], answer: EngineAnswer, url: str
) -> QueryOutcome:
    wanted = request.graph_format
    limit = request.limits.max_rows
    if got is wanted:
        triples = 0
        try:
            for _ in ox.parse(sink, got.engine):
                triples += 1
                if triples > limit:
                    raise too_many_rows(limit)
        except (SyntaxError, ValueError) as error:
            raise _malformed(url, got.media_type, error) from None
        return QueryOutcome(QueryKind.GRAPH, wanted.media_type, triples, answer.bytes)
    with _copy(sink) as raw:
        counted = CountingOutput(sink, None, limit, request.limits.max_bytes)
        try:
            triples_in = _triples(ox.parse(raw, got.engine))
            ox.serialize(limited(triples_in, limit, counted), counted, wanted.engine)  # type: ignore[arg-type]
        except (SyntaxError, ValueError) as error:
            raise _malformed(url, got.media_type, error) from None
    return QueryOutcome(QueryKind.GRAPH, wanted.media_type, counted.rows, counted.bytes)


def _triples(quads: Iterator[ox.Quad]) -> Iterator[ox.Triple]:
    for quad in quads:
        yield quad.triple


class _copy:
    """The sink's bytes moved to a scratch file; the sink is emptied for the rewrite."""

    def __init__(self, sink: IO[bytes]) -> None:
        self.sink = sink
        self.raw: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115

    def __enter__(self) -> IO[bytes]:
        self.sink.seek(0)
        shutil.copyfileobj(self.sink, self.raw)
        self.raw.seek(0)
        self.sink.seek(0)
        self.sink.truncate()
        return self.raw

    def __exit__(self, *exc: object) -> None:
        self.raw.close()


def _malformed(url: str, media: str, error: Exception) -> EngineError:
    return EngineError(f"the engine at {url} sent malformed {media}: {str(error)[:300]}")
