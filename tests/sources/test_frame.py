"""The frame every source plugs into: discovery, the CLI's choices and refusals, the HTTP route's
refusals and content negotiation. Each source's own behaviour is tested beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from conftest import LiveServer, run_live_server

from servicenet_vocab.cli import main
from servicenet_vocab.errors import InputError
from servicenet_vocab.sources import get_source, source_names

DATA = Path(__file__).resolve().parents[1] / "data" / "sources" / "pxweb"
THREE_CITIES = DATA / "statfin_11re_api-query-three-cities.json"


def test_every_source_module_is_found_and_named_as_its_module() -> None:
    assert set(source_names()) >= {
        "areas", "evaka", "ptv", "pxweb", "servicemap", "turku", "varda",
    }  # fmt: skip
    for name in source_names():
        source = get_source(name)
        assert source.name == name
        assert set(source.title) == {"fi", "sv", "en"}
        assert source.suffixes and source.summary


def test_an_unknown_source_names_the_known_ones() -> None:
    with pytest.raises(InputError, match="unknown source 'telex'; sources: areas, "):
        get_source("telex")


def test_cli_refuses_a_mapping_and_a_malformed_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.ttl"
    mapping = tmp_path / "x.mapping.yaml"
    mapping.write_text("kind: units\n", encoding="utf-8")
    code = main(["convert", "pxweb", str(THREE_CITIES), "--mapping", str(mapping), "-o", str(out)])
    assert code == 2
    assert "takes no --mapping" in capsys.readouterr().err
    code = main(["convert", "pxweb", str(THREE_CITIES), "--option", "measure", "-o", str(out)])
    assert code == 2
    assert "--option 'measure' is not KEY=VALUE" in capsys.readouterr().err
    assert not out.exists()
    assert main(["convert", "pxweb", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with run_live_server() as live:
        yield live


def test_http_refusals(server: LiveServer) -> None:
    body = THREE_CITIES.read_bytes()
    unknown = server.client.post("/convert/telex", params={"filename": "x.json"}, content=body)
    assert unknown.status_code == 404
    assert "sources: areas" in unknown.json()["message"]
    nameless = server.client.post(
        "/convert/pxweb", content=body, headers={"Content-Type": "application/octet-stream"}
    )
    assert nameless.status_code == 400
    assert nameless.json()["location"] == {"field": "filename"}
    bad_option = server.client.post(
        "/convert/pxweb", params={"filename": "x.json", "option": "colour"}, content=body
    )
    assert bad_option.status_code == 400
    assert "KEY=VALUE" in bad_option.json()["message"]
    not_acceptable = server.client.post(
        "/convert/pxweb",
        params={"filename": "x.json", "municipality": "091"},
        content=body,
        headers={"Accept": "application/sparql-results+json"},
    )
    assert not_acceptable.status_code == 406


def test_http_answers_n_triples_by_accept_and_the_suffix_from_the_content_type(
    server: LiveServer,
) -> None:
    answer = server.client.post(
        "/convert/pxweb",
        params={"municipality": "091"},
        content=THREE_CITIES.read_bytes(),
        headers={"Content-Type": "application/json", "Accept": "application/n-triples"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/n-triples")
    assert answer.headers["Vary"] == "Accept"
    triples = rdflib.Graph().parse(data=answer.text, format="nt")
    assert len(triples) == int(answer.headers["Servicenet-Triples"])


def test_every_module_that_defines_a_source_is_listed() -> None:
    import importlib
    import pkgutil

    import servicenet_vocab.sources as package

    defining = {
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if hasattr(importlib.import_module(f"{package.__name__}.{info.name}"), "SOURCE")
    }
    assert defining == set(source_names())


def test_the_output_gets_the_mode_of_a_new_file(tmp_path: Path) -> None:
    import os

    out = tmp_path / "out.ttl"
    assert (
        main(["convert", "pxweb", str(THREE_CITIES), "--municipality", "091", "-o", str(out)]) == 0
    )
    plain = tmp_path / "plain"
    plain.write_text("")
    assert out.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    os.chmod(out, 0o600)
