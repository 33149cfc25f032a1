"""Untrusted SPARQL queries, safely: pre-flight scan here, evaluation in a worker, limits enforced.

The facade (``QueryService.arun``, on the event loop) and blocking callers (``run``) share this:
the pre-flight scan runs in the caller (microseconds, against the writer's store for ``FROM``
checks), then ``sparql.job.run_query_job`` runs in a worker process (``servicenet_vocab.workers``)
under the wall-clock and memory limits. The job writes the serialised result through a counting
writer into the caller's sink; past the row or byte limit it stops with ``ResultLimitError``, so a
result is either complete or refused, never truncated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sparql.job import run_query_job
from servicenet_vocab.sparql.preflight import QueryLimits, ScannedQuery, scan_query
from servicenet_vocab.sparql.request import QueryDataset, QueryOutcome, QueryRequest, ResultLimits
from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.workers import WorkerPool

__all__ = ["QueryService"]


@dataclass
class QueryService:
    """Pre-flight, then a worker; ``store`` is the writer's (for stored-graph checks only)."""

    pool: WorkerPool
    store: OxigraphStore
    limits: QueryLimits = field(default_factory=QueryLimits)
    timeout: float = 30.0
    result_limits: ResultLimits = field(default_factory=ResultLimits)

    def scan(self, text: str) -> ScannedQuery:
        return scan_query(text, self.limits, is_stored_graph=self.store.has_graph)

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
        )

    def run(self, request: QueryRequest, sink: IO[bytes]) -> QueryOutcome:
        """Evaluate in a worker, blocking."""
        outcome: QueryOutcome = self.pool.call(
            run_query_job, request, timeout=self.timeout, sink=sink
        )
        return outcome

    async def arun(self, request: QueryRequest, sink: IO[bytes]) -> QueryOutcome:
        """``run`` for the event loop (no thread); cancelling it kills the worker at once."""
        outcome: QueryOutcome = await self.pool.acall(
            run_query_job, request, timeout=self.timeout, sink=sink
        )
        return outcome
