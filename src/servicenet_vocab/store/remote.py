"""A remote SPARQL 1.1 engine (the Oxigraph server, Virtuoso, Fuseki, another servicenet...) behind
the same ``Store`` interface as the embedded pyoxigraph store.

Queries and updates use the SPARQL 1.1 Protocol (form-encoded POST, ``application/sparql-update``);
graph reads use the Graph Store HTTP Protocol when a GSP URL is configured. Every request has a
deadline: a stalled or dead engine is an ``EngineTimeoutError`` / ``EngineUnavailableError``
(``store.errors``), a failing one an ``EngineError`` carrying its message, never a hang. Answers are
parsed with pyoxigraph, so callers get the same ``QueryResult`` as from the embedded store, and
malformed ones are refused. Data sent by ``load`` is parsed locally first (the same safe parser), so
the engine only ever receives well-formed data.

What the protocol leaves to the engine is described by its ``EngineProfile`` (the setting
``remote_engine``): its own per-query timeout parameter, how it is asked for the union default
graph, which of its result serialisations are standard enough to pass through untouched, its own
internal graphs (never listed), and how it says a query ran out of time. Whether one update request
is one transaction belongs to the engine too: it is on the Oxigraph server (measured by
``tests/store/test_remote.py``), not on Virtuoso, which commits each operation of a request on its
own (see docs/deploying.md).

The facade streams user queries through ``stream_query`` / ``astream_query``
(``sparql.remote``), which write the engine's bytes into a sink under a byte limit; the trusted
``query`` here is for the project's own queries.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

import anyio
import httpx
import pyoxigraph as ox

from servicenet_vocab import rdfio
from servicenet_vocab.config import Backend, RemoteAuth, RemoteEngine, Settings
from servicenet_vocab.errors import (
    InputError,
    Location,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultLimitError,
    ServicenetError,
    StoreError,
    query_syntax_error,
)
from servicenet_vocab.formats import FormatKind, ResultFormat, for_media_type
from servicenet_vocab.namespaces import PREFIXES
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store import updates
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.store.errors import EngineError, EngineTimeoutError, EngineUnavailableError
from servicenet_vocab.store.protocol import GraphInfo, QueryResult, Store
from servicenet_vocab.store.updates import iri_text as _iri

__all__ = [
    "PROFILES",
    "EngineAnswer",
    "EngineProfile",
    "RemoteStore",
    "open_configured_store",
    "prologue",
]

USER_AGENT = "servicenet-vocab"
UPDATE = "application/sparql-update"
MESSAGE_CHARS = 300  # of an engine's error body quoted in ours (Virtuoso repeats the whole query)
# Asked of the engine for the project's own queries: whichever form the query has.
_TRUSTED_ACCEPT = f"{ResultFormat.JSON.media_type}, {RdfFormat.NTRIPLES.media_type};q=0.9"
_TRUSTED_MAX_BYTES = 1 << 40  # the project's own queries are not limited


@dataclass(frozen=True)
class EngineProfile:
    """What the SPARQL protocol leaves to the engine, for one engine."""

    engine: RemoteEngine = RemoteEngine.GENERIC
    # The query parameter naming the engine's own per-query time limit, and its unit in seconds.
    timeout_parameter: str | None = None
    timeout_unit: float = 1.0
    # Sent with a query that should see the union of the named graphs as its default graph.
    union_parameters: tuple[tuple[str, str], ...] = ()
    # Result serialisations the engine writes to the standard: their bytes pass through.
    passthrough: frozenset[ResultFormat] = frozenset(
        {ResultFormat.JSON, ResultFormat.XML, ResultFormat.TSV}
    )
    graph_passthrough: frozenset[RdfFormat] = frozenset({RdfFormat.NTRIPLES, RdfFormat.TURTLE})
    # IRI prefixes of the engine's own graphs, which are not the project's data.
    internal_graphs: tuple[str, ...] = ()
    # A header (name, value) on a 200 answer that was cut short by the engine's timeout.
    partial_header: tuple[str, str] | None = None
    # Text in an error answer that means the engine's own time limit stopped the query.
    timeout_texts: tuple[str, ...] = ()
    # Data goes by the Graph Store Protocol (its bulk loader), not in SPARQL update requests.
    gsp_writes: bool = False
    # What the engine puts before blank node labels in JSON and XML results (not a valid label).
    bnode_prefix: str = ""
    # Whether its JSON results say "typed-literal" (the 2007 draft) for a literal with a datatype.
    typed_literal: bool = False

    @property
    def repairs(self) -> bool:
        return bool(self.bnode_prefix) or self.typed_literal

    def is_internal(self, graph: str) -> bool:
        return graph.startswith(self.internal_graphs) if self.internal_graphs else False

    def repair(self, body: bytes, fmt: ResultFormat) -> bytes:
        """Results as the standard writes them: blank node labels without ``bnode_prefix``,
        ``"literal"`` for ``"typed-literal"``. A byte substitution: no re-serialisation."""
        prefix = re.escape(self.bnode_prefix.encode())
        if fmt is ResultFormat.JSON:
            if self.typed_literal:
                body = re.sub(rb'("type"\s*:\s*)"typed-literal"', rb'\1"literal"', body)
            if self.bnode_prefix:
                body = re.sub(
                    rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")' + prefix, rb"\1", body
                )
        elif fmt is ResultFormat.XML and self.bnode_prefix:
            body = re.sub(rb"(<bnode>)" + prefix, rb"\1", body)
        return body


PROFILES: Mapping[RemoteEngine, EngineProfile] = {
    RemoteEngine.GENERIC: EngineProfile(RemoteEngine.GENERIC),
    # The Oxigraph server (`oxigraph serve`): union default graph per request; its --timeout-s is
    # server-wide and does not interrupt aggregates (measured: a COUNT ran 108 s past a 2 s limit).
    RemoteEngine.OXIGRAPH: EngineProfile(
        RemoteEngine.OXIGRAPH, union_parameters=(("union-default-graph", ""),)
    ),
    # Virtuoso 7: `timeout` in milliseconds makes an "anytime" query that answers 200 with partial
    # results and X-SQL-State: S1TAT (refused here: never truncated); its server-wide
    # MaxQueryExecutionTime answers 500 "S1T00 ... SR171: Transaction timed out". Its TSV quotes
    # IRIs as strings, so TSV is re-serialised from JSON. The default graph is the union already.
    # Its SPARQL compiler refuses blank nodes in INSERT DATA and runs out of memory past a few
    # thousand triples in one update (measured: 5,000), so data goes by the Graph Store Protocol
    # (atomic per request: a PUT that fails to parse leaves the old graph); and it commits each
    # operation of an update request on its own. Its results name blank nodes nodeID://b1 and
    # say "typed-literal": both are repaired in the bytes.
    RemoteEngine.VIRTUOSO: EngineProfile(
        RemoteEngine.VIRTUOSO,
        timeout_parameter="timeout",
        timeout_unit=0.001,
        passthrough=frozenset({ResultFormat.JSON, ResultFormat.XML}),
        internal_graphs=(
            "http://www.openlinksw.com/schemas/virtrdf#",
            "http://www.w3.org/ns/ldp#",
            "http://localuriqaserver/",
        ),
        partial_header=("x-sql-state", "S1TAT"),
        timeout_texts=("S1T00", "SR171", "Transaction timed out"),
        gsp_writes=True,
        bnode_prefix="nodeID://",
        typed_literal=True,
    ),
}

_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
# The form of one of the project's own queries: the first keyword after its prologue.
_FORM = re.compile(
    r"^(?:\s|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*(SELECT|ASK|CONSTRUCT|DESCRIBE)",
    re.IGNORECASE,
)


def _accept_for(sparql: str) -> str:
    """Ask for the answer the query has (Virtuoso writes a CONSTRUCT as JSON bindings if let)."""
    found = _FORM.match(sparql)
    if found is None:
        return _TRUSTED_ACCEPT
    if found.group(1).upper() in ("CONSTRUCT", "DESCRIBE"):
        return RdfFormat.NTRIPLES.media_type
    return ResultFormat.JSON.media_type


def prologue(names: Sequence[str] = (), base_iri: str | None = None) -> str:
    """One line declaring the predeclared prefixes ``names`` (and ``BASE``), or ''. One line, so
    an engine's line numbers for the query are off by exactly one."""
    parts = [f"BASE {_iri(base_iri)}"] if base_iri else []
    parts += [f"PREFIX {name}: <{PREFIXES[name]}>" for name in names if name in PREFIXES]
    return " ".join(parts) + "\n" if parts else ""


