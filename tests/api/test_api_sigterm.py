"""SIGTERM stops ``servicenet serve`` within 10 s even with a long query in flight, and takes its
worker processes with it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest
from conftest import free_port, wait_until_ready

LONG = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{k} {{ {' '.join(str(i) for i in range(60))} }}" for k in range(5))
    + " }"
)


def test_sigterm_with_a_query_in_flight(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SERVICENET_WORKERS": "1",
        "SERVICENET_QUERY_TIMEOUT": "120",
        "SERVICENET_LOAD_EXAMPLES": "false",
    }
    command = [sys.executable, "-m", "servicenet_vocab.cli", "serve", "--store", "memory"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, lambda: server.poll() is None)
        in_flight = threading.Thread(target=_query_until_dropped, args=(url,), daemon=True)
        in_flight.start()
        worker = _busy_descendant(server.pid)
        descendants = psutil.Process(server.pid).children(recursive=True)
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        assert time.monotonic() - started < 10
        _gone, alive = psutil.wait_procs([worker, *descendants], timeout=5)
        assert alive == []
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _query_until_dropped(url: str) -> None:
    with contextlib.suppress(httpx.TransportError):  # the server goes away mid-query
        httpx.get(f"{url}/sparql", params={"query": LONG}, timeout=60)


def _busy_descendant(pid: int) -> psutil.Process:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for child in psutil.Process(pid).children(recursive=True):
            try:
                if child.cpu_percent(interval=0.1) > 30:
                    return child
            except psutil.NoSuchProcess:
                continue
    pytest.fail("no worker process got busy with the long query")


def test_serve_bounds_the_graceful_shutdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """`servicenet serve` hands uvicorn a graceful-shutdown bound, so SIGTERM cannot wait on a
    long request; the lifespan then kills the workers."""
    import uvicorn
    from servicenet_api.serve import GRACEFUL_SECONDS

    from servicenet_vocab.cli import main

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options, app=app))
    assert main(["serve", "--store", "memory", "--port", "8123", "--host", "127.0.0.1"]) == 0
    assert seen["timeout_graceful_shutdown"] == GRACEFUL_SECONDS < 10
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8123)
