"""RDF I/O: formats, located syntax errors, refusals of what would crash or leak."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicenet_vocab import rdfio
from servicenet_vocab.errors import RdfSyntaxError, RefusedInputError, UnsupportedFormatError
from servicenet_vocab.rdfio import RdfFormat

RDFXML_HEAD = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
TTL = b'@prefix sn: <https://w3id.org/servicenet/ontology#> .\n<urn:u1> sn:name "Kannel"@fi .\n'


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.ttl", RdfFormat.TURTLE),
        ("a.nt", RdfFormat.NTRIPLES),
        ("a.nq", RdfFormat.NQUADS),
        ("a.trig", RdfFormat.TRIG),
        ("a.jsonld", RdfFormat.JSONLD),
        ("a.rdf", RdfFormat.RDFXML),
        ("A.TTL", RdfFormat.TURTLE),
    ],
)
def test_format_from_extension(name: str, fmt: RdfFormat) -> None:
    assert rdfio.format_for_path(name) is fmt


def test_unknown_extension_names_the_file() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        rdfio.format_for_path("units.xlsx")
    assert caught.value.location is not None
    assert caught.value.location.source == "units.xlsx"


def test_media_types() -> None:
    assert rdfio.format_for_media_type("text/turtle; charset=utf-8") is RdfFormat.TURTLE
    assert rdfio.format_for_media_type("application/ld+json") is RdfFormat.JSONLD
    with pytest.raises(UnsupportedFormatError):
        rdfio.format_for_media_type("application/pdf")
    assert "application/n-quads" in rdfio.supported_media_types()


# Each case: bad input, and the (line, column) where the parser must say the error is.
SYNTAX_ERRORS = {
    "turtle-unterminated-literal": (RdfFormat.TURTLE, TTL + b'<urn:u2> sn:name "Oops .\n', 3, 18),
    "turtle-missing-dot": (
        RdfFormat.TURTLE,
        TTL + b"<urn:u2> sn:name <urn:x>\n<urn:u3> sn:p <urn:y> .\n",
        4,
        1,
    ),
    "ntriples-relative-iri": (
        RdfFormat.NTRIPLES,
        b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <b> <urn:c> .\n",
        2,
        9,
    ),
    "nquads-bad-graph": (RdfFormat.NQUADS, b'<urn:a> <urn:b> "c" "g" .\n', 1, 21),
    "jsonld-unclosed": (RdfFormat.JSONLD, b'{"@id": "urn:a",\n "urn:p": [1, 2\n', 3, 1),
    "rdfxml-mismatched-tag": (
        RdfFormat.RDFXML,
        RDFXML_HEAD + b'<rdf:Description rdf:about="urn:a">\n  </rdf:Descr>\n</rdf:RDF>',
        3,
        3,
    ),
    "rdfxml-unknown-prefix": (
        RdfFormat.RDFXML,
        RDFXML_HEAD
        + b'<rdf:Description rdf:about="urn:a">\n <ex:p>1</ex:p>\n</rdf:Description></rdf:RDF>',
        3,
        2,
    ),
}


@pytest.mark.parametrize("case", SYNTAX_ERRORS.keys())
def test_syntax_errors_carry_line_and_column(case: str) -> None:
    fmt, data, line, column = SYNTAX_ERRORS[case]
    with pytest.raises(RdfSyntaxError) as caught:
        rdfio.parse(data, fmt, source_name=f"{case}.data")
    location = caught.value.location
    assert location is not None
    assert location.source == f"{case}.data"
    assert (location.line, location.column) == (line, column)
    assert f"{case}.data, line {line}" in str(caught.value)


def test_syntax_error_in_a_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "helsinki.ttl"
    path.write_bytes(TTL + b"<urn:u2> sn:name .\n")
    with pytest.raises(RdfSyntaxError) as caught:
        rdfio.parse(path)
    assert caught.value.location is not None
    assert caught.value.location.source == str(path)
    assert caught.value.location.line == 3


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(RefusedInputError, match="cannot read file"):
        rdfio.parse(tmp_path / "absent.ttl")


def test_bytes_need_a_format() -> None:
    with pytest.raises(UnsupportedFormatError):
        rdfio.parse(TTL)


def test_deep_turtle_nesting_is_refused_before_parsing() -> None:
    data = b"<urn:a> <urn:p> " + b"[ <urn:p> " * 5000 + b"<urn:o>" + b" ]" * 5000 + b" .\n"
    with pytest.raises(RefusedInputError, match="nesting deeper") as caught:
        rdfio.parse(data, RdfFormat.TURTLE)
    assert caught.value.location is not None
    assert caught.value.location.line == 1


def test_brackets_inside_strings_iris_and_comments_do_not_count() -> None:
    data = (
        b'<urn:a> <urn:p> "[[[[((((" , """ [[[[\n((((""" , \'[(\' . # [[[[[[[[\n'
        b"<urn:a> <urn:p> [ <urn:q> ( 1 2 [ <urn:r> 3 ] ) ] .\n"
    )
    assert len(rdfio.parse(data, RdfFormat.TURTLE, max_depth=3)) > 3


def test_deep_jsonld_is_refused() -> None:
    data = b'{"@id": "urn:a", "urn:p": ' + b"[" * 4000 + b"]" * 4000 + b"}"
    with pytest.raises(RefusedInputError, match="nesting"):
        rdfio.parse(data, RdfFormat.JSONLD)


@pytest.mark.parametrize(
    "context",
    [
        b'"https://schema.org/"',
        b'["http://example.org/ctx.jsonld", {"x": "urn:x"}]',
        b'"file:///etc/passwd"',
    ],
)
def test_remote_jsonld_context_is_never_fetched(context: bytes) -> None:
    data = b'{"@context": ' + context + b', "@id": "urn:a", "x": "y"}'
    with pytest.raises(RefusedInputError, match="never fetched"):
        rdfio.parse(data, RdfFormat.JSONLD)


def test_inline_jsonld_context_is_fine() -> None:
    data = b'{"@context": {"name": "https://schema.org/name"}, "@id": "urn:a", "name": "Kannel"}'
    (quad,) = rdfio.parse(data, RdfFormat.JSONLD)
    assert quad.object.value == "Kannel"


def test_rdfxml_entities_are_refused() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "aaaaaaaaaa">\n'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    with pytest.raises(RefusedInputError, match="ENTITY") as caught:
        rdfio.parse(data, RdfFormat.RDFXML)
    assert caught.value.location is not None
    assert caught.value.location.line == 3


@pytest.mark.parametrize("fmt", list(RdfFormat))
def test_serialize_round_trips(fmt: RdfFormat) -> None:
    quads = rdfio.parse(TTL, RdfFormat.TURTLE)
    again = rdfio.parse(rdfio.serialize(quads, fmt), fmt)
    assert {q.triple for q in again} == {q.triple for q in quads}


def test_to_rdflib_keeps_language_tags() -> None:
    graph = rdfio.to_rdflib(rdfio.parse(TTL, RdfFormat.TURTLE))
    ((_, _, name),) = list(graph)
    assert (str(name), name.language) == ("Kannel", "fi")  # type: ignore[attr-defined]


def test_to_rdflib_keeps_blank_node_labels_and_datatypes() -> None:
    quads = rdfio.parse(b'_:addr <urn:zip> "00420"^^<urn:PostalCode> .', RdfFormat.NTRIPLES)
    ((subject, _, value),) = list(rdfio.to_rdflib(quads))
    assert str(subject) == quads[0].subject.value
    assert str(value.datatype) == "urn:PostalCode"  # type: ignore[attr-defined]