def _trusted_prologue(sparql: str, base_iri: str | None) -> str:
    """The project's own queries rely on the predeclared prefixes: declare those they do not."""
    declared = {match.group(1) or "" for match in _DECLARED.finditer(sparql)}
    return prologue([name for name in PREFIXES if name not in declared], base_iri)


@dataclass
class EngineAnswer:
    """What the engine answered to a streamed query: its media type and how many bytes."""

    media_type: str
    bytes: int
    headers: dict[str, str] = field(default_factory=dict)


class _Deadline(Exception):
    """The answer did not finish before the request's deadline."""


class RemoteStore:
    """A ``Store`` over HTTP: ``query_url`` (SPARQL Query), optional ``update_url`` (SPARQL Update)
    and ``graph_store_url`` (Graph Store Protocol). Credentials: ``token`` (sent as a bearer
    token) or ``user`` and ``password`` (``auth``: basic or digest). ``timeout`` is the deadline
    of each request but user queries, which bring their own."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: RemoteAuth = RemoteAuth.BASIC,
        timeout: float = 60.0,
        engine: RemoteEngine = RemoteEngine.GENERIC,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.token = token
        self.timeout = timeout
        self.profile = PROFILES[engine]
        self._auth: httpx.Auth | None = None
        if user is not None:
            secret = password or ""
            self._auth = (
                httpx.DigestAuth(user, secret)
                if auth is RemoteAuth.DIGEST
                else httpx.BasicAuth(user, secret)
            )
        self._headers = {"User-Agent": USER_AGENT}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._client: httpx.Client | None = None
        self._async_client: httpx.AsyncClient | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        if not settings.remote_query_url:
            raise InputError(
                "backend 'remote' needs SERVICENET_REMOTE_QUERY_URL",
                location=Location(source="settings", field="remote_query_url"),
            )
        token = settings.remote_token.get_secret_value() if settings.remote_token else None
        password = settings.remote_password.get_secret_value() if settings.remote_password else None
        return cls(
            settings.remote_query_url,
            update_url=settings.remote_update_url,
            graph_store_url=settings.remote_graph_store_url,
            token=token,
            user=settings.remote_user,
            password=password,
            auth=settings.remote_auth,
            timeout=settings.remote_timeout,
            engine=settings.remote_engine,
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, engine={self.profile.engine.value!r})"

    # --- HTTP ---------------------------------------------------------------------------------

    @property
    def client(self) -> httpx.Client:
        if self._client is None:  # one pool of connections per store, shared by threads
            self._client = httpx.Client(auth=self._auth, headers=self._headers)
        return self._client

    @property
    def async_client(self) -> httpx.AsyncClient:
        """For the event loop the facade runs on (created there, closed by ``aclose``)."""
        if self._async_client is None:
            limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)
            self._async_client = httpx.AsyncClient(
                auth=self._auth, headers=self._headers, limits=limits
            )
        return self._async_client

    def _exchange(
        self,
        method: str,
        url: str,
        *,
        what: str,
        deadline: float | None = None,
        sink: IO[bytes] | None = None,
        max_bytes: int | None = None,
        is_query: bool = False,
        user: bool = False,
        shift: int = 0,
        **options: Any,
    ) -> tuple[httpx.Response, bytes]:
        """One request, its whole answer read before ``deadline`` seconds (into ``sink`` if
        given); failures are the engine errors of ``store.errors``."""
        seconds = self.timeout if deadline is None else deadline
        end = time.monotonic() + seconds
        chunks: list[bytes] = []
        try:
            # httpx's timeouts are per read; the deadline is checked as the answer arrives, so
            # a trickling engine is stopped too (within one read timeout past the deadline).
            with self.client.stream(
                method, url, timeout=httpx.Timeout(seconds), **options
            ) as response:
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if response.status_code < 300 and max_bytes is not None and size > max_bytes:
                        raise _too_large(max_bytes)
                    if sink is not None and response.status_code < 300:
                        sink.write(chunk)
                    else:
                        chunks.append(chunk)
                    if time.monotonic() > end:
                        raise _Deadline()
        except (_Deadline, httpx.TimeoutException):
            raise self._late(url, what, seconds, user) from None
        except httpx.HTTPError as error:
            raise _transport_error(error, url, what) from None
        body = b"".join(chunks)
        if response.status_code >= 300:
            raise self._failure(
                response, body, url, what, is_query=is_query, user=user, shift=shift
            )
        return response, body

    @asynccontextmanager
    async def _deadline(
        self, seconds: float, url: str, what: str, user: bool
    ) -> AsyncIterator[None]:
        try:
            with anyio.fail_after(seconds):
                yield
        except TimeoutError:
            raise self._late(url, what, seconds, user) from None

    def _late(self, url: str, what: str, seconds: float, user: bool) -> ServicenetError:
        """Past the deadline: a user's query ran past its time limit (as on the embedded
        store); anything else means the engine did not answer in time."""
        if user:
            return QueryTimeoutError(
                f"the engine did not finish the query within the time limit (waited {seconds:g} s)"
            )
        return EngineTimeoutError(
            f"the engine at {url} did not answer the {what} within {seconds:g} s",
            location=Location(source=url),
        )

    def _failure(
        self,
        response: httpx.Response,
        body: bytes,
        url: str,
        what: str,
        *,
        is_query: bool = False,
        user: bool = False,
        shift: int = 0,
    ) -> ServicenetError:
        """An error answer as one of ours: the engine's own words, trimmed."""
        status = response.status_code
        text = _engine_message(body)
        where = Location(source=url)
        if is_query and any(marker in text for marker in self.profile.timeout_texts):
            if user:
                return QueryTimeoutError(f"the engine stopped the query at its time limit: {text}")
            return EngineTimeoutError(
                f"the engine at {url} stopped the {what} at its time limit: {text}", location=where
            )
        if status in (408, 429, 503):
            return EngineUnavailableError(
                f"the engine at {url} is unavailable (HTTP {status}): {text}", location=where
            )
        if status == 504:
            return EngineTimeoutError(
                f"the engine at {url} timed out (HTTP 504): {text}", location=where
            )
        if is_query and status == 400:
            return _syntax_error(text, shift)
        if status in (401, 403):
            return EngineError(
                f"the engine at {url} refused the facade's credentials for the {what} "
                f"(HTTP {status}); check SERVICENET_REMOTE_USER/PASSWORD/TOKEN",
                location=where,
            )
        if status >= 500:
            return EngineError(
                f"the engine at {url} failed the {what} (HTTP {status}): {text}", location=where
            )
        return EngineError(
            f"the engine at {url} refused the {what} (HTTP {status}): {text}", location=where
        )

    # --- user queries, streamed (sparql.remote) -------------------------------------------------

    def query_form(
        self,
        text: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        union_default_graph: bool = True,
        timeout: float | None = None,
    ) -> list[tuple[str, str]]:
        """The form fields of one query request: the protocol's dataset, and the engine's own
        timeout and union-default-graph parameters."""
        fields = [("query", text)]
        fields += [("default-graph-uri", graph) for graph in default_graph_uris]
        fields += [("named-graph-uri", graph) for graph in named_graph_uris]
        if union_default_graph and not default_graph_uris and not named_graph_uris:
            fields += list(self.profile.union_parameters)
        if timeout is not None and self.profile.timeout_parameter:
            engine_units = max(1, round(timeout / self.profile.timeout_unit))
            fields.append((self.profile.timeout_parameter, str(engine_units)))
        return fields

    def stream_query(
        self,
        fields: list[tuple[str, str]],
        accept: str,
        sink: IO[bytes],
        *,
        deadline: float,
        max_bytes: int,
        shift: int = 0,
        user: bool = True,
    ) -> EngineAnswer:
        """Send a query and write the engine's answer into ``sink`` (blocking); ``user``: an
        untrusted query, whose time limit is the user's (``QueryTimeoutError``)."""
        response, _ = self._exchange(
            "POST",
            self.query_url,
            what="query",
            deadline=deadline,
            sink=sink,
            max_bytes=max_bytes,
            is_query=True,
            user=user,
            shift=shift,
            content=_form(fields),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        return self._answer(response, max_bytes)

    async def astream_query(
        self,
        fields: list[tuple[str, str]],
        accept: str,
        sink: IO[bytes],
        *,
        deadline: float,
        max_bytes: int,
        shift: int = 0,
        user: bool = True,
    ) -> EngineAnswer:
        """``stream_query`` on the event loop; cancelling it closes the engine connection."""
        url = self.query_url
        size = 0
        async with self._deadline(deadline, url, "query", user):
            try:
                request = self.async_client.build_request(
                    "POST",
                    url,
                    content=_form(fields),
                    headers={
                        "Accept": accept,
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                    timeout=httpx.Timeout(deadline),
                )
                response = await self.async_client.send(request, stream=True)
                try:
                    if response.status_code >= 300:
                        body = await response.aread()
                        raise self._failure(
                            response, body, url, "query", is_query=True, user=user, shift=shift
                        )
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise _too_large(max_bytes)
                        sink.write(chunk)
                finally:
                    await response.aclose()
            except httpx.TimeoutException:
                raise self._late(url, "query", deadline, user) from None
            except httpx.HTTPError as error:
                raise _transport_error(error, url, "query") from None
        return self._answer(response, max_bytes, size)

    def _answer(
        self, response: httpx.Response, max_bytes: int, size: int | None = None
    ) -> EngineAnswer:
        headers = {name.lower(): value for name, value in response.headers.items()}
        if self.profile.partial_header is not None:
            name, value = self.profile.partial_header
            if headers.get(name, "").startswith(value):
                detail = headers.get("x-sql-message", "")[:MESSAGE_CHARS]
                raise QueryTimeoutError(
                    f"the engine stopped the query at its time limit (partial results are "
                    f"never sent): {detail}".rstrip(": ")
                )
        media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        length = response.num_bytes_downloaded if size is None else size
        return EngineAnswer(media, length, headers)

    async def aclose(self) -> None:
        if self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = None

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
        """Run one of the project's own queries (trusted: user queries go through
        ``sparql.remote``), with the project's prefixes predeclared as on the embedded store."""
        head = _trusted_prologue(sparql, base_iri)
        fields = self.query_form(
            head + sparql,
            default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris,
            union_default_graph=union_default_graph,
        )
        response, body = self._exchange(
            "POST",
            self.query_url,
            what="query",
            is_query=True,
            shift=head.count("\n"),
            content=_form(fields),
            headers={
                "Accept": _accept_for(sparql),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        self._answer(response, len(body))  # refuses a cut-off answer
        media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return parse_answer(body, media, self.query_url, self.profile)

    async def aquery(self, sparql: str) -> QueryResult:
        """``query`` on the event loop (the pre-flight check of ``FROM`` graphs)."""
        head = _trusted_prologue(sparql, None)
        sink = io.BytesIO()
        answer = await self.astream_query(
            self.query_form(head + sparql),
            _accept_for(sparql),
            sink,
            deadline=self.timeout,
            max_bytes=_TRUSTED_MAX_BYTES,
            shift=head.count("\n"),
            user=False,
        )
        return parse_answer(sink.getvalue(), answer.media_type, self.query_url, self.profile)

    def graphs(self) -> list[GraphInfo]:
        rows = self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        ).rows()
        found = [GraphInfo(row["g"] or "", int(row["n"] or 0)) for row in rows]
        return [info for info in found if not self.profile.is_internal(info.iri)]

    def has_graph(self, graph: str) -> bool:
        return self.query(f"ASK {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}").boolean

    def stored_graphs(self) -> set[str]:
        """The graphs holding data (for the pre-flight check of ``FROM``)."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows()
        return {row["g"] or "" for row in rows}

    def triple_count(self, graph: str | None = None) -> int:
        if graph is None:
            return sum(info.triples for info in self.graphs())
        [row] = self.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"
        ).rows()
        return int(row["n"] or 0)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Read whole at the call (not a generator): the parsed answer belongs to this thread.
        With a Graph Store URL each graph comes as N-Triples (parsed at C speed), else from one
        SELECT."""
        if self.graph_store_url:
            names = [graph] if graph is not None else [info.iri for info in self.graphs()]
            found: list[ox.Quad] = []
            for name in names:
                if graph is not None and not self.has_graph(name):
                    return iter(())
                target = ox.NamedNode(name)
                data = self._gsp_get(name)
                found += [ox.Quad(t.subject, t.predicate, t.object, target) for t in _triples(data)]
            return iter(found)
        values = f"VALUES ?g {{ {_iri(graph)} }} " if graph else ""
        result = self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {values}GRAPH ?g {{ ?s ?p ?o }} }}")
        found = [
            ox.Quad(row["s"], row["p"], row["o"], row["g"])  # type: ignore[arg-type]
            for row in result.terms()
            if graph is not None
            or not (isinstance(row["g"], ox.NamedNode) and self.profile.is_internal(row["g"].value))
        ]
        del result
        return iter(found)

    def dump(self, fmt: RdfFormat, *, graph: str | None = None) -> bytes:
        """One graph (GSP GET, or CONSTRUCT without GSP) or the whole dataset (N-Quads, TriG)."""
        if graph is None:
            if not fmt.is_dataset:
                raise InputError("the whole store can only be dumped as N-Quads or TriG")
            return rdfio.serialize(self.quads(), fmt)
        if not self.has_graph(graph):
            raise NotFoundError(f"no graph <{graph}> in the remote store")
        if fmt.is_dataset:
            return rdfio.serialize(self.quads(graph), fmt)
        if self.graph_store_url:
            data = self._gsp_get(graph)
            return (
                data if fmt is RdfFormat.NTRIPLES else _reserialize(data, fmt, self.graph_store_url)
            )
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"
        return self.query(construct).serialize(fmt)

    def _gsp_get(self, graph: str) -> bytes:
        """A graph as N-Triples through the Graph Store Protocol, checked by parsing it."""
        assert self.graph_store_url is not None
        try:
            response, body = self._exchange(
                "GET",
                self.graph_store_url,
                what="graph read",
                params={"graph": graph},
                headers={"Accept": RdfFormat.NTRIPLES.media_type},
            )
        except EngineError as error:
            if "HTTP 404" in error.message:
                raise NotFoundError(f"no graph <{graph}> in the remote store") from None
            raise
        media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        fmt = _rdf_media(media, self.graph_store_url)
        if fmt is RdfFormat.NTRIPLES:
            _check_rdf(body, fmt, self.graph_store_url)
            return body
        return _reserialize(body, RdfFormat.NTRIPLES, self.graph_store_url, source=fmt)

    # --- writes -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """One update request; the engine decides whether it is one transaction (the Oxigraph
        server: yes; Virtuoso: one per operation)."""
        if not self.update_url:
            raise StoreError("no SPARQL Update URL is configured for the remote engine")
        self._exchange(
            "POST",
            self.update_url,
            what="update",
            content=sparql.encode("utf-8"),
            headers={"Content-Type": f"{UPDATE}; charset=utf-8"},
        )

    def write_graph(self, graph: str, statements: str, *, replace: bool, then: str = "") -> None:
        """The data and ``then`` in one update request; on an engine whose updates cannot carry
        the data (``gsp_writes``), a Graph Store PUT/POST of it, then ``then``."""
        if self._by_gsp():
            self._gsp_send("PUT" if replace else "POST", graph, statements.encode("utf-8"))
            if then:
                self.update(then)
            return
        sparql = updates.graph_update(graph, statements, replace=replace, then=then)
        if sparql:
            self.update(sparql)

    def drop_graph(self, graph: str, *, then: str = "") -> None:
        if self._by_gsp():
            self._exchange("DELETE", self._gsp_url(), what="graph DELETE", params={"graph": graph})
            if then:
                self.update(then)
            return
        self.update(updates.drop_graph_update(graph, then=then))

    def _by_gsp(self) -> bool:
        return bool(self.graph_store_url) and (self.profile.gsp_writes or not self.update_url)

    def _gsp_url(self) -> str:
        if not self.graph_store_url:
            raise StoreError("no Graph Store Protocol URL is configured for the remote engine")
        return self.graph_store_url

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
        if self._by_gsp() or not self.update_url:
            self._gsp_url()  # refuses a store with neither endpoint
            if quads or replace:
                self._gsp_send(
                    "PUT" if replace else "POST",
                    graph,
                    rdfio.serialize(quads, RdfFormat.NTRIPLES),
                )
        else:
            sparql = updates.graph_update(graph, quads, replace=replace)
            if sparql:  # an add of nothing sends nothing
                self.update(sparql)
        return len(quads)

    def _gsp_send(self, method: str, graph: str, ntriples: bytes) -> None:
        self._exchange(
            method,
            self._gsp_url(),
            what=f"graph {method}",
            params={"graph": graph},
            content=ntriples,
            headers={"Content-Type": f"{RdfFormat.NTRIPLES.media_type}; charset=utf-8"},
        )

    def clear_graph(self, graph: str) -> int:
        if not self.has_graph(graph):
            raise NotFoundError(f"no graph <{graph}> in the remote store")
        count = self.triple_count(graph)
        self.drop_graph(graph)
        return count

    def wait_until_ready(self, seconds: float) -> None:
        """Poll the engine until it answers a query, for up to ``seconds``; the last failure
        otherwise (a facade starting beside its engine)."""
        end = time.monotonic() + seconds
        while True:
            try:
                self.query("ASK {}")
                return
            except (EngineUnavailableError, EngineTimeoutError):
                if time.monotonic() >= end:
                    raise
            time.sleep(0.2)  # the polling interval

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def open_configured_store(settings: Settings, *, token: str | None = None) -> Store:
    """The store ``settings.backend`` names: embedded pyoxigraph or a remote engine (``token``
    overrides ``remote_token``)."""
    if settings.backend is Backend.REMOTE:
        store = RemoteStore.from_settings(settings)
        if token is not None:
            store.token = token
            store._headers["Authorization"] = f"Bearer {token}"
        return store
    return open_store(settings.store)


# --- answers ------------------------------------------------------------------------------------


def parse_answer(
    body: bytes, media: str, url: str, profile: EngineProfile | None = None
) -> QueryResult:
    """A trusted query's answer (JSON results or an RDF graph) as a ``QueryResult``; anything
    that does not parse is the engine's fault (``EngineError``)."""
    try:
        kind = for_media_type(media, FormatKind.RESULTS).fmt
    except ServicenetError:
        kind = None
    if isinstance(kind, ResultFormat):
        if kind is ResultFormat.CSV:
            raise _malformed(url, media, "CSV results cannot be read back")
        body = profile.repair(body, kind) if profile else body
        # Read once whole: a malformed row must fail here, not in the caller's loop.
        problem = _problem(lambda: _drain(ox.parse_query_results(body, kind.engine)))
        if problem:
            raise _malformed(url, media, problem)
        return QueryResult(ox.parse_query_results(body, kind.engine))
    fmt = _rdf_media(media, url)
    return _graph_result(body, fmt, url)


