"""The embedded store: the only module that talks to the store engine (pyoxigraph).

Every graph lives in a named graph; queries see the union of the named graphs as their default graph.
Loads and graph replacements are all-or-nothing: the data is parsed completely (and so checked) before
the store is touched, and then written in one engine transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab import rdfio
from servicenet_vocab.errors import (
    InputError,
    Location,
    NotFoundError,
    RefusedInputError,
    StoreError,
    query_syntax_error,
)
from servicenet_vocab.formats import RdfFormat, ResultFormat
from servicenet_vocab.namespaces import PREFIXES
from servicenet_vocab.store import updates
from servicenet_vocab.store.protocol import GraphInfo, QueryKind, QueryResult, Store

__all__ = [
    "GraphInfo",
    "OxigraphStore",
    "QueryKind",
    "QueryResult",
    "ResultFormat",
    "Store",
    "open_store",
]


class OxigraphStore:
    """An embedded pyoxigraph store, on disk or in memory.

    >>> store = open_store("memory")
    >>> store.load(b"<urn:a> <urn:b> <urn:c> .", RdfFormat.NTRIPLES, graph="urn:g")
    1
    >>> store.query("ASK { <urn:a> <urn:b> <urn:c> }").boolean
    True
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        # The engine is thread-safe, but read-modify-write sequences (replace) are not: one lock
        # makes this process a single writer.
        self._write_lock = threading.Lock()
        # Graph counts are a full scan; readiness probes ask often, writes are rare.
        self._generation = 0
        self._counted: tuple[int, list[GraphInfo]] | None = None
        try:
            if path is None:
                self._engine = ox.Store()
            elif read_only:
                self._engine = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._engine = ox.Store(str(path))
        except OSError as error:
            raise StoreError(
                f"cannot open the store: {error}", location=Location(source=str(path))
            ) from None

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else 'memory'!r})"

    def __len__(self) -> int:
        return len(self._engine)

    # --- writes ------------------------------------------------------------------------------

    def load(
        self,
        source: str | Path | bytes,
        fmt: RdfFormat | None = None,
        *,
        graph: str | None,
        replace: bool = False,
        source_name: str | None = None,
        base_iri: str | None = None,
        progress: bool = False,
    ) -> int:
        """Parse ``source`` completely, then write it in one transaction; returns the triple count.

        With ``graph``, the data's default-graph triples go there and a dataset naming any other
        graph is refused. Without it, a TriG/N-Quads dataset keeps its own named graphs and
        default-graph triples are refused. On any error the store is unchanged.
        """
        name = source_name or ("input" if isinstance(source, bytes) else str(source))
        fmt = fmt or (None if isinstance(source, bytes) else rdfio.format_for_path(source))
        if (
            graph is not None
            and not replace
            and fmt is not None
            and not fmt.engine.supports_datasets
        ):
            return self._stream_into(source, fmt, graph, name, base_iri, progress)
        if progress and not isinstance(source, bytes):
            quads = _parse_with_progress(Path(source), fmt, source_name)
        else:
            quads = rdfio.parse(source, fmt, source_name=source_name, base_iri=base_iri)
        if graph is None:
            return self._add_dataset(quads, name, replace=replace)
        return self.add_quads(_into_graph(quads, graph, name), graph=graph, replace=replace)

    def _stream_into(
        self,
        source: str | Path | bytes,
        fmt: RdfFormat,
        graph: str,
        name: str,
        base_iri: str | None,
        progress: bool,
    ) -> int:
        """Triples into one graph: the engine parses and writes in a single transaction, with
        no Python objects per triple (about 4x faster and a fraction of the memory)."""
        self._check_writable()
        data = source if isinstance(source, bytes) else _read_file(Path(source))
        rdfio.preflight(data, fmt, source_name=name, max_depth=rdfio.DEFAULT_MAX_DEPTH)
        target = _named(graph)
        with self._write_lock:
            before = self.triple_count(graph) if self.has_graph(graph) else 0
            try:
                if progress:
                    self._load_with_progress(data, fmt, target, name, base_iri)
                else:
                    self._engine.load(data, fmt.engine, base_iri=base_iri, to_graph=target)
            except SyntaxError as error:
                raise rdfio.located_syntax_error(error, data, name) from None
            self._flush()
            return self.triple_count(graph) - before

    def _load_with_progress(
        self, data: bytes, fmt: RdfFormat, target: ox.NamedNode, name: str, base_iri: str | None
    ) -> None:
        import io

        from tqdm import tqdm

        bar = tqdm(total=len(data), unit="B", unit_scale=True, desc=Path(name).name, leave=False)
        with bar, bar.wrapattr(io.BytesIO(data), "read") as stream:
            self._engine.load(stream, fmt.engine, base_iri=base_iri, to_graph=target)  # type: ignore[arg-type]

    def _add_dataset(self, quads: list[ox.Quad], source: str, *, replace: bool) -> int:
        if any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
            raise InputError(
                "the data has triples outside any named graph: name the target graph",
                location=Location(source=source),
            )
        self._check_writable()
        with self._write_lock:
            if replace:
                by_graph: dict[str, list[ox.Quad]] = {}
                for quad in quads:
                    if not isinstance(quad.graph_name, ox.NamedNode):  # a TriG blank graph name
                        raise InputError(
                            f"a replaced graph needs an IRI, not {quad.graph_name}",
                            location=Location(source=source),
                        )
                    by_graph.setdefault(quad.graph_name.value, []).append(quad)
                self._engine.update(updates.graphs_update(by_graph, replace=True))
            else:
                self._engine.extend(quads)
            self._flush()
        return len(quads)

    def add_quads(self, quads: Sequence[ox.Quad], *, graph: str, replace: bool = False) -> int:
        """Add (or with ``replace`` swap in) already parsed quads, all in ``graph``, atomically."""
        self._check_writable()
        target = _named(graph)
        if any(q.graph_name != target for q in quads):
            raise InputError(f"every quad must be in graph <{graph}>")
        with self._write_lock:
            if replace:
                # DROP and INSERT DATA in one update request: one engine transaction.
                self._engine.update(updates.graph_update(graph, quads, replace=True))
            else:
                self._engine.extend(quads)
            self._flush()
        return len(quads)

    def clear_graph(self, graph: str) -> int:
        """Remove a graph; returns how many triples it held. Missing graph: ``NotFoundError``."""
        self._check_writable()
        with self._write_lock:
            if not self.has_graph(graph):
                raise NotFoundError(f"no graph <{graph}> in the store")
            count = self.triple_count(graph)
            self._engine.remove_graph(_named(graph))
            self._flush()
        return count

    def update(self, sparql: str) -> None:
        """Run a trusted SPARQL update (the project's own code only; never user input)."""
        self._check_writable()
        with self._write_lock:
            try:
                self._engine.update(sparql)
            except SyntaxError as error:
                raise query_syntax_error(error) from None
            self._flush()

    def write_graph(self, graph: str, statements: str, *, replace: bool, then: str = "") -> None:
        """The data and ``then`` in one update request: one engine transaction."""
        self.update(updates.graph_update(graph, statements, replace=replace, then=then))

    def drop_graph(self, graph: str, *, then: str = "") -> None:
        self.update(updates.drop_graph_update(graph, then=then))

    def _flush(self) -> None:
        self._generation += 1  # every write ends here: the counts cached below are stale
        if self.path is not None:
            self._engine.flush()

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")

    # --- reads -------------------------------------------------------------------------------

    def graphs(self) -> list[GraphInfo]:
        """Named graphs with their triple counts (recounted only after a write)."""
        generation = self._generation
        if self._counted is not None and self._counted[0] == generation:
            return list(self._counted[1])
        infos = self._count_graphs()
        self._counted = (generation, infos)
        return list(infos)

    def _count_graphs(self) -> list[GraphInfo]:
        rows = self._engine.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        assert isinstance(rows, ox.QuerySolutions)
        found = {row["g"].value: int(row["n"].value) for row in rows}
        for name in self._engine.named_graphs():  # declared but empty graphs
            if isinstance(name, ox.NamedNode):
                found.setdefault(name.value, 0)
        return [GraphInfo(iri, n) for iri, n in sorted(found.items())]

    def has_graph(self, graph: str) -> bool:
        return bool(self._engine.contains_named_graph(_named(graph)))

    def triple_count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._engine)
        # Counted by the engine: iterating quads in Python costs seconds on a large graph.
        rows = self._engine.query(
            f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{_named(graph).value}> {{ ?s ?p ?o }} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        union_default_graph: bool = True,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) in this process.

        ``union_default_graph=False`` keeps the query's own ``FROM``/``FROM NAMED`` dataset (the
        engine's union option would override it).

        Untrusted queries must go through ``servicenet_vocab.workers``, which adds the pre-flight
        scan, a wall-clock kill and a memory limit; this method trusts its caller.
        """
        # The project's usual prefixes are predeclared; a query's own PREFIX lines still win.
        options: dict[str, object] = {"prefixes": PREFIXES, "base_iri": base_iri}
        if default_graph_uris:
            options["default_graph"] = [_named(g) for g in default_graph_uris]
        elif union_default_graph:
            options["use_default_graph_as_union"] = True
        if named_graph_uris:
            options["named_graphs"] = [_named(g) for g in named_graph_uris]
        try:
            raw = self._engine.query(sparql, **options)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise query_syntax_error(error) from None
        except (OSError, RuntimeError) as error:
            raise InputError(f"query failed: {error}", location=Location(source="query")) from None
        return QueryResult(raw)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        target = _named(graph) if graph else None
        for quad in self._engine.quads_for_pattern(None, None, None, target):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def dump(self, fmt: RdfFormat, *, graph: str | None = None) -> bytes:
        """Serialise one graph (any format) or the whole dataset (N-Quads or TriG)."""
        if graph is not None:
            if not self.has_graph(graph):
                raise NotFoundError(f"no graph <{graph}> in the store")
            data = self._engine.dump(None, fmt.engine, from_graph=_named(graph))
        else:
            if not fmt.is_dataset:
                raise InputError("the whole store can only be dumped as N-Quads or TriG")
            data = self._engine.dump(None, fmt.engine)
        assert isinstance(data, bytes)
        return data

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._engine.flush()
        del self._engine


def open_store(location: str | Path, *, read_only: bool = False) -> OxigraphStore:
    """Open the store at a directory, or a fresh in-memory one for ``"memory"``."""
    if str(location) == "memory":
        return OxigraphStore(None)
    return OxigraphStore(Path(location), read_only=read_only)


# --- helpers ---------------------------------------------------------------------------------


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise RefusedInputError(
            f"cannot read file: {error.strerror}", location=Location(source=str(path))
        ) from None


def _named(graph: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(graph)
    except ValueError:
        raise InputError(f"not a valid graph IRI: {graph!r}") from None


def _into_graph(quads: Iterable[ox.Quad], graph: str, source: str) -> list[ox.Quad]:
    target = _named(graph)
    moved = []
    for quad in quads:
        name = quad.graph_name
        if not isinstance(name, ox.DefaultGraph) and name != target:
            raise RefusedInputError(
                f"the data names graph {name} but may only write <{graph}>",
                location=Location(source=source),
            )
        moved.append(ox.Quad(quad.subject, quad.predicate, quad.object, target))
    return moved


def _parse_with_progress(
    path: Path, fmt: RdfFormat | None, source_name: str | None
) -> list[ox.Quad]:
    """Parse a file while a progress bar follows the bytes the parser has consumed."""
    import io

    from tqdm import tqdm

    fmt = fmt or rdfio.format_for_path(path)
    name = source_name or str(path)
    data = path.read_bytes()
    rdfio.preflight(data, fmt, source_name=name, max_depth=rdfio.DEFAULT_MAX_DEPTH)
    bar = tqdm(total=len(data), unit="B", unit_scale=True, desc=path.name, leave=False)
    with bar, bar.wrapattr(io.BytesIO(data), "read") as stream:
        return list(rdfio.iter_parse(stream, fmt, source_name=name))  # type: ignore[arg-type]
