"""The validation API: results, messages, locations, context, engines and report formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicenet_vocab.errors import InputError, RdfSyntaxError, ShapesError
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.validation import (
    Severity,
    ValidationReport,
    ValidationResult,
    validate,
    validate_quads,
    validate_store_graph,
)
from servicenet_vocab.validation import formats as report_formats

FIXTURES = Path(__file__).parents[1] / "fixtures" / "validation"
SHAPES = [FIXTURES / "units-shapes.ttl"]
CONTEXT = [FIXTURES / "units-context.ttl"]
INVALID = FIXTURES / "units-invalid.ttl"
VALID = FIXTURES / "units-valid.ttl"
SN = "https://w3id.org/servicenet/ontology#"
UNIT = "https://data.example.fi/unit/"
SH = "http://www.w3.org/ns/shacl#"

EXPECTED = {
    (UNIT + "2", SN + "name", None, "Violation", "MinCount"),
    (UNIT + "2", SN + "places", "17", "Violation", "Datatype"),
    (UNIT + "2", SN + "area", UNIT + "1", "Warning", "Class"),
    (UNIT + "3", SN + "places", "-1", "Violation", "Datatype"),
}


def _summary(report: ValidationReport) -> set[tuple[str | None, ...]]:
    return {
        (
            r.focus_node,
            r.path,
            r.value,
            r.severity.value,
            r.constraint.removeprefix(SH).removesuffix("ConstraintComponent"),
        )
        for r in report.results
    }


@pytest.fixture(scope="module")
def invalid_report() -> ValidationReport:
    return validate(INVALID, SHAPES, context=CONTEXT, engine="sparql")


@pytest.mark.parametrize("engine", ["sparql", "pyshacl", "auto"])
def test_invalid_file_gives_every_result_and_no_more(engine: str) -> None:
    report = validate([INVALID], SHAPES, context=CONTEXT, engine=engine)  # type: ignore[arg-type]
    assert _summary(report) == EXPECTED
    assert report.conforms is False
    assert report.engine == ("pyshacl" if engine == "pyshacl" else "sparql")


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_valid_file_conforms_with_subclass_reasoning_from_the_context(engine: str) -> None:
    report = validate(VALID, SHAPES, context=CONTEXT, engine=engine)  # type: ignore[arg-type]
    assert report.conforms, report_formats.text(report)
    assert report.results == []


def test_without_context_the_subclass_is_unknown_so_nothing_is_targeted() -> None:
    assert validate(INVALID, SHAPES, context=[]).results == []


def test_results_name_file_and_line_of_the_focus_node(invalid_report: ValidationReport) -> None:
    lines = {(r.focus_node, r.file, r.line) for r in invalid_report.results}
    assert lines == {(UNIT + "2", str(INVALID), 10), (UNIT + "3", str(INVALID), 14)}


def test_messages_follow_the_language_and_fall_back_to_english() -> None:
    def name_message(lang: str) -> str:
        report = validate(INVALID, SHAPES, context=CONTEXT, lang=lang)
        return next(r.message for r in report.results if r.path == SN + "name")

    assert name_message("fi") == "Nimi puuttuu."
    assert name_message("sv") == "Namn saknas."
    assert name_message("en") == "The name is missing."
    assert name_message("de") == "The name is missing."


def test_a_shape_without_message_gets_a_generated_one(invalid_report: ValidationReport) -> None:
    message = next(r.message for r in invalid_report.results if r.value == "-1")
    assert message.startswith('sh:datatype on sn:places: the value "-1"')
    assert "nonNegativeInteger" in message


def test_derived_integer_types_are_checked_as_written() -> None:
    # The store keeps "42"^^xsd:nonNegativeInteger as xsd:integer; it must still conform.
    report = validate(VALID, SHAPES, context=CONTEXT, engine="sparql")
    assert not any(r.constraint.endswith("DatatypeConstraintComponent") for r in report.results)


def test_context_nodes_are_read_but_never_validated(invalid_report: ValidationReport) -> None:
    assert "https://data.example.fi/context-unit" not in {
        r.focus_node for r in invalid_report.results
    }


def test_bytes_with_a_format_and_quads_give_the_same_results() -> None:
    data = INVALID.read_bytes()
    from_bytes = validate((data, "turtle"), SHAPES, context=CONTEXT)
    quads = list(ox.parse(data, ox.RdfFormat.TURTLE))
    from_quads = validate_quads(quads, SHAPES, context=CONTEXT)
    assert (
        from_bytes.keys() == from_quads.keys() == validate(INVALID, SHAPES, context=CONTEXT).keys()
    )
    assert {r.file for r in from_bytes.results} == {"input"}
    assert {r.file for r in from_quads.results} == {None}


def test_a_store_graph_is_validated_with_the_quads_about_to_be_written() -> None:
    store = open_store("memory")
    graph = "https://w3id.org/servicenet/graph/municipality/091"
    store.load(VALID, graph=graph)
    assert validate_store_graph(store, graph, SHAPES, context=CONTEXT).conforms
    unit, g = ox.NamedNode(UNIT + "9"), ox.NamedNode(graph)
    extra = [
        ox.Quad(
            unit,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(SN + "DaycareCentre"),
            g,
        )
    ]
    report = validate_store_graph(store, graph, SHAPES, extra=extra, context=CONTEXT)
    assert {(r.focus_node, r.path) for r in report.results} == {(UNIT + "9", SN + "name")}


def test_several_files_keep_their_blank_nodes_apart(tmp_path: Path) -> None:
    shapes = tmp_path / "s.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:S> a sh:NodeShape ; sh:targetSubjectsOf <urn:p> ;"
        " sh:property [ sh:path <urn:p> ; sh:maxCount 1 ] .\n"
    )
    one, two = tmp_path / "a.ttl", tmp_path / "b.ttl"
    one.write_text("_:x <urn:p> 1 .\n")
    two.write_text("_:x <urn:p> 2 .\n")
    assert validate([one, two], [shapes], context=[]).conforms
    assert not validate([tmp_path / "a.ttl"], [shapes], context=[]).results


def test_syntax_errors_name_file_and_line() -> None:
    with pytest.raises(RdfSyntaxError) as caught:
        validate(FIXTURES / "broken.ttl", SHAPES, context=[])
    assert caught.value.location is not None
    assert caught.value.location.source == str(FIXTURES / "broken.ttl")
    assert caught.value.location.line == 4


def test_no_shapes_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no SHACL shapes"):
        validate(VALID, [], context=[])


def test_data_of_the_wrong_kind_is_an_input_error() -> None:
    with pytest.raises(InputError, match="data must be"):
        validate([[1, 2]], SHAPES, context=[])  # type: ignore[list-item]


RULE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:S> a sh:NodeShape ; sh:targetNode <urn:x> ; sh:class <urn:C> ;
    sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate <urn:p> ; sh:object 1 ] .
"""


