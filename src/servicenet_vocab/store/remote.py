"""A remote SPARQL 1.1 engine (Fuseki, GraphDB, Virtuoso, QLever, another servicenet...) behind the
same ``Store`` interface as the embedded pyoxigraph store.

Queries and updates go through SPARQLWrapper (Query and Update protocols); graph reads and writes use
the Graph Store HTTP Protocol when a GSP URL is configured. Results come back as standard SPARQL
JSON results or N-Triples and are parsed with pyoxigraph, so callers get the same ``QueryResult``
as from the embedded store. Data sent by ``load`` is parsed locally first (the same safe parser), so
the remote engine only ever receives well-formed N-Triples.

Differences worth knowing: which graph a query's default graph is (the union of named graphs here;
the engine's configuration there) and whether one update request is one transaction (it is on
Fuseki/TDB2, GraphDB and Oxigraph) belong to the remote engine.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from servicenet_vocab import rdfio
from servicenet_vocab.config import Backend, Settings
from servicenet_vocab.errors import (
    InputError,
    Location,
    NotFoundError,
    QuerySyntaxError,
    StoreError,
)
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store import updates
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.store.protocol import GraphInfo, QueryResult, Store
from servicenet_vocab.store.updates import iri_text as _iri

__all__ = ["RemoteStore", "open_configured_store"]

USER_AGENT = "servicenet-vocab (SPARQLWrapper)"


class RemoteStore:
    """A ``Store`` over HTTP: ``query_url`` (SPARQL Query), optional ``update_url`` (SPARQL Update)
    and ``graph_store_url`` (Graph Store Protocol); ``token`` is sent as a bearer token."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.token = token
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    # --- the protocols ------------------------------------------------------------------------

    def _wrapper(self, url: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url, agent=USER_AGENT)
        wrapper.setTimeout(int(self.timeout))
        wrapper.setMethod(POST)
        if self.token:
            wrapper.addCustomHttpHeader("Authorization", f"Bearer {self.token}")
        return wrapper

    def _run(self, wrapper: SPARQLWrapper) -> bytes:
        try:
            response = wrapper.query().response
            data: bytes = response.read()
            return data
        except QueryBadFormed as error:
            raise QuerySyntaxError(_first_line(error), location=Location(source="query")) from None
        except SPARQLWrapperException as error:
            raise StoreError(
                f"the remote engine refused the request: {_first_line(error)}",
                location=Location(source=wrapper.endpoint),
            ) from None
        except (urllib.error.URLError, OSError) as error:
            raise StoreError(
                f"cannot reach the remote engine: {getattr(error, 'reason', error)}",
                location=Location(source=wrapper.endpoint),
            ) from None

    def _gsp(
        self, method: str, graph: str, *, body: bytes | None = None, accept: str | None = None
    ) -> tuple[int, bytes]:
        if not self.graph_store_url:
            raise StoreError("no Graph Store Protocol URL is configured for the remote engine")
        url = f"{self.graph_store_url}?{urlencode({'graph': graph})}"
        headers = {"User-Agent": USER_AGENT}
        if accept:
            headers["Accept"] = accept
        if body is not None:
            headers["Content-Type"] = RdfFormat.NTRIPLES.media_type
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:300].decode("utf-8", "replace")
            if error.code == 404:
                raise NotFoundError(f"no graph <{graph}> in the remote store") from None
            raise StoreError(
                f"{method} <{graph}> failed: HTTP {error.code} {detail}",
                location=Location(source=url),
            ) from None
        except (urllib.error.URLError, OSError) as error:
            raise StoreError(
                f"cannot reach the remote engine: {getattr(error, 'reason', error)}",
                location=Location(source=url),
            ) from None

    # --- reads --------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        union_default_graph: bool = True,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a query remotely; the engine decides what the default graph is unless given."""
        wrapper = self._wrapper(self.query_url)
        wrapper.setQuery(f"BASE {_iri(base_iri)}\n{sparql}" if base_iri else sparql)
        for graph in default_graph_uris:
            wrapper.addDefaultGraph(graph)
        for graph in named_graph_uris:
            wrapper.addNamedGraph(graph)
        if wrapper.queryType in ("CONSTRUCT", "DESCRIBE"):
            wrapper.addCustomHttpHeader("Accept", RdfFormat.NTRIPLES.media_type)
            return _graph_result(self._run(wrapper))
        wrapper.setReturnFormat(JSON)
        raw = ox.parse_query_results(self._run(wrapper), ox.QueryResultsFormat.JSON)
        return QueryResult(raw)

    def graphs(self) -> list[GraphInfo]:
        rows = self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        ).rows()
        return [GraphInfo(row["g"] or "", int(row["n"] or 0)) for row in rows]

    def has_graph(self, graph: str) -> bool:
        return self.query(f"ASK {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}").boolean

    def triple_count(self, graph: str | None = None) -> int:
        where = f"GRAPH {_iri(graph)}" if graph else "GRAPH ?g"
        [row] = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} {{ ?s ?p ?o }} }}").rows()
        return int(row["n"] or 0)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        values = f"VALUES ?g {{ {_iri(graph)} }} " if graph else ""
        result = self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {values}GRAPH ?g {{ ?s ?p ?o }} }}")
        for row in result.terms():
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])  # type: ignore[arg-type]

    def dump(self, fmt: RdfFormat, *, graph: str | None = None) -> bytes:
        """One graph (GSP GET, or CONSTRUCT without GSP) or the whole dataset (N-Quads, TriG)."""
        if graph is None:
            if not fmt.is_dataset:
                raise InputError("the whole store can only be dumped as N-Quads or TriG")
            return rdfio.serialize(self.quads(), fmt)
        if self.graph_store_url and not fmt.is_dataset:
            return self._gsp("GET", graph, accept=fmt.media_type)[1]
        if not self.has_graph(graph):
            raise NotFoundError(f"no graph <{graph}> in the remote store")
        if fmt.is_dataset:
            return rdfio.serialize(self.quads(graph), fmt)
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"
        return self.query(construct).serialize(fmt)

    # --- writes -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        if not self.update_url:
            raise StoreError("no SPARQL Update URL is configured for the remote engine")
        wrapper = self._wrapper(self.update_url)
        wrapper.setRequestMethod(POSTDIRECTLY)
        wrapper.setQuery(sparql)
        self._run(wrapper)

    def load(
        self,
        source: str | Path | bytes,
        fmt: RdfFormat | None = None,
        *,
        graph: str | None,
        replace: bool = False,
        source_name: str | None = None,
        base_iri: str | None = None,
    ) -> int:
        """Parse locally (located errors, nothing sent on failure), then write one graph."""
        if graph is None:
            raise InputError("name the target graph for a remote load")
        quads = rdfio.parse(source, fmt, source_name=source_name, base_iri=base_iri)
        target = ox.NamedNode(graph)
        for quad in quads:
            if not isinstance(quad.graph_name, ox.DefaultGraph) and quad.graph_name != target:
                raise InputError(
                    f"the data names graph {quad.graph_name} but may only write <{graph}>",
                    location=Location(source=source_name or "input"),
                )
        moved = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
        return self.add_quads(moved, graph=graph, replace=replace)

    def add_quads(self, quads: Sequence[ox.Quad], *, graph: str, replace: bool = False) -> int:
        """One request: an update (``updates.graph_update``) or, without an update URL, GSP
        PUT/POST."""
        target = ox.NamedNode(graph)
        if any(q.graph_name != target for q in quads):
            raise InputError(f"every quad must be in graph <{graph}>")
        if self.update_url:
            sparql = updates.graph_update(graph, quads, replace=replace)
            if sparql:  # an add of nothing sends nothing
                self.update(sparql)
        else:
            data = rdfio.serialize(quads, RdfFormat.NTRIPLES)
            self._gsp("PUT" if replace else "POST", graph, body=data)
        return len(quads)

    def clear_graph(self, graph: str) -> int:
        if not self.has_graph(graph):
            raise NotFoundError(f"no graph <{graph}> in the remote store")
        count = self.triple_count(graph)
        if self.update_url:
            self.update(updates.drop_graph_update(graph))
        else:
            self._gsp("DELETE", graph)
        return count

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""


def open_configured_store(settings: Settings, *, token: str | None = None) -> Store:
    """The store ``settings.backend`` names: embedded pyoxigraph or a remote engine."""
    if settings.backend is Backend.REMOTE:
        if not settings.remote_query_url:
            raise InputError("backend 'remote' needs SERVICENET_REMOTE_QUERY_URL")
        return RemoteStore(
            settings.remote_query_url,
            update_url=settings.remote_update_url,
            graph_store_url=settings.remote_graph_store_url,
            token=token,
            timeout=settings.query_timeout,
        )
    return open_store(settings.store)


def _graph_result(ntriples: bytes) -> QueryResult:
    """A CONSTRUCT/DESCRIBE answer as a ``QueryResult``: the triples go through a scratch store,
    whose own CONSTRUCT yields the engine's graph-result type."""
    scratch = ox.Store()
    try:
        scratch.load(ntriples, ox.RdfFormat.N_TRIPLES)
    except SyntaxError as error:
        raise StoreError(f"the remote engine sent invalid N-Triples: {error}") from None
    return QueryResult(scratch.query("CONSTRUCT WHERE { ?s ?p ?o }"))


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
