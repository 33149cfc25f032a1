"""What the lifespan builds (``Services``) and the ``Annotated`` dependencies routes take it by.

``create_app`` composes everything once per app in its lifespan and puts it on ``app.state.services``;
nothing is created on first use and nothing lives at module level. The dependencies are
``async def`` on purpose: FastAPI runs a plain ``def`` dependency in its thread pool, a thread hop
per dependency per request for what is an attribute read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from servicenet_vocab.config import Settings
from servicenet_vocab.errors import StoreError
from servicenet_vocab.publishing.writer import Checks, Publisher, Runner
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.vocabulary.index import Vocabulary
from servicenet_vocab.workers import WorkerPool


@dataclass
class Services:
    """One app's parts, built in its lifespan from its ``Settings``."""

    settings: Settings
    store: Store  # the embedded store, or a remote engine's (backend=remote)
    pool: WorkerPool  # worker processes for untrusted work (queries, parsing, validation)
    query_service: QueryService
    runner: Runner  # runs a job in the pool (validation of uploads)
    checks: Checks  # what uploads are validated against (settings publish_shapes/_context)
    publisher: Publisher  # the single writer of municipality graphs
    vocabulary: Vocabulary  # the term index (vocabulary graphs are written only at start-up)
    context: bytes  # the JSON-LD context document
    ready: bool = True


def services_of(app: FastAPI) -> Services:
    services: Services | None = getattr(app.state, "services", None)
    if services is None:
        raise StoreError("the service is not running (starting up or shutting down)")
    return services


async def get_services(request: Request) -> Services:
    return services_of(request.app)


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_store(services: ServicesDep) -> Store:
    return services.store


async def get_settings(services: ServicesDep) -> Settings:
    return services.settings


async def get_pool(services: ServicesDep) -> WorkerPool:
    return services.pool


async def get_query_service(services: ServicesDep) -> QueryService:
    return services.query_service


async def get_publisher(services: ServicesDep) -> Publisher:
    return services.publisher


async def get_vocabulary(request: Request) -> Vocabulary:
    """Also called directly (``await get_vocabulary(request)``) by routes that need it only
    on some answers."""
    return services_of(request.app).vocabulary


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PoolDep = Annotated[WorkerPool, Depends(get_pool)]
QueryServiceDep = Annotated[QueryService, Depends(get_query_service)]
PublisherDep = Annotated[Publisher, Depends(get_publisher)]
VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]
