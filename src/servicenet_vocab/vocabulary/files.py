"""The project's vocabulary files and the named graph each is loaded into.

    ontology/servicenet.ttl        -> graph/ontology
    ontology/codelists/*.ttl       -> graph/codelists
    ontology/alignments/*.ttl      -> graph/alignments
    ontology/catalog.ttl           -> graph/catalog
    shapes/*.ttl                   -> graph/shapes
    examples/valid/<name>-<code>.ttl -> graph/municipality/<code>

Each graph is parsed completely (pyoxigraph, with file/line/column errors) and then swapped in with one
transaction, so a reload never leaves half a vocabulary behind.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.config import Settings
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.store.protocol import Store

__all__ = [
    "ONTOLOGY_FILE",
    "PACKAGED",
    "VocabularyFile",
    "example_files",
    "is_tree",
    "load_all",
    "load_examples",
    "load_vocabulary",
    "project_root",
    "require_tree",
    "vocabulary_files",
]

_EXAMPLE_NAME = re.compile(r"-(\d{3})\.ttl$")


@dataclass(frozen=True)
class VocabularyFile:
    """One source file and the named graph it belongs in."""

    path: Path
    graph: str


ONTOLOGY_FILE = Path("ontology") / "servicenet.ttl"
PACKAGED = Path(__file__).resolve().parent / "data"  # the copy a wheel carries (see setup.py)


def project_root() -> Path:
    """The vocabulary tree (the directory holding ontology/, shapes/ and examples/): the setting
    ``vocab_dir`` (``SERVICENET_VOCAB_DIR``, or ``--vocabulary`` on the command line) when it is
    set, else the source checkout this package runs from, else the copy installed with the package.

    For the CLI and the library; the facade resolves the same setting once in ``create_app``."""
    configured = Settings().vocab_dir
    if configured is not None:
        return require_tree(configured, field="vocab_dir")
    for parent in Path(__file__).resolve().parents:
        if (parent / ONTOLOGY_FILE).is_file() and (parent / "pyproject.toml").is_file():
            return parent
    return require_tree(PACKAGED, field="vocab_dir")


def is_tree(root: Path) -> bool:
    return (root / ONTOLOGY_FILE).is_file()


def require_tree(root: Path, *, field: str | None = None) -> Path:
    """``root`` if it is a vocabulary tree; otherwise an error that says what a tree holds."""
    if not is_tree(root):
        raise InputError(
            f"{root} is not a vocabulary tree: it has no {ONTOLOGY_FILE} (give the directory "
            "that holds ontology/ and shapes/, e.g. a checkout or releases/<version>/)",
            location=Location(source=str(root), field=field),
        )
    return root


def vocabulary_files(root: Path | None = None, *, shapes: bool = True) -> list[VocabularyFile]:
    """Every vocabulary file in load order: ontology, code lists, alignments, catalogue, shapes."""
    base = root or project_root()
    onto = base / "ontology"
    files = [VocabularyFile(onto / "servicenet.ttl", ns.ONTOLOGY_GRAPH)]
    files += [VocabularyFile(p, ns.CODELISTS_GRAPH) for p in sorted(onto.glob("codelists/*.ttl"))]
    files += [VocabularyFile(p, ns.ALIGNMENTS_GRAPH) for p in sorted(onto.glob("alignments/*.ttl"))]
    if (onto / "catalog.ttl").is_file():
        files.append(VocabularyFile(onto / "catalog.ttl", ns.CATALOG_GRAPH))
    if shapes:
        files += [VocabularyFile(p, ns.SHAPES_GRAPH) for p in sorted(base.glob("shapes/*.ttl"))]
    return [f for f in files if f.path.is_file()]


def example_files(root: Path | None = None) -> list[VocabularyFile]:
    """The valid example datasets; ``helsinki-091.ttl`` goes to graph/municipality/091."""
    base = root or project_root()
    files = []
    for path in sorted((base / "examples" / "valid").glob("*.ttl")):
        match = _EXAMPLE_NAME.search(path.name)
        if match:
            files.append(VocabularyFile(path, ns.municipality_graph(match.group(1))))
    return files


def _load_files(store: Store, files: list[VocabularyFile]) -> dict[str, int]:
    """Parse every file of a graph, then replace that graph in one transaction."""
    by_graph: dict[str, list[Path]] = defaultdict(list)
    for item in files:
        by_graph[item.graph].append(item.path)
    counts: dict[str, int] = {}
    for graph, paths in by_graph.items():
        target = ox.NamedNode(graph)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, target)
            for path in paths
            for q in rdfio.parse(path, rdfio.RdfFormat.TURTLE, source_name=str(path))
        ]
        counts[graph] = store.add_quads(quads, graph=graph, replace=True)
    return counts


def load_vocabulary(store: Store, root: Path | None = None) -> dict[str, int]:
    """Load ontology, code lists, alignments, catalogue and shapes; returns triples per graph."""
    return _load_files(store, vocabulary_files(root))


def load_examples(store: Store, root: Path | None = None) -> dict[str, int]:
    """Load the example city datasets into their municipality graphs."""
    return _load_files(store, example_files(root))


def load_all(store: Store, *, examples: bool = True, root: Path | None = None) -> dict[str, int]:
    """Vocabulary graphs, then (optionally) the example datasets; returns triples per graph."""
    counts = load_vocabulary(store, root)
    if examples:
        counts.update(load_examples(store, root))
    return counts
