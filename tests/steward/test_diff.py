"""servicenet diff: two fixture versions with every kind of change and its classification."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from servicenet_vocab.cli import main
from servicenet_vocab.errors import InputError
from servicenet_vocab.steward.diff import (
    Bump,
    Diff,
    SemVer,
    diff_versions,
    load_version,
    to_json,
    to_markdown,
)

STEWARD = Path(__file__).parents[1] / "fixtures" / "steward"
V1, V2 = STEWARD / "v1", STEWARD / "v2"
SN = "https://w3id.org/servicenet/ontology#"
CODE = "https://w3id.org/servicenet/code/status/"
SHAPES = "https://w3id.org/servicenet/shapes#"

# (kind, term, breaking, bump, a fragment of the detail)
EXPECTED = [
    ("added", SN + "Kiosk", False, Bump.MINOR, "new term"),
    ("added", SN + "name", False, Bump.MINOR, "new term"),
    ("removed", SN + "Depot", True, Bump.MAJOR, "removed"),
    ("label", SN + "Unit", False, Bump.PATCH, "label @fi changed"),
    ("label", SN + "Unit", False, Bump.PATCH, "label @sv added"),
    ("definition", SN + "Unit", False, Bump.PATCH, "definition @en changed"),
    ("range", SN + "capacity", True, Bump.MAJOR, "xsd:decimal -> xsd:integer"),
    ("range", SN + "size", False, Bump.MINOR, "xsd:integer -> xsd:decimal"),
    ("domain", SN + "located", False, Bump.MINOR, "sn:Unit -> sn:Place"),
    ("deprecated", SN + "legacyCode", False, Bump.MINOR, "deprecated"),
    ("renamed", SN + "oldName", False, Bump.MINOR, "renamed to sn:name"),
    ("concept-added", CODE + "planned", False, Bump.MINOR, "added to code:status"),
    ("concept-removed", CODE + "closed", True, Bump.MAJOR, "removed from code:status"),
    ("label", CODE + "open", False, Bump.PATCH, "label @fi changed"),
    ("constraint-tightened", SHAPES + "UnitShape", True, Bump.MAJOR, "sh:minCount tightened"),
    ("constraint-tightened", SHAPES + "UnitShape", True, Bump.MAJOR, "sh:in tightened"),
    ("constraint-loosened", SHAPES + "UnitShape", False, Bump.MINOR, "sh:maxCount loosened"),
    ("constraint-loosened", SHAPES + "UnitShape", False, Bump.MINOR, "sh:datatype loosened"),
    ("shape-added", SHAPES + "UnitShape", True, Bump.MAJOR, "new required property"),
    ("shape-added", SHAPES + "KioskShape", False, Bump.MINOR, "path sn:name"),
    ("shape-removed", SHAPES + "DepotShape", False, Bump.MINOR, "removed (loosened)"),
    ("shape-documentation", SHAPES + "UnitShape", False, Bump.PATCH, "sh:message"),
]


@pytest.fixture(scope="module")
def v1_to_v2() -> Diff:
    return diff_versions(load_version(V1), load_version(V2))


@pytest.mark.parametrize(("kind", "term", "breaking", "bump", "detail"), EXPECTED)
def test_expected_change_and_classification(
    v1_to_v2: Diff, kind: str, term: str, breaking: bool, bump: Bump, detail: str
) -> None:
    matches = [
        c for c in v1_to_v2.changes if c.kind == kind and c.term == term and detail in c.detail
    ]
    assert matches, f"no {kind} change on {term} with {detail!r}"
    assert all(c.breaking is breaking and c.bump is bump for c in matches)


def test_nothing_unexpected(v1_to_v2: Diff) -> None:
    # Every change is an expected one; the KioskShape node shape and the DepotShape property
    # shape are the two that the detail fragments above match twice.
    assert len(v1_to_v2.changes) == len(EXPECTED) + 2
    assert v1_to_v2.bump is Bump.MAJOR
    assert v1_to_v2.next_version == "2.0.0"
    assert len(v1_to_v2.breaking) == 6


def test_identical_versions_have_no_changes() -> None:
    same = diff_versions(load_version(V1), load_version(V1))
    assert same.changes == []
    assert same.bump is Bump.NONE
    assert same.next_version == "1.2.0"
    assert "No term-level changes" in to_markdown(same)


def _edited(tmp_path: Path, old: str, new: str, file: str = "ontology/servicenet.ttl") -> Path:
    copy = tmp_path / "edited"
    shutil.copytree(V1, copy)
    path = copy / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    return copy


def test_documentation_only_is_a_patch(tmp_path: Path) -> None:
    edited = _edited(tmp_path, '"A place."@en', '"A place on a map."@en')
    result = diff_versions(load_version(V1), load_version(edited))
    assert [c.kind for c in result.changes] == ["definition"]
    assert result.next_version == "1.2.1"


def test_warning_severity_tightening_is_not_breaking(tmp_path: Path) -> None:
    edited = _edited(
        tmp_path,
        "sh:targetClass sn:Depot ;",
        "sh:targetClass sn:Depot ; sh:severity sh:Warning ;",
        "shapes/units.ttl",
    )
    text = (edited / "shapes" / "units.ttl").read_text("utf-8")
    (edited / "shapes" / "units.ttl").write_text(text.replace("sh:minCount 1", "sh:minCount 2"))
    result = diff_versions(load_version(V1), load_version(edited))
    kinds = {(c.kind, c.breaking) for c in result.changes}
    assert ("constraint-tightened", False) in kinds  # minCount 1 -> 2 at Warning
    assert ("constraint-loosened", False) in kinds  # severity Violation -> Warning
    assert result.bump is Bump.MINOR


@pytest.mark.parametrize(
    ("old", "new", "direction", "breaking"),
    [
        (
            "sh:datatype xsd:integer ; sh:maxCount 1",
            "sh:datatype xsd:string ; sh:maxCount 1",
            "changed",
            True,
        ),
        (
            "sh:datatype xsd:integer ; sh:maxCount 1",
            'sh:datatype xsd:integer ; sh:maxCount 1 ; sh:pattern "^1"',
            "tightened",
            True,
        ),
        ("sh:datatype xsd:integer ; sh:maxCount 1", "sh:datatype xsd:integer", "loosened", False),
        (
            "sh:datatype xsd:integer ; sh:maxCount 1",
            "sh:datatype xsd:integer ; sh:maxCount 0",
            "tightened",
            True,
        ),
        ("sh:in ( c:open c:closed )", "sh:in ( c:open c:closed c:planned )", "loosened", False),
        ("sh:in ( c:open c:closed )", "sh:in ( c:open c:planned )", "changed", True),
    ],
)
def test_constraint_directions(
    tmp_path: Path, old: str, new: str, direction: str, breaking: bool
) -> None:
    edited = _edited(tmp_path, old, new, "shapes/units.ttl")
    result = diff_versions(load_version(V1), load_version(edited))
    kinds = {(c.kind, c.breaking) for c in result.changes}
    assert (f"constraint-{direction}", breaking) in kinds, kinds


def test_single_file_versions(tmp_path: Path) -> None:
    one = tmp_path / "one.ttl"
    one.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://w3id.org/servicenet/ontology#A> a owl:Class .\n",
        "utf-8",
    )
    two = tmp_path / "two.ttl"
    two.write_text(one.read_text("utf-8").replace("#A>", "#B>"), "utf-8")
    result = diff_versions(load_version(one), load_version(two))
    assert {(c.kind, c.term.rsplit("#")[1]) for c in result.changes} == {
        ("added", "B"),
        ("removed", "A"),
    }
    assert result.next_version is None  # no owl:versionInfo to bump from


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("repo")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "steward@example.org")
    git("config", "user.name", "Steward")
    shutil.copytree(V1, repo, dirs_exist_ok=True)
    git("add", ".")
    git("commit", "-q", "-m", "v1")
    git("tag", "v1")
    shutil.rmtree(repo / "ontology")
    shutil.rmtree(repo / "shapes")
    shutil.copytree(V2, repo, dirs_exist_ok=True)
    git("add", "-A")
    git("commit", "-q", "-m", "v2")
    return repo


def test_git_refs_read_the_tree_at_each_ref(git_repo: Path, v1_to_v2: Diff) -> None:
    result = diff_versions(load_version("v1", repo=git_repo), load_version("HEAD", repo=git_repo))
    assert [c.to_dict() for c in result.changes] == [c.to_dict() for c in v1_to_v2.changes]
    assert result.old.label == "v1"


def test_unknown_ref_is_an_input_error(git_repo: Path) -> None:
    with pytest.raises(InputError, match="neither a file, a directory nor a git ref"):
        load_version("no-such-ref", repo=git_repo)
    with pytest.raises(InputError, match="not a file"):
        load_version("--output=x", repo=git_repo)


def test_cli_markdown_and_json(capsys: pytest.CaptureFixture[str], git_repo: Path) -> None:
    assert main(["diff", str(V1), str(V2)]) == 0
    out = capsys.readouterr().out
    assert "Implied version bump: **major**; next version **2.0.0**" in out
    assert "| removed | `sn:Depot` |" in out
    assert main(["diff", "v1", "HEAD", "--repo", str(git_repo), "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["bump"] == "major" and body["next_version"] == "2.0.0"
    assert body["old"] == {"source": "v1", "version": "1.2.0"}
    assert body["breaking"] == 6
    assert main(["diff", "nope", str(V2), "--repo", str(git_repo)]) == 2


def test_json_shape(v1_to_v2: Diff) -> None:
    change = to_json(v1_to_v2)["changes"][0]
    assert set(change) == {"kind", "term", "detail", "breaking", "bump", "old", "new"}


@pytest.mark.parametrize(
    ("text", "bump", "expected"),
    [
        ("0.1.0", Bump.MAJOR, "1.0.0"),
        ("1.4.2", Bump.MINOR, "1.5.0"),
        ("1.4.2", Bump.PATCH, "1.4.3"),
        ("1.4.2-rc.1", Bump.NONE, "1.4.2-rc.1"),
    ],
)
def test_semver(text: str, bump: Bump, expected: str) -> None:
    assert str(SemVer.parse(text).bump(bump)) == expected


def test_semver_order_and_errors() -> None:
    assert SemVer.parse("1.0.0-rc.1") < SemVer.parse("1.0.0") < SemVer.parse("1.0.1")
    with pytest.raises(InputError, match="not a semantic version"):
        SemVer.parse("1.0")
