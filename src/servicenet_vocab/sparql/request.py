"""One query as the facade, the CLI and the worker see it: built once, carried whole.

``QueryService.request`` turns the text, the protocol's dataset, the negotiated formats and the
endpoint's IRI into a ``QueryRequest``; the service's result limits and the pre-flight scan's verdict
on ``FROM`` go in with them. Nothing about a query travels as loose keyword arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.protocol import QueryKind

__all__ = ["QueryDataset", "QueryOutcome", "QueryRequest", "ResultLimits"]


@dataclass(frozen=True)
class QueryDataset:
    """The protocol's ``default-graph-uri`` and ``named-graph-uri`` (SPARQL 1.1 Protocol 2.1.4)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResultLimits:
    """A result over either limit is refused whole (``ResultLimitError``), never truncated."""

    max_rows: int = 100_000
    max_bytes: int = 256 * 1024 * 1024


@dataclass(frozen=True)
class QueryRequest:
    text: str
    dataset: QueryDataset = field(default_factory=QueryDataset)
    results_format: ResultFormat = ResultFormat.JSON  # for SELECT and ASK
    graph_format: RdfFormat = RdfFormat.TURTLE  # for CONSTRUCT and DESCRIBE
    base_iri: str | None = None  # the endpoint's URL, for relative IRIs in the query
    limits: ResultLimits = field(default_factory=ResultLimits)
    # False when the query names its own dataset (FROM / FROM NAMED), which must win.
    union_default_graph: bool = True
    # What the scan found, for an engine that evaluates elsewhere (``sparql.remote``): whether the
    # query returns a graph (None: no form found) and the predeclared prefixes it relies on.
    returns_graph: bool | None = None
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryOutcome:
    kind: QueryKind
    media_type: str
    rows: int
    bytes: int
