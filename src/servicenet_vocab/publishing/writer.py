"""The write path of municipality graphs: parse, validate what the graph will hold, apply atomically.

    upload bytes --(worker process)--> prepare(): rdfio.parse (pre-flight scan, pyoxigraph),
        refuse other graphs, build the graph after the write, SHACL-validate it
    --(API process, one writer per graph)--> one SPARQL update: the data and its provenance record,
        committed and flushed together, then acknowledged

``prepare`` is a plain function of picklable arguments (bytes, format, graph IRI, the current graph
as N-Triples), so the facade runs it in its worker pool, where a crash or runaway costs one request
and never the server. ``Publisher`` is the single writer: a lock per graph serialises
read-validate-write cycles (the on-disk store loses concurrent read-modify-write updates otherwise),
and the store's own lock serialises the commits.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from servicenet_vocab import rdfio
from servicenet_vocab.errors import (
    InputError,
    Location,
    NotFoundError,
    PayloadTooLargeError,
    RefusedInputError,
)
from servicenet_vocab.namespaces import SYSTEM_GRAPH, municipality_of_graph
from servicenet_vocab.publishing import provenance
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store import updates
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.store.errors import EngineError
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.validation import (
    Severity,
    ValidationReport,
    validate_quads,
    validate_store_graph,
)
from servicenet_vocab.vocabulary.context import CONTEXT_IRI, parse_jsonld

__all__ = [
    "Checks",
    "Outcome",
    "Prepared",
    "Publisher",
    "Upload",
    "check_size",
    "parse_upload",
    "prepare",
    "prepare_job",
    "run_inline",
    "validate_job",
    "validate_upload",
]


@dataclass(frozen=True)
class Upload:
    """An uploaded dataset, addressed to one named graph."""

    data: bytes
    fmt: RdfFormat
    graph: str
    source_name: str = "upload"


@dataclass(frozen=True)
class Checks:
    """What an upload is validated against: shapes and context files (None: the project's)."""

    shapes: tuple[str, ...] | None = None
    context: tuple[str, ...] | None = None
    lang: str = "en"

    def with_lang(self, lang: str) -> Checks:
        return Checks(self.shapes, self.context, lang)


@dataclass(frozen=True)
class Prepared:
    """What a worker hands back: the report, and the upload as SPARQL-ready triples."""

    report: ValidationReport
    body: str
    uploaded: int
    triples_after: int


@dataclass(frozen=True)
class Outcome:
    """An accepted write (refused ones raise, or come back with ``accepted=False``)."""

    accepted: bool
    created: bool
    report: ValidationReport
    uploaded: int = 0
    triples_after: int = 0
    activity: str | None = None


# runner(job, *args) runs job(context, *args): the facade's worker pool (``WorkerPool.call``)
# in the server, ``run_inline`` in the CLI and in tests of the library alone.
Runner = Callable[..., Any]


def run_inline(job: Callable[..., Any], *args: Any) -> Any:
    return job(None, *args)


def check_size(size: int, limit: int, source: str = "upload") -> None:
    if size > limit:
        raise PayloadTooLargeError(
            f"the upload is {size} bytes; the limit is {limit}", location=Location(source=source)
        )


# --- worker side: plain functions of picklable arguments -------------------------------------


_SERVED_CONTEXT = re.compile(rb'"@context"\s*:\s*"' + re.escape(CONTEXT_IRI.encode()) + rb'"')


def parse_upload(upload: Upload) -> list[ox.Quad]:
    """Parse untrusted bytes into distinct default-graph quads, with fresh blank nodes.

    A dataset (TriG, N-Quads) may use the default graph or the target graph; naming any other
    graph refuses the whole upload. Blank nodes are renamed so two uploads never share one.
    Only the quads that need it are rebuilt: a city-sized upload is mostly plain IRIs and literals.
    """
    if upload.fmt is RdfFormat.JSONLD and _SERVED_CONTEXT.search(upload.data):
        # Plain JSON naming the served context: our copy is inlined (never fetched); the depth
        # check comes first because the inliner reads the JSON before the parser's pre-flight.
        rdfio.check_depth(upload.data, upload.fmt, upload.source_name)
        quads = parse_jsonld(upload.data, source=upload.source_name)
    else:
        quads = rdfio.parse(upload.data, upload.fmt, source_name=upload.source_name)
    target = ox.NamedNode(upload.graph)
    fresh: dict[str, ox.BlankNode] = {}
    prefix = uuid.uuid4().hex[:12]

    def renamed(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode(f"u{prefix}{len(fresh)}"))
        return term

    for index, quad in enumerate(quads):
        if isinstance(quad.object, ox.Triple):
            raise RefusedInputError(
                "RDF 1.2 triple terms (<<( ... )>>) are not accepted in municipality graphs",
                location=Location(source=upload.source_name),
            )
        name = quad.graph_name
        blank = isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
        if isinstance(name, ox.DefaultGraph) and not blank:
            continue
        if not isinstance(name, ox.DefaultGraph) and name != target:
            raise RefusedInputError(
                f"the upload names graph {name}; it may only write <{upload.graph}>",
                location=Location(source=upload.source_name),
            )
        quads[index] = ox.Quad(renamed(quad.subject), quad.predicate, renamed(quad.object))
    return list(dict.fromkeys(quads))


def prepare_job(
    _context: object, upload: Upload, current: bytes | None, checks: Checks
) -> Prepared:
    """``prepare`` as a worker-pool job (the pool passes its worker context first)."""
    return prepare(upload, current, checks)


def validate_job(_context: object, upload: Upload, checks: Checks) -> ValidationReport:
    """``validate_upload`` as a worker-pool job."""
    return validate_upload(upload, checks)


def validate_upload(upload: Upload, checks: Checks) -> ValidationReport:
    """Parse and validate an upload on its own, storing nothing (``POST /validate``)."""
    return _validate(parse_upload(upload), None, upload.graph, checks)


def prepare(upload: Upload, current: bytes | None, checks: Checks) -> Prepared:
    """Parse the upload and validate the graph as it will be after the write.

    ``current``: the graph's present content as N-Triples for an add (POST), None for a replace.
    """
    quads = parse_upload(upload)
    report = _validate(quads, current, upload.graph, checks)
    if current:
        # The store's own N-Triples: trusted and flat, no pre-flight scan needed.
        existing = ox.parse(current, ox.RdfFormat.N_TRIPLES)
        after = len({*existing, *quads})
    else:
        after = len(quads)
    body = updates.statements(quads)
    return Prepared(report=report, body=body, uploaded=len(quads), triples_after=after)


def _validate(
    quads: list[ox.Quad], current: bytes | None, graph: str, checks: Checks
) -> ValidationReport:
    shapes = _paths(checks.shapes)
    context = _paths(checks.context)
    if not current:
        return validate_quads(quads, shapes, lang=checks.lang, context=context)
    # The stored part reads back with normalised literals; validate it as stored data.
    scratch = open_store("memory")
    scratch.load(current, RdfFormat.NTRIPLES, graph=graph)
    return validate_store_graph(
        scratch, graph, shapes, extra=quads, lang=checks.lang, context=context
    )


def _paths(files: tuple[str, ...] | None) -> list[Path] | None:
    return None if files is None else [Path(f) for f in files]


# --- API side: the single writer -------------------------------------------------------------


@dataclass
class Publisher:
    """Applies validated writes to municipality graphs, one at a time per graph."""

    store: Store
    checks: Checks = field(default_factory=Checks)
    runner: Runner = run_inline
    # Called with the changed graphs after each commit, still under the graph's lock (the facade
    # publishes worker snapshots with it, so queries see writes in commit order).
    on_commit: Callable[[list[str]], None] | None = None
    _locks: dict[str, threading.Lock] = field(default_factory=dict, init=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False)

    def lock_for(self, graph: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(graph, threading.Lock())

    def publish(
        self, upload: Upload, *, replace: bool, agent: str, lang: str | None = None
    ) -> Outcome:
        """Validate and apply a PUT (``replace``) or POST; a non-conforming result changes
        nothing and comes back with ``accepted=False`` and the report."""
        _require_municipality(upload.graph)
        checks = self.checks.with_lang(lang) if lang else self.checks
        started = datetime.now(UTC)
        prepared: Prepared | None = None
        if replace:  # a replace does not depend on the current content: validate unlocked
            prepared = self.runner(prepare_job, upload, None, checks)
        with self.lock_for(upload.graph):
            existed = self.store.has_graph(upload.graph)
            if prepared is None:
                current = (
                    self.store.dump(RdfFormat.NTRIPLES, graph=upload.graph) if existed else None
                )
                prepared = self.runner(prepare_job, upload, current, checks)
            report = prepared.report
            if report.fails(Severity.VIOLATION):
                return Outcome(accepted=False, created=False, report=report)
            record = provenance.WriteRecord(
                graph=upload.graph,
                method="PUT" if replace else "POST",
                agent=agent,
                started=started,
                ended=datetime.now(UTC),
                uploaded=prepared.uploaded,
                triples_after=prepared.triples_after,
                conforms=report.conforms,
                warnings=report.count(Severity.WARNING),
                infos=report.count(Severity.INFO),
            )
            activity = provenance.new_activity_iri()
            then = provenance.record_update(record, activity)
            self._apply(
                lambda: self.store.write_graph(
                    upload.graph, prepared.body, replace=replace, then=then
                ),
                activity,
            )
            self._committed(upload.graph)
        return Outcome(
            accepted=True,
            created=not existed,
            report=report,
            uploaded=prepared.uploaded,
            triples_after=prepared.triples_after,
            activity=activity,
        )

    def delete(self, graph: str, *, agent: str) -> int:
        """Drop a municipality graph and record who did; ``NotFoundError`` when it is missing."""
        _require_municipality(graph)
        started = datetime.now(UTC)
        with self.lock_for(graph):
            if not self.store.has_graph(graph):
                raise NotFoundError(f"no graph <{graph}> in the store")
            count = self.store.triple_count(graph)
            record = provenance.WriteRecord(
                graph=graph,
                method="DELETE",
                agent=agent,
                started=started,
                ended=datetime.now(UTC),
                uploaded=0,
                triples_after=0,
            )
            activity = provenance.new_activity_iri()
            then = provenance.record_update(record, activity)
            self._apply(lambda: self.store.drop_graph(graph, then=then), activity)
            self._committed(graph)
        return count

    def _apply(self, write: Callable[[], None], activity: str) -> None:
        """Send the write (the data, then its record). When a remote engine's answer is lost (a
        cut connection, a deadline), the write may still have been applied: the activity's record,
        written last, says which, so the caller learns the truth, not a guess."""
        try:
            write()
        except EngineError as error:
            try:
                applied = self._recorded(activity)
            except EngineError:
                raise error from None
            if applied:
                return
            raise type(error)(
                f"{error.message}; the write was not applied (read back: its provenance record, "
                "written in the same request, is not on the engine)",
                location=error.location,
            ) from None

    def _recorded(self, activity: str) -> bool:
        ask = f"ASK {{ GRAPH {updates.iri_text(SYSTEM_GRAPH)} {{ {updates.iri_text(activity)} ?p ?o }} }}"
        return self.store.query(ask).boolean

    def _committed(self, graph: str) -> None:
        if self.on_commit is not None:
            self.on_commit([graph, SYSTEM_GRAPH])


def _require_municipality(graph: str) -> None:
    if municipality_of_graph(graph) is None:
        raise InputError(f"only municipality graphs can be written, not <{graph}>")
