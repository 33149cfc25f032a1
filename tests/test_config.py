"""Settings validate themselves and read SERVICENET_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from servicenet_vocab.config import Settings
from servicenet_vocab.namespaces import municipality_graph, municipality_of_graph, sparql_prefixes


def test_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.store == "./data/store"
    assert settings.store_path == Path("./data/store")
    assert (settings.host, settings.port, settings.query_timeout) == ("127.0.0.1", 8000, 30.0)


def test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICENET_STORE", "memory")
    monkeypatch.setenv("SERVICENET_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv(
        "SERVICENET_SERVICE_ALLOWLIST", "https://a.example/sparql, https://b.example/sparql"
    )
    settings = Settings()
    assert settings.in_memory and settings.store_path is None
    assert settings.query_timeout == 2.5
    assert settings.service_allowlist == ["https://a.example/sparql", "https://b.example/sparql"]


@pytest.mark.parametrize(
    ("field", "value"), [("port", 0), ("query_timeout", -1), ("store", "  "), ("result_limit", 0)]
)
def test_invalid_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(**{field: value})
    assert field in str(caught.value)


def test_municipality_graphs() -> None:
    assert municipality_graph("091") == "https://w3id.org/servicenet/graph/municipality/091"
    assert municipality_of_graph(municipality_graph("235")) == "235"
    assert municipality_of_graph("https://w3id.org/servicenet/graph/ontology") is None
    with pytest.raises(ValueError, match="three digits"):
        municipality_graph("91")
    assert sparql_prefixes("sn").startswith("PREFIX sn: <https://w3id.org/servicenet/ontology#>")


@pytest.mark.parametrize(("value", "expected"), [(None, True), ("false", False), ("0", False)])
def test_serve_passes_the_access_log_setting_to_uvicorn(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool
) -> None:
    import uvicorn

    from servicenet_vocab import cli

    if value is not None:
        monkeypatch.setenv("SERVICENET_ACCESS_LOG", value)
    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    assert cli.main(["serve", "--store", "memory", "--port", "8123"]) == 0
    assert seen["access_log"] is expected
    assert seen["port"] == 8123
