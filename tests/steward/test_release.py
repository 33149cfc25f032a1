"""servicenet release: a release of a copy of the project into a temporary directory; its outputs
parse and carry the stamped version; each refusal case."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicenet_vocab import rdfio
from servicenet_vocab.cli import main
from servicenet_vocab.errors import DataInvalidError
from servicenet_vocab.steward import release as release_module
from servicenet_vocab.steward.migrate import migrations
from servicenet_vocab.steward.release import find_releases, release
from servicenet_vocab.vocabulary.files import project_root

ONTOLOGY = "https://w3id.org/servicenet/ontology"
OWL = "http://www.w3.org/2002/07/owl#"
REQUIRED_NAME_SHAPE = """
<https://w3id.org/servicenet/shapes#ReleaseTestShape> a <http://www.w3.org/ns/shacl#NodeShape> ;
    <http://www.w3.org/ns/shacl#targetClass> <https://w3id.org/servicenet/ontology#ServiceUnit> ;
    <http://www.w3.org/ns/shacl#property> [
        <http://www.w3.org/ns/shacl#path> <https://w3id.org/servicenet/ontology#openingDate> ;
        <http://www.w3.org/ns/shacl#minCount> 1 ;
    ] .
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's vocabulary, so tests can edit it."""
    root = tmp_path_factory.mktemp("tree")
    for part in ("ontology", "shapes", "examples"):
        shutil.copytree(project_root() / part, root / part)
    return root


