"""``servicenet export terminology``: the ontology's terms as one SKOS concept scheme."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS

from servicenet_vocab import namespaces as ns
from servicenet_vocab.cli import main
from servicenet_vocab.steward.terminology import SCHEME
from servicenet_vocab.vocabulary.files import ONTOLOGY_FILE, project_root


def test_every_class_and_property_is_a_concept_with_its_labels_and_definitions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "terminology", "-o", str(tmp_path)]) == 0
    out = tmp_path / "terminology.ttl"
    assert f"wrote {out}" in capsys.readouterr().out
    terms_graph = rdflib.Graph().parse(out)
    ontology = rdflib.Graph().parse(project_root() / ONTOLOGY_FILE)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {t for k in kinds for t in ontology.subjects(RDF.type, k) if str(t).startswith(ns.SN)}
    assert terms
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in terms_graph
    by_term = {
        terms_graph.value(c, RDFS.seeAlso): c for c in terms_graph.subjects(RDF.type, SKOS.Concept)
    }
    assert set(by_term) == terms
    for term, concept in by_term.items():
        assert (concept, SKOS.inScheme, SCHEME) in terms_graph
        for source, target in ((RDFS.label, SKOS.prefLabel), (SKOS.definition, SKOS.definition)):
            assert set(ontology.objects(term, source)) == set(terms_graph.objects(concept, target))
        for parent in ontology.objects(term, RDFS.subClassOf):
            if parent in terms:
                assert (concept, SKOS.broader, by_term[parent]) in terms_graph
        if not any(p in terms for p in ontology.objects(term, RDFS.subClassOf)) and not any(
            p in terms for p in ontology.objects(term, RDFS.subPropertyOf)
        ):
            assert (concept, SKOS.topConceptOf, SCHEME) in terms_graph
    languages = {lit.language for lit in terms_graph.objects(None, SKOS.prefLabel)}
    assert {"fi", "sv", "en"} <= languages
