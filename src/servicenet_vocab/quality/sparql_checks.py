"""The ROBOT-style QC queries: every ``ontology/qc/<name>-violation.rq`` is a SELECT whose rows are
violations. They run on an in-memory store holding the vocabulary graphs; the check id is
``qc:<name>``. The query's leading ``#`` comment is its description."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from servicenet_vocab.errors import Location, QuerySyntaxError
from servicenet_vocab.quality.model import Issue
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.vocabulary import files as vocabulary

SUFFIX = "-violation.rq"
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
            for row in _rows(store, query):
                yield query, _issue(query, row)
    finally:
        store.close()


def _rows(store: object, query: QcQuery) -> list[dict[str, str | None]]:
    try:
        result = store.query(query.path.read_text("utf-8"))  # type: ignore[attr-defined]
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
    return list(result.rows())


def _issue(query: QcQuery, row: dict[str, str | None]) -> Issue:
    term = next((row[v] for v in TERM_VARIABLES if row.get(v)), None)
    term = term or next((v for v in row.values() if v), "")
    details = ", ".join(f"?{k}={v}" for k, v in row.items() if v and v != term)
    message = f"{query.description}" + (f" ({details})" if details else "")
    return Issue(term, message)
