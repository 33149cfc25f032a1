"""Untrusted SPARQL queries, safely: pre-flight scan here, evaluation elsewhere, limits enforced.

The facade (``QueryService.arun``, on the event loop) and blocking callers (``run``) share this:
the pre-flight scan runs in the caller (microseconds), then an ``Evaluator`` runs the query:

- ``PoolEvaluator``, for the embedded store: ``sparql.job.run_query_job`` in a worker process
  (``servicenet_vocab.workers``) under the wall-clock and memory limits; the job writes the
  serialised result through a counting writer into the caller's sink;
- ``sparql.remote.RemoteQueries``, for a remote engine: the query is forwarded with the engine's
  own time limit and an HTTP deadline, and the answer is checked and counted on its way into the
  sink.

Either way a result past the row or byte limit is refused (``ResultLimitError``), never truncated.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import IO, Protocol

from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sparql.job import run_query_job
from servicenet_vocab.sparql.preflight import QueryLimits, ScannedQuery, scan_query
from servicenet_vocab.sparql.request import QueryDataset, QueryOutcome, QueryRequest, ResultLimits
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.workers import WorkerPool

__all__ = ["Evaluator", "PoolEvaluator", "QueryService"]


class Evaluator(Protocol):
    """Runs one scanned ``QueryRequest`` within ``timeout`` seconds, its result into ``sink``."""

    def run(self, request: QueryRequest, sink: IO[bytes], timeout: float) -> QueryOutcome: ...

    async def arun(
        self, request: QueryRequest, sink: IO[bytes], timeout: float
    ) -> QueryOutcome: ...

    def stored(self, graphs: Collection[str]) -> set[str]: ...

    async def astored(self, graphs: Collection[str]) -> set[str]: ...


@dataclass
class PoolEvaluator:
    """Queries in the worker pool's in-memory copies; ``store`` is the writer's, for ``FROM``."""

    pool: WorkerPool
    store: Store

    def run(self, request: QueryRequest, sink: IO[bytes], timeout: float) -> QueryOutcome:
        outcome: QueryOutcome = self.pool.call(run_query_job, request, timeout=timeout, sink=sink)
        return outcome

    async def arun(self, request: QueryRequest, sink: IO[bytes], timeout: float) -> QueryOutcome:
        outcome: QueryOutcome = await self.pool.acall(
            run_query_job, request, timeout=timeout, sink=sink
        )
        return outcome

    def stored(self, graphs: Collection[str]) -> set[str]:
        return {graph for graph in graphs if self.store.has_graph(graph)}

    async def astored(self, graphs: Collection[str]) -> set[str]:
        return self.stored(graphs)  # the embedded store answers in microseconds


@dataclass
class QueryService:
    """Pre-flight, then the evaluator: a ``WorkerPool`` (over the writer's ``store``, which the
    ``FROM`` check reads) or any ``Evaluator`` (``sparql.remote.RemoteQueries``)."""

    engine: WorkerPool | Evaluator
    store: Store
    limits: QueryLimits = field(default_factory=QueryLimits)
    timeout: float = 30.0
    result_limits: ResultLimits = field(default_factory=ResultLimits)

    def __post_init__(self) -> None:
        self.evaluator: Evaluator = (
            PoolEvaluator(self.engine, self.store)
            if isinstance(self.engine, WorkerPool)
            else self.engine
        )

    @property
    def pool(self) -> WorkerPool | None:
        """The workers holding copies of the data, when queries run in them (embedded store)."""
        return self.evaluator.pool if isinstance(self.evaluator, PoolEvaluator) else None

    def scan(self, text: str) -> ScannedQuery:
        scanned = scan_query(text, self.limits)
        if not scanned.declares_dataset:
            return scanned
        stored = self.evaluator.stored({*scanned.from_graphs, *scanned.from_named_graphs})
        return scan_query(text, self.limits, is_stored_graph=stored.__contains__)

    async def ascan(self, text: str) -> ScannedQuery:
        """``scan`` for the event loop: a remote engine is asked about ``FROM`` graphs without
        blocking it. The second scan only locates a refused graph in the text."""
        scanned = scan_query(text, self.limits)
        if not scanned.declares_dataset:
            return scanned
        stored = await self.evaluator.astored({*scanned.from_graphs, *scanned.from_named_graphs})
        return scan_query(text, self.limits, is_stored_graph=stored.__contains__)

    def request(
        self,
        text: str,
        scanned: ScannedQuery,
        *,
        dataset: QueryDataset | None = None,
        results_format: ResultFormat = ResultFormat.JSON,
        graph_format: RdfFormat = RdfFormat.TURTLE,
        base_iri: str | None = None,
    ) -> QueryRequest:
        """The one request for a scanned query, with this service's result limits."""
        return QueryRequest(
            text,
            dataset=dataset or QueryDataset(),
            results_format=results_format,
            graph_format=graph_format,
            base_iri=base_iri,
            limits=self.result_limits,
            union_default_graph=not scanned.declares_dataset,
            returns_graph=None if scanned.form is None else scanned.form.returns_graph,
            prefixes=scanned.undeclared_prefixes,
        )

    def run(self, request: QueryRequest, sink: IO[bytes]) -> QueryOutcome:
        """Evaluate, blocking."""
        return self.evaluator.run(request, sink, self.timeout)

    async def arun(self, request: QueryRequest, sink: IO[bytes]) -> QueryOutcome:
        """``run`` for the event loop (no thread); cancelling it stops the query at once (kills
        its worker, or closes the connection to the engine)."""
        return await self.evaluator.arun(request, sink, self.timeout)
