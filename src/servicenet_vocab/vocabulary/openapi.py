"""The OpenAPI 3.1 document of the JSON exchange, built from the generated JSON Schema.

The schema's ``$defs`` become ``components.schemas`` (OpenAPI 3.1 schemas are JSON Schema 2020-12,
so the definitions carry over with their ``$ref``s rewritten); the dataset document is
``components.schemas.Dataset`` and the request body of ``POST /validate`` and
``PUT /graph-store`` as ``application/ld+json``.
"""

from __future__ import annotations

import copy
from typing import Any

from servicenet_vocab.vocabulary.context import CONTEXT_IRI

__all__ = ["build_openapi"]

_DEFS = "#/$defs/"
_COMPONENTS = "#/components/schemas/"
MEDIA_TYPE = "application/ld+json"


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_DEFS):
                out[key] = _COMPONENTS + value[len(_DEFS) :]
            else:
                out[key] = _rewrite(value)
        return out
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def build_openapi(schema: dict[str, Any], version: str) -> dict[str, Any]:
    """OpenAPI 3.1 for ``schema`` (from ``json_schema``), the vocabulary ``version``."""
    schema = copy.deepcopy(schema)
    components = _rewrite(schema.pop("$defs", {}))
    dataset = _rewrite(
        {k: v for k, v in schema.items() if k not in ("$schema", "$id", "x-context")}
    )
    components["Dataset"] = dataset
    body = {
        "required": True,
        "description": "the dataset document with the project's context inlined (remote "
        f"contexts, {CONTEXT_IRI} included, are never fetched by the facade)",
        "content": {MEDIA_TYPE: {"schema": {"$ref": _COMPONENTS + "Dataset"}}},
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": schema.get("$schema"),
        "info": {
            "title": "servicenet JSON exchange",
            "version": version,
            "summary": "Plain JSON (compacted JSON-LD) for the servicenet vocabulary "
            f"{version}, generated from its SHACL shapes",
            "description": dataset.get("description", ""),
            "x-labels": dataset.get("x-labels", {}),
            "x-descriptions": dataset.get("x-descriptions", {}),
        },
        "paths": {
            "/validate": {
                "post": {
                    "summary": "Validate a dataset document against the shapes",
                    "operationId": "validateJson",
                    "requestBody": body,
                    "responses": {
                        "200": {"description": "the SHACL validation report"},
                        "400": {"description": "JSON-LD that does not parse, or is refused"},
                    },
                }
            },
            "/graph-store": {
                "put": {
                    "summary": "Replace a city's graph with a dataset document",
                    "operationId": "putJson",
                    "parameters": [
                        {
                            "name": "graph",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "format": "iri"},
                        }
                    ],
                    "requestBody": body,
                    "security": [{"bearer": []}],
                    "responses": {
                        "201": {"description": "the graph was created"},
                        "204": {"description": "the graph was replaced"},
                        "422": {"description": "the data does not conform; the report"},
                    },
                }
            },
        },
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
