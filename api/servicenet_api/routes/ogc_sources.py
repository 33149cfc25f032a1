"""What ``/ogc`` and the maps read: the municipalities with data, the features of one (the
project's own SPARQL run as every query is), and the named queries over this app's own HTTP API
(``GET /queries``, ``GET /queries/{name}`` in process), so a planning answer is the same however
the query is computed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from anyio import to_thread
from fastapi import Request

from servicenet_api.errors import TABLE
from servicenet_api.query_results import run_query
from servicenet_vocab import namespaces as ns
from servicenet_vocab.errors import Location, ServicenetError
from servicenet_vocab.features import KINDS, Feature, features_of, kind_queries
from servicenet_vocab.publishing.provenance import datasets

__all__ = [
    "data_version",
    "feature_index",
    "features",
    "municipalities",
    "municipality_name",
    "named_queries",
    "run_named_query",
    "select",
]


async def data_version(services: Any) -> tuple[tuple[str, int, str | None], ...]:
    """What changes whenever a municipality's data does: per graph its triple count and the
    last write activity recorded for it (``publishing.provenance``)."""
    infos = await to_thread.run_sync(datasets, services.store)
    return tuple((info.graph, info.triples, info.last_activity) for info in infos)


async def municipalities(services: Any) -> list[str]:
    """The codes of the municipalities with a graph in the store, in order."""
    infos = await to_thread.run_sync(services.store.graphs)
    codes = {ns.municipality_of_graph(info.iri) for info in infos}
    return sorted(code for code in codes if code)


def municipality_name(services: Any, code: str, lang: str = "fi") -> str:
    term = services.vocabulary.find(f"{ns.CODE}municipality/{code}")
    return term.label(lang) if term is not None else code


async def select(request: Request, services: Any, text: str) -> list[Mapping[str, Any]]:
    """The rows of one of the project's SELECT queries, run like every query."""
    service = services.query_service
    spooled = await run_query(request, service, service.request(text, await service.ascan(text)))
    with spooled.spool as spool:
        spool.seek(0)
        rows: list[Mapping[str, Any]] = json.load(spool)["results"]["bindings"]
    return rows


async def features(request: Request, services: Any, kind: str, code: str) -> list[Feature]:
    results = [await select(request, services, text) for text in kind_queries(kind, [code])]
    return features_of(kind, results)


async def feature_index(request: Request, services: Any, code: str) -> dict[str, Feature]:
    """The municipality's units, areas and catchment areas by IRI."""
    index: dict[str, Feature] = {}
    for kind in KINDS:
        index.update(
            {feature.iri: feature for feature in await features(request, services, kind, code)}
        )
    return index


async def _internal(request: Request, path: str, params: Mapping[str, str] | None = None) -> Any:
    """``GET path`` answered by this app in process; its error is raised again as the library
    error of its row."""
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://servicenet.internal"
    ) as client:
        response = await client.get(
            path, params=dict(params or {}), headers={"Accept": "application/sparql-results+json"},
            timeout=None,
        )  # fmt: skip
    body = response.json()
    if response.status_code >= 400:
        raise _error_from(body)
    return body


def _error_from(body: Mapping[str, Any]) -> ServicenetError:
    kind = next((row.kind for row in TABLE if row.code == body.get("error")), ServicenetError)
    fields = body.get("location") or {}
    known = {key: fields[key] for key in Location.__dataclass_fields__ if key in fields}
    try:
        return kind(str(body.get("message", "")), location=Location(**known) if known else None)
    except TypeError:  # a row whose error takes more than a message
        return ServicenetError(str(body.get("message", "")))


async def named_queries(request: Request) -> list[dict[str, Any]]:
    """``GET /queries``: each named query's name, title, description and parameters."""
    listing = await _internal(request, "/queries")
    return list(listing.get("queries", []))


async def run_named_query(
    request: Request, name: str, params: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """``GET /queries/{name}`` as SPARQL JSON results."""
    results: dict[str, Any] = await _internal(request, f"/queries/{name}", params)
    return results
