"""Shared fixtures: a real uvicorn serving the real app on 127.0.0.1, on a free port, over either
backend: the embedded store, or a real Oxigraph server (``oxigraph serve``) started for it.

    def test_something(live_server_factory):
        with live_server_factory(store="memory", query_timeout=2) as server:
            server.load(b"<urn:a> <urn:b> <urn:c> .", graph="urn:g")   # writes (+ publishes)
            response = server.client.get("/sparql", params={"query": "ASK {}"})

A module's fixtures that take ``backend`` run its tests once per backend (``BACKENDS``); an engine
difference is declared in the test with ``differs_on(request, backend, reason)`` (strict xfail).
The server runs in a thread of the test process (so coverage sees it), with its own ``Settings``;
readiness is polled on ``/health``. Leaving the ``with`` block stops it, its worker processes and
its engine.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from servicenet_api.app import create_app
from servicenet_api.deps import services_of

from servicenet_vocab.config import Settings
from servicenet_vocab.namespaces import VOCABULARY_GRAPHS
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.store.remote import RemoteStore
from servicenet_vocab.vocabulary import files as vocabulary
from servicenet_vocab.workers import WorkerPool

# Run by the system Python that has QGIS's bindings (test_ogc_qgis.py), never imported here.
collect_ignore = ["api/qgis_open.py"]
READY_TIMEOUT = 60.0
EMBEDDED, OXIGRAPH, VIRTUOSO = "embedded", "oxigraph-server", "virtuoso"
BACKENDS = (EMBEDDED, OXIGRAPH, VIRTUOSO)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- engines the tests start ------------------------------------------------------------------


def oxigraph_command() -> str:
    """The ``oxigraph`` CLI of the venv (PyPI package ``oxigraph``, a dev dependency)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server is missing: pip install -e '.[dev]' installs it")
    return found


@dataclass
class EngineProcess:
    """A SPARQL engine process started by a test, and the facade settings that reach it."""

    process: subprocess.Popen[bytes]
    url: str
    settings: dict[str, Any]
    directory: Path | None = None
    log: Path | None = None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def kill(self) -> None:
        """What a crash of the engine looks like from outside."""
        self.process.kill()
        self.process.wait(timeout=10)


def wait_for_engine(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Poll the engine's query endpoint until it answers; fail fast if it died."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the engine exited with {process.returncode} before it was ready")
            try:
                if client.get(url, params={"query": "ASK {}"}).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)  # the polling interval
    pytest.fail(f"the engine at {url} did not answer in {timeout:g} s")


