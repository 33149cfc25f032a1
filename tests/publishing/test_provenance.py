"""Provenance in the system graph: one dcat:Dataset per municipality graph, one prov:Activity per
accepted write, committed in the same update as the data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from servicenet_vocab.namespaces import DCAT, PROV, SYSTEM_GRAPH, VOID, municipality_graph
from servicenet_vocab.publishing import provenance
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import open_store

HELSINKI = municipality_graph("091")


def record(method: str = "PUT", **changes: object) -> provenance.WriteRecord:
    ended = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    fields: dict[str, object] = {
        "graph": HELSINKI,
        "method": method,
        "agent": "hki ci/bot",
        "started": ended - timedelta(seconds=2),
        "ended": ended,
        "uploaded": 10,
        "triples_after": 12,
        "conforms": False,
        "warnings": 2,
        "infos": 1,
    }
    fields.update(changes)
    return provenance.WriteRecord(**fields)  # type: ignore[arg-type]


def system_triples(store: object) -> set[tuple[str, str, str]]:
    return {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in store.quads(SYSTEM_GRAPH)  # type: ignore[attr-defined]
    }


def test_a_write_is_described_as_dcat_and_prov() -> None:
    store = open_store("memory")
    activity = provenance.new_activity_iri()
    store.update(provenance.record_update(record(), activity))
    found = system_triples(store)
    dataset = provenance.dataset_iri(HELSINKI)
    assert (dataset, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", DCAT + "Dataset") in found
    assert (dataset, VOID + "triples", "12") in found
    assert (dataset, PROV + "wasGeneratedBy", activity) in found
    assert (activity, PROV + "wasAssociatedWith", provenance.agent_iri("hki ci/bot")) in found
    assert (activity, PROV + "endedAtTime", "2026-01-31T10:00:00Z") in found
    assert (activity, provenance.SNP + "warnings", "2") in found
    assert provenance.agent_iri("hki ci/bot").endswith("/agent/hki%20ci%2Fbot")


def test_the_dataset_keeps_one_current_state_and_every_activity() -> None:
    store = open_store("memory")
    store.load(b"<urn:a> <urn:b> <urn:c> .", RdfFormat.NTRIPLES, graph=HELSINKI)
    first, second = provenance.new_activity_iri(), provenance.new_activity_iri()
    store.update(provenance.record_update(record(), first))
    store.update(
        provenance.record_update(record("POST", triples_after=1, warnings=0, conforms=True), second)
    )
    [info] = provenance.datasets(store)
    assert info.last_activity == second and info.triples == 1 and info.last_method == "POST"
    assert info.conforms is True and info.warnings == 0 and info.last_agent == "hki ci/bot"
    dataset = provenance.dataset_iri(HELSINKI)
    assert len([t for t in system_triples(store) if t[:2] == (dataset, VOID + "triples")]) == 1
    activities = [t for t in system_triples(store) if t[2] == PROV + "Activity"]
    assert len(activities) == 2


def test_delete_removes_the_description_and_records_the_activity() -> None:
    store = open_store("memory")
    store.update(provenance.record_update(record(), provenance.new_activity_iri()))
    last = provenance.new_activity_iri()
    store.update(provenance.record_update(record("DELETE", triples_after=0), last))
    dataset = provenance.dataset_iri(HELSINKI)
    found = system_triples(store)
    assert not [t for t in found if t[0] == dataset]
    assert (last, PROV + "invalidated", dataset) in found


def test_datasets_lists_unpublished_municipality_graphs_too() -> None:
    store = open_store("memory")
    store.load(b"<urn:a> <urn:b> <urn:c> .", RdfFormat.NTRIPLES, graph=municipality_graph("049"))
    store.load(b"<urn:a> <urn:b> <urn:c> .", RdfFormat.NTRIPLES, graph="urn:not-a-city")
    [info] = provenance.datasets(store)
    assert info.municipality == "049" and info.modified is None and info.conforms is None
    assert info.to_dict()["dataset"].endswith("/dataset/municipality/049")


def test_datasets_graph_serialises_as_json_ld() -> None:
    store = open_store("memory")
    store.load(b"<urn:a> <urn:b> <urn:c> .", RdfFormat.NTRIPLES, graph=HELSINKI)
    store.update(provenance.record_update(record(), provenance.new_activity_iri()))
    document = json.loads(provenance.datasets_graph(store, RdfFormat.JSONLD))
    ids = {node["@id"] for node in document}
    assert provenance.dataset_iri(HELSINKI) in ids


def test_dataset_iri_needs_a_municipality_graph() -> None:
    with pytest.raises(ValueError, match="municipality"):
        provenance.dataset_iri(SYSTEM_GRAPH)
