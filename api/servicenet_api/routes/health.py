"""``GET /health``: readiness and the store's size, for load balancers and people."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from servicenet_api.deps import ServicesDep
from servicenet_api.errors import ENGINE_ERRORS, error_responses
from servicenet_vocab.errors import StoreError

router = APIRouter(tags=["service"])


class GraphCount(BaseModel):
    graph: str
    triples: int


class Health(BaseModel):
    status: str
    ready: bool
    warming: int = Field(
        description="Query workers still bringing themselves up to date with the latest write "
        "(reloading, reading the planning facts); 0 when every worker is current."
    )
    triples: int
    graphs: list[GraphCount]


@router.get(
    "/health",
    response_model=Health,
    summary="Readiness and store size",
    responses=error_responses(StoreError, *ENGINE_ERRORS),
)
def health(services: ServicesDep) -> Health:
    infos = services.store.graphs()
    return Health(
        status="ok",
        ready=services.ready,
        warming=sum(thread.is_alive() for thread in services.pool.warming),
        triples=sum(i.triples for i in infos),
        graphs=[GraphCount(graph=i.iri, triples=i.triples) for i in infos],
    )
