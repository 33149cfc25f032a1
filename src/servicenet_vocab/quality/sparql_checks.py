"""The ROBOT-style QC queries: every ``ontology/qc/<name>-violation.rq`` is a SELECT whose rows are
violations. They run on an in-memory store holding the vocabulary graphs; the check id is
``qc:<name>``. The query's leading ``#`` comment is its description.

The RDF Data Cube integrity constraints (``ic-*-violation.rq``, W3C vocab-data-cube section 11) run
over the vocabulary *and* the example datasets (the project's data cubes), merged into one scratch
graph and normalised first with ``datacube-normalisation.ru`` (section 11.1), as the specification
requires. IC-20 and IC-21 are templates over ``$p``; their ``<name>.parameters.rq`` SELECTs the
properties to fill in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab import rdfio
from servicenet_vocab.errors import Location, QuerySyntaxError
from servicenet_vocab.quality.model import Issue
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore, open_store
from servicenet_vocab.vocabulary import files as vocabulary

SUFFIX = "-violation.rq"
DATACUBE_PREFIX = "ic-"
DATACUBE_GRAPH = "urn:servicenet:qc:datacube"  # the graph datacube-normalisation.ru writes WITH
NORMALISATION = "datacube-normalisation.ru"
# The variable naming the offending term, in order of preference (ROBOT uses ?entity).
TERM_VARIABLES = (
    "entity",
    "term",
    "concept",
    "class",
    "property",
    "shape",
    "scheme",
    "s",
    "subject",
)


@dataclass(frozen=True)
class QcQuery:
    path: Path

    @property
    def check_id(self) -> str:
        return "qc:" + self.path.name.removesuffix(SUFFIX)

    @property
    def is_datacube(self) -> bool:
        return self.path.name.startswith(DATACUBE_PREFIX)

    @property
    def parameters(self) -> Path:
        """The SELECT of the values of ``$p`` for a template query (IC-20, IC-21)."""
        return self.path.with_name(self.path.name.removesuffix(SUFFIX) + ".parameters.rq")

    @property
    def description(self) -> str:
        lines = []
        for line in self.path.read_text("utf-8").splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("# ").strip())
        return " ".join(part for part in lines if part) or self.check_id


def qc_queries(root: Path) -> list[QcQuery]:
    return [QcQuery(p) for p in sorted((root / "ontology" / "qc").glob("*" + SUFFIX))]


def run_qc_queries(root: Path) -> Iterator[tuple[QcQuery, Issue]]:
    """Each violation row of each query, as an issue about the row's term."""
    queries = qc_queries(root)
    if not queries:
        return
    store = open_store("memory")
    try:
        vocabulary.load_vocabulary(store, root)
        for query in queries:
            if not query.is_datacube:
                for row in rows(store, query):
                    yield query, _issue(query, row)
    finally:
        store.close()
    cubes = [query for query in queries if query.is_datacube]
    if cubes:
        store = datacube_store(root)
        try:
            for query in cubes:
                for row in rows(store, query):
                    yield query, _issue(query, row)
        finally:
            store.close()


def datacube_quads(root: Path) -> list[ox.Quad]:
    """The vocabulary and the example datasets (the project's data cubes), all in the one graph."""
    files = vocabulary.vocabulary_files(root) + vocabulary.example_files(root)
    return [
        q for item in files for q in _into_cube(rdfio.parse(item.path, source_name=str(item.path)))
    ]


def datacube_store(
    root: Path,
    quads: Sequence[ox.Quad] | None = None,
    *,
    extra: bytes | None = None,
    normalised: bool = True,
) -> OxigraphStore:
    """A scratch store with ``quads`` (default: :func:`datacube_quads`) and ``extra`` Turtle in one
    graph, normalised. One graph, so a triple stated in two files counts once (IC-17 counts)."""
    store = open_store("memory")
    found = list(datacube_quads(root) if quads is None else quads)
    if extra is not None:
        found += _into_cube(rdfio.parse(extra, RdfFormat.TURTLE, source_name="extra"))
    store.add_quads(found, graph=DATACUBE_GRAPH)
    if normalised:
        normalise(store, root)
    return store


def _into_cube(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    graph = ox.NamedNode(DATACUBE_GRAPH)
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def normalise(store: OxigraphStore, root: Path) -> None:
    """Apply the Data Cube normalisation (phase 1, then phase 2) to the scratch graph."""
    store.update((root / "ontology" / "qc" / NORMALISATION).read_text("utf-8"))


def query_texts(store: OxigraphStore, query: QcQuery) -> list[str]:
    """The query itself, or for a template one instance per value of ``$p`` (none: nothing to check)."""
    text = query.path.read_text("utf-8")
    if "$p" not in text:
        return [text]
    values = [row["p"] for row in store.query(query.parameters.read_text("utf-8")).rows()]
    return [text.replace("$p", value) for value in values if value]


def rows(store: OxigraphStore, query: QcQuery) -> list[dict[str, str | None]]:
    try:
        return [row for text in query_texts(store, query) for row in store.query(text).rows()]
    except QuerySyntaxError as error:
        loc = error.location
        raise QuerySyntaxError(
            error.message,
            location=Location(
                source=str(query.path),
                line=loc.line if loc else None,
                column=loc.column if loc else None,
            ),
        ) from None


def _issue(query: QcQuery, row: dict[str, str | None]) -> Issue:
    term = next((row[v] for v in TERM_VARIABLES if row.get(v)), None)
    term = term or next((v for v in row.values() if v), "")
    details = ", ".join(f"?{k}={v}" for k, v in row.items() if v and v != term)
    message = f"{query.description}" + (f" ({details})" if details else "")
    return Issue(term, message)
