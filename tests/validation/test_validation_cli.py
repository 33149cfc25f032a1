"""``servicenet validate``: exit codes, formats and located input errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from servicenet_vocab.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "validation"
SHAPES = str(FIXTURES / "units-shapes.ttl")
CONTEXT = str(FIXTURES / "units-context.ttl")
BASE = ["validate", "--shapes", SHAPES, "--context", CONTEXT]


def test_valid_data_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, str(FIXTURES / "units-valid.ttl")]) == 0
    assert capsys.readouterr().out == "Conforms: no results.\n"


def test_invalid_data_exits_1_with_a_readable_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--lang", "fi", str(FIXTURES / "units-invalid.ttl")]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Does not conform: 3 violations, 1 warning")
    assert "Nimi puuttuu." in out


def test_json_is_exactly_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--format", "json", str(FIXTURES / "units-invalid.ttl")]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["conforms"] is False
    assert len(body["results"]) == 4
    assert list(body["results"][0]) == [
        "focus_node",
        "path",
        "value",
        "severity",
        "message",
        "source_shape",
        "constraint",
        "file",
        "line",
    ]


def test_warnings_pass_unless_fail_on_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "warn.ttl"
    data.write_text(
        "@prefix sn: <https://w3id.org/servicenet/ontology#> .\n"
        '<urn:u> a sn:DaycareCentre ; sn:name "N"@fi ; sn:area <urn:u> .\n'
    )
    assert main([*BASE, "--format", "github", str(data)]) == 0
    assert capsys.readouterr().out.startswith(f"::warning file={data},line=2,")
    assert main([*BASE, "--fail-on", "warning", str(data)]) == 1
    capsys.readouterr()
    assert main([*BASE, "--fail-on", "info", "--format", "junit", str(data)]) == 1
    assert ET.fromstring(capsys.readouterr().out).get("failures") == "1"


def test_turtle_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                *BASE,
                "--format",
                "turtle",
                "--engine",
                "pyshacl",
                str(FIXTURES / "units-invalid.ttl"),
            ]
        )
        == 1
    )
    assert "sh:ValidationReport" in capsys.readouterr().out


def test_a_syntax_error_exits_2_naming_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, str(FIXTURES / "broken.ttl")]) == 2
    err = capsys.readouterr().err
    assert f"{FIXTURES / 'broken.ttl'}, line 4" in err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, str(FIXTURES / "missing.ttl")]) == 2
    assert "missing.ttl" in capsys.readouterr().err


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--format", "yaml", str(FIXTURES / "units-valid.ttl")])
    assert caught.value.code == 2


def test_only_warnings_reads_as_no_violations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Warnings make sh:conforms false, but the summary must not read like a failure (exit 0)."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetNode <urn:unit> ;\n"
        "  sh:property [ sh:path <urn:name> ; sh:minCount 1 ; sh:severity sh:Warning ] .\n"
    )
    data = tmp_path / "data.ttl"
    data.write_text("<urn:unit> <urn:places> 12 .\n")
    assert main(["validate", str(data), "--shapes", str(shapes)]) == 0
    assert capsys.readouterr().out.startswith("No violations (SHACL: does not conform")
    assert main(["validate", str(data), "--shapes", str(shapes), "--fail-on", "warning"]) == 1
