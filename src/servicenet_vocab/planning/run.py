"""Running a Python answer with the guarantees of a SPARQL query.

Embedded store: the whole answer (its SELECTs and the arithmetic) runs in a worker of the pool,
under the same wall-clock and memory limits as ``/sparql``; cancelling the call kills the worker.
Remote engine: the SELECTs go to the engine (the store's trusted ``query``, with its time limit)
and the arithmetic runs in a thread of the facade, which holds no data of its own; either way the
result is refused whole past the row or byte limit (``ResultLimitError``), never cut off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import anyio

from servicenet_vocab.errors import ResultLimitError
from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.planning.table import Table
from servicenet_vocab.queries import answer, get_query, values
from servicenet_vocab.sparql.job import too_many_rows
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.workers import WorkerContext, WorkerPool

__all__ = ["AnswerJob", "arun_answer", "run_answer", "run_answer_job", "serialize_within"]


@dataclass(frozen=True)
class AnswerJob:
    name: str
    given: dict[str, object] = field(default_factory=dict)


def run_answer_job(context: WorkerContext, job: AnswerJob) -> Table:
    """The worker's side: the answer against its in-memory copy of the store."""
    store = context.store
    return answer(lambda text: store.query(text).rows(), job.name, job.given)


def run_answer(store: Store, name: str, given: Mapping[str, object] | None = None) -> Table:
    """Blocking, trusted: the answer against any store (the CLI, benchmarks, a remote engine)."""
    return answer(lambda text: store.query(text).rows(), name, given)


async def arun_answer(
    service: QueryService, name: str, given: Mapping[str, object] | None = None
) -> Table:
    """The answer for the facade: parameters checked here first (a 400 costs no worker)."""
    job = AnswerJob(name, dict(given or {}))
    values(get_query(name), job.given)
    if isinstance(service.engine, WorkerPool):
        table: Table = await service.engine.acall(run_answer_job, job, timeout=service.timeout)
    else:
        with anyio.fail_after(service.timeout):
            table = await anyio.to_thread.run_sync(
                run_answer, service.store, name, job.given, abandon_on_cancel=True
            )
    if len(table.rows) > service.result_limits.max_rows:
        raise too_many_rows(service.result_limits.max_rows)
    return table


def serialize_within(table: Table, fmt: ResultFormat, max_bytes: int) -> bytes:
    body = table.serialize(fmt)
    if len(body) > max_bytes:
        raise ResultLimitError(
            f"the result is larger than the limit of {max_bytes:,} bytes; narrow the parameters"
        )
    return body
