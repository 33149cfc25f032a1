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

import shutil
import socket
import subprocess
import sys
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
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.workers import WorkerPool

READY_TIMEOUT = 60.0
EMBEDDED, OXIGRAPH = "embedded", "oxigraph-server"
BACKENDS = (EMBEDDED, OXIGRAPH)


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

    def load(self, data: bytes, *, graph: str, fmt: RdfFormat = RdfFormat.NTRIPLES) -> None:
        """Write as the single writer does; the embedded store then publishes the graph to the
        workers (an engine needs nothing more: every query reads it)."""
        self.store.load(data, fmt, graph=graph, replace=True)
        if not self.remote:
            self.pool.publish(self.embedded, [graph])

    def clear(self, graph: str) -> None:
        self.store.clear_graph(graph)
        if not self.remote:
            self.pool.publish(self.embedded, [graph])


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
    backend: str = EMBEDDED, engine: EngineProcess | None = None, **overrides: Any
) -> Iterator[LiveServer]:
    """A real uvicorn in a thread with ``Settings(**overrides)`` (default: in-memory store, no
    example datasets) over ``backend``: the embedded store, or a fresh in-memory Oxigraph server
    (or the given ``engine``, left running)."""
    options: dict[str, Any] = {"store": "memory", "load_examples": False, "workers": 2}
    own_engine = None
    if backend == OXIGRAPH and engine is None:
        engine = own_engine = start_oxigraph()
    if engine is not None:
        options.update(engine.settings)
    options.update(overrides, host="127.0.0.1", port=free_port())
    settings = Settings(**options)
    try:
        with (
            serve_app(settings) as (url, app),
            httpx.Client(base_url=url, timeout=30) as client,
        ):
            yield LiveServer(
                url, app, client, backend if engine is None else OXIGRAPH, engine, settings
            )
    finally:
        if own_engine is not None:
            own_engine.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Parametrises the module's fixtures (and so its tests) over both backends."""
    return str(request.param)


@pytest.fixture
def live_server_factory(backend: str) -> Callable[..., AbstractContextManager[LiveServer]]:
    return partial(run_live_server, backend)


def differs_on(request: pytest.FixtureRequest, backend: str, reason: str, *on: str) -> None:
    """Declare an engine difference: on ``on`` (default: every remote backend) this test is
    expected to fail, strictly (it still runs, and passing would be reported)."""
    if backend in (on or tuple(b for b in BACKENDS if b != EMBEDDED)):
        request.node.add_marker(pytest.mark.xfail(reason=f"{backend}: {reason}", strict=True))
