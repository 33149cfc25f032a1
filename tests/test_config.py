"""Settings validate themselves and read SERVICENET_* variables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_live_server
from pydantic import ValidationError
from servicenet_api.app import create_app, plan_for

from servicenet_vocab.config import Settings
from servicenet_vocab.errors import InputError
from servicenet_vocab.namespaces import municipality_graph, municipality_of_graph, sparql_prefixes
from servicenet_vocab.vocabulary.files import project_root


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


# --- settings the facade is composed from --------------------------------------------------


def test_vocabulary_and_publish_checks_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SERVICENET_VOCAB_DIR", "/srv/vocab")
    monkeypatch.setenv("SERVICENET_PUBLISH_SHAPES", "/srv/a.ttl, /srv/b.ttl")
    monkeypatch.setenv("SERVICENET_PUBLISH_CONTEXT", "")
    settings = Settings()
    assert settings.vocab_dir == Path("/srv/vocab")
    assert settings.publish_shapes == [Path("/srv/a.ttl"), Path("/srv/b.ttl")]
    assert settings.publish_context == []  # empty: no context files, not the default


def test_remote_backend_needs_its_urls_at_start_up_naming_the_setting(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="SERVICENET_REMOTE_QUERY_URL") as caught:
        create_app(Settings(backend="remote"))
    assert caught.value.location is not None and caught.value.location.field == "remote_query_url"
    writes = Settings(
        backend="remote",
        remote_query_url="http://127.0.0.1:9/q",
        tokens_file=tmp_path / "tokens.json",
    )
    with pytest.raises(InputError, match="SERVICENET_REMOTE_UPDATE_URL") as caught:
        create_app(writes)
    assert caught.value.location is not None and caught.value.location.field == "remote_update_url"
    with pytest.raises(ValidationError, match="http"):
        Settings(backend="remote", remote_query_url="ftp://engine/sparql")


def test_serve_reports_the_refused_backend(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from servicenet_vocab import cli

    monkeypatch.setenv("SERVICENET_BACKEND", "remote")  # and no query URL
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: pytest.fail("served anyway"))
    assert cli.main(["serve", "--store", "memory"]) == 2
    assert "REMOTE_QUERY_URL" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"vocab_dir": "{tmp}"}, "vocab_dir"),
        ({"publish_shapes": ["{tmp}/missing.ttl"]}, "publish_shapes"),
        ({"publish_shapes": []}, "publish_shapes"),
        ({"publish_context": ["{tmp}"]}, "publish_context"),
    ],
)
def test_unusable_vocabulary_settings_are_refused_naming_the_setting(
    tmp_path: Path, overrides: dict[str, object], field: str
) -> None:
    def filled(value: object) -> object:
        if isinstance(value, list):
            return [filled(item) for item in value]
        return str(value).format(tmp=tmp_path)

    settings = Settings(store="memory", **{k: filled(v) for k, v in overrides.items()})
    with pytest.raises(InputError) as caught:
        create_app(settings)
    assert caught.value.location is not None and caught.value.location.field == field


def test_default_publish_checks_are_the_vocabulary_files(tmp_path: Path) -> None:
    root = project_root()
    checks = plan_for(Settings(store="memory")).checks
    assert checks.shapes == tuple(str(p) for p in sorted((root / "shapes").glob("*.ttl")))
    assert checks.context and str(root / "ontology" / "servicenet.ttl") in checks.context
    given = tmp_path / "shapes.ttl"
    given.write_text("")
    explicit = plan_for(Settings(store="memory", publish_shapes=[given], publish_context=[]))
    assert (explicit.checks.shapes, explicit.checks.context) == ((str(given),), ())


def test_the_app_serves_the_vocabulary_of_its_vocab_dir(tmp_path: Path) -> None:
    """Settings.vocab_dir, not the process's project: the graphs loaded, the term index and the
    JSON-LD context all come from it."""
    root = project_root()
    shutil.copytree(root / "ontology", tmp_path / "ontology")
    shutil.copytree(root / "shapes", tmp_path / "shapes")
    with (tmp_path / "ontology" / "servicenet.ttl").open("a", encoding="utf-8") as ontology:
        ontology.write('\nsn:OnlyInTmp a owl:Class ; rdfs:label "Vain täällä"@fi .\n')
    with run_live_server(vocab_dir=str(tmp_path)) as live:
        names = {c["iri"] for c in live.client.get("/vocab/classes").json()["classes"]}
        assert "https://w3id.org/servicenet/ontology#OnlyInTmp" in names
        context = live.client.get("/context.jsonld").json()["@context"]
        assert context["OnlyInTmp"] == "sn:OnlyInTmp"
    with run_live_server() as project:
        names = {c["iri"] for c in project.client.get("/vocab/classes").json()["classes"]}
        assert "https://w3id.org/servicenet/ontology#OnlyInTmp" not in names
