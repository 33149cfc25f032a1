"""The application factory: ``create_app(settings)`` checks the settings, and its lifespan builds
the store, the worker pool, the writer and the vocabulary index (``deps.Services``) that the routes
get through their dependencies.

Two compositions, by ``settings.backend``: the embedded store (queries in workers over snapshots of
it, this process its single writer), or a remote SPARQL engine (``backend=remote``), where this
process keeps no data: queries are scanned here and forwarded, uploads are validated here (in the
workers) and written to the engine in one request, and counts, VoID and the vocabulary index come
from the engine. Any number of such facades can serve one engine.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI

from servicenet_api.deps import Services
from servicenet_api.errors import install_error_handlers
from servicenet_api.routes import (
    context,
    convert,
    datasets,
    graph_store,
    health,
    maps,
    ogc,
    pages,
    queries,
    schema,
    sparql,
    validate,
    vocab,
)
from servicenet_api.uploads import pool_runner
from servicenet_vocab import __version__
from servicenet_vocab.config import Backend, Settings
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.namespaces import ONTOLOGY_GRAPH
from servicenet_vocab.planning.run import warm_answers
from servicenet_vocab.publishing.writer import Checks, Publisher
from servicenet_vocab.sparql.preflight import QueryLimits
from servicenet_vocab.sparql.remote import RemoteQueries
from servicenet_vocab.sparql.request import ResultLimits
from servicenet_vocab.sparql.service import Evaluator, PoolEvaluator, QueryService
from servicenet_vocab.store.embedded import OxigraphStore, open_store
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.store.remote import RemoteStore
from servicenet_vocab.vocabulary import files as vocabulary
from servicenet_vocab.vocabulary.context import context_bytes
from servicenet_vocab.vocabulary.index import Vocabulary
from servicenet_vocab.workers import StoreSource, WorkerPool
from servicenet_vocab.workers.process import touch_store


@dataclass(frozen=True)
class Plan:
    """What the settings resolve to, checked before anything starts."""

    root: Path
    checks: Checks


def create_app(settings: Settings | None = None) -> FastAPI:
    """The facade for ``settings``; a setting it cannot honour is an ``InputError`` here, at
    start-up, naming the setting (never ignored)."""
    settings = settings or Settings()
    plan = plan_for(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        compose = _remote if settings.backend is Backend.REMOTE else _embedded
        async with compose(settings, plan) as services:
            app.state.services = services
            try:
                yield
            finally:
                services.ready = False
                del app.state.services

    app = FastAPI(
        title="servicenet-vocab",
        version=__version__,
        summary="SPARQL facade over the shared vocabularies and city datasets of Finnish "
        "service-network planning.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    for routes in (
        health,
        sparql,
        context,
        graph_store,
        validate,
        convert,
        datasets,
        vocab,
        queries,
        ogc,
        maps,
        pages,
    ):
        app.include_router(routes.router)
    app.include_router(schema.router)  # /schema/: JSON Schema and OpenAPI from the shapes
    return app


def plan_for(settings: Settings) -> Plan:
    if settings.backend is Backend.REMOTE:
        _check_remote(settings)
    root = settings.vocab_dir or vocabulary.project_root()
    if not (root / "ontology").is_dir():
        raise InputError(
            f"{root} has no ontology/ directory",
            location=Location(source=str(root), field="vocab_dir"),
        )
    return Plan(root=root, checks=publish_checks(settings, root))


def _check_remote(settings: Settings) -> None:
    """A remote backend needs its query URL, and an update URL when writes are enabled."""
    if not settings.remote_query_url:
        raise InputError(
            "backend 'remote' needs the engine's SPARQL query URL (SERVICENET_REMOTE_QUERY_URL)",
            location=Location(source="settings", field="remote_query_url"),
        )
    if settings.tokens_file is not None and not settings.remote_update_url:
        raise InputError(
            "writes are enabled (tokens_file) but the engine has no SPARQL update URL "
            "(SERVICENET_REMOTE_UPDATE_URL)",
            location=Location(source="settings", field="remote_update_url"),
        )


def publish_checks(settings: Settings, root: Path) -> Checks:
    """Settings ``publish_shapes`` / ``publish_context``, else the vocabulary's files."""
    shapes = settings.publish_shapes
    if shapes is None:
        shapes = sorted((root / "shapes").glob("*.ttl"))
    context_files = settings.publish_context
    if context_files is None:
        context_files = [f.path for f in vocabulary.vocabulary_files(root, shapes=False)]
    if not shapes:
        raise InputError(
            "no SHACL shapes to validate uploads against",
            location=Location(source=str(root / "shapes"), field="publish_shapes"),
        )
    for name, paths in (("publish_shapes", shapes), ("publish_context", context_files)):
        for path in paths:
            if not path.is_file():
                raise InputError(
                    f"{path} is not a file", location=Location(source=str(path), field=name)
                )
    return Checks(
        shapes=tuple(str(path) for path in shapes),
        context=tuple(str(path) for path in context_files),
    )


