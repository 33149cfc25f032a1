"""The application factory: ``create_app(settings)`` wires the store, the routes and the error table."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from fastapi import FastAPI

from servicenet_api.errors import install_error_handlers
from servicenet_api.routes import (
    context,
    datasets,
    graph_store,
    health,
    pages,
    queries,
    sparql,
    validate,
    vocab,
)
from servicenet_vocab import __version__
from servicenet_vocab.config import Settings
from servicenet_vocab.sparql.preflight import QueryLimits
from servicenet_vocab.sparql.request import ResultLimits
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.embedded import OxigraphStore, open_store
from servicenet_vocab.vocabulary import files as vocabulary
from servicenet_vocab.workers import StoreSource, WorkerPool


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings.store)
        app.state.store = store
        app.state.ready = False
        if len(store) == 0:
            _load_initial_content(store, settings)
        try:
            with _worker_pool(settings, store) as pool:  # killed first on shutdown, then the store
                app.state.pool = pool
                app.state.query_service = _query_service(settings, store, pool)
                app.state.ready = True
                try:
                    yield
                finally:
                    app.state.ready = False
        finally:
            store.close()

    app = FastAPI(
        title="servicenet-vocab",
        version=__version__,
        summary="SPARQL facade over the shared vocabularies and city datasets of Finnish "
        "service-network planning.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for routes in (health, sparql, context, graph_store, validate, datasets, vocab, queries, pages):
        app.include_router(routes.router)
    return app


def _load_initial_content(store: OxigraphStore, settings: Settings) -> None:
    """Load the vocabulary graphs and (optionally) the example city datasets into an empty store."""
    vocabulary.load_all(store, examples=settings.load_examples)


@contextmanager
def _worker_pool(settings: Settings, store: OxigraphStore) -> Iterator[WorkerPool]:
    """Workers hold in-memory copies fed by per-graph snapshots this process (the single writer)
    publishes; writers call ``app.state.pool.publish(store, [graph])`` after each commit."""
    with tempfile.TemporaryDirectory(prefix="servicenet-snapshots-") as directory:
        pool = WorkerPool(
            settings.workers,
            memory_mb=settings.worker_memory_mb,
            source=StoreSource.snapshot(directory),
        )
        pool.publish(store)
        with pool:  # close() kills busy workers too, so shutdown never waits for a query
            yield pool


def _query_service(settings: Settings, store: OxigraphStore, pool: WorkerPool) -> QueryService:
    limits = QueryLimits(
        max_length=settings.max_query_length,
        max_depth=settings.max_nesting_depth,
        service_allowlist=frozenset(settings.service_allowlist),
    )
    return QueryService(
        pool,
        store,
        limits,
        timeout=settings.query_timeout,
        result_limits=ResultLimits(settings.result_limit, settings.result_max_bytes),
    )
