"""Running a Python answer with the guarantees of a SPARQL query.

Embedded store: the whole answer (its SELECTs and the arithmetic) runs in a worker of the pool,
under the same wall-clock and memory limits as ``/sparql``; cancelling the call kills the worker.
Remote engine: the SELECTs go to the engine (the store's trusted ``query``, with its time limit)
and the arithmetic runs in a thread of the facade, which holds no data of its own; either way the
result is refused whole past the row or byte limit (``ResultLimitError``), never cut off.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import anyio

from servicenet_vocab.errors import ResultLimitError, ServicenetError
from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.planning.table import Table
from servicenet_vocab.queries import answer, get_query, list_queries, values
from servicenet_vocab.sparql.job import too_many_rows
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.workers import WorkerContext

__all__ = [
    "AnswerJob",
    "Fetcher",
    "arun_answer",
    "run_answer",
    "run_answer_job",
    "serialize_within",
    "warm_answers",
]


@dataclass(frozen=True)
class AnswerJob:
    name: str
    given: dict[str, object] = field(default_factory=dict)


class Fetcher:
    """SELECT rows as plain strings, None where unbound (as ``QueryResult.rows``), read from the
    engine's own CSV serialisation: written in Rust and read by the csv module in C, about four
    times faster than building the rows term by term. CSV cannot tell an empty string from an
    unbound variable; the facts never need an empty string. With a ``memo_token`` (a worker's
    data generation) the facts read are kept for the next answers on the same data
    (``facts.memoized``)."""

    def __init__(self, store: Store, memo_token: object = None) -> None:
        self.store = store
        self.memo_token = memo_token

    def __call__(self, text: str) -> Iterator[dict[str, str | None]]:
        body = self.store.query(text).serialize(ResultFormat.CSV).decode("utf-8")
        reader = csv.reader(io.StringIO(body))
        head = next(reader, [])
        for row in reader:
            yield dict(zip(head, [value or None for value in row], strict=False))


def run_answer_job(context: WorkerContext, job: AnswerJob) -> Table:
    """The worker's side: the answer against its in-memory copy of the store."""
    # the facts stay valid while the worker holds this generation of the data
    return answer(Fetcher(context.store, ("generation", context.generation)), job.name, job.given)


def warm_answers(context: WorkerContext) -> int:
    """A worker job run after each change of the data (``WorkerPool.warm_job``): reload, then
    answer every Python answer once with its defaults, so the facts of this generation are read
    before a planner asks (a first answer reads them itself: seconds at national scale, against
    tenths of a second once read). Returns the generation it holds."""
    fetch = Fetcher(context.store, ("generation", context.generation))
    for query in list_queries():
        if query.kind == "python":
            with contextlib.suppress(ServicenetError):  # the answer asked later reports it
                answer(fetch, query.name, {})
    return context.generation


def run_answer(
    store: Store,
    name: str,
    given: Mapping[str, object] | None = None,
    *,
    memo_token: object = None,
) -> Table:
    """Blocking, trusted: the answer against any store (the CLI, benchmarks, a remote engine);
    give a ``memo_token`` only while the data cannot change."""
    return answer(Fetcher(store, memo_token), name, given)


async def arun_answer(
    service: QueryService, name: str, given: Mapping[str, object] | None = None
) -> Table:
    """The answer for the facade: parameters checked here first (a 400 costs no worker)."""
    job = AnswerJob(name, dict(given or {}))
    values(get_query(name), job.given)
    if service.pool is not None:
        table: Table = await service.pool.acall(run_answer_job, job, timeout=service.timeout)
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
