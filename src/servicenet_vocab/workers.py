"""Worker processes for untrusted work: queries now, parsing and validation later.

pyoxigraph kills its whole process on some inputs (deep nesting) and cannot be interrupted from
Python, so the API and CLI never run untrusted work themselves. ``WorkerPool.call(fn, *args)`` runs
``fn(context, *args)`` in one of a few long-lived worker processes and returns its (picklable) result:

- a **wall-clock limit** per call: past it the worker is killed with SIGKILL (its CPU stops at once)
  and the caller gets ``QueryTimeoutError``;
- a **memory limit** (``RLIMIT_AS``) per worker: an allocation past it aborts that worker only;
- a worker that dies costs only its call (``WorkerCrashedError`` naming the signal) and is replaced;
- the job streams bytes back through ``context.output`` into the caller's ``sink`` (a pipe, in
  chunks), so large results never sit whole in either process;
- ``ServicenetError`` raised by the job is re-raised in the caller, location included. Any other
  exception is a bug: the worker dies with its traceback on stderr and is replaced.

Workers see the data through ``context.store``, an in-memory copy built from per-graph N-Triples
snapshots the single writer publishes (``publish``). Each call carries the current generation; a
worker that is behind reloads only the graphs whose version changed (see docs/api.md, "Freshness").
``StoreSource.read_only(path)`` instead opens an on-disk store read-only and reopens it when the
generation changes (the CLI uses it; no snapshot needed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import pickle
import queue
import resource
import signal
import threading
import time
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
from servicenet_vocab.store import OxigraphStore, open_store

__all__ = ["SnapshotPublisher", "StoreSource", "WorkerContext", "WorkerPool"]

CHUNK = 64 * 1024
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

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def death(self) -> str:
        self.process.join(timeout=5)
        code = self.process.exitcode
        if code is not None and code < 0:
            return signal.Signals(-code).name
        return f"exit code {code}"


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
            self._ctx.set_forkserver_preload(["servicenet_vocab.workers"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
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
        idle = []
        while True:
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
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
                    raise QueryTimeoutError(
                        f"the request ran longer than its limit of {timeout:g} s and was stopped "
                        "(its worker process was killed)"
                    )
                try:
                    message = worker.conn.recv_bytes()
                except (EOFError, OSError):
                    raise self._crashed(worker) from None
                tag, body = message[:1], message[1:]
                if tag == _DATA:
                    if sink is not None:
                        sink.write(body)
                    continue
                healthy = True
                outcome = pickle.loads(body)
                if tag == _ERROR:
                    raise outcome
                return outcome
        finally:
            self._release(worker, healthy)

    def _acquire(self, deadline: float, timeout: float) -> _Worker:
        if self._closed:
            raise StoreError("the worker pool is closed (the server is shutting down)")
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeoutError(
                f"all {self.size} workers stayed busy for the whole limit of {timeout:g} s"
            ) from None
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