def _problem(check: Callable[[], object]) -> str | None:
    """What is wrong with an answer, as text. pyoxigraph's parsers belong to the thread that
    made them: an exception carrying them (in its traceback) must not reach another thread."""
    try:
        check()
    except (SyntaxError, ValueError) as error:
        return str(error)
    return None


def _drain(parsed: object) -> None:
    if isinstance(parsed, ox.QuerySolutions | ox.QuadParser):
        for _ in parsed:
            pass


def _graph_result(data: bytes, fmt: RdfFormat, url: str) -> QueryResult:
    """A CONSTRUCT/DESCRIBE answer as a ``QueryResult``: the triples go through a scratch store,
    whose own CONSTRUCT yields the engine's graph-result type."""
    scratch = ox.Store()
    problem = _problem(lambda: scratch.load(data, fmt.engine, to_graph=ox.DefaultGraph()))
    if problem:
        raise _malformed(url, fmt.media_type, problem)
    return QueryResult(scratch.query("CONSTRUCT WHERE { ?s ?p ?o }"))


def _rdf_media(media: str, url: str) -> RdfFormat:
    try:
        return for_media_type(media or "none", FormatKind.RDF).rdf
    except ServicenetError:
        raise EngineError(
            f"the engine at {url} answered media type {media or '(none)'}, which is not a "
            "SPARQL result or RDF format",
            location=Location(source=url),
        ) from None


