"""RDF Data Cube integrity constraints: each ontology/qc/ic-*-violation.rq (W3C vocab-data-cube IC-1 ...
IC-21) finds nothing in the vocabulary plus the example datasets (the project's cubes), and finds the
error planted in its own fixture, loaded beside them. The normalisation runs first, as the
specification requires; one test shows a check that passes only because it ran.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from servicenet_vocab.quality.sparql_checks import QcQuery, datacube_quads, datacube_store, rows
from servicenet_vocab.vocabulary.files import project_root

ROOT = project_root()
QUERIES = sorted((ROOT / "ontology" / "qc").glob("ic-*-violation.rq"))
HEL = "https://data.hel.fi/servicenet/"
HEAD = """\
@prefix sn:   <https://w3id.org/servicenet/ontology#> .
@prefix qb:   <http://purl.org/linked-data/cube#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dsd:  <https://w3id.org/servicenet/ontology/dsd/> .
@prefix code: <https://w3id.org/servicenet/code/> .
@prefix hel:  <https://data.hel.fi/servicenet/> .
@prefix ex:   <urn:example:> .
"""
# A cube whose structure has a measure dimension (qb:measureType), for IC-15 ... IC-17.
MEASURE_CUBE = """
ex:mdsd a qb:DataStructureDefinition ;
    qb:component [ qb:dimension sn:area ] , [ qb:dimension qb:measureType ] ,
        [ qb:measure sn:offersSent ] , [ qb:measure sn:offersAccepted ] .
