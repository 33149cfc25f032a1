"""The CLI on ``SERVICENET_BACKEND=remote``: ``load``, ``graphs`` and ``query`` reach a real
Oxigraph server, not the embedded store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EngineProcess, Fault, FaultProxy, oxigraph_server

from servicenet_vocab import cli
from servicenet_vocab.store.remote import RemoteStore

G = "https://w3id.org/servicenet/graph/municipality/091"


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineProcess]:
    with oxigraph_server() as running:
        yield running


@pytest.fixture
def remote_env(engine: EngineProcess, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for key, value in engine.settings.items():
        monkeypatch.setenv(f"SERVICENET_{key.upper()}", str(value))
    monkeypatch.chdir(tmp_path)  # an embedded store would appear here as ./data/store
    return tmp_path


def test_load_graphs_and_query_reach_the_engine(
    remote_env: Path, engine: EngineProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    data = remote_env / "units.ttl"
    data.write_text('<https://hel.example/u/1> <urn:name> "Unit" ; <urn:places> 3 .\n')
    assert cli.main(["load", str(data), "--graph", G, "--replace"]) == 0
    assert f"loaded 2 triples from {data} into <{G}>" in capsys.readouterr().out
    assert cli.main(["graphs"]) == 0
    assert G in capsys.readouterr().out
    assert cli.main(["query", f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s <urn:name> ?o }} }}"]) == 0
    assert "Unit" in capsys.readouterr().out
    assert cli.main(["query", "--timeout", "5", "--format", "csv", "ASK { ?s ?p 3 }"]) == 0
    assert "true" in capsys.readouterr().out
    direct = RemoteStore(engine.settings["remote_query_url"])
    assert direct.triple_count(G) == 2  # on the engine
    assert not (remote_env / "data").exists()  # and nothing embedded


def test_an_unreachable_engine_is_exit_2_with_the_reason(
    engine: EngineProcess, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    relay = FaultProxy(int(engine.url.rsplit(":", 1)[1]))
    try:
        relay.fault = Fault("status", status=503, body=b"maintenance")
        monkeypatch.setenv("SERVICENET_BACKEND", "remote")
        monkeypatch.setenv("SERVICENET_REMOTE_QUERY_URL", f"{relay.url}/query")
        assert cli.main(["graphs"]) == 2
        error = capsys.readouterr().err
        assert "unavailable (HTTP 503)" in error and "maintenance" in error
    finally:
        relay.close()
