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
snapshots the single writer publishes (``publish``). Each call carries the current generation; a
worker that is behind reloads only the graphs whose version changed (see docs/api.md, "Freshness").
``StoreSource.read_only(path)`` instead opens an on-disk store read-only and reopens it when the
generation changes (the CLI uses it; no snapshot needed).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import multiprocessing
import os
import pickle
import queue
import resource
import signal
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

from servicenet_vocab.errors import (
    Location,
    QueryTimeoutError,
    ServicenetError,
    StoreError,
    WorkerCrashedError,
)
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore, open_store

__all__ = ["SnapshotPublisher", "StoreSource", "WorkerContext", "WorkerPool"]

CHUNK = 64 * 1024
READ_SIZE = 256 * 1024
MANIFEST = "manifest.json"
_DATA, _RESULT, _ERROR = b"D", b"R", b"E"


@dataclass(frozen=True)
class StoreSource:
    """Where workers read data from: ``snapshot`` files, a ``read_only`` on-disk store, or none."""

    kind: str = "none"
    path: str = ""

    @classmethod
    def snapshot(cls, directory: str | Path) -> StoreSource:
        return cls("snapshot", str(directory))

    @classmethod
    def read_only(cls, store_path: str | Path) -> StoreSource:
        return cls("read_only", str(store_path))


# --- the writer's side: per-graph snapshots ----------------------------------------------------


@dataclass
class SnapshotPublisher:
    """Writes one N-Triples file per named graph plus a manifest naming each graph's version.

    Only changed graphs are rewritten, so workers reload only those. Files of older versions are
    removed one publication later (a worker may still be reading the previous one).
    """

    directory: Path
    generation: int = 0
    graphs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _stale: list[Path] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, store: OxigraphStore, graphs: Iterable[str] | None = None) -> int:
        """Snapshot ``graphs`` (default: every graph) of ``store``; returns the new generation."""
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            stale, self._stale = self._stale, []
            if graphs is None:
                names = [info.iri for info in store.graphs()]
                gone = set(self.graphs) - set(names)
            else:
                names = [g for g in graphs if store.has_graph(g)]
                gone = {g for g in graphs if not store.has_graph(g)}
            for iri in gone:
                self._stale.append(self.directory / self.graphs.pop(iri)["file"])
            for iri in names:
                self._write_graph(store, iri)
            self.generation += 1
            manifest = {"generation": self.generation, "graphs": self.graphs}
            tmp = self.directory / f".{MANIFEST}.tmp"
            tmp.write_text(json.dumps(manifest), "utf-8")
            os.replace(tmp, self.directory / MANIFEST)
            for path in stale:
                path.unlink(missing_ok=True)
            return self.generation

    def _write_graph(self, store: OxigraphStore, iri: str) -> None:
        old = self.graphs.get(iri)
        version = (old["version"] + 1) if old else 1
        name = f"{hashlib.sha1(iri.encode()).hexdigest()[:16]}-{version}.nt"
        path = self.directory / name
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(store.dump(RdfFormat.NTRIPLES, graph=iri))
        os.replace(tmp, path)
        if old:
            self._stale.append(self.directory / old["file"])
        self.graphs[iri] = {"file": name, "version": version}


# --- the worker's side --------------------------------------------------------------------------


class _StoreView:
    """A worker's view of the data, refreshed when a call carries a newer generation."""

    def __init__(self, source: StoreSource) -> None:
        self.source = source
        self.generation = -1
        self.versions: dict[str, int] = {}
        self._store: OxigraphStore | None = None

    def get(self, generation: int) -> OxigraphStore:
        if self._store is None or generation != self.generation:
            self._refresh()
            self.generation = generation
        assert self._store is not None
        return self._store

    def _refresh(self) -> None:
        if self.source.kind == "read_only":
            if self._store is not None:
                self._store.close()
                self._store = None
            self._store = _open_read_only(self.source.path)
        elif self.source.kind == "snapshot":
            self._store = self._store or open_store("memory")
            self._reload_snapshot(self._store, Path(self.source.path))
        else:
            self._store = self._store or open_store("memory")

    def _reload_snapshot(self, store: OxigraphStore, directory: Path) -> None:
        try:
            manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
        except FileNotFoundError:
            return  # nothing published yet: an empty store
        graphs: dict[str, dict[str, Any]] = manifest["graphs"]
        for iri in set(self.versions) - set(graphs):
            store.clear_graph(iri)
            del self.versions[iri]
        for iri, entry in graphs.items():
            if self.versions.get(iri) == entry["version"]:
                continue
            if iri in self.versions:
                store.clear_graph(iri)
            store.load(directory / entry["file"], RdfFormat.NTRIPLES, graph=iri)
            self.versions[iri] = entry["version"]


