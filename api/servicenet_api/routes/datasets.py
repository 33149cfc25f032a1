"""``GET /datasets``: the municipality datasets in the store with their provenance.

JSON (default) lists each municipality graph with its size, last change, who made it and the
validation outcome; JSON-LD (or Turtle) gives the same as DCAT/PROV from the system graph.
"""

from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from servicenet_api.conneg import Offer, negotiate
from servicenet_api.deps import StoreDep
from servicenet_api.errors import ENGINE_ERRORS, error_responses
from servicenet_vocab.errors import NotAcceptableError
from servicenet_vocab.publishing import provenance
from servicenet_vocab.rdfio import RdfFormat

router = APIRouter(tags=["graph store"])

OFFERS = (  # plain JSON is the listing's own body (fmt unused); the RDF ones from the table
    Offer("application/json", RdfFormat.JSONLD, ("json",)),
    Offer("application/ld+json", RdfFormat.JSONLD, ("jsonld",)),
    Offer.of(RdfFormat.TURTLE.row),
)


@router.get(
    "/datasets",
    summary="Municipality datasets with their provenance (JSON, JSON-LD, Turtle)",
    response_class=Response,
    responses={
        200: {
            "description": "The datasets",
            "content": {offer.media_type: {} for offer in OFFERS},
        },
        **error_responses(NotAcceptableError, *ENGINE_ERRORS),
    },
)
async def list_datasets(request: Request, store: StoreDep) -> Response:
    offer = negotiate(
        request.headers.get("accept"),
        OFFERS,
        format_param=request.query_params.get("format"),
        what="the dataset list",
    )
    if offer.media_type == "application/json":
        found = await to_thread.run_sync(provenance.datasets, store)
        return JSONResponse({"datasets": [info.to_dict() for info in found]})
    assert isinstance(offer.fmt, RdfFormat)
    data = await to_thread.run_sync(provenance.datasets_graph, store, offer.fmt)
    return Response(data, media_type=offer.media_type, headers={"Vary": "Accept"})
