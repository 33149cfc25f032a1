"""The alignments say what the standards say: each axiom is checked by what HermiT derives from it
(a planted individual that contradicts the entailment makes the ontology inconsistent), or, for SKOS
mappings, by the mapping itself."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from servicenet_vocab.quality.reasoning import check_consistency
from servicenet_vocab.vocabulary.files import project_root

PREFIXES = """\
@prefix sn:     <https://w3id.org/servicenet/ontology#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix cv:     <http://data.europa.eu/m8g/> .
@prefix schema: <https://schema.org/> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix pt:     <https://w3id.org/servicenet/code/provider-type/> .
"""
NOT = "[ owl:complementOf {0} ]"

# (planted individual, consistent?): consistent=False means the alignment entails the contrary.
CASES = {
    "public-provider-is-public-organisation": (
        f"<urn:p> a sn:Provider , {NOT.format('cv:PublicOrganisation')} ; sn:providerType pt:municipality .",
        False,
    ),
    "company-is-not-necessarily-public": (
        f"<urn:p> a sn:Provider , {NOT.format('cv:PublicOrganisation')} ; sn:providerType pt:company .",
        True,
    ),
    "offers-is-the-inverse-of-has-channel": (
        "<urn:u> sn:offers <urn:o> . <urn:o> a [ a owl:Restriction ; owl:onProperty cv:hasChannel ; "
        "owl:allValuesFrom owl:Nothing ] .",
        False,
    ),
    "planning-area-is-a-place": (
        f"<urn:a> a sn:PostalCodeArea , {NOT.format('schema:Place')} .",
        False,
    ),
    "planning-area-is-not-administrative": (
        f"<urn:a> a sn:PostalCodeArea , {NOT.format('schema:AdministrativeArea')} .",
        True,
    ),
    "municipality-is-administrative": (
        f"<urn:a> a sn:Municipality , {NOT.format('schema:AdministrativeArea')} .",
        False,
    ),
    "area-is-a-dcat-location": (f"<urn:a> a sn:District , {NOT.format('dct:Location')} .", False),
}


@pytest.mark.slow
@pytest.mark.parametrize(("turtle", "consistent"), CASES.values(), ids=CASES)
def test_alignment_entailment(turtle: str, consistent: bool) -> None:
    assert check_consistency(extra_turtle=PREFIXES + turtle).consistent is consistent


def _alignments() -> ox.Store:
    store = ox.Store()
    for path in sorted((project_root() / "ontology" / "alignments").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize(("ours", "theirs"), [("latitude", "lat"), ("longitude", "long")])
def test_coordinates_are_close_not_exact_matches_of_wgs84(ours: str, theirs: str) -> None:
    store = _alignments()
    sn = ox.NamedNode("https://w3id.org/servicenet/ontology#" + ours)
    wgs = ox.NamedNode("http://www.w3.org/2003/01/geo/wgs84_pos#" + theirs)
    skos = "http://www.w3.org/2004/02/skos/core#"
    mappings = {q.predicate.value for q in store.quads_for_pattern(sn, None, wgs)}
    assert mappings == {skos + "closeMatch"}
