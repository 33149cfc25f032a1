"""Where focus nodes are described: the cheap source scan behind each result's file and line."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.validation.literals import LiteralIndex
from servicenet_vocab.validation.messages import fill, pick
from servicenet_vocab.vocabulary.positions import scan_turtle, subject_lines

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


def test_multi_line_statements_strings_and_comments() -> None:
    data = b"""@prefix ex: <http://example.org/> .
ex:a ex:p \"\"\"a long text .
ex:fake ex:p 1 .\"\"\" ;
   ex:q ( ex:inList ) , [ ex:r ex:inBrackets ] ;
   ex:s "dot . hash # inside" . # ex:comment ex:p 1 .
ex:b ex:p 'x' .
"""
    assert subject_lines(data, RdfFormat.TURTLE) == {
        "http://example.org/a": 2,
        "http://example.org/b": 6,
    }


def test_trig_graph_names_are_not_subjects() -> None:
    data = b"""PREFIX ex: <http://example.org/>
ex:g1 {
  ex:a ex:p 1 .
  ex:b ex:p 2
}
GRAPH ex:g2 { ex:c ex:p 3 }
{ ex:d ex:p ex:g1 }
"""
    assert subject_lines(data, RdfFormat.TRIG) == {
        "http://example.org/a": 3,
        "http://example.org/b": 4,
        "http://example.org/c": 6,
        "http://example.org/d": 7,
    }


def test_wanted_only_and_the_quality_scan_agree() -> None:
    wanted = {"http://example.org/a", "_:x", "urn:not-there"}
    assert subject_lines(TURTLE, RdfFormat.TURTLE, wanted=wanted) == {
        "http://example.org/a": 5,
        "_:x": 9,
    }
    assert subject_lines(TURTLE, RdfFormat.TURTLE, wanted=set()) == {}
    # The lint index reads subjects with the same scanner, and also every use.
    lines = scan_turtle(TURTLE.decode(), Path("x.ttl"))
    assert lines.subjects == subject_lines(TURTLE, RdfFormat.TURTLE)
    assert lines.uses["http://example.org/p"] == 5


def test_an_absolute_iri_is_kept_as_written_under_a_base() -> None:
    data = b"@base <http://base.example/dir/> .\n<http://x.example/a/../b> <p> <../up> .\n<../up> <p> 1 .\n"
    assert subject_lines(data, RdfFormat.TURTLE) == {
        "http://x.example/a/../b": 2,
        "http://base.example/up": 3,
    }
    given = subject_lines(b"<rel> <urn:p> 1 .", RdfFormat.TURTLE, base="http://given.example/")
    assert given == {"http://given.example/rel": 1}


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
