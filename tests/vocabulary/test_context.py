"""The JSON-LD context: generated from the ontology, kept in context/servicenet.jsonld, served by
the facade (a real uvicorn on 127.0.0.1), and inlined — never fetched — when a document names it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import run_live_server

from servicenet_vocab.errors import InputError, RefusedInputError
from servicenet_vocab.namespaces import SN, XSD
from servicenet_vocab.vocabulary.context import (
    CONTEXT_IRI,
    build_context,
    context_bytes,
    context_file,
    parse_jsonld,
    write_context,
)


def test_checked_in_context_is_the_generated_one() -> None:
    assert context_file().read_bytes() == context_bytes(), (
        "context/servicenet.jsonld is stale: run python -m servicenet_vocab.vocabulary.context"
    )


def test_terms_follow_the_ontology() -> None:
    terms = build_context()["@context"]
    assert terms["ServiceUnit"] == "sn:ServiceUnit"
    assert terms["unitType"] == {"@id": "sn:unitType", "@type": "@id"}
    assert terms["places"] == {"@id": "sn:places", "@type": "xsd:integer"}
    assert terms["openingDate"] == {"@id": "sn:openingDate", "@type": "xsd:date"}
    assert terms["streetAddress"] == {"@id": "sn:streetAddress", "@container": "@language"}
    assert terms["postalCode"] == "sn:postalCode"  # xsd:string: a plain literal
    assert terms["sn"] == SN


def test_write_context(tmp_path: Path) -> None:
    target = write_context(tmp_path / "ctx" / "servicenet.jsonld")
    assert json.loads(target.read_bytes()) == build_context()


def test_json_export_becomes_rdf_by_adding_the_context() -> None:
    doc: dict[str, object] = {
        "@context": CONTEXT_IRI,
        "id": "https://data.example.fi/unit/1",
        "type": "DaycareCentre",
        "label": {"fi": "Päiväkoti Uusi", "sv": "Daghemmet Nya"},
        "openingDate": "2020-08-01",
        "municipality": "code:municipality/091",
    }
    quads = parse_jsonld(json.dumps(doc).encode())
    objects = {q.predicate.value.rsplit("#", 1)[-1]: q.object for q in quads}
    assert objects["openingDate"] == ox.Literal("2020-08-01", datatype=ox.NamedNode(XSD + "date"))
    assert objects["municipality"] == ox.NamedNode(
        "https://w3id.org/servicenet/code/municipality/091"
    )
    assert len(quads) == 5
    # The facade's own path and a list of contexts work too.
    doc["@context"] = ["/ns/context.jsonld", {"extra": "urn:x:extra"}]
    assert len(parse_jsonld(json.dumps([doc]).encode())) == 5


def test_other_contexts_and_bad_json_are_refused() -> None:
    with pytest.raises(RefusedInputError, match="never fetched"):
        parse_jsonld(b'{"@context": "https://schema.org/", "name": "x"}', source="a.json")
    with pytest.raises(InputError, match="not valid JSON") as caught:
        parse_jsonld(b'{"@context": ', source="b.json")
    assert caught.value.location is not None and caught.value.location.source == "b.json"
    with pytest.raises(InputError, match="UTF-8"):
        parse_jsonld('{"a": "ä"}'.encode("latin-1"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with run_live_server(workers=1) as live:  # polls /health until ready, fails fast if it died
        yield live.url


@pytest.mark.parametrize("path", ["/context.jsonld", "/ns/context.jsonld"])
def test_facade_serves_the_context(server: str, path: str) -> None:
    response = httpx.get(server + path, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.content == context_file().read_bytes()
