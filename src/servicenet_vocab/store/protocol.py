"""What every store offers (``Store``), whichever engine holds the data: the embedded pyoxigraph
store here, or a remote SPARQL 1.1 engine (``store.remote``); and the shape of a query's answer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Protocol, runtime_checkable

import pyoxigraph as ox

from servicenet_vocab.errors import (
    InputError,
)
from servicenet_vocab.formats import RdfFormat, ResultFormat

__all__ = ["GraphInfo", "QueryKind", "QueryResult", "Store"]


class QueryKind(StrEnum):
    SOLUTIONS = "solutions"  # SELECT
    BOOLEAN = "boolean"  # ASK
    GRAPH = "graph"  # CONSTRUCT, DESCRIBE


@dataclass(frozen=True)
class GraphInfo:
    iri: str
    triples: int


class QueryResult:
    """The outcome of a query: iterate it, or serialise it in a standard format."""

    def __init__(self, raw: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> None:
        self._raw = raw
        if isinstance(raw, ox.QueryBoolean):
            self.kind = QueryKind.BOOLEAN
        elif isinstance(raw, ox.QuerySolutions):
            self.kind = QueryKind.SOLUTIONS
        else:
            self.kind = QueryKind.GRAPH

    @property
    def variables(self) -> list[str]:
        if isinstance(self._raw, ox.QuerySolutions):
            return [v.value for v in self._raw.variables]
        return []

    @property
    def boolean(self) -> bool:
        if not isinstance(self._raw, ox.QueryBoolean):
            raise TypeError("only an ASK query has a boolean result")
        return bool(self._raw)

    def rows(self) -> Iterator[dict[str, str | None]]:
        """SELECT rows as plain strings (IRIs and literal lexical forms), None where unbound."""
        if not isinstance(self._raw, ox.QuerySolutions):
            raise TypeError("only a SELECT query has rows")
        names = self.variables
        for solution in self._raw:
            yield {name: _plain(solution[name]) for name in names}

    def terms(self) -> Iterator[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | None]]:
        """SELECT rows as RDF terms, for callers that need datatypes or languages."""
        if not isinstance(self._raw, ox.QuerySolutions):
            raise TypeError("only a SELECT query has rows")
        names = self.variables
        for solution in self._raw:
            yield {name: solution[name] for name in names}

    def triples(self) -> Iterator[ox.Triple]:
        if not isinstance(self._raw, ox.QueryTriples):
            raise TypeError("only a CONSTRUCT or DESCRIBE query has triples")
        yield from self._raw

    def serialize(self, fmt: ResultFormat | RdfFormat, output: IO[bytes] | None = None) -> bytes:
        """Serialise into ``output`` (streaming) or return the bytes."""
        if self.kind is QueryKind.GRAPH:
            if not isinstance(fmt, RdfFormat):
                raise InputError(f"a graph result cannot be written as {fmt.value} results")
            engine_fmt: ox.RdfFormat | ox.QueryResultsFormat = fmt.engine
        else:
            if not isinstance(fmt, ResultFormat):
                raise InputError(f"a {self.kind.value} result cannot be written as {fmt.value}")
            engine_fmt = fmt.engine
        if output is not None:
            self._raw.serialize(output, engine_fmt)  # type: ignore[arg-type]
            return b""
        data = self._raw.serialize(None, engine_fmt)  # type: ignore[arg-type]
        assert isinstance(data, bytes)
        return data


def _plain(term: object) -> str | None:
    if term is None:
        return None
    return str(getattr(term, "value", term))


@runtime_checkable
class Store(Protocol):
    """What the CLI and the facade need from a store; a remote SPARQL engine implements it too."""

    def load(
        self,
        source: str | Path | bytes,
        fmt: RdfFormat | None = None,
        *,
        graph: str | None,
        replace: bool = False,
        source_name: str | None = None,
        base_iri: str | None = None,
    ) -> int: ...

    def add_quads(self, quads: Sequence[ox.Quad], *, graph: str, replace: bool = False) -> int: ...

    def clear_graph(self, graph: str) -> int: ...

    def graphs(self) -> list[GraphInfo]: ...

    def has_graph(self, graph: str) -> bool: ...

    def triple_count(self, graph: str | None = None) -> int: ...

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        union_default_graph: bool = True,
        base_iri: str | None = None,
    ) -> QueryResult: ...

    def update(self, sparql: str) -> None: ...

    def write_graph(self, graph: str, statements: str, *, replace: bool, then: str = "") -> None:
        """Replace (or add to) ``graph`` with N-Triples ``statements``, then run the update
        operations ``then``: one request where the engine allows it (``store.updates``)."""
        ...

    def drop_graph(self, graph: str, *, then: str = "") -> None:
        """Drop ``graph`` (which must exist), then run ``then``; as ``write_graph``."""
        ...

    def dump(self, fmt: RdfFormat, *, graph: str | None = None) -> bytes: ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]: ...

    def close(self) -> None: ...