@pytest.fixture(scope="module")
def first(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> release_module.ReleaseResult:
    out = tmp_path_factory.mktemp("releases")
    return release("0.1.0", root=tree, out=out)


def _digest(root: Path) -> str:
    files = sorted(p for p in root.rglob("*.ttl"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def test_every_output_parses(first: release_module.ReleaseResult) -> None:
    rdf_files = [p for p in first.files if p.suffix in (".ttl", ".nt", ".jsonld", ".rdf")]
    assert {p.suffix for p in rdf_files} == {".ttl", ".nt", ".jsonld", ".rdf"}
    for path in rdf_files:
        if path.parent.name == "context":
            continue
        assert rdfio.parse(path), path


def test_version_iri_is_stamped_in_every_format(first: release_module.ReleaseResult) -> None:
    for suffix in (".ttl", ".nt", ".jsonld", ".rdf"):
        quads = rdfio.parse(first.directory / "ontology" / f"servicenet{suffix}")
        about = {
            (q.predicate.value, getattr(q.object, "value", None))
            for q in quads
            if q.subject == ox.NamedNode(ONTOLOGY)
        }
        assert (OWL + "versionIRI", ONTOLOGY + "/0.1.0") in about, suffix
        assert (OWL + "versionInfo", "0.1.0") in about, suffix
        assert len([p for p, _ in about if p == OWL + "versionInfo"]) == 1


def test_code_lists_shapes_context_and_changelog(first: release_module.ReleaseResult) -> None:
    schemes = rdfio.parse(first.directory / "ontology" / "codelists" / "age-group.ttl")
    stamped = [q for q in schemes if q.predicate.value == OWL + "versionInfo"]
    assert [q.object.value for q in stamped] == ["0.1.0"]  # type: ignore[union-attr]
    for suffix in (".nt", ".jsonld", ".rdf"):
        assert (first.directory / "ontology" / "codelists" / f"age-group{suffix}").is_file()
    assert sorted(p.name for p in (first.directory / "shapes").glob("*.ttl")) == sorted(
        p.name for p in (project_root() / "shapes").glob("*.ttl")
    )
    context = json.loads((first.directory / "context" / "servicenet.jsonld").read_text("utf-8"))
    assert context["@context"]["ServiceUnit"] == "sn:ServiceUnit"
    assert "Initial release." in (first.directory / "CHANGELOG.md").read_text("utf-8")
    assert first.previous is None
    assert not list(first.directory.parent.glob(".*.partial"))


def test_sources_are_never_edited(tree: Path, first: release_module.ReleaseResult) -> None:
    before = _digest(tree)
    with pytest.raises(DataInvalidError):
        release("0.1.0", root=tree, out=first.directory.parent)
    assert _digest(tree) == before
    source = (tree / "ontology" / "servicenet.ttl").read_text("utf-8")
    assert "ontology/0.1.0>" in source or "versionIRI" not in source  # as written by hand


def test_cli_refusal_exits_1(
    tree: Path, first: release_module.ReleaseResult, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(first.directory.parent)
    assert main(["release", "0.0.1", "--root", str(tree), "--out", out]) == 1
    assert "not greater than the previous release" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1.0", "not a semantic version"),
        ("v2.0.0", "not a semantic version"),
        ("0.1.0", "not greater than the previous release 0.1.0"),
        ("0.0.9", "not greater than the previous release 0.1.0"),
    ],
)
def test_refuses_bad_versions(
    tree: Path, first: release_module.ReleaseResult, version: str, message: str
) -> None:
    with pytest.raises(DataInvalidError, match=message):
        release(version, root=tree, out=first.directory.parent)


def test_breaking_change_needs_a_major_version(
    tree: Path, first: release_module.ReleaseResult, capsys: pytest.CaptureFixture[str]
) -> None:
    out = first.directory.parent
    shapes = tree / "shapes" / "zz-release-test.ttl"
    shapes.write_text(REQUIRED_NAME_SHAPE, "utf-8")
    try:
        with pytest.raises(DataInvalidError, match=r"breaking change.*release 1\.0\.0 instead"):
            release("0.2.0", root=tree, out=out)
        assert not (out / "0.2.0").exists()
        assert main(["release", "1.0.0", "--root", str(tree), "--out", str(out)]) == 0
    finally:
        shapes.unlink()
    assert "released 1.0.0" in capsys.readouterr().out
    changelog = (out / "1.0.0" / "CHANGELOG.md").read_text("utf-8")
    assert "new required property" in changelog and "**yes**" in changelog
    quads = rdfio.parse(out / "1.0.0" / "ontology" / "servicenet.ttl")
    prior = [q for q in quads if q.predicate.value == OWL + "priorVersion"]
    assert [q.object.value for q in prior] == [ONTOLOGY + "/0.1.0"]  # type: ignore[union-attr]
    assert [str(v) for v in find_releases(out)] == ["0.1.0", "1.0.0"]


def test_refuses_when_lint_has_errors(tmp_path: Path, tree: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tree / "ontology", broken / "ontology")
    with (broken / "ontology" / "servicenet.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\nsn:Nameless a owl:Class .\n")
    with pytest.raises(DataInvalidError, match=r"lint reports \d+ error") as caught:
        release("0.1.0", root=broken, out=tmp_path / "releases")
    assert "missing-label" in str(caught.value)
    assert "servicenet.ttl" in str(caught.value)
    assert not (tmp_path / "releases" / "0.1.0").exists()


def test_a_failed_write_leaves_no_partial_release(
    tmp_path: Path, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(release_module, "_context", explode)
    with pytest.raises(OSError, match="disk full"):
        release("0.1.0", root=tree, out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_find_releases_ignores_other_names(tmp_path: Path) -> None:
    for name in ("0.2.0", "0.10.0", "latest", ".0.3.0.partial"):
        (tmp_path / name).mkdir()
    (tmp_path / "1.0.0").write_text("a file, not a release", "utf-8")
    assert [str(v) for v in find_releases(tmp_path)] == ["0.2.0", "0.10.0"]
    assert find_releases(tmp_path / "absent") == []


def test_the_release_ships_the_migrations(first: release_module.ReleaseResult) -> None:
    """`servicenet migrate --vocabulary releases/<version>` needs the release's own steps."""
    shipped = sorted(
        p.relative_to(first.directory).as_posix()
        for p in first.directory.glob("ontology/migrations/*/*.ru")
    )
    source = sorted(
        p.relative_to(project_root()).as_posix()
        for p in project_root().glob("ontology/migrations/*/*.ru")
    )
    assert shipped == source and shipped
    assert [m.target for m in migrations(first.directory)] == [m.target for m in migrations()]
