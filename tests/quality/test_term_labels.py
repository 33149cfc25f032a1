"""A reader tells terms apart by their labels: no two classes, and no two properties, share a label
in one language (the Swedish "servicebehov" once named both the service need and its option)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicenet_vocab.vocabulary.files import project_root

OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
KINDS = {"class": ("Class",), "property": ("ObjectProperty", "DatatypeProperty")}


def shared_labels(path: Path, kind: str) -> dict[tuple[str, str], list[str]]:
    triples = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    typed = {
        t.subject
        for t in triples
        if t.predicate == RDF_TYPE and t.object in {ox.NamedNode(OWL + n) for n in KINDS[kind]}
    }
    terms: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in triples:
        if t.subject in typed and t.predicate == LABEL and isinstance(t.object, ox.Literal):
            terms[(t.object.language or "", t.object.value.lower())].append(str(t.subject))
    return {label: sorted(subjects) for label, subjects in terms.items() if len(subjects) > 1}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_two_terms_of_a_kind_share_a_label(kind: str) -> None:
    assert shared_labels(project_root() / "ontology" / "servicenet.ttl", kind) == {}


def test_the_check_finds_a_shared_label(tmp_path: Path) -> None:
    planted = tmp_path / "o.ttl"
    planted.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . "
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<urn:a> a owl:ObjectProperty ; rdfs:label "servicebehov"@sv .\n'
        '<urn:b> a owl:DatatypeProperty ; rdfs:label "Servicebehov"@sv .\n'
    )
    assert shared_labels(planted, "property") == {("sv", "servicebehov"): ["<urn:a>", "<urn:b>"]}
