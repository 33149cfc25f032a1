"""Move a city's dataset from one vocabulary version to the next with the SPARQL Updates the
release ships, never by hand.

    ontology/migrations/<from>-to-<to>/NN-what.ru     applied in file-name order

Each step is a SPARQL 1.1 Update over the data, which is held in the named graph ``DATA_GRAPH``
(the steps say ``WITH <urn:x-servicenet:migration:data>`` or ``GRAPH <...>``); the vocabulary of the
target version is loaded beside it in ``VOCABULARY_GRAPH`` so a step can look up, say, a code's new
concept. A step that fails to parse or run stops the migration with its file named; the input is never
changed in place unless the caller writes the result over it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location, QuerySyntaxError
from servicenet_vocab.formats import RdfFormat
from servicenet_vocab.sparql.job import readable
from servicenet_vocab.store.embedded import OxigraphStore, open_store
from servicenet_vocab.vocabulary import files as vocabulary

__all__ = [
    "DATA_GRAPH",
    "VOCABULARY_GRAPH",
    "Migration",
    "MigrationResult",
    "MigrationStep",
    "migrate",
    "migrations",
    "summary",
]

DATA_GRAPH = "urn:x-servicenet:migration:data"
VOCABULARY_GRAPH = "urn:x-servicenet:migration:vocabulary"
_NAME = re.compile(r"^(?P<source>\d+\.\d+)-to-(?P<target>\d+\.\d+)$")


@dataclass(frozen=True)
class MigrationStep:
    path: Path

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def purpose(self) -> str:
        """The step's first comment line: what it changes, for the report."""
        for line in self.path.read_text("utf-8").splitlines():
            if line.startswith("#"):
                return line.lstrip("# ").strip()
        return self.name


@dataclass(frozen=True)
class Migration:
    """The steps from ``source`` to ``target`` (major.minor versions)."""

    source: str
    target: str
    steps: tuple[MigrationStep, ...]


@dataclass
class StepOutcome:
    step: MigrationStep
    removed: int
    added: int


@dataclass
class MigrationResult:
    migration: Migration
    quads: list[ox.Quad]
    outcomes: list[StepOutcome] = field(default_factory=list)

    def turtle(self) -> bytes:
        return rdfio.serialize(self.quads, RdfFormat.TURTLE)


def migrations(root: Path | None = None) -> list[Migration]:
    """Every migration the vocabulary tree under ``root`` ships."""
    base = (root or vocabulary.project_root()) / "ontology" / "migrations"
    found = []
    for directory in sorted(base.glob("*")):
        match = _NAME.match(directory.name)
        if directory.is_dir() and match:
            steps = tuple(MigrationStep(path) for path in sorted(directory.glob("*.ru")))
            found.append(Migration(match["source"], match["target"], steps))
    return found


def _migration_to(target: str, root: Path | None) -> Migration:
    known = migrations(root)
    for migration in known:
        if migration.target == target:
            return migration
    listed = ", ".join(f"{m.source} -> {m.target}" for m in known) or "none"
    raise InputError(
        f"no migration to version {target} (this vocabulary ships: {listed})",
        location=Location(field="--to"),
    )


def migrate(
    data: Path | bytes,
    *,
    to: str,
    fmt: RdfFormat | None = None,
    source_name: str | None = None,
    root: Path | None = None,
) -> MigrationResult:
    """The dataset ``data`` migrated to vocabulary version ``to`` (e.g. ``"1.0"``)."""
    migration = _migration_to(to, root)
    store = open_store("memory")
    store.load(data, fmt, graph=DATA_GRAPH, source_name=source_name)
    for file in vocabulary.vocabulary_files(root, shapes=False):
        store.load(file.path, graph=VOCABULARY_GRAPH)
    result = MigrationResult(migration, [])
    for step in migration.steps:
        before = set(store.quads(DATA_GRAPH))
        _run(store, step)
        after = set(store.quads(DATA_GRAPH))
        result.outcomes.append(StepOutcome(step, len(before - after), len(after - before)))
    result.quads = [ox.Quad(q.subject, q.predicate, q.object) for q in store.quads(DATA_GRAPH)]
    return result


def _run(store: OxigraphStore, step: MigrationStep) -> None:
    try:
        store.update(step.path.read_text("utf-8"))
    except QuerySyntaxError as raw:
        error = readable(raw)
        where = error.location
        raise QuerySyntaxError(
            f"migration step {step.name}: {error.message}",
            location=Location(
                source=str(step.path),
                line=where.line if where else None,
                column=where.column if where else None,
            ),
        ) from None


def summary(result: MigrationResult) -> str:
    """One line per step: what it is for and how many triples it removed and added."""
    lines = [f"migration {result.migration.source} -> {result.migration.target}"]
    for outcome in result.outcomes:
        lines.append(
            f"  {outcome.step.name}: -{outcome.removed} +{outcome.added}  {outcome.step.purpose}"
        )
    return "\n".join(lines) + "\n"
