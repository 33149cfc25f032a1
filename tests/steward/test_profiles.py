"""The OWL 2 EL profile check and ``servicenet export core-vocabulary``."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, XSD
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from servicenet_vocab.cli import main
from servicenet_vocab.steward.profiles import el_violations, split_core
from servicenet_vocab.vocabulary.files import ONTOLOGY_FILE, project_root

# The datatypes of the OWL 2 EL datatype map (OWL 2 Profiles, section 2.2.1), restated here.
EL_MAP = {RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational} | {
    XSD[n]
    for n in [
        "decimal",
        "integer",
        "nonNegativeInteger",
        "string",
        "normalizedString",
        "token",
        "Name",
        "NCName",
        "NMTOKEN",
        "hexBinary",
        "base64Binary",
        "anyURI",
        "dateTime",
        "dateTimeStamp",
    ]
}

PLANTED = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:Child a owl:Class ; rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:guardian ;
    owl:allValuesFrom ex:Adult ] .
ex:Group a owl:Class ; rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:member ;
    owl:maxCardinality "25"^^xsd:nonNegativeInteger ] .
ex:Either a owl:Class ; owl:equivalentClass [ a owl:Class ; owl:unionOf ( ex:Child ex:Adult ) ] .
ex:NotChild a owl:Class ; owl:equivalentClass [ owl:complementOf ex:Child ] .
ex:Pair a owl:Class ; owl:oneOf ( ex:a ex:b ) .
ex:guardianOf a owl:ObjectProperty ; owl:inverseOf ex:guardian .
ex:ssn a owl:ObjectProperty , owl:InverseFunctionalProperty .
ex:sibling a owl:ObjectProperty , owl:SymmetricProperty ; owl:propertyDisjointWith ex:guardian .
# inside EL: none of these may be reported
ex:Parent a owl:Class ; owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( ex:Adult
    [ a owl:Restriction ; owl:onProperty ex:guardianOf ; owl:someValuesFrom ex:Child ] ) ] .
ex:Only a owl:Class ; owl:oneOf ( ex:a ) .
ex:partOf a owl:ObjectProperty , owl:TransitiveProperty .
ex:age a owl:DatatypeProperty , owl:FunctionalProperty ; rdfs:range xsd:integer .
ex:Finn a owl:Class ; rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:country ;
    owl:hasValue ex:fi ] .
"""
EX = rdflib.Namespace("https://example.org/")


def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(project_root() / ONTOLOGY_FILE)


def test_full_ontology_names_each_axiom_outside_el() -> None:
    graph = ontology()
    reported = {(v.subject, v.construct) for v in el_violations(graph)}
    data = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    expected = {
        (p, "FunctionalObjectProperty")
        for p in graph.subjects(RDF.type, OWL.FunctionalProperty)
        if p not in data
    }
    expected |= {
        (p, "datatype xsd:" + str(d).split("#")[1])
        for p, d in graph.subject_objects(RDFS.range)
        if str(d).startswith(str(XSD)) and d not in EL_MAP
    }
    assert expected, "the ontology has functional object properties or non-EL ranges"
    assert expected <= reported
    assert reported == expected  # nothing else in the ontology is outside EL today


def test_planted_axioms_are_named_with_their_subject() -> None:
    graph = ontology().parse(data=PLANTED, format="turtle")
    by_subject = {}
    for violation in el_violations(graph):
        by_subject.setdefault(violation.subject, []).append(violation.construct)
    assert "ObjectAllValuesFrom / DataAllValuesFrom" in by_subject[EX.Child]
    assert "MaxCardinality" in by_subject[EX.Group]
    assert "ObjectUnionOf / DataUnionOf" in by_subject[EX.Either]
    assert "ObjectComplementOf" in by_subject[EX.NotChild]
    assert "ObjectOneOf / DataOneOf" in by_subject[EX.Pair]
    assert "InverseObjectProperties" in by_subject[EX.guardianOf]
    assert "InverseFunctionalObjectProperty" in by_subject[EX.ssn]
    assert set(by_subject[EX.sibling]) == {
        "SymmetricObjectProperty",
        "DisjointObjectProperties / DisjointDataProperties",
    }
    for allowed in (EX.Parent, EX.Only, EX.partOf, EX.age, EX.Finn):
        assert allowed not in by_subject
    text = [str(v) for v in el_violations(graph) if v.subject == EX.Child]
    assert text == [
        "<https://example.org/Child>: ObjectAllValuesFrom / DataAllValuesFrom: "
        "universal quantification is outside OWL 2 EL"
    ]


def test_split_core_is_el_and_loses_nothing() -> None:
    graph = ontology().parse(data=PLANTED, format="turtle")
    split = split_core(graph)
    assert el_violations(split.core) == []
    union = rdflib.Graph()
    for triple in (*split.core, *split.outside):
        union.add(triple)
    assert isomorphic(union, graph)
    shapes = split.shapes
    child = split.restated[next(v for v in split.violations if v.subject == EX.Child)]
    (prop,) = shapes.objects(child, SH.property)
    assert (
        shapes.value(prop, SH["class"]) == EX.Adult and shapes.value(prop, SH.path) == EX.guardian
    )
    group = split.restated[next(v for v in split.violations if v.subject == EX.Group)]
    (prop,) = shapes.objects(group, SH.property)
    assert shapes.value(prop, SH.maxCount) == rdflib.Literal(25)
    unshaped = [v for v in split.violations if v not in split.restated]
    assert {v.subject for v in unshaped} >= {EX.Either, EX.NotChild, EX.Pair, EX.guardianOf}


def test_export_core_vocabulary_writes_an_el_core_and_the_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "core-vocabulary", "-o", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "0 axioms outside OWL 2 EL" in printed
    core = rdflib.Graph().parse(tmp_path / "core-vocabulary.ttl")
    assert el_violations(core) == []
    full = ontology()
    assert set(core.subjects(RDF.type, OWL.Class)) == set(full.subjects(RDF.type, OWL.Class))
    assert len(list(core.triples((None, RDFS.label, None)))) == len(
        list(full.triples((None, RDFS.label, None)))
    )
    shapes = rdflib.Graph().parse(tmp_path / "application-profile.ttl")
    data = set(full.subjects(RDF.type, OWL.DatatypeProperty))
    functional = [p for p in full.subjects(RDF.type, OWL.FunctionalProperty) if p not in data]
    for prop in functional:
        assert (prop, RDF.type, OWL.FunctionalProperty) not in core
        shaped = [
            s
            for s in shapes.subjects(SH.path, prop)
            if shapes.value(s, SH.maxCount) == rdflib.Literal(1)
        ]
        assert shaped, f"{prop} has a sh:maxCount 1 shape"
    listing = (tmp_path / "application-profile.md").read_text()
    assert all(f"`sn:{str(p).split('#')[1]}`" in listing for p in functional)