def _triples(ntriples: bytes) -> list[ox.Quad]:
    """The store's own N-Triples, already checked by ``_gsp_get``."""
    return list(ox.parse(ntriples, ox.RdfFormat.N_TRIPLES))


def _check_rdf(data: bytes, fmt: RdfFormat, url: str) -> None:
    problem = _problem(lambda: _drain(ox.parse(data, fmt.engine)))
    if problem:
        raise _malformed(url, fmt.media_type, problem)


def _reserialize(
    data: bytes, fmt: RdfFormat, url: str, *, source: RdfFormat = RdfFormat.NTRIPLES
) -> bytes:
    triples: list[ox.Quad] = []
    problem = _problem(lambda: triples.extend(ox.parse(data, source.engine)))
    if problem:
        raise _malformed(url, source.media_type, problem)
    return rdfio.serialize(triples, fmt)


def _malformed(url: str, media: str, problem: str) -> EngineError:
    return EngineError(
        f"the engine at {url} sent malformed {media}: {problem[:MESSAGE_CHARS]}",
        location=Location(source=url),
    )


def _too_large(limit: int) -> ResultLimitError:
    return ResultLimitError(
        f"the result is larger than the limit of {limit:,} bytes; "
        "narrow the query or page through it with LIMIT and OFFSET"
    )


