"""``GET /context.jsonld`` (also ``/ns/context.jsonld``): the vocabulary's JSON-LD context.

Generated at start-up from the ontology of the app's vocabulary directory
(``servicenet_vocab.vocabulary.context``), so a JSON export becomes RDF by adding
``"@context": "https://w3id.org/servicenet/context.jsonld"``; the stable IRI redirects here.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from servicenet_api.deps import ServicesDep

router = APIRouter(tags=["vocabulary"])

MEDIA_TYPE = "application/ld+json"


@router.get(
    "/context.jsonld",
    summary="The JSON-LD context of the servicenet vocabulary",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE: {}}, "description": "the context document"}},
)
@router.get("/ns/context.jsonld", include_in_schema=False)
async def jsonld_context(services: ServicesDep) -> Response:
    return Response(
        content=services.context,
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"},
    )