def _open_read_only(path: str, attempts: int = 5) -> OxigraphStore:
    """Open read-only, retrying: RocksDB may be replacing files under a concurrent writer."""
    for attempt in range(1, attempts + 1):
        try:
            return open_store(path, read_only=True)
        except (StoreError, RuntimeError) as error:  # RuntimeError: "Corruption: ... No such file"
            if attempt == attempts:
                raise StoreError(
                    f"cannot open the store read-only: {error}", location=Location(source=path)
                ) from None
            time.sleep(0.05 * attempt)  # back off while the writer finishes its compaction
    raise AssertionError("unreachable")


class _ChunkWriter:
    """A binary writer that sends what it is given to the parent in chunks of ``CHUNK`` bytes."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._conn.send_bytes(_DATA + bytes(self._buffer))
            self._buffer.clear()


class WorkerContext:
    """What a job gets: the data (``store``, loaded on first use) and a byte ``output``."""

    def __init__(self, view: _StoreView, generation: int, output: _ChunkWriter) -> None:
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


def _worker_main(conn: Connection, source: StoreSource, memory_mb: int, generation: int) -> None:
    """The loop of one worker process: receive a job, run it, send chunks and then the outcome."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    view = _StoreView(source)
    if source.kind != "none":
        with contextlib.suppress(ServicenetError):  # the first call reports it, located
            view.get(generation)  # load before the first call, not during it
    while True:
        try:
            job_generation, fn, args = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        _run_job(conn, view, job_generation, fn, args)


def touch_store(context: WorkerContext) -> int:
    """A job that only brings the worker's data up to date; returns the generation it has."""
    _ = context.store
    return context.generation