def _transport_error(error: httpx.HTTPError, url: str, what: str) -> EngineError:
    where = Location(source=url)
    reason = str(error) or type(error).__name__
    if isinstance(error, httpx.ConnectError):
        return EngineUnavailableError(f"cannot reach the engine at {url}: {reason}", location=where)
    if isinstance(error, httpx.TransportError):
        return EngineUnavailableError(
            f"the connection to the engine at {url} was lost during the {what}: {reason}",
            location=where,
        )
    return EngineError(f"the {what} to the engine at {url} failed: {reason}", location=where)


def _engine_message(body: bytes) -> str:
    """The engine's error text: its first non-empty lines, trimmed (Virtuoso appends the query)."""
    text = body.decode("utf-8", "replace")
    text = text.split("\nSPARQL query:", 1)[0]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = " ".join(lines)
    return joined[:MESSAGE_CHARS] + ("..." if len(joined) > MESSAGE_CHARS else "")


_VIRTUOSO_LINE = re.compile(r"\bline (\d+):")
_OXIGRAPH_AT = re.compile(r"error at \d+:\d+")


def _syntax_error(text: str, shift: int) -> QuerySyntaxError:
    """The engine's syntax error, located where it says (the prologue's lines taken off)."""
    if _OXIGRAPH_AT.search(text):  # Oxigraph's "error at L:C: ..." (as pyoxigraph's)
        error = query_syntax_error(SyntaxError(text))
        location = error.location
        if location is not None and location.line is not None:
            line = max(1, location.line - shift)
            location = Location(source="query", line=line, column=location.column)
        return QuerySyntaxError(error.message, location=location)
    found = _VIRTUOSO_LINE.search(text)
    at = max(1, int(found.group(1)) - shift) if found else None
    return QuerySyntaxError(text, location=Location(source="query", line=at))


def _form(fields: list[tuple[str, str]]) -> bytes:
    return urlencode(fields).encode("ascii")
