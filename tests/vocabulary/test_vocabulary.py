"""The vocabulary loader: which file goes to which named graph, and reloads replace, never duplicate."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from servicenet_vocab import namespaces as ns
from servicenet_vocab.errors import RdfSyntaxError
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.vocabulary.files import (
    example_files,
    load_all,
    load_vocabulary,
    project_root,
    vocabulary_files,
)


def test_every_vocabulary_file_has_its_graph() -> None:
    files = vocabulary_files()
    graphs = {f.path.relative_to(project_root()).as_posix(): f.graph for f in files}
    assert graphs["ontology/servicenet.ttl"] == ns.ONTOLOGY_GRAPH
    assert graphs["ontology/codelists/municipality.ttl"] == ns.CODELISTS_GRAPH
    assert graphs["ontology/alignments/schema-org.ttl"] == ns.ALIGNMENTS_GRAPH
    assert graphs["ontology/catalog.ttl"] == ns.CATALOG_GRAPH
    assert all(g == ns.SHAPES_GRAPH for p, g in graphs.items() if p.startswith("shapes/"))


def test_examples_go_to_their_municipality_graph() -> None:
    graphs = {f.path.name: f.graph for f in example_files()}
    if "helsinki-091.ttl" in graphs:
        assert graphs["helsinki-091.ttl"] == ns.municipality_graph("091")
    assert all(ns.municipality_of_graph(g) for g in graphs.values())


def test_catalog_names_every_code_list_and_its_graph() -> None:
    store = open_store("memory")
    load_vocabulary(store)
    rows = store.query(
        "PREFIX sn: <https://w3id.org/servicenet/ontology#>\n"
        "SELECT ?id ?g WHERE { GRAPH <" + ns.CATALOG_GRAPH + "> { ?d sn:namedGraph ?g ; "
        "<http://purl.org/dc/terms/identifier> ?id } }"
    ).rows()
    listed = {row["id"]: row["g"] for row in rows}
    for item in vocabulary_files(shapes=False):
        rel = item.path.relative_to(project_root() / "ontology").as_posix()
        if rel.startswith("codelists/"):
            assert listed.get(rel) == ns.CODELISTS_GRAPH, rel


def test_reload_replaces_graphs() -> None:
    store = open_store("memory")
    first = load_all(store, examples=True)
    second = load_all(store, examples=True)
    assert first == second
    for graph, count in second.items():
        assert store.triple_count(graph) == count


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "servicenet.ttl").write_text("<urn:a> <urn:b> .\n", "utf-8")
    store = open_store("memory")
    with pytest.raises(RdfSyntaxError) as caught:
        load_vocabulary(store, tmp_path)
    assert caught.value.location is not None
    assert caught.value.location.line == 1
    assert "servicenet.ttl" in str(caught.value.location.source)
    assert not store.graphs()


def _tool(name: str) -> ModuleType:
    """Import a generator script from tools/ (not a package)."""
    tools = project_root() / "tools"
    sys.path.insert(0, str(tools))
    try:
        spec = importlib.util.spec_from_file_location(name, tools / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(tools))


def test_generated_files_are_up_to_date() -> None:
    # The committed Turtle and docs are what the platform serves; the generators must agree with
    # them, or someone edited a generated file by hand (or forgot to re-run a generator).
    root = project_root()
    assert _tool("build_catalog").build() == (root / "ontology" / "catalog.ttl").read_text("utf-8")
    assert _tool("build_model_doc").build() == (root / "docs" / "model.md").read_text("utf-8")
    examples = _tool("build_examples")
    for muni, city in examples.CITIES.items():
        path = root / "examples" / "valid" / f"{city['slug']}-{muni}.ttl"
        assert examples.CityWriter(muni, city).build() == path.read_text("utf-8"), path.name
