"""Dependencies as ``Annotated`` aliases so routes read like prose.

They are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in its thread pool,
a thread hop per dependency per request for what is an attribute read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from servicenet_vocab.config import Settings
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.workers import WorkerPool


async def get_store(request: Request) -> OxigraphStore:
    store: OxigraphStore = request.app.state.store
    return store


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_pool(request: Request) -> WorkerPool:
    """The worker processes for untrusted work (queries, parsing, validation)."""
    pool: WorkerPool = request.app.state.pool
    return pool


async def get_query_service(request: Request) -> QueryService:
    service: QueryService = request.app.state.query_service
    return service


StoreDep = Annotated[OxigraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PoolDep = Annotated[WorkerPool, Depends(get_pool)]
QueryServiceDep = Annotated[QueryService, Depends(get_query_service)]