def test_auto_falls_back_to_pyshacl_and_says_why(tmp_path: Path) -> None:
    shapes = tmp_path / "rules.ttl"
    shapes.write_text(RULE_SHAPES)
    report = validate((b"<urn:x> <urn:q> <urn:y> .", "ntriples"), [shapes], context=[])
    assert report.engine == "pyshacl"
    assert report.fallback_reasons == ["SHACL rules (sh:rule)"]
    assert _summary(report) == {("urn:x", None, "urn:x", "Violation", "Class")}
    with pytest.raises(ShapesError, match="sh:rule"):
        validate((b"<urn:x> <urn:q> <urn:y> .", "ntriples"), [shapes], context=[], engine="sparql")


def test_unsupported_sparql_is_refused_with_the_constraint_named(tmp_path: Path) -> None:
    shapes = tmp_path / "minus.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        '<urn:S> sh:targetNode <urn:x> ; sh:sparql <urn:Q> . <urn:Q> sh:select """'
        'SELECT $this WHERE { $this ?p ?o MINUS { $this <urn:p> 1 } }""" .\n'
    )
    with pytest.raises(ShapesError) as caught:
        validate((b"<urn:x> <urn:q> <urn:y> .", "ntriples"), [shapes], context=[])
    assert "MINUS" in str(caught.value) and "urn:Q" in str(caught.value)


def test_default_shapes_and_context_come_from_the_project_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shapes").mkdir()
    (tmp_path / "ontology").mkdir()
    (tmp_path / "shapes" / "units.ttl").write_bytes(SHAPES[0].read_bytes())
    (tmp_path / "ontology" / "servicenet.ttl").write_bytes(CONTEXT[0].read_bytes())
    monkeypatch.setenv("SERVICENET_VOCAB_DIR", str(tmp_path))
    assert _summary(validate(INVALID)) == EXPECTED


# --- report formats ----------------------------------------------------------------------------


