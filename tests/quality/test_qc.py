"""Vocabulary QC: every ontology/qc/*-violation.rq finds nothing in the vocabulary, and each one does
find the violation planted in its own small broken fixture, loaded beside the real vocabulary (so a
check that can never fail, or one that only fires on an otherwise empty store, fails here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore, open_store
from servicenet_vocab.vocabulary.files import load_vocabulary, project_root, vocabulary_files

QC_DIR = project_root() / "ontology" / "qc"
# The Data Cube integrity constraints (ic-*) run over the examples too: tests/quality/test_datacube.py.
QUERIES = sorted(q for q in QC_DIR.glob("*-violation.rq") if not q.name.startswith("ic-"))

HEAD = """\
@prefix sn:   <https://w3id.org/servicenet/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix ex:   <urn:example:> .
"""
DEFINED = "rdfs:isDefinedBy <https://w3id.org/servicenet/ontology>"
LABELS = 'rdfs:label "a"@fi , "a"@sv , "a"@en'
DEFS = 'skos:definition "a"@fi , "a"@sv , "a"@en'
CONCEPT = 'skos:prefLabel "{0}"@fi , "{0}"@sv , "{0}"@en ; skos:definition "d"@fi , "d"@sv , "d"@en'

# check name -> (broken Turtle, the focus IRI the check must report)
BROKEN: dict[str, tuple[str, str]] = {
    "term-label": (f'sn:Thing a owl:Class ; {DEFINED} ; rdfs:label "asia"@fi ; {DEFS} .', "Thing"),
    "term-definition": (
        f'sn:Thing a owl:Class ; {DEFINED} ; {LABELS} ; skos:definition "x"@en .',
        "Thing",
    ),
    "term-defined-by": (f"sn:Stray a owl:Class ; {LABELS} ; {DEFS} .", "Stray"),
    "undefined-term": ("ex:c sn:occupancyCoeficient 1.0 .", "occupancyCoeficient"),
    "property-domain": (
        f"sn:p a owl:DatatypeProperty ; {DEFINED} ; rdfs:range xsd:string .",
        "https://w3id.org/servicenet/ontology#p",
    ),
    "property-range": (
        f"sn:p a owl:ObjectProperty ; {DEFINED} ; rdfs:domain sn:Area .",
        "https://w3id.org/servicenet/ontology#p",
    ),
    "concept-label": (
        'ex:c a skos:Concept ; skos:prefLabel "a"@fi , "a"@en ; '
        'skos:definition "d"@fi , "d"@sv , "d"@en .',
        "urn:example:c",
    ),
    "concept-preflabel-count": (
        'ex:c a skos:Concept ; skos:prefLabel "a"@fi , "b"@fi .',
        "urn:example:c",
    ),
    "duplicate-preflabel": (
        "ex:a a skos:Concept ; skos:inScheme ex:s ; " + CONCEPT.format("same") + " .\n"
        "ex:b a skos:Concept ; skos:inScheme ex:s ; " + CONCEPT.format("same") + " .",
        "urn:example:a",
    ),
    "concept-scheme": ("ex:c a skos:Concept ; " + CONCEPT.format("lonely") + " .", "urn:example:c"),
    "notation": (
        'ex:a a skos:Concept ; skos:inScheme ex:s ; skos:notation "1" .\n'
        'ex:b a skos:Concept ; skos:inScheme ex:s ; skos:notation "1" .',
        "urn:example:a",
    ),
    "hierarchy": (
        "ex:a skos:inScheme ex:s ; skos:broader ex:b .\nex:b skos:inScheme ex:s ; skos:broader ex:a .",
        "urn:example:a",
    ),
    "scheme-metadata": (
        'ex:s a skos:ConceptScheme ; dct:title "a"@fi , "a"@sv , "a"@en ; dct:source "x" .',
        "urn:example:s",
    ),
    "catalog": (
        'ex:cat a dcat:Catalog ; dcat:dataset ex:d .\nex:d dct:title "a"@fi , "a"@sv , "a"@en ; '
        'dcat:version "1" ; dct:license <https://creativecommons.org/licenses/by/4.0/> .',
        "urn:example:d",
    ),
}


def _check_name(path: Path) -> str:
    return path.name.removesuffix("-violation.rq")


@pytest.fixture(scope="module")
def vocabulary_store() -> OxigraphStore:
    store = open_store("memory")
    load_vocabulary(store)
    return store


def test_there_are_qc_queries_and_each_has_a_broken_fixture() -> None:
    assert len(QUERIES) >= 10
    assert {_check_name(q) for q in QUERIES} == set(BROKEN)


def test_every_vocabulary_file_parses_and_loads(vocabulary_store: OxigraphStore) -> None:
    # load_vocabulary parses every file with pyoxigraph; a syntax error would have raised.
    assert len(vocabulary_files()) >= 20
    assert vocabulary_store.triple_count() > 5000


@pytest.mark.parametrize("query", QUERIES, ids=_check_name)
def test_vocabulary_has_no_violation(vocabulary_store: OxigraphStore, query: Path) -> None:
    rows = list(vocabulary_store.query(query.read_text("utf-8")).rows())
    assert rows == [], f"{query.name}: {rows[:5]}"


@pytest.mark.parametrize("query", QUERIES, ids=_check_name)
def test_violation_is_found_in_broken_fixture(vocabulary_store: OxigraphStore, query: Path) -> None:
    turtle, focus = BROKEN[_check_name(query)]
    graph = "urn:example:broken"
    vocabulary_store.load((HEAD + turtle).encode(), RdfFormat.TURTLE, graph=graph)
    try:
        rows = list(vocabulary_store.query(query.read_text("utf-8")).rows())
    finally:
        vocabulary_store.clear_graph(graph)
    assert rows, f"{query.name} found nothing in its broken fixture"
    assert any(focus in (row.get("focus") or "") for row in rows), rows