ex:mds a qb:DataSet ; qb:structure ex:mdsd .
"""
# A hierarchical code list (root -> child), for IC-20 and IC-21; ex:ok is a valid observation.
HIERARCHY = """
ex:root a skos:Concept . ex:child a skos:Concept .
ex:hdim a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList ex:h .
ex:hdsd a qb:DataStructureDefinition ; qb:component [ qb:dimension ex:hdim ] , [ qb:measure sn:population ] .
ex:hds a qb:DataSet ; qb:structure ex:hdsd .
ex:ok qb:dataSet ex:hds ; ex:hdim ex:child ; sn:population 10 .
ex:bad qb:dataSet ex:hds ; ex:hdim ex:stray ; sn:population 10 .
"""
CAPACITY = (
    "qb:dataSet hel:dataset\\/capacity-2025 ; sn:unit hel:unit\\/kannel ; "
    'sn:referenceDate "2025-10-01"^^xsd:date ; sn:places 20'
)

# check name -> (broken Turtle, the focus IRI the check must report)
BROKEN: dict[str, tuple[str, str]] = {
    "ic-01-unique-dataset": ("ex:o a sn:CapacityObservation .", "urn:example:o"),
    "ic-02-unique-dsd": ("ex:f a sn:PopulationForecast .", "urn:example:f"),
    "ic-03-dsd-includes-measure": (
        "ex:dsd a qb:DataStructureDefinition ; qb:component [ qb:dimension sn:area ] .",
        "urn:example:dsd",
    ),
    "ic-04-dimension-range": ("ex:dim a qb:DimensionProperty .", "urn:example:dim"),
    "ic-05-concept-dimension-code-list": (
        "ex:dim a qb:DimensionProperty ; rdfs:range skos:Concept .",
        "urn:example:dim",
    ),
    "ic-06-only-attributes-optional": (
        "ex:dsd a qb:DataStructureDefinition ; qb:component "
        "[ qb:dimension sn:area ; qb:componentRequired false ] , [ qb:measure sn:population ] .",
        "urn:example:dsd",
    ),
    "ic-07-slice-key-declared": (
        "ex:key a qb:SliceKey ; qb:componentProperty sn:area .",
        "urn:example:key",
    ),
    "ic-08-slice-key-consistent": (
        "ex:dsd a qb:DataStructureDefinition ; qb:sliceKey ex:key ; "
        "qb:component [ qb:dimension sn:area ] , [ qb:measure sn:population ] .\n"
        "ex:key a qb:SliceKey ; qb:componentProperty sn:channel .",
        "urn:example:key",
    ),
    # the slice is typed only by the normalisation (phase 1: [] qb:slice ?s)
    "ic-09-unique-slice-structure": ("ex:ds qb:slice ex:slice .", "urn:example:slice"),
    "ic-10-slice-dimensions-complete": (
        "ex:slice a qb:Slice ; qb:sliceStructure ex:key .\n"
        "ex:key a qb:SliceKey ; qb:componentProperty sn:area .",
        "urn:example:slice",
    ),
    # a capacity observation of the Helsinki example without sn:serviceType
    "ic-11-all-dimensions-required": (
        f"ex:o {CAPACITY} ; sn:ageGroup code:age-group\\/0-6 .",
        "urn:example:o",
    ),
    "ic-12-no-duplicate-observations": (
        f"ex:a {CAPACITY} ; sn:ageGroup code:age-group\\/0-6 ; sn:serviceType code:service-type\\/ecec .\n"
        f"ex:b {CAPACITY} ; sn:ageGroup code:age-group\\/0-6 ; sn:serviceType code:service-type\\/ecec .",
        "urn:example:a",
    ),
    # a service need of the Helsinki example without its required attribute sn:needSource
    "ic-13-required-attributes": (
        "ex:o qb:dataSet hel:dataset\\/service-need-2025 ; sn:area hel:area\\/101 ; "
        "sn:referenceYear 2026 ; sn:ageGroup code:age-group\\/1-6 ; "
        "sn:serviceType code:service-type\\/ecec ; "
        "sn:serviceNeedOption code:service-need-option\\/full-day ; sn:childrenInNeed 10 .",
        "urn:example:o",
    ),
    "ic-14-all-measures-present": (
        f"ex:o {CAPACITY.replace('; sn:places 20', '')} ; sn:ageGroup code:age-group\\/0-2 ; "
        "sn:serviceType code:service-type\\/ecec .",
        "urn:example:o",
    ),
    "ic-15-measure-dimension-consistent": (
        MEASURE_CUBE + "ex:o qb:dataSet ex:mds ; sn:area ex:a ; qb:measureType sn:offersSent .",
        "urn:example:o",
    ),
    "ic-16-single-measure": (
        MEASURE_CUBE + "ex:o qb:dataSet ex:mds ; sn:area ex:a ; qb:measureType sn:offersSent ; "
        "sn:offersSent 10 ; sn:offersAccepted 5 .",
        "urn:example:o",
    ),
    "ic-17-all-measures-in-measure-dimension": (
        MEASURE_CUBE + "ex:o qb:dataSet ex:mds ; sn:area ex:a ; qb:measureType sn:offersSent ; "
        "sn:offersSent 10 .",
        "urn:example:o",
    ),
    "ic-18-consistent-dataset-links": (
        "ex:ds qb:slice ex:s .\nex:s qb:observation ex:o .",
        "urn:example:o",
    ),
    # an age group from the language code list
    "ic-19-codes-from-code-list": (
        f"ex:o {CAPACITY} ; sn:ageGroup code:language\\/fi ; sn:serviceType code:service-type\\/ecec .",
        "urn:example:o",
    ),
    "ic-20-codes-from-hierarchy": (
        HIERARCHY + "ex:h a qb:HierarchicalCodeList ; qb:hierarchyRoot ex:root ; "
        "qb:parentChildProperty skos:narrower .\nex:root skos:narrower ex:child .",
        "urn:example:bad",
    ),
    "ic-21-codes-from-inverse-hierarchy": (
        HIERARCHY + "ex:h a qb:HierarchicalCodeList ; qb:hierarchyRoot ex:root ; "
        "qb:parentChildProperty [ owl:inverseOf skos:broader ] .\nex:child skos:broader ex:root .",
        "urn:example:bad",
    ),
}


def _name(path: Path) -> str:
    return path.name.removesuffix("-violation.rq")


@pytest.fixture(scope="module")
def base() -> list[ox.Quad]:
    return datacube_quads(ROOT)


def test_there_are_21_integrity_constraints_each_with_a_broken_fixture() -> None:
    assert len(QUERIES) == 21
    assert {_name(q) for q in QUERIES} == set(BROKEN)


def test_the_examples_are_data_cubes(base: list[ox.Quad]) -> None:
    """Every aggregate of the examples is an observation of a dataset with a structure."""
    store = datacube_store(ROOT, base)
    try:
        found = store.query(
            "SELECT ?dsd (COUNT(?obs) AS ?n) WHERE { ?obs a qb:Observation ; qb:dataSet/qb:structure ?dsd } "
            "GROUP BY ?dsd"
        ).rows()
        counts = {row["dsd"]: int(row["n"] or 0) for row in found}
    finally:
        store.close()
    kinds = {str(dsd).rsplit("/", 1)[-1] for dsd, n in counts.items() if n}
    assert {
        "capacity", "enrolment", "pupil-enrolment", "population-forecast", "service-need",
        "proactive-offer", "application", "survey-result",
    } <= kinds  # fmt: skip


@pytest.mark.parametrize("query", QUERIES, ids=_name)
def test_examples_satisfy_the_constraint(base: list[ox.Quad], query: Path) -> None:
    store = datacube_store(ROOT, base)
    try:
        found = rows(store, QcQuery(query))
    finally:
        store.close()
    assert found == [], f"{query.name}: {found[:5]}"


@pytest.mark.parametrize("query", QUERIES, ids=_name)
def test_violation_is_found_in_broken_fixture(base: list[ox.Quad], query: Path) -> None:
    turtle, focus = BROKEN[_name(query)]
    store = datacube_store(ROOT, base, extra=(HEAD + turtle).encode())
    try:
        found = rows(store, QcQuery(query))
    finally:
        store.close()
    assert found, f"{query.name} found nothing in its broken fixture"
    foci = {row.get("focus") for row in found}
    assert focus in foci, found
    assert "urn:example:ok" not in foci  # the hierarchy's valid observation is not reported


def test_normalisation_pushes_a_dataset_attachment_down(base: list[ox.Quad]) -> None:
    """A required attribute attached to the dataset (qb:componentAttachment qb:DataSet) is the
    observations' value once normalised (phase 2); without the normalisation IC-13 would fire."""
    turtle = HEAD + (
        "ex:dsd a qb:DataStructureDefinition ; qb:component [ qb:dimension sn:area ] , "
        "[ qb:attribute sn:needSource ; qb:componentProperty sn:needSource ; "
        "qb:componentRequired true ; "
        "qb:componentAttachment qb:DataSet ] , [ qb:measure sn:childrenInNeed ] .\n"
        "ex:ds a qb:DataSet ; qb:structure ex:dsd ; "
        "sn:needSource code:need-source\\/population-forecast .\n"
        "ex:o qb:dataSet ex:ds ; sn:area hel:area\\/101 ; sn:childrenInNeed 12 ."
    )
    query = QcQuery(ROOT / "ontology" / "qc" / "ic-13-required-attributes-violation.rq")
    for normalised, expected in ((False, ["urn:example:o"]), (True, [])):
        store = datacube_store(ROOT, base, extra=turtle.encode(), normalised=normalised)
        try:
            assert [row["focus"] for row in rows(store, query)] == expected
        finally:
            store.close()
