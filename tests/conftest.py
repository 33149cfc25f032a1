"""Shared fixtures: a real uvicorn serving the real app on 127.0.0.1, on a free port.

    def test_something(live_server_factory):
        with live_server_factory(store="memory", query_timeout=2) as server:
            server.load(b"<urn:a> <urn:b> <urn:c> .", graph="urn:g")   # writes + publishes
            response = server.client.get("/sparql", params={"query": "ASK {}"})

The server runs in a thread of the test process (so coverage sees it), with its own ``Settings``;
readiness is polled on ``/health``. Leaving the ``with`` block stops it and its worker processes.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
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
from servicenet_vocab.workers import WorkerPool

READY_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    app: FastAPI
    client: httpx.Client

    @property
    def store(self) -> OxigraphStore:
        return services_of(self.app).store

    @property
    def pool(self) -> WorkerPool:
        return services_of(self.app).pool

    def load(self, data: bytes, *, graph: str, fmt: RdfFormat = RdfFormat.NTRIPLES) -> None:
        """Write as the single writer does, then publish the graph to the workers."""
        self.store.load(data, fmt, graph=graph, replace=True)
        self.pool.publish(self.store, [graph])


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
def run_live_server(**overrides: Any) -> Iterator[LiveServer]:
    """A real uvicorn in a thread with ``Settings(**overrides)`` (default: in-memory store,
    no example datasets)."""
    port = free_port()
    options: dict[str, Any] = {"store": "memory", "load_examples": False, "workers": 2}
    options.update(overrides, host="127.0.0.1", port=port)
    app = create_app(Settings(**options))
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, thread.is_alive)
        with httpx.Client(base_url=url, timeout=30) as client:
            yield LiveServer(url, app, client)
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def live_server_factory() -> Callable[..., AbstractContextManager[LiveServer]]:
    return run_live_server
