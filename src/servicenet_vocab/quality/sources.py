"""The vocabulary as the steward tools read it: each source file parsed (pyoxigraph, located errors)
into an rdflib graph, grouped by role, with the line index of every file.

Roles follow ``vocabulary.vocabulary_files``: the core ontology, alignments, code lists, the catalogue,
the shapes, and the example datasets of ``examples/valid/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox
import rdflib

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.vocabulary import files as vocabulary
from servicenet_vocab.vocabulary.positions import LineIndex


class Role(StrEnum):
    ONTOLOGY = "ontology"
    ALIGNMENT = "alignment"
    CODELIST = "codelist"
    CATALOG = "catalog"
    SHAPES = "shapes"
    EXAMPLE = "example"


_GRAPH_ROLES = {
    ns.ONTOLOGY_GRAPH: Role.ONTOLOGY,
    ns.ALIGNMENTS_GRAPH: Role.ALIGNMENT,
    ns.CODELISTS_GRAPH: Role.CODELIST,
    ns.CATALOG_GRAPH: Role.CATALOG,
    ns.SHAPES_GRAPH: Role.SHAPES,
}


@dataclass
class SourceFile:
    path: Path
    role: Role
    quads: list[ox.Quad]
    _graph: rdflib.Graph | None = field(default=None, repr=False)

    @property
    def graph(self) -> rdflib.Graph:
        """The file as an rdflib graph, built on first use (examples rarely need one)."""
        if self._graph is None:
            self._graph = to_graph(self.quads)
        return self._graph

    def iris(self) -> set[str]:
        """Every IRI the file mentions, in any position."""
        found: set[str] = set()
        for quad in self.quads:
            for term in (quad.subject, quad.predicate, quad.object):
                if isinstance(term, ox.NamedNode):
                    found.add(term.value)
        return found


@dataclass
class Sources:
    """Every source file of one vocabulary tree (the project, a fixture or a release)."""

    root: Path
    files: list[SourceFile]
    index: LineIndex = field(init=False)
    _unions: dict[frozenset[Role], rdflib.Graph] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.index = LineIndex.build([f.path for f in self.files])

    def graph(self, *roles: Role) -> rdflib.Graph:
        """The union of the files with these roles (all files when none are named); built once,
        so callers must not modify it."""
        key = frozenset(roles)
        if key not in self._unions:
            chosen = [f for f in self.files if not roles or f.role in roles]
            if len(chosen) == 1:
                self._unions[key] = chosen[0].graph
            else:
                self._unions[key] = to_graph([q for f in chosen for q in f.quads])
        return self._unions[key]

    def vocabulary(self) -> rdflib.Graph:
        """Ontology, alignments and code lists: what most checks read."""
        return self.graph(Role.ONTOLOGY, Role.ALIGNMENT, Role.CODELIST)

    def paths(self, *roles: Role) -> list[Path]:
        return [f.path for f in self.files if not roles or f.role in roles]


def load_sources(root: Path | None = None, *, examples: bool = True) -> Sources:
    """Parse the vocabulary tree under ``root`` (default: the project); syntax errors are located."""
    base = vocabulary.require_tree(root) if root else vocabulary.project_root()
    entries = [(f.path, _GRAPH_ROLES[f.graph]) for f in vocabulary.vocabulary_files(base)]
    if examples:
        entries += [(f.path, Role.EXAMPLE) for f in vocabulary.example_files(base)]
    files = [SourceFile(path, role, parse_file(path)) for path, role in entries]
    return Sources(base, files)


def parse_file(path: Path) -> list[ox.Quad]:
    """One Turtle file, parsed by pyoxigraph (syntax errors carry file, line and column)."""
    return rdfio.parse(path, rdfio.RdfFormat.TURTLE, source_name=str(path))


def to_graph(quads: list[ox.Quad]) -> rdflib.Graph:
    """An rdflib graph of the quads' triples (no re-parsing), with the project's prefixes bound."""
    graph = rdfio.to_rdflib(quads)
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph
