"""``GET /datasets`` on a real uvicorn: municipality datasets with their provenance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import LiveServer, run_live_server

from servicenet_vocab.namespaces import DCAT, MUNICIPALITY_GRAPH_PREFIX, PROV, municipality_graph
from servicenet_vocab.publishing.tokens import TokenFile

SN = "https://w3id.org/servicenet/ontology#"
SHAPES = Path(__file__).parents[1] / "fixtures" / "publishing" / "shapes.ttl"
HELSINKI, ESPOO = municipality_graph("091"), municipality_graph("049")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Iterator[LiveServer]:
    tokens = TokenFile(tmp_path_factory.mktemp("tokens") / "tokens.json")
    token = tokens.create("helsinki-ci", ["091"])
    with run_live_server(
        backend,
        tokens_file=str(tokens.path),
        load_examples=True,
        publish_shapes=[SHAPES],
        publish_context=[],
    ) as live:
        body = f"<https://hel.example/u/1> <{SN}places> 3 .".encode()  # one warning: no name
        response = live.client.put(
            "/graph-store",
            params={"graph": HELSINKI},
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
        )
        assert response.status_code == 200
        yield live


def test_json_lists_every_municipality_graph_with_its_provenance(server: LiveServer) -> None:
    response = server.client.get("/datasets")
    assert response.status_code == 200
    found = {d["graph"]: d for d in response.json()["datasets"]}
    helsinki = found[HELSINKI]
    assert helsinki["triples"] == 1 and helsinki["last_agent"] == "helsinki-ci"
    assert helsinki["last_method"] == "PUT" and helsinki["warnings"] == 1
    assert helsinki["modified"].startswith("20")
    espoo = found[ESPOO]  # loaded from the examples at start-up: present, never published
    assert espoo["triples"] > 0 and espoo["modified"] is None and espoo["last_agent"] is None
    assert all(graph.startswith(MUNICIPALITY_GRAPH_PREFIX) for graph in found)  # no vocabulary


def test_json_ld_and_turtle_give_the_dcat_prov_description(server: LiveServer) -> None:
    for media, fmt in (
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("text/turtle", ox.RdfFormat.TURTLE),
    ):
        response = server.client.get("/datasets", headers={"Accept": media})
        assert response.headers["content-type"].startswith(media)
        quads = list(ox.parse(response.content, fmt))
        types = {
            (q.subject.value, q.object.value) for q in quads if q.predicate.value.endswith("#type")
        }
        dataset = "https://w3id.org/servicenet/dataset/municipality/091"
        assert (dataset, DCAT + "Dataset") in types
        assert any(o == PROV + "Activity" for _, o in types)


def test_not_acceptable(server: LiveServer) -> None:
    assert server.client.get("/datasets", headers={"Accept": "image/png"}).status_code == 406