def start_oxigraph(location: Path | None = None, *, port: int | None = None) -> EngineProcess:
    """``oxigraph serve`` on 127.0.0.1 (in memory without ``location``), ready to query."""
    port = port or free_port()
    command = [oxigraph_command(), "serve", "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        command += ["--location", str(location)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_engine(f"{base}/query", process)
    except BaseException:
        process.kill()
        process.wait()
        raise
    settings = {
        "backend": "remote",
        "remote_engine": "oxigraph",
        "remote_query_url": f"{base}/query",
        "remote_update_url": f"{base}/update",
        "remote_graph_store_url": f"{base}/store",
    }
    return EngineProcess(process, base, settings, location)


@contextmanager
def oxigraph_server(location: Path | None = None) -> Iterator[EngineProcess]:
    engine = start_oxigraph(location)
    try:
        yield engine
    finally:
        engine.stop()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
; Above the facade's result_limit: Virtuoso cuts results at this many rows without saying so.
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 60
"""


def virtuoso_command() -> str | None:
    return shutil.which("virtuoso-t")


def start_virtuoso(directory: Path) -> EngineProcess:
    """Virtuoso 7 (Debian's virtuoso-opensource) with a fresh database in ``directory``: queries
    at /sparql, updates at /sparql-auth and the Graph Store at /sparql-graph-crud-auth as the
    default ``dba`` (HTTP digest)."""
    command = virtuoso_command()
    if command is None:
        pytest.skip("virtuoso-t is not installed (make test installs virtuoso-opensource)")
    http_port, sql_port = free_port(), free_port()
    directory.mkdir(parents=True, exist_ok=True)
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port))
    log = directory / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [command, "+foreground", "+configfile", str(ini)],
            cwd=directory,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for_engine(f"{base}/sparql", process, timeout=120)
    except BaseException:
        process.kill()
        process.wait()
        raise
    settings = {
        "backend": "remote",
        "remote_engine": "virtuoso",
        "remote_query_url": f"{base}/sparql",
        "remote_update_url": f"{base}/sparql-auth",
        "remote_graph_store_url": f"{base}/sparql-graph-crud-auth",
        "remote_user": "dba",
        "remote_password": "dba",
        "remote_auth": "digest",
    }
    return EngineProcess(process, base, settings, directory, log)


# --- a relay that injects the engine's failures --------------------------------------------------


@dataclass
class Fault:
    """What to do with the requests whose request line contains ``match``.

    kind: ``stall`` (never answer), ``status`` (answer ``status`` with ``body``), ``answer`` (200
    with ``media`` and ``body``), ``cut`` (send the engine the first ``at`` bytes, then close),
    ``drop`` (let the engine answer, then close without a word)."""

    kind: str
    match: str = ""
    status: int = 500
    media: str = "text/plain"
    body: bytes = b""
    at: int = 0


class FaultProxy:
    """A TCP relay to the engine, one request per connection (it asks for ``Connection: close``)."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.fault: Fault | None = None
        self.faulted = 0  # requests a fault applied to
        self.heads: list[bytes] = []  # every request's head, as the client sent it
        self.bodies: list[bytes] = []  # and its body
        self.port = free_port()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(30)
            try:
                head, body = _read_request(conn)
            except (OSError, ValueError):
                return
            self.heads.append(head)
            self.bodies.append(body)
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            fault = self.fault if self.fault and self.fault.match in line else None
            if fault is not None:
                self.faulted += 1
            if fault is not None and fault.kind == "stall":
                while not self._stop.is_set():  # until the client gives up, or the test ends
                    try:
                        conn.settimeout(0.2)
                        if conn.recv(1) == b"":
                            return
                    except TimeoutError:
                        continue
                    except OSError:
                        return
                return
            if fault is not None and fault.kind in ("status", "answer"):
                status = fault.status if fault.kind == "status" else 200
                conn.sendall(
                    f"HTTP/1.1 {status} Fault\r\nContent-Type: {fault.media}\r\n"
                    f"Content-Length: {len(fault.body)}\r\nConnection: close\r\n\r\n".encode()
                    + fault.body
                )
                return
            request = _close_after(head) + body
            with socket.create_connection(("127.0.0.1", self.upstream), timeout=30) as engine:
                if fault is not None and fault.kind == "cut":
                    engine.sendall(request[: fault.at])
                    return  # both connections close: the engine saw half a request
                engine.sendall(request)
                answer = _read_all(engine)
            if fault is not None and fault.kind == "drop":
                return  # applied by the engine; its answer never reaches the facade
            head, _, rest = answer.partition(b"\r\n\r\n")
            conn.sendall(_close_after(head) + rest)  # so the client never reuses the connection


def _read_request(conn: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ValueError("closed before a request")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for header in head.split(b"\r\n")[1:]:
        name, _, value = header.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n", body


def _close_after(head: bytes) -> bytes:
    lines = [
        line
        for line in head.rstrip(b"\r\n").split(b"\r\n")
        if not line.lower().startswith(b"connection:")
    ]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n"


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


# --- the facade ---------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    app: FastAPI
    client: httpx.Client
    backend: str = EMBEDDED
    engine: EngineProcess | None = None
    settings: Settings = field(default_factory=Settings)

    @property
    def store(self) -> Store:
        return services_of(self.app).store

    @property
    def embedded(self) -> OxigraphStore:
        store = self.store
        assert isinstance(store, OxigraphStore), "this test needs the embedded backend"
        return store

    @property
    def pool(self) -> WorkerPool:
        return services_of(self.app).pool

    @property
    def remote(self) -> bool:
        return self.backend != EMBEDDED

    def settle(self, timeout: float = 120.0) -> None:
        """Wait until the workers have finished their background warm-up (reload and the
        planning facts) after a start or a write, so a test sees them at rest. Call it before
        sending a long query: the warm-up waits for a busy worker to be idle."""
        for thread in list(self.pool.warming):
            thread.join(timeout=timeout)

    def load(self, data: bytes, *, graph: str, fmt: RdfFormat = RdfFormat.NTRIPLES) -> None:
        """Write as the single writer does; the embedded store then publishes the graph to the
        workers (an engine needs nothing more: every query reads it)."""
        self.store.load(data, fmt, graph=graph, replace=True)
        if not self.remote:
            self.pool.publish(self.embedded, [graph])
            self.settle()  # the workers' warm-up done before the test goes on

    def clear(self, graph: str) -> None:
        self.store.clear_graph(graph)
        if not self.remote:
            self.pool.publish(self.embedded, [graph])
            self.settle()


def wait_until_ready(
    url: str, is_alive: Callable[[], bool], timeout: float = READY_TIMEOUT
) -> None:
    """Poll ``/health`` until it says ready; fail fast if the server died."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if not is_alive():
                pytest.fail("the server stopped before it became ready")
            try:
                response = client.get(f"{url}/health")
                if response.status_code == 200 and response.json()["ready"]:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)  # the polling interval, not a guess at readiness
    pytest.fail(f"the server at {url} did not become ready in {timeout:g} s")


@contextmanager
def serve_app(settings: Settings) -> Iterator[tuple[str, FastAPI]]:
    """``create_app(settings)`` on a real uvicorn in a thread, until the block ends."""
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{settings.port}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{settings.port}"
    try:
        wait_until_ready(url, thread.is_alive)
        yield url, app
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@contextmanager
def run_live_server(
    kind: str = EMBEDDED, engine: EngineProcess | None = None, **overrides: Any
) -> Iterator[LiveServer]:
    """A real uvicorn in a thread with ``Settings(**overrides)`` (default: in-memory store, no
    example datasets) over the backend ``kind``: the embedded store, or a fresh in-memory Oxigraph
    server (or the given ``engine``, left running; or the engine the overrides' remote settings
    name)."""
    options: dict[str, Any] = {"store": "memory", "load_examples": False, "workers": 2}
    own_engine = None
    if kind == OXIGRAPH and engine is None and overrides.get("backend") != "remote":
        engine = own_engine = start_oxigraph()
    saved: dict[str, bytes] | None = None
    if kind == VIRTUOSO and engine is None:
        engine = shared_virtuoso()
        # One server per session: each facade starts from the vocabulary alone (loaded once, by
        # the first facade), and one started inside another's tests gives the outer one its
        # graphs back when it ends.
        saved = empty(engine)
        if overrides.get("load_examples"):
            with remote_store(engine) as store:
                vocabulary.load_examples(store)
    if engine is not None:
        options.update(engine.settings)
    options.update(overrides, host="127.0.0.1", port=free_port())
    settings = Settings(**options)
    label = EMBEDDED if settings.backend.value == "oxigraph" else OXIGRAPH
    if settings.remote_engine.value == "virtuoso":
        label = VIRTUOSO
    try:
        with (
            serve_app(settings) as (url, app),
            httpx.Client(base_url=url, timeout=30) as client,
        ):
            live = LiveServer(url, app, client, label, engine, settings)
            live.settle()
            yield live
    finally:
        if own_engine is not None:
            own_engine.stop()
        if saved:
            assert engine is not None
            restore(engine, saved)


_VIRTUOSO: list[EngineProcess] = []


def shared_virtuoso() -> EngineProcess:
    """The session's Virtuoso (started on first use: it takes seconds; stopped at the end)."""
    if not _VIRTUOSO or _VIRTUOSO[0].process.poll() is not None:
        directory = Path(tempfile.mkdtemp(prefix="servicenet-virtuoso-"))
        _VIRTUOSO[:] = [start_virtuoso(directory)]
        atexit.register(_VIRTUOSO[0].stop)  # also when the session does not end normally
    return _VIRTUOSO[0]


@contextmanager
def remote_store(engine: EngineProcess) -> Iterator[RemoteStore]:
    store = RemoteStore.from_settings(Settings(**engine.settings))
    try:
        yield store
    finally:
        store.close()


def empty(engine: EngineProcess) -> dict[str, bytes]:
    """Drop every graph but the vocabulary's (and never the engine's own); returns what they
    held. No test writes a vocabulary graph: the facade refuses it (405)."""
    with remote_store(engine) as store:
        graphs = [info.iri for info in store.graphs() if info.iri not in VOCABULARY_GRAPHS]
        held = {graph: store.dump(RdfFormat.NTRIPLES, graph=graph) for graph in graphs}
        for graph in held:
            store.drop_graph(graph)
        return held


def restore(engine: EngineProcess, held: dict[str, bytes]) -> None:
    empty(engine)
    with remote_store(engine) as store:
        for graph, data in held.items():
            store.write_graph(graph, data.decode("utf-8"), replace=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for engine in _VIRTUOSO:
        engine.stop()
        if engine.directory is not None:
            shutil.rmtree(engine.directory, ignore_errors=True)


@pytest.fixture(
    scope="module",
    params=[EMBEDDED, OXIGRAPH, pytest.param(VIRTUOSO, marks=pytest.mark.virtuoso)],
)
def backend(request: pytest.FixtureRequest) -> str:
    """Parametrises the module's fixtures (and so its tests) over the backends: the embedded
    store, a fresh Oxigraph server per facade, and the session's Virtuoso (``-m virtuoso``)."""
    return str(request.param)


@pytest.fixture
def live_server_factory(backend: str) -> Callable[..., AbstractContextManager[LiveServer]]:
    return partial(run_live_server, backend)


def differs_on(request: pytest.FixtureRequest, backend: str, reason: str, *on: str) -> None:
    """Declare an engine difference: on the backends ``on`` (default: every remote one) this test
    is expected to fail, strictly (it still runs, and a pass is reported as a failure)."""
    if backend in (on or tuple(b for b in BACKENDS if b != EMBEDDED)):
        request.node.add_marker(pytest.mark.xfail(reason=f"{backend}: {reason}", strict=True))


# Engine differences met by the facade suite, each measured on the engine named.
VIRTUOSO_UTILISATION = "Virtuoso 7.2 fails the utilisation query in its SQL compiler (error SQ074)"
