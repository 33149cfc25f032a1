"""The application factory: ``create_app(settings)`` wires the store, the routes and the error table."""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from servicenet_api.errors import install_error_handlers
from servicenet_api.routes import health
from servicenet_vocab import __version__
from servicenet_vocab.config import Settings
from servicenet_vocab.store import OxigraphStore, open_store

log = logging.getLogger("servicenet_api")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings.store)
        app.state.store = store
        app.state.ready = False
        if len(store) == 0:
            _load_initial_content(store, settings)
        app.state.ready = True
        try:
            yield
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
    app.include_router(health.router)
    app.include_router(importlib.import_module("servicenet_api.routes.context").router)
    return app


def _load_initial_content(store: OxigraphStore, settings: Settings) -> None:
    """Load the vocabulary graphs and (optionally) the example city datasets into an empty store."""
    try:
        vocabulary = importlib.import_module("servicenet_vocab.vocabulary")
    except ImportError:  # pragma: no cover - only before the vocabulary loader exists
        log.warning("no vocabulary loader available; starting with an empty store")
        return
    vocabulary.load_all(store, examples=settings.load_examples)
