"""One worker process: its loop (receive a job, run it, send the output and the outcome) and the
parent's handle on it (``Worker``)."""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import resource
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import IO, Any

from servicenet_vocab.errors import ServicenetError
from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.workers.framing import ERROR, RESULT, ChunkWriter
from servicenet_vocab.workers.snapshots import StoreSource, StoreView

__all__ = ["Worker", "WorkerContext", "touch_store", "worker_main"]


class WorkerContext:
    """What a job gets: the data (``store``, loaded on first use) and a byte ``output``."""

    def __init__(self, view: StoreView, generation: int, output: ChunkWriter) -> None:
        self._view = view
        self._generation = generation
        self.output: IO[bytes] = output  # type: ignore[assignment]

    @property
    def store(self) -> OxigraphStore:
        return self._view.get(self._generation)

    @property
    def generation(self) -> int:
        """The generation of the data this worker holds (-1 before its first load)."""
        return self._view.generation


def worker_main(conn: Connection, source: StoreSource, memory_mb: int, generation: int) -> None:
    """The loop of one worker process: receive a job, run it, send chunks and then the outcome."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    view = StoreView(source)
    if source.kind != "none":
        with contextlib.suppress(ServicenetError):  # the first call reports it, located
            view.get(generation)  # load before the first call, not during it
    while True:
        try:
            job_generation, fn, args = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        run_job(conn, view, job_generation, fn, args)


def touch_store(context: WorkerContext) -> int:
    """A job that only brings the worker's data up to date; returns the generation it has."""
    _ = context.store
    return context.generation


def run_job(
    conn: Connection,
    view: StoreView,
    generation: int,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    output = ChunkWriter(conn)
    try:
        result = fn(WorkerContext(view, generation, output), *args)
    except ServicenetError as error:
        conn.send_bytes(ERROR + pickle.dumps(error))
        return
    output.flush()
    conn.send_bytes(RESULT + pickle.dumps(result))


class Worker:
    def __init__(
        self,
        ctx: multiprocessing.context.BaseContext,
        source: StoreSource,
        memory_mb: int,
        generation: int,
    ) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=worker_main,
            args=(child, source, memory_mb, generation),
            name="servicenet-worker",
            daemon=True,
        )
        self.process.start()
        child.close()

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    def stop(self) -> None:
        """SIGKILL, without waiting for the process to be reaped."""
        with contextlib.suppress(OSError):
            if self.process.is_alive():
                self.process.kill()

    def kill(self) -> None:
        self.stop()
        self.process.join(timeout=5)
        self.conn.close()

    def death(self) -> str:
        self.process.join(timeout=5)
        code = self.process.exitcode
        if code is not None and code < 0:
            return signal.Signals(-code).name
        return f"exit code {code}"
