"""``GET /health``: readiness and the store's size, for load balancers and people."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from servicenet_api.deps import StoreDep

router = APIRouter(tags=["service"])


class GraphCount(BaseModel):
    graph: str
    triples: int


class Health(BaseModel):
    status: str
    ready: bool
    triples: int
    graphs: list[GraphCount]


@router.get("/health", response_model=Health, summary="Readiness and store size")
def health(request: Request, store: StoreDep) -> Health:
    infos = store.graphs()
    return Health(
        status="ok",
        ready=bool(request.app.state.ready),
        triples=sum(i.triples for i in infos),
        graphs=[GraphCount(graph=i.iri, triples=i.triples) for i in infos],
    )
