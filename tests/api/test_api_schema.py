"""``/schema/`` on a real uvicorn, and the JSON exchange end to end: a plain JSON document that the
served JSON Schema accepts is accepted by ``POST /validate`` and the Graph Store as
``application/ld+json`` with the served context inlined; the context named by its IRI is refused
by the pre-flight scan (remote contexts are never fetched)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, run_live_server
from jsonschema import Draft202012Validator

from servicenet_vocab import rdfio
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.vocabulary.context import CONTEXT_IRI
from servicenet_vocab.vocabulary.json_schema import json_schemas, plain_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "valid" / "kauniainen-235.ttl"
GRAPH = "https://w3id.org/servicenet/graph/municipality/235"
JSONLD = {"Content-Type": "application/ld+json"}
SN = "https://w3id.org/servicenet/ontology#"


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    file = TokenFile(tmp_path_factory.mktemp("tokens") / "tokens.json")
    return str(file.path), file.create("kauniainen-ci", ["235"])


@pytest.fixture(scope="module")
def server(token: tuple[str, str]) -> Iterator[LiveServer]:
    with run_live_server(tokens_file=token[0]) as live:
        yield live


def inlined(document: dict[str, Any], server: LiveServer) -> bytes:
    """The document with the context the server serves in place of its IRI."""
    context = server.client.get("/context.jsonld").json()["@context"]
    return json.dumps({**document, "@context": context}).encode("utf-8")


def example() -> dict[str, Any]:
    return plain_json(rdfio.parse(EXAMPLE), ROOT)


def test_index_and_documents_of_the_vocabulary_version(server: LiveServer) -> None:
    version = json_schemas(ROOT).version
    index = server.client.get("/schema/")
    assert index.status_code == 200
    body = index.json()
    assert body["version"] == version
    assert body["schema"] == f"/schema/{version}/servicenet.schema.json"
    schema = server.client.get(body["schema"])
    assert schema.status_code == 200
    assert schema.headers["content-type"].startswith("application/schema+json")
    assert schema.content == json_schemas(ROOT).schema_bytes
    Draft202012Validator.check_schema(schema.json())
    openapi = server.client.get(body["openapi"])
    assert openapi.status_code == 200 and openapi.json()["openapi"] == "3.1.0"
    assert "ServiceUnit" in body["classes"]


@pytest.mark.parametrize("document", ["servicenet.schema.json", "openapi.json"])
def test_unknown_version_is_404_from_the_error_table(server: LiveServer, document: str) -> None:
    response = server.client.get(f"/schema/9.9.9/{document}")
    assert response.status_code == 404
    assert response.json()["error"] == "NOT_FOUND"
    assert response.json()["location"]["field"] == "version"


def test_validate_accepts_the_json_with_the_served_context_inlined(server: LiveServer) -> None:
    document = example()
    schema = server.client.get("/schema/").json()["schema"]
    validator = Draft202012Validator(server.client.get(schema).json())
    assert list(validator.iter_errors(document)) == []
    response = server.client.post("/validate", content=inlined(document, server), headers=JSONLD)
    assert response.status_code == 200, response.text
    violations = [r for r in response.json()["report"]["results"] if r["severity"] == "Violation"]
    assert violations == []
    # A mutation both refuse names the same field: the schema's property, SHACL's path.
    unit = next(n for n in document["@graph"] if n.get("type") == "CapacityObservation")
    unit["places"] = -3
    assert {e.absolute_path[-1] for e in validator.iter_errors(document)} == {"places"}
    refused = server.client.post("/validate", content=inlined(document, server), headers=JSONLD)
    assert refused.status_code == 200 and refused.json()["conforms"] is False
    paths = {r["path"] for r in refused.json()["report"]["results"] if r["severity"] == "Violation"}
    assert paths == {SN + "places"}


def test_the_served_context_named_by_its_iri_is_inlined_and_a_foreign_one_refused(
    server: LiveServer,
) -> None:
    """A plain JSON document names the context by its IRI; the facade uses its own copy (never a
    fetch), so the report equals the one for the inlined document. Any other context is refused."""
    document = example()
    assert document["@context"] == CONTEXT_IRI
    by_iri = server.client.post("/validate", content=json.dumps(document).encode(), headers=JSONLD)
    inlined_answer = server.client.post(
        "/validate", content=inlined(document, server), headers=JSONLD
    )
    assert by_iri.status_code == 200, by_iri.text
    assert by_iri.json()["report"] == inlined_answer.json()["report"]
    document["@context"] = "https://example.org/other-context.jsonld"
    foreign = server.client.post("/validate", content=json.dumps(document).encode(), headers=JSONLD)
    assert foreign.status_code == 400
    assert foreign.json()["error"] == "INPUT_REFUSED"
    assert "never fetched" in foreign.json()["message"]


def test_graph_store_put_takes_the_json(server: LiveServer, token: tuple[str, str]) -> None:
    headers = {**JSONLD, "Authorization": f"Bearer {token[1]}"}
    response = server.client.put(
        "/graph-store",
        params={"graph": GRAPH},
        content=inlined(example(), server),
        headers=headers,
    )
    assert response.status_code in (201, 204), response.text
    stored = server.client.get(
        "/graph-store", params={"graph": GRAPH}, headers={"Accept": "application/n-triples"}
    )
    assert stored.status_code == 200
    assert len(rdfio.parse(stored.content, rdfio.RdfFormat.NTRIPLES)) == len(rdfio.parse(EXAMPLE))
