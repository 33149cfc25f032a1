"""Where focus nodes are described: the cheap source scan behind each result's file and line."""

from __future__ import annotations

import pyoxigraph as ox

from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.validation.literals import LiteralIndex
from servicenet_vocab.validation.messages import fill, pick
from servicenet_vocab.vocabulary.positions import subject_lines

TURTLE = b"""@prefix ex: <http://example.org/> .
BASE <http://base.example/>
PREFIX : <http://default.example/>

ex:a ex:p "multi
line" .
<relative> ex:p 1 .
:b ex:p [ ex:q 2 ] .
_:x ex:p 3 .
ex:a ex:p 4 .
"""


def test_turtle_subjects_with_prefixes_base_and_blank_nodes() -> None:
    lines = subject_lines(TURTLE, RdfFormat.TURTLE)
    assert lines["http://example.org/a"] == 5
    assert lines["http://base.example/relative"] == 7
    assert lines["http://default.example/b"] == 8
    assert lines["_:x"] == 9


def test_ntriples_subjects_first_occurrence() -> None:
    data = b'<urn:a> <urn:p> <urn:b> .\n<urn:b> <urn:p> <urn:a> .\n<urn:a> <urn:p> "x" .\n_:n <urn:p> 1 .\n'
    assert subject_lines(data, RdfFormat.NTRIPLES) == {"urn:a": 1, "urn:b": 2, "_:n": 4}


def test_jsonld_and_rdfxml_ids() -> None:
    jsonld = b'{\n  "@id": "urn:a",\n  "urn:p": {"@id": "urn:b"}\n}'
    assert subject_lines(jsonld, RdfFormat.JSONLD) == {"urn:a": 2, "urn:b": 3}
    xml = b'<rdf:RDF>\n<rdf:Description rdf:about="urn:a"/>\n</rdf:RDF>'
    assert subject_lines(xml, RdfFormat.RDFXML) == {"urn:a": 2}


def test_literal_index_recovers_what_was_written() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    s, p, g = ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.DefaultGraph()
    written = ox.Literal("05", datatype=ox.NamedNode(xsd + "int"))
    kept = ox.Literal("2020-01-01", datatype=ox.NamedNode(xsd + "date"))
    index = LiteralIndex([ox.Quad(s, p, written, g), ox.Quad(s, p, kept, g)])
    stored = ox.Literal("5", datatype=ox.NamedNode(xsd + "integer"))
    assert bool(index)
    assert index.written(stored, s, p) == [written]
    assert index.written(stored) == [written]
    assert index.written(kept, s, p) == [kept]
    assert not LiteralIndex([])


def test_message_language_choice_and_placeholders() -> None:
    fi, en, plain = (
        ox.Literal("fi {$x}", language="fi-FI"),
        ox.Literal("en", language="en"),
        ox.Literal("plain"),
    )
    assert pick([fi, en], "fi") == fi
    assert pick([fi, en], "sv") == en
    assert pick([fi, plain], "sv") == plain
    assert pick([fi], "sv") == fi
    assert pick([], "fi") is None
    assert fill("{$x} and {?y} and {$z}", {"x": ox.NamedNode("urn:x"), "y": ox.Literal("7")}) == (
        "urn:x and 7 and {$z}"
    )
