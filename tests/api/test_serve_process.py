"""`servicenet serve` as a user runs it (what `make serve` does): a real process on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from servicenet_vocab.namespaces import ONTOLOGY_GRAPH, municipality_graph

# Generous: the process imports the app and loads the vocabulary and examples on a shared CI core.
READY_TIMEOUT = 120.0
SHUTDOWN_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(
    url: str, process: subprocess.Popen[bytes], timeout: float = READY_TIMEOUT
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}")
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == 200 and response.json()["ready"]:
                return dict(response.json())
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling interval, not a wait for readiness
    pytest.fail(f"server did not become ready in {timeout:g} s")


def test_serve_loads_vocabulary_and_examples_then_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SERVICENET_WORKERS": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "servicenet_vocab.cli",
            "serve",
            "--store",
            str(tmp_path / "store"),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        health = wait_for_health(f"http://127.0.0.1:{port}/health", process)
        graphs = {g["graph"]: g["triples"] for g in health["graphs"]}
        assert graphs[ONTOLOGY_GRAPH] > 500
        assert graphs[municipality_graph("091")] > 100
        assert health["triples"] == sum(graphs.values())
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            # Shutdown is prompt; the bound is generous for a loaded 2-core CI, not a measurement.
            process.wait(timeout=SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()  # never leave a server behind, even when the test fails
            process.wait()
            raise
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status tells why it ended.
    assert process.returncode in (0, -signal.SIGTERM)
    # The store persisted: a second start finds it non-empty and does not load again.
    assert (tmp_path / "store").is_dir()
