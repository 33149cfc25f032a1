"""The ontology plus its alignments is consistent under HermiT, and broken axioms are caught."""

from __future__ import annotations

import pytest

from servicenet_vocab.errors import LimitExceededError
from servicenet_vocab.quality.reasoning import ReasonerReport, check_consistency, reasoner_files

PREFIXES = (
    "@prefix sn: <https://w3id.org/servicenet/ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report() -> ReasonerReport:
    return check_consistency()


def test_checks_core_and_every_alignment() -> None:
    names = [path.name for path in reasoner_files()]
    assert names[0] == "servicenet.ttl"
    assert {"schema-org.ttl", "cpsv-ap.ttl", "org.ttl", "qb.ttl", "dcat-geo.ttl"} <= set(names)


def test_ontology_is_consistent_with_no_unsatisfiable_class(report: ReasonerReport) -> None:
    assert report.consistent
    assert report.unsatisfiable == []
    assert report.ok
    # xsd:date is outside the OWL 2 datatype map; it is relaxed for HermiT and reported, not hidden.
    assert report.relaxed_datatypes == ["http://www.w3.org/2001/XMLSchema#date"]


def test_unsatisfiable_class_is_reported() -> None:
    # DaycareCentre and FamilyDaycare are disjoint (Varda tm01 vs tm02): nothing can be both.
    broken = PREFIXES + "sn:Both rdfs:subClassOf sn:DaycareCentre , sn:FamilyDaycare ."
    result = check_consistency(extra_turtle=broken)
    assert result.consistent
    assert result.unsatisfiable == ["https://w3id.org/servicenet/ontology#Both"]
    assert not result.ok


def test_inconsistent_axiom_is_caught() -> None:
    broken = PREFIXES + "<urn:example:unit> a sn:DaycareCentre , sn:FamilyDaycare ."
    result = check_consistency(extra_turtle=broken)
    assert not result.consistent
    assert not result.ok


def test_owl_imports_are_never_followed() -> None:
    # An import of an unreachable IRI would hang or fail if owlready2 were allowed to fetch it.
    extra = (
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://w3id.org/servicenet/ontology> owl:imports <http://192.0.2.1/never.owl> ."
    )
    assert check_consistency(extra_turtle=extra, timeout=120).consistent


def test_timeout_kills_the_reasoner() -> None:
    with pytest.raises(LimitExceededError):
        check_consistency(timeout=0.01)
