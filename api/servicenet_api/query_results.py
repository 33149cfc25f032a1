"""Running one query for an HTTP request: ``/sparql`` and ``/queries/<name>`` share this.

The result is spooled (in memory up to ``SPOOL_IN_MEMORY``, then a temporary file) until the worker
has finished, so a result over a limit is refused with a status, never cut off mid-body. The event
loop waits on the worker's pipe itself (no thread); if the client goes away first, the query is
cancelled, which kills its worker: an abandoned query stops using CPU at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from servicenet_vocab.sparql.request import QueryOutcome, QueryRequest
from servicenet_vocab.sparql.service import QueryService

__all__ = ["ClientGone", "Spooled", "run_query", "unless_client_gone"]

SPOOL_IN_MEMORY = 1024 * 1024  # larger results spill to a temporary file, never all in memory
CHUNK = 64 * 1024
CLIENT_CLOSED_REQUEST = 499  # nginx's status for this; only the access log ever sees it

_T = TypeVar("_T")


class ClientGone(Exception):
    """The client disconnected before its answer was ready; there is nobody to answer."""


@dataclass
class Spooled:
    """A finished query's serialised result, ready to be sent."""

    spool: IO[bytes]
    outcome: QueryOutcome

    def response(self, headers: dict[str, str]) -> Response:
        if self.outcome.bytes <= SPOOL_IN_MEMORY:  # still in memory: one write, no streaming
            with self.spool:
                self.spool.seek(0)
                body = self.spool.read()
            return Response(body, media_type=self.outcome.media_type, headers=headers)
        return StreamingResponse(
            _chunks(self.spool), media_type=self.outcome.media_type, headers=headers
        )


async def run_query(request: Request, service: QueryService, query: QueryRequest) -> Spooled:
    """Run ``query`` in a worker for the HTTP ``request`` (whose disconnect cancels it)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - Spooled closes it
    try:
        outcome = await unless_client_gone(request, service.arun(query, spool))
    except BaseException:
        spool.close()
        raise
    return Spooled(spool, outcome)


async def unless_client_gone(request: Request, work: Coroutine[Any, Any, _T]) -> _T:
    """Await ``work``, cancelling it if the client disconnects first (``ClientGone``)."""
    job = asyncio.ensure_future(work)
    gone = asyncio.ensure_future(_disconnect(request))
    try:
        await asyncio.wait((job, gone), return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not job.done():
            job.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await job  # its worker is killed before we go on
    if job.cancelled():
        raise ClientGone()
    return job.result()


async def _disconnect(request: Request) -> None:
    """Returns when the client has gone (the body, if any, was read by then or is not needed)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def client_gone_response(request: Request, error: Exception) -> Response:
    return Response(status_code=CLIENT_CLOSED_REQUEST)


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()