def _run_job(
    conn: Connection,
    view: _StoreView,
    generation: int,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    output = _ChunkWriter(conn)
    try:
        result = fn(WorkerContext(view, generation, output), *args)
    except ServicenetError as error:
        conn.send_bytes(_ERROR + pickle.dumps(error))
        return
    output.flush()
    conn.send_bytes(_RESULT + pickle.dumps(result))


# --- the pool -----------------------------------------------------------------------------------


class _Worker:
    def __init__(
        self,
        ctx: multiprocessing.context.BaseContext,
        source: StoreSource,
        memory_mb: int,
        generation: int,
    ) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main,
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


class _Waiter:
    """One caller waiting for an idle worker: a thread (``loop`` is None) or an event-loop task."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop
        self.event: threading.Event | None = None if loop else threading.Event()
        self.future: asyncio.Future[_Worker] | None = loop.create_future() if loop else None
        self.worker: _Worker | None = None
        self.withdrawn = False


class _IdleWorkers:
    """Idle workers for threads and event-loop tasks alike: waiting callers are served first come,
    first served; of the idle workers, the one released last goes first (measured: alternating
    between two workers made a 1.5 ms query 30 % slower, each copy of the data colder in cache)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workers: deque[_Worker] = deque()
        self._waiters: deque[_Waiter] = deque()

    def put(self, worker: _Worker) -> None:
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.withdrawn:
                    waiter.worker = worker
                    if waiter.loop is not None:
                        waiter.loop.call_soon_threadsafe(self._deliver, waiter, worker)
                    else:
                        assert waiter.event is not None
                        waiter.event.set()
                    return
            self._workers.append(worker)

    def _deliver(self, waiter: _Waiter, worker: _Worker) -> None:
        assert waiter.future is not None
        if waiter.future.done():  # its task gave up as the worker was handed over: pass it on
            self.put(worker)
        else:
            waiter.future.set_result(worker)

    def take_all(self) -> list[_Worker]:
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
            return workers

    def _take_or_wait(self, loop: asyncio.AbstractEventLoop | None) -> _Worker | _Waiter:
        with self._lock:
            if self._workers:  # the last one released: its caches are warm with the data
                return self._workers.pop()
            waiter = _Waiter(loop)
            self._waiters.append(waiter)
            return waiter

    def _withdraw(self, waiter: _Waiter) -> bool:
        """Stop waiting; False when a worker was already handed to this waiter."""
        with self._lock:
            if waiter.worker is not None:
                return False
            waiter.withdrawn = True
            return True

    def get(self, timeout: float) -> _Worker:
        """Block for up to ``timeout`` seconds; ``queue.Empty`` when no worker came."""
        taken = self._take_or_wait(None)
        if isinstance(taken, _Worker):
            return taken
        assert taken.event is not None
        if not taken.event.wait(max(0.0, timeout)) and self._withdraw(taken):
            raise queue.Empty
        assert taken.worker is not None
        return taken.worker

    async def aget(self, timeout: float) -> _Worker:
        taken = self._take_or_wait(asyncio.get_running_loop())
        if isinstance(taken, _Worker):
            return taken
        assert taken.future is not None
        try:
            return await asyncio.wait_for(taken.future, max(0.0, timeout))
        except (TimeoutError, asyncio.CancelledError) as stop:
            # A worker handed over meanwhile reaches ``_deliver``, which passes it on.
            self._withdraw(taken)
            if isinstance(stop, TimeoutError):
                raise queue.Empty from None
            raise


class WorkerPool:
    """A fixed number of worker processes; ``call`` is blocking and thread-safe."""

    def __init__(
        self,
        size: int = 2,
        *,
        memory_mb: int = 2048,
        source: StoreSource | None = None,
        start_method: str = "forkserver",
    ) -> None:
        self.size = size
        self.memory_mb = memory_mb
        self.source = source or StoreSource()
        self._ctx = multiprocessing.get_context(start_method)
        if start_method == "forkserver":  # forks of a server that imported us start in ms
            self._ctx.set_forkserver_preload(["servicenet_vocab.workers.pool"])
        self._idle = _IdleWorkers()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.generation = 0
        self.warming: list[threading.Thread] = []
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
        (busy workers catch up before their next call). The threads are also kept in ``warming``."""
        idle = self._idle.take_all()
        self.warming = [
            threading.Thread(target=self._touch, args=(worker, timeout), daemon=True)
            for worker in idle
        ]
        for thread in self.warming:
            thread.start()
        return self.warming

    def _touch(self, worker: _Worker, timeout: float) -> None:
        try:
            worker.conn.send((self.generation, touch_store, ()))
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
        self, worker: _Worker, deadline: float, timeout: float, sink: IO[bytes] | None
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
                    return _unwrap(outcome)
        finally:
            self._release(worker, healthy)

    def _receive(self, worker: _Worker, sink: IO[bytes] | None) -> tuple[bool, Any]:
        try:
            message = worker.conn.recv_bytes()
        except (EOFError, OSError):
            raise self._crashed(worker) from None
        return _take(message, sink)

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
        frames = _Frames()

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
                    finished, outcome = _take(message, sink)
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
        return _unwrap(outcome)

    async def _aacquire(self, deadline: float, timeout: float) -> _Worker:
        while True:
            self._check_open()
            try:
                worker = await self._idle.aget(deadline - time.monotonic())
            except queue.Empty:
                raise _all_busy(self.size, timeout) from None
            if worker.process.is_alive():
                return worker
            self._release_soon(worker)  # died while idle (killed from outside): replace it

    def _release_soon(self, worker: _Worker) -> None:
        """Reap and replace a dead or killed worker off the event loop (join and fork block)."""
        threading.Thread(target=self._release, args=(worker, False), daemon=True).start()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the worker pool is closed (the server is shutting down)")

    def _acquire(self, deadline: float, timeout: float) -> _Worker:
        self._check_open()
        try:
            worker = self._idle.get(deadline - time.monotonic())
        except queue.Empty:
            raise _all_busy(self.size, timeout) from None
        if not worker.process.is_alive():  # died while idle (killed from outside): replace it
            self._release(worker, healthy=False)
            return self._acquire(deadline, timeout)
        return worker

    def _crashed(self, worker: _Worker) -> ServicenetError:
        if self._closed:
            return StoreError("the server is shutting down; the request was stopped")
        return WorkerCrashedError(
            f"the worker process running this request died ({worker.death()}): the input made "
            f"the engine crash or pass the {self.memory_mb} MB memory limit. A fresh worker "
            "serves the next request."
        )

    def _release(self, worker: _Worker, healthy: bool) -> None:
        if healthy and not self._closed:
            self._idle.put(worker)
            return
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        if not self._closed:
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.source, self.memory_mb, self.generation)
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


@dataclass(frozen=True)
class _Failed:
    """A job's ``ServicenetError``, carried to the caller to be raised there."""

    error: ServicenetError


def _unwrap(outcome: Any) -> Any:
    if isinstance(outcome, _Failed):
        raise outcome.error
    return outcome


def _timed_out(timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"the request ran longer than its limit of {timeout:g} s and was stopped "
        "(its worker process was killed)"
    )


def _all_busy(size: int, timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(f"all {size} workers stayed busy for the whole limit of {timeout:g} s")


def _take(message: bytes, sink: IO[bytes] | None) -> tuple[bool, Any]:
    """One message from a worker: (False, None) for a chunk, which goes to ``sink``; (True,
    outcome) at the end, the outcome being the result or the job's error (see ``_unwrap``)."""
    tag, body = message[:1], message[1:]
    if tag == _DATA:
        if sink is not None:
            sink.write(body)
        return False, None
    outcome = pickle.loads(body)
    return True, _Failed(outcome) if tag == _ERROR else outcome


class _Frames:
    """``multiprocessing.Connection`` framing, read without blocking: a signed 4-byte big-endian
    length (-1 announces an 8-byte length instead), then that many bytes."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        buffer = self._buffer
        buffer += data
        messages = []
        while len(buffer) >= 4:
            (size,) = struct.unpack_from("!i", buffer)
            start = 4
            if size == -1:
                if len(buffer) < 12:
                    break
                (size,) = struct.unpack_from("!Q", buffer, 4)
                start = 12
            if len(buffer) < start + size:
                break
            messages.append(bytes(buffer[start : start + size]))
            del buffer[: start + size]
        return messages


def _unwatch(loop: asyncio.AbstractEventLoop, fd: int) -> None:
    loop.remove_reader(fd)
    with contextlib.suppress(OSError):
        os.set_blocking(fd, True)  # the blocking ``call`` path reads whole messages from it