def test_json_has_exactly_the_documented_keys(invalid_report: ValidationReport) -> None:
    body = json.loads(invalid_report.to_json())
    assert set(body) == {"conforms", "results"}
    keys = {"focus_node", "path", "value", "severity", "message", "source_shape", "constraint"}
    assert all(set(row) == keys | {"file", "line"} for row in body["results"])


def test_turtle_is_a_standard_validation_report(invalid_report: ValidationReport) -> None:
    quads = list(ox.parse(report_formats.turtle(invalid_report).encode(), ox.RdfFormat.TURTLE))
    store = ox.Store()
    store.extend(quads)
    conforms = store.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> ASK { ?r a sh:ValidationReport ; sh:conforms false }"
    )
    assert bool(conforms)
    rows = list(
        store.query(
            "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?f ?p ?s WHERE { ?r sh:result ?x . "
            "?x sh:focusNode ?f ; sh:resultPath ?p ; sh:resultSeverity ?s ; sh:sourceShape ?sh ; "
            "sh:sourceConstraintComponent ?c ; sh:resultMessage ?m }"
        )
    )
    assert len(rows) == 4


def test_text_groups_results_by_focus_node(invalid_report: ValidationReport) -> None:
    text = report_formats.text(invalid_report)
    assert text.startswith("Does not conform: 3 violations, 1 warning, 0 infos.")
    assert text.count(UNIT + "2 (") == 1
    assert f"{UNIT}3 ({INVALID}:14)" in text
    assert '(value: "-1"^^xsd:nonNegativeInteger)' in text
    assert f"(value: {UNIT}1)" in text


def test_junit_has_a_case_per_focus_node_and_a_failure_per_result(
    invalid_report: ValidationReport,
) -> None:
    suite = ET.fromstring(report_formats.junit(invalid_report))
    assert suite.get("failures") == "4"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [UNIT + "2", UNIT + "3"]
    assert len(cases[0].findall("failure")) == 3


def test_github_annotations_point_at_file_and_line(invalid_report: ValidationReport) -> None:
    lines = report_formats.github(invalid_report).splitlines()
    assert len(lines) == 4
    assert (
        f"::error file={INVALID},line=14,title=DatatypeConstraintComponent::{UNIT}3: " in lines[-1]
    )
    assert any(line.startswith("::warning ") for line in lines)


def test_an_empty_report_in_every_format() -> None:
    report = ValidationReport(conforms=True)
    assert report_formats.text(report) == "Conforms: no results.\n"
    assert report_formats.github(report) == ""
    assert ET.fromstring(report_formats.junit(report)).get("failures") == "0"
    assert "sh:conforms true" in report_formats.turtle(report)


def test_a_result_without_terms_still_serialises() -> None:
    result = ValidationResult(
        focus_node="urn:x",
        path="urn:p",
        value="v",
        severity=Severity.INFO,
        message="m",
        source_shape="_:b1",
        constraint=SH + "MinCountConstraintComponent",
        file="f.ttl",
    )
    report = ValidationReport(conforms=False, results=[result])
    assert "sh:resultPath <urn:p>" in report_formats.turtle(report)
    assert (
        "::notice file=f.ttl,title=MinCountConstraintComponent::urn:x: m"
        in report_formats.github(report)
    )
    assert "(f.ttl)" in report_formats.text(report)
    assert not report.fails(Severity.WARNING) and report.fails(Severity.INFO)


def test_severity_of_a_custom_iri_counts_as_a_violation() -> None:
    assert Severity.from_iri("urn:custom") is Severity.VIOLATION
    assert Severity.from_iri(SH + "Info") is Severity.INFO


def test_rdf_format_enum_is_accepted_for_bytes() -> None:
    report = validate((VALID.read_bytes(), RdfFormat.TURTLE), SHAPES, context=CONTEXT)
    assert report.conforms


def test_issue_4_pyshacl_keeps_blank_focus_nodes_when_there_is_context(tmp_path: Path) -> None:
    # Regression: the context filter compared rdflib's renamed blank nodes with the data's.
    data = tmp_path / "blank.ttl"
    data.write_text(
        "@prefix sn: <https://w3id.org/servicenet/ontology#> .\n"
        "_:u a sn:DaycareCentre ; sn:places 3 .\n"
    )
    reports = [validate(data, SHAPES, context=CONTEXT, engine=e) for e in ("sparql", "pyshacl")]  # type: ignore[arg-type]
    assert [_summary(r) for r in reports] == [
        {
            ("_:u", SN + "name", None, "Violation", "MinCount"),
            ("_:u", SN + "places", "3", "Violation", "Datatype"),
        }
    ] * 2
