"""servicenet lint: every finding kind on a small broken vocabulary, located by file and line; the
project's own vocabulary has no errors (so `make test` runs the vocabulary QC)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servicenet_vocab.cli import main
from servicenet_vocab.errors import InputError, QuerySyntaxError, RdfSyntaxError
from servicenet_vocab.quality import REGISTRY, LintReport, Severity, lint, load_profile
from servicenet_vocab.quality.profile import default_profile_path
from servicenet_vocab.quality.report import render
from servicenet_vocab.vocabulary.files import project_root
from servicenet_vocab.vocabulary.positions import scan_turtle

BROKEN = Path(__file__).parents[1] / "fixtures" / "steward" / "broken"
SN = "https://w3id.org/servicenet/ontology#"
CODE = "https://w3id.org/servicenet/code/"
SHAPES = "https://w3id.org/servicenet/shapes#"
ONTO, COLOURS = "ontology/servicenet.ttl", "ontology/codelists/colour.ttl"
SHAPE_FILE, EXAMPLE = "shapes/broken.ttl", "examples/valid/town-091.ttl"

EXPECTED = [
    ("orphan-concept", CODE + "colour/lonely", COLOURS, 35),
    ("missing-in-scheme", CODE + "colour/lonely", COLOURS, 35),
    ("omitted-top-concept", CODE + "shade", COLOURS, 12),
    ("top-concept-having-broader", CODE + "colour/red", COLOURS, 16),
    ("cyclic-hierarchy", CODE + "colour/dark", COLOURS, 21),
    ("overlapping-labels", CODE + "colour/red", COLOURS, 16),
    ("inconsistent-pref-labels", CODE + "colour/red", COLOURS, 16),
    ("disjoint-labels", CODE + "colour/dark", COLOURS, 21),
    ("undocumented-concept", CODE + "colour/crimson", COLOURS, 32),
    ("missing-notation", CODE + "colour/crimson", COLOURS, 32),
    ("undefined-skos-resource", "http://www.w3.org/2004/02/skos/core#broadMatcher", COLOURS, 30),
    ("missing-label", SN + "Unlabelled", ONTO, 19),
    ("missing-language-label", SN + "NoSwedish", ONTO, 15),
    ("missing-language-definition", CODE + "colour/crimson", COLOURS, 32),
    ("label-without-language", SN + "Spacey", ONTO, 22),
    ("label-whitespace", SN + "Spacey", ONTO, 22),
    ("undefined-term", SN + "Ghost", SHAPE_FILE, 15),
    ("undefined-term", SN + "favouriteColour", EXAMPLE, 6),
    ("undefined-concept", CODE + "colour/purple", EXAMPLE, 6),
    ("deprecated-term-used", SN + "oldProperty", SHAPE_FILE, 9),
    ("deprecated-term-used", SN + "oldProperty", EXAMPLE, 5),
    ("deprecated-without-replacement", SN + "oldProperty", ONTO, 26),
    ("shape-target-undefined", SHAPES + "GhostShape", SHAPE_FILE, 15),
    ("shape-class-undefined", SHAPES + "MalformedShape", SHAPE_FILE, 22),
    ("shacl-shacl", SHAPES + "MalformedShape", SHAPE_FILE, 17),
    ("shape-message-language", SHAPES + "GoodShape", SHAPE_FILE, 6),
    ("qc:unlabelled-class", SN + "Unlabelled", ONTO, 19),
]


@pytest.fixture(scope="module")
def broken() -> LintReport:
    return lint(BROKEN, profile=default_profile_path(project_root()))


@pytest.mark.parametrize(
    ("check", "term", "file", "line"), EXPECTED, ids=[f"{e[0]}:{e[1]}" for e in EXPECTED]
)
def test_each_finding_kind_is_located(
    broken: LintReport, check: str, term: str, file: str, line: int
) -> None:
    found = [(f.file, f.line) for f in broken.findings if f.check == check and f.term == term]
    assert (file, line) in found, f"{check} on {term}: got {found}"


def test_every_python_check_has_a_broken_case() -> None:
    assert set(REGISTRY) <= {e[0] for e in EXPECTED}


def test_severities_come_from_the_profile(broken: LintReport) -> None:
    profile = load_profile(default_profile_path(project_root()))
    for finding in broken.findings:
        assert finding.severity is profile.severity(finding.check)
    assert not broken.ok
    assert broken.count(Severity.INFO) == 1  # deprecated-without-replacement


def test_labels_are_counted_per_language(broken: LintReport) -> None:
    # sn:Good has one rdfs:label in each of fi, sv and en: correct, unlike ROBOT's default report.
    assert not [f for f in broken.findings if f.term == SN + "Good"]


def test_clean_terms_are_not_reported(broken: LintReport) -> None:
    assert not [
        f for f in broken.findings if f.term == CODE + "colour/scarlet" and "label" in f.check
    ]


def test_project_vocabulary_has_no_errors() -> None:
    report = lint()
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    assert errors == [], render(LintReport(errors, report.checks_run), "text")
    queries = sorted((project_root() / "ontology" / "qc").glob("*-violation.rq"))
    assert len(report.checks_run) == len(REGISTRY) + len(queries)


def test_text_json_and_github_output(broken: LintReport) -> None:
    text = render(broken, "text")
    assert "ontology/servicenet.ttl:19: error [missing-label]" in text
    body = json.loads(render(broken, "json"))
    assert body["ok"] is False
    assert body["summary"]["error"] == broken.errors
    assert {"check", "severity", "term", "message", "file", "line"} <= set(body["findings"][0])
    github = render(broken, "github")
    assert "::error file=ontology/servicenet.ttl,line=19,title=missing-label::" in github
    assert "::notice " in github


def test_cli_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    profile = str(default_profile_path(project_root()))
    assert main(["lint", "--root", str(BROKEN), "--profile", profile, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text("qc-default: info\n", "utf-8")  # unlisted checks report as warnings
    assert main(["lint", "--root", str(BROKEN), "--profile", str(lenient)]) == 0
    assert "0 error(s)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("checks:\n  no-such-check: error\n", 2, "unknown check"),
        ("checks:\n  orphan-concept: fatal\n", 2, "severity must be"),
        ("colour: red\n", 1, "unknown key"),
        ("checks: [unclosed\n", 2, "not valid YAML"),
    ],
)
def test_profile_errors_are_located(tmp_path: Path, text: str, line: int, needle: str) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path)
    assert needle in caught.value.message
    assert caught.value.location is not None and caught.value.location.line == line


def test_missing_profile_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_profile(tmp_path / "absent.yaml")
    assert main(["lint", "--root", str(BROKEN), "--profile", str(tmp_path / "absent.yaml")]) == 2


def test_without_a_profile_file_checks_default_to_warnings(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "servicenet.ttl").write_text(
        "<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> ' x'@en .\n", "utf-8"
    )
    report = lint(root)
    assert [(f.check, f.severity, f.line) for f in report.findings] == [
        ("label-whitespace", Severity.WARNING, 1)
    ]
    assert report.ok


def test_qc_query_syntax_error_names_the_query(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "ontology" / "qc").mkdir(parents=True)
    (root / "ontology" / "servicenet.ttl").write_text("", "utf-8")
    query = root / "ontology" / "qc" / "broken-violation.rq"
    query.write_text("SELECT ?x WHERE {\n  ?x ?y\n}\n", "utf-8")
    with pytest.raises(QuerySyntaxError) as caught:
        lint(root)
    assert caught.value.location is not None
    assert caught.value.location.source == str(query)
    assert caught.value.location.line is not None


def test_rdf_syntax_error_is_located(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "servicenet.ttl").write_text("<urn:a> <urn:b> .\n", "utf-8")
    with pytest.raises(RdfSyntaxError) as caught:
        lint(root)
    assert caught.value.location is not None and caught.value.location.line == 1


def test_line_index_reads_sparql_style_prefixes_and_base() -> None:
    text = (
        "PREFIX ex: <http://example.org/>\n"
        "BASE <http://base.example/>\n"
        "ex:a ex:p [ ex:q ex:b ] ;\n"
        '   ex:r "a . b" .\n'
        "<rel> a ex:C.\n"
        "( ex:c ) ex:p ex:d .\n"
    )
    lines = scan_turtle(text, Path("x.ttl"))
    assert lines.subjects == {"http://example.org/a": 3, "http://base.example/rel": 5}
    assert lines.uses["http://example.org/b"] == 3
    assert lines.uses["http://example.org/C"] == 5
    assert "http://example.org/c" not in lines.subjects
