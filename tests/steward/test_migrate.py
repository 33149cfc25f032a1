"""``servicenet migrate``: the shipped SPARQL Updates, applied in order, reported, located on error."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from servicenet_vocab.cli import main
from servicenet_vocab.errors import InputError, QuerySyntaxError
from servicenet_vocab.formats import RdfFormat
from servicenet_vocab.steward.migrate import migrate, migrations

OLD = "https://w3id.org/servicenet/ontology#oldPlaces"
NEW = "https://w3id.org/servicenet/ontology#places"
DATA = f'<urn:x:unit> <{OLD}> 42 ; <urn:x:name> "Päiväkoti Kannel"@fi .\n'.encode()


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A vocabulary tree with one migration of two steps (a rename, then a derived triple)."""
    root = tmp_path / "vocab"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "servicenet.ttl").write_text(
        f"<{NEW}> a <http://www.w3.org/2002/07/owl#DatatypeProperty> .\n"
    )
    steps = root / "ontology" / "migrations" / "0.1-to-1.0"
    steps.mkdir(parents=True)
    (steps / "01-rename.ru").write_text(
        "# oldPlaces is now places\n"
        "WITH <urn:x-servicenet:migration:data>\n"
        f"DELETE {{ ?s <{OLD}> ?v }} INSERT {{ ?s <{NEW}> ?v }} WHERE {{ ?s <{OLD}> ?v }}\n"
    )
    (steps / "02-known.ru").write_text(
        "# mark units whose property the target vocabulary defines\n"
        "INSERT { GRAPH <urn:x-servicenet:migration:data> { ?s <urn:x:checked> true } }\n"
        "WHERE { GRAPH <urn:x-servicenet:migration:data> { ?s ?p ?v }\n"
        "        GRAPH <urn:x-servicenet:migration:vocabulary> { ?p a ?kind } }\n"
    )
    return root


def test_steps_run_in_order_and_are_counted(tree: Path) -> None:
    result = migrate(DATA, to="1.0", fmt=RdfFormat.TURTLE, source_name="unit.ttl", root=tree)
    predicates = {q.predicate.value for q in result.quads}
    assert OLD not in predicates and NEW in predicates
    assert "urn:x:checked" in predicates  # step 2 saw step 1's rename and the target vocabulary
    assert [(o.step.name, o.removed, o.added) for o in result.outcomes] == [
        ("01-rename", 1, 1),
        ("02-known", 0, 1),
    ]
    assert result.outcomes[0].step.purpose == "oldPlaces is now places"
    assert all(q.graph_name == ox.DefaultGraph() for q in result.quads)


def test_an_unknown_target_lists_what_is_shipped(tree: Path) -> None:
    with pytest.raises(InputError, match=r"no migration to version 2\.0 .*0\.1 -> 1\.0"):
        migrate(DATA, to="2.0", fmt=RdfFormat.TURTLE, root=tree)
    assert [(m.source, m.target, len(m.steps)) for m in migrations(tree)] == [("0.1", "1.0", 2)]


def test_a_broken_step_is_named_and_located(tree: Path) -> None:
    broken = tree / "ontology" / "migrations" / "0.1-to-1.0" / "03-broken.ru"
    broken.write_text("# broken\nINSERT DATA { <urn:x:a> <urn:x:b> }\n")
    with pytest.raises(QuerySyntaxError) as caught:
        migrate(DATA, to="1.0", fmt=RdfFormat.TURTLE, root=tree)
    assert "03-broken" in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.source == str(broken)
    assert caught.value.location.line == 2
    assert len(caught.value.message) < 300  # the engine's list of expected tokens is cut


def test_the_cli_writes_beside_or_in_place(tree: Path, tmp_path: Path) -> None:
    source = tmp_path / "unit.ttl"
    source.write_bytes(DATA)
    out = tmp_path / "migrated"
    code = main(
        ["migrate", str(source), "--to", "1.0", "--vocabulary", str(tree), "--output-dir", str(out)]
    )
    assert code == 0
    assert "sn:places 42" in (out / "unit.ttl").read_text()
    assert source.read_bytes() == DATA  # the input is untouched
    assert (
        main(["migrate", str(source), "--to", "1.0", "--vocabulary", str(tree), "--in-place"]) == 0
    )
    assert OLD not in source.read_text()
    assert main(["migrate", str(source), str(source), "--to", "1.0", "-o", str(out / "x.ttl")]) == 2
    assert main(["migrate", str(source), "--to", "9.9", "--vocabulary", str(tree)]) == 2