@asynccontextmanager
async def _embedded(settings: Settings, plan: Plan) -> AsyncIterator[Services]:
    """The embedded store, written by this process only; workers read snapshots of it."""
    store = open_store(settings.store)
    try:
        if len(store) == 0:
            vocabulary.load_all(store, examples=settings.load_examples, root=plan.root)
        with _worker_pool(settings, store) as pool:  # killed first on shutdown, then the store
            runner = pool_runner(pool)

            def committed(graphs: list[str]) -> None:
                # Each commit goes to the workers' snapshots: queries see writes in commit order.
                pool.publish(store, graphs)

            yield Services(
                settings=settings,
                store=store,
                pool=pool,
                query_service=_query_service(settings, PoolEvaluator(pool, store), store),
                runner=runner,
                checks=plan.checks,
                publisher=Publisher(store, checks=plan.checks, runner=runner, on_commit=committed),
                vocabulary=Vocabulary.from_store(store),
                context=context_bytes(plan.root / "ontology" / "servicenet.ttl"),
            )
    finally:
        store.close()


@asynccontextmanager
async def _remote(settings: Settings, plan: Plan) -> AsyncIterator[Services]:
    """A remote engine holds the data; the workers only parse and validate uploads."""
    store = RemoteStore.from_settings(settings)
    try:
        await to_thread.run_sync(store.wait_until_ready, settings.remote_startup_wait)
        if not await to_thread.run_sync(store.has_graph, ONTOLOGY_GRAPH):
            # An empty engine gets the vocabulary as an empty embedded store does. Each graph is
            # one replace: facades starting together over one engine load the same graphs.
            await to_thread.run_sync(
                lambda: vocabulary.load_all(store, examples=settings.load_examples, root=plan.root)
            )
        index = await to_thread.run_sync(Vocabulary.from_store, store)
        pool = WorkerPool(settings.workers, memory_mb=settings.worker_memory_mb)
        with pool:
            runner = pool_runner(pool)
            evaluator = RemoteQueries(store, grace=settings.remote_grace)
            yield Services(
                settings=settings,
                store=store,
                pool=pool,
                query_service=_query_service(settings, evaluator, store),
                runner=runner,
                checks=plan.checks,
                # No on_commit: there is nothing here to refresh; every facade reads the engine.
                publisher=Publisher(store, checks=plan.checks, runner=runner),
                vocabulary=index,
                context=context_bytes(plan.root / "ontology" / "servicenet.ttl"),
            )
    finally:
        await store.aclose()
        store.close()


@contextmanager
def _worker_pool(settings: Settings, store: OxigraphStore) -> Iterator[WorkerPool]:
    """Workers hold in-memory copies fed by per-graph snapshots this process (the single writer)
    publishes; the publisher calls ``pool.publish(store, [graph])`` after each commit."""
    with tempfile.TemporaryDirectory(prefix="servicenet-snapshots-") as directory:
        pool = WorkerPool(
            settings.workers,
            memory_mb=settings.worker_memory_mb,
            source=StoreSource.snapshot(directory),
            warm_job=warm_answers if settings.warm_answers else touch_store,
        )
        pool.publish(store)
        with pool:  # close() kills busy workers too, so shutdown never waits for a query
            pool.warm()  # the first generation's facts too, not only those after a write
            yield pool


def _query_service(settings: Settings, evaluator: Evaluator, store: Store) -> QueryService:
    limits = QueryLimits(
        max_length=settings.max_query_length,
        max_depth=settings.max_nesting_depth,
        service_allowlist=frozenset(settings.service_allowlist),
    )
    return QueryService(
        evaluator,
        store,
        limits,
        timeout=settings.query_timeout,
        result_limits=ResultLimits(settings.result_limit, settings.result_max_bytes),
    )
