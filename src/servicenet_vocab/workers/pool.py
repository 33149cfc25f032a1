"""Worker processes for untrusted work: queries now, parsing and validation later.

pyoxigraph kills its whole process on some inputs (deep nesting) and cannot be interrupted from
Python, so the API and CLI never run untrusted work themselves. ``WorkerPool.call(fn, *args)`` runs
``fn(context, *args)`` in one of a few long-lived worker processes and returns its (picklable) result;
``await WorkerPool.acall(...)`` does the same from an event loop without a thread:

- a **wall-clock limit** per call: past it the worker is killed with SIGKILL (its CPU stops at once)
  and the caller gets ``QueryTimeoutError``;
- a **memory limit** (``RLIMIT_AS``) per worker: an allocation past it aborts that worker only;
- a worker that dies costs only its call (``WorkerCrashedError`` naming the signal) and is replaced;
- the job streams bytes back through ``context.output`` into the caller's ``sink`` (a pipe, in
  chunks), so large results never sit whole in either process;
- ``ServicenetError`` raised by the job is re-raised in the caller, location included. Any other
  exception is a bug: the worker dies with its traceback on stderr and is replaced;
- an ``acall`` whose task is cancelled (the HTTP client went away) kills its worker at once, so an
  abandoned query stops burning CPU.

Workers see the data through ``context.store``, an in-memory copy built from per-graph N-Triples
snapshots the single writer publishes (``publish``; ``workers.snapshots``). Each call carries the current generation; a
worker that is behind reloads only the graphs whose version changed (see docs/api.md, "Freshness").
``StoreSource.read_only(path)`` instead opens an on-disk store read-only and reopens it when the
generation changes (the CLI uses it; no snapshot needed).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from servicenet_vocab.errors import (
    QueryTimeoutError,
    ServicenetError,
    StoreError,
    WorkerCrashedError,
)
from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.workers.framing import Frames, take, unwrap
from servicenet_vocab.workers.idle import IdleWorkers
from servicenet_vocab.workers.process import Worker, WorkerContext, touch_store
from servicenet_vocab.workers.snapshots import SnapshotPublisher, StoreSource

__all__ = ["WorkerPool"]

READ_SIZE = 256 * 1024


class WorkerPool:
    """A fixed number of worker processes; ``call`` is blocking and thread-safe."""

    def __init__(
        self,
        size: int = 2,
        *,
        memory_mb: int = 2048,
        source: StoreSource | None = None,
        start_method: str = "forkserver",
        warm_job: Callable[[WorkerContext], object] = touch_store,
    ) -> None:
        self.size = size
        # what ``warm`` has each worker run in turn after its reload: the facade reads the
        # planning answers' facts then (``planning.run.warm_answers``)
        self.warm_job = warm_job
        self.memory_mb = memory_mb
        self.source = source or StoreSource()
        self._ctx = multiprocessing.get_context(start_method)
        if start_method == "forkserver":  # forks of a server that imported us start in ms
            self._ctx.set_forkserver_preload(["servicenet_vocab.workers.pool"])
        self._idle = IdleWorkers()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.generation = 0
        self.warming: list[threading.Thread] = []
        self._warmed: dict[Worker, int] = {}  # the generation each worker ran warm_job on
        self.publisher = (
            SnapshotPublisher(Path(self.source.path)) if self.source.kind == "snapshot" else None
        )

    def start(self) -> WorkerPool:
        for _ in range(self.size):
            self._idle.put(self._spawn())
        return self

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return sorted(worker.pid for worker in self._all)

    def publish(self, store: OxigraphStore, graphs: Iterable[str] | None = None) -> int:
        """Make the writer's committed state visible to workers (changed ``graphs`` only).

        Idle workers start reloading at once, in the background (``warm``); a worker that is busy
        reloads before its next call."""
        if self.publisher is not None:
            self.generation = self.publisher.publish(store, graphs)
        else:
            self.generation += 1  # read-only sources reopen the store
        self.warm()
        return self.generation

    def warm(self, timeout: float = 600.0) -> list[threading.Thread]:
        """Have every idle worker catch up with the current generation now, in the background
        (busy workers catch up before their next call). A heavier ``warm_job`` then runs on one
        worker at a time, each as soon as it is idle, so the others keep answering queries
        meanwhile. The threads are also kept in ``warming``."""
        idle = self._idle.take_all()
        touches = [
            threading.Thread(target=self._run_warm_job, args=(w, touch_store, timeout), daemon=True)
            for w in idle
        ]
        self.warming = list(touches)
        if self.warm_job is not touch_store:
            self.warming.append(
                threading.Thread(target=self._warm_in_turn, args=(touches, timeout), daemon=True)
            )
        for thread in self.warming:
            thread.start()
        return self.warming

    def _warm_in_turn(self, touches: list[threading.Thread], timeout: float) -> None:
        for thread in touches:
            thread.join(timeout)
        generation = self.generation
        deadline = time.monotonic() + timeout
        while not self._closed and generation == self.generation and time.monotonic() < deadline:
            with self._lock:
                behind = [w for w in self._all if self._warmed.get(w) != generation]
            if not behind:
                return
            worker = next((w for w in behind if self._idle.take(w)), None)
            if worker is None:
                time.sleep(0.05)  # polling: the workers left are busy with queries
                continue
            self._warmed[worker] = generation  # once, even if the job fails
            self._run_warm_job(worker, self.warm_job, timeout)

    def _run_warm_job(self, worker: Worker, job: Callable[..., Any], timeout: float) -> None:
        try:
            worker.conn.send((self.generation, job, ()))
        except OSError:  # it died while idle
            self._release(worker, healthy=False)
            return
        with contextlib.suppress(ServicenetError):  # a failed reload is reported by the next call
            self._finish(worker, time.monotonic() + timeout, timeout, None)

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        timeout: float,
        sink: IO[bytes] | None = None,
    ) -> Any:
        """Run ``fn(context, *args)`` in a worker within ``timeout`` seconds (waiting included)."""
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline, timeout)
        try:
            worker.conn.send((self.generation, fn, args))
        except OSError:  # it died while idle, unnoticed until now: a fresh one takes the call
            self._release(worker, healthy=False)
            worker = self._acquire(deadline, timeout)
            worker.conn.send((self.generation, fn, args))
        return self._finish(worker, deadline, timeout, sink)

    def _finish(
        self, worker: Worker, deadline: float, timeout: float, sink: IO[bytes] | None
    ) -> Any:
        """Read the call's chunks and outcome; kill the worker at the deadline; release it."""
        healthy = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not worker.conn.poll(remaining):
                    raise _timed_out(timeout)
                finished, outcome = self._receive(worker, sink)
                if finished:
                    healthy = True
                    return unwrap(outcome)
        finally:
            self._release(worker, healthy)

    def _receive(self, worker: Worker, sink: IO[bytes] | None) -> tuple[bool, Any]:
        try:
            message = worker.conn.recv_bytes()
        except (EOFError, OSError):
            raise self._crashed(worker) from None
        return take(message, sink)

    async def acall(
        self,
        fn: Callable[..., Any],
        *args: Any,
        timeout: float,
        sink: IO[bytes] | None = None,
    ) -> Any:
        """``call`` for the event loop: no thread; the loop watches the worker's pipe.

        Cancelling the awaiting task (a client that went away) kills the worker at once. The job
        is sent from the loop, so keep ``args`` small (a query); send uploads with ``call``."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        worker = await self._aacquire(deadline, timeout)
        try:
            worker.conn.send((self.generation, fn, args))
        except OSError:
            self._release_soon(worker)
            worker = await self._aacquire(deadline, timeout)
            worker.conn.send((self.generation, fn, args))
        done: asyncio.Future[Any] = loop.create_future()
        fd = worker.conn.fileno()
        frames = Frames()

        def readable() -> None:  # never blocks: reads what is there, keeps partial messages
            if done.done():
                return
            try:
                data = os.read(fd, READ_SIZE)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            try:
                if not data:
                    raise self._crashed(worker)
                for message in frames.feed(data):
                    finished, outcome = take(message, sink)
                    if finished:
                        done.set_result(outcome)
                        return
            except BaseException as error:  # a crash, or the sink failing: the call's outcome
                done.set_exception(error)

        loop.add_reader(fd, readable)  # uvloop makes the fd non-blocking; _unwatch undoes that
        try:
            outcome = await asyncio.wait_for(done, max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            _unwatch(loop, fd)
            worker.stop()
            await loop.run_in_executor(None, self._release, worker, False)  # reaped, replaced
            raise _timed_out(timeout) from None
        except BaseException:  # it crashed, or the caller was cancelled (the client went away)
            _unwatch(loop, fd)
            worker.stop()  # SIGKILL now; reaping and replacing it happen off the loop
            self._release_soon(worker)
            raise
        _unwatch(loop, fd)  # before release: ``call`` in a thread may take this worker next
        self._release(worker, True)
        return unwrap(outcome)

    async def _aacquire(self, deadline: float, timeout: float) -> Worker:
        while True:
            self._check_open()
            try:
                worker = await self._idle.aget(deadline - time.monotonic())
            except queue.Empty:
                raise _all_busy(self.size, timeout) from None
            if worker.process.is_alive():
                return worker
            self._release_soon(worker)  # died while idle (killed from outside): replace it

    def _release_soon(self, worker: Worker) -> None:
        """Reap and replace a dead or killed worker off the event loop (join and fork block)."""
        threading.Thread(target=self._release, args=(worker, False), daemon=True).start()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the worker pool is closed (the server is shutting down)")

    def _acquire(self, deadline: float, timeout: float) -> Worker:
        self._check_open()
        try:
            worker = self._idle.get(deadline - time.monotonic())
        except queue.Empty:
            raise _all_busy(self.size, timeout) from None
        if not worker.process.is_alive():  # died while idle (killed from outside): replace it
            self._release(worker, healthy=False)
            return self._acquire(deadline, timeout)
        return worker

    def _crashed(self, worker: Worker) -> ServicenetError:
        if self._closed:
            return StoreError("the server is shutting down; the request was stopped")
        return WorkerCrashedError(
            f"the worker process running this request died ({worker.death()}): the input made "
            f"the engine crash or pass the {self.memory_mb} MB memory limit. A fresh worker "
            "serves the next request."
        )

    def _release(self, worker: Worker, healthy: bool) -> None:
        if healthy and not self._closed:
            self._idle.put(worker)
            return
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self._warmed.pop(worker, None)
        if not self._closed:
            self._idle.put(self._spawn())

    def _spawn(self) -> Worker:
        worker = Worker(self._ctx, self.source, self.memory_mb, self.generation)
        with self._lock:
            self._all.add(worker)
        return worker

    def close(self) -> None:
        """Kill every worker now, busy or not: shutdown must not wait for a long query."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.kill()


def _timed_out(timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"the request ran longer than its limit of {timeout:g} s and was stopped "
        "(its worker process was killed)"
    )


def _all_busy(size: int, timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(f"all {size} workers stayed busy for the whole limit of {timeout:g} s")


def _unwatch(loop: asyncio.AbstractEventLoop, fd: int) -> None:
    loop.remove_reader(fd)
    with contextlib.suppress(OSError):
        os.set_blocking(fd, True)  # the blocking ``call`` path reads whole messages from it
