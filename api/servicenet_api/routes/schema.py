"""``/schema/``: JSON Schema (2020-12) and OpenAPI 3.1 for plain JSON exchange, per vocabulary version.

Generated from the SHACL shapes of the app's vocabulary directory
(``servicenet_vocab.vocabulary.json_schema``) on first request, then kept for the process:

    GET /schema/                                  the index: the version and the documents' paths
    GET /schema/{version}/servicenet.schema.json  the JSON Schema of the dataset document
    GET /schema/{version}/openapi.json            the OpenAPI 3.1 document of the JSON exchange

A version other than the vocabulary's is 404 (``NOT_FOUND``, through the error table).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from servicenet_api.deps import SettingsDep
from servicenet_api.errors import error_responses
from servicenet_vocab.errors import Location, NotFoundError
from servicenet_vocab.vocabulary.files import project_root
from servicenet_vocab.vocabulary.json_schema import JsonSchemas, json_schemas

router = APIRouter(tags=["schema"])

SCHEMA_MEDIA_TYPE = "application/schema+json"
OPENAPI_MEDIA_TYPE = "application/json"
_HEADERS = {"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"}


async def _schemas(root: Path | None) -> JsonSchemas:
    base = root or project_root()
    return await to_thread.run_sync(json_schemas, base)


async def _for_version(root: Path | None, version: str) -> JsonSchemas:
    schemas = await _schemas(root)
    if version != schemas.version:
        raise NotFoundError(
            f"no schema for vocabulary version {version!r}; this service has {schemas.version}",
            location=Location(source="path", field="version"),
        )
    return schemas


@router.get(
    "/schema/",
    summary="The JSON Schema and OpenAPI documents of the vocabulary version served here",
    responses={
        200: {"description": "the version and the paths of its documents"},
        **error_responses(NotFoundError),
    },
)
async def schema_index(settings: SettingsDep) -> JSONResponse:
    schemas = await _schemas(settings.vocab_dir)
    version = schemas.version
    body: dict[str, Any] = {
        "version": version,
        "versions": [version],
        "schema": f"/schema/{version}/servicenet.schema.json",
        "openapi": f"/schema/{version}/openapi.json",
        "context": "/context.jsonld",
        "classes": schemas.classes,
    }
    return JSONResponse(body, headers=_HEADERS)


@router.get(
    "/schema/{version}/servicenet.schema.json",
    summary="JSON Schema (2020-12) of the dataset document, generated from the SHACL shapes",
    response_class=Response,
    responses={
        200: {"content": {SCHEMA_MEDIA_TYPE: {}}, "description": "the JSON Schema"},
        **error_responses(NotFoundError),
    },
)
async def json_schema(version: str, settings: SettingsDep) -> Response:
    schemas = await _for_version(settings.vocab_dir, version)
    return Response(schemas.schema_bytes, media_type=SCHEMA_MEDIA_TYPE, headers=_HEADERS)


@router.get(
    "/schema/{version}/openapi.json",
    summary="OpenAPI 3.1 of the JSON exchange (POST /validate, PUT /graph-store)",
    response_class=Response,
    responses={
        200: {"content": {OPENAPI_MEDIA_TYPE: {}}, "description": "the OpenAPI document"},
        **error_responses(NotFoundError),
    },
)
async def openapi_document(version: str, settings: SettingsDep) -> Response:
    schemas = await _for_version(settings.vocab_dir, version)
    return Response(schemas.openapi_bytes, media_type=OPENAPI_MEDIA_TYPE, headers=_HEADERS)
